import type { Config } from './config';
import type { Services } from './context';
import { ApiKeyService } from './datahub/api-key.service';
import { openDatabase } from './datahub/database';
import { ListService } from './datahub/list.service';
import { SeedService } from './datahub/seed.service';
import { WriteService } from './datahub/write.service';

/**
 * The composition root: picks each port's adapter from config and wires services. Nothing else
 * constructs services, so tests and the CLI get the same wiring as the server.
 */
export async function createServices(config: Config, options: { migrate?: boolean } = {}): Promise<Services & { seeds: SeedService }> {
  const db = await openDatabase(config.database);
  try {
    if (options.migrate ?? true) await db.dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    await db.close();
    throw err;
  }
  const writes = new WriteService(db.dataSource);
  return {
    config,
    db,
    apiKeys: new ApiKeyService(db.dataSource),
    lists: new ListService(db.dataSource, config.limits.maxPageSize),
    writes,
    seeds: new SeedService(db.dataSource, writes),
  };
}
