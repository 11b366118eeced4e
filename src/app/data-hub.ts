import type { Config } from '../shared/config';
import type { Logger } from '../shared/logger';
import { ApiKeyService } from '../hub/api-key.service';
import { openDatabase } from './database';
import { type Database } from '../hub/database';
import { ListService } from '../hub/list.service';
import { SeedService } from '../demo/seed.service';
import { WriteService } from '../hub/write.service';

export interface OpenOptions {
  /** Run pending migrations first (default true). */
  migrate?: boolean;
  /** The CLI command opening the data directory: an embedded directory's lock names it to a refused process. */
  command?: string;
}

/** The data hub alone: what reads and writes rows (writes queue outbox events; serve or sync applies them). */
export interface DataHub {
  config: Config;
  db: Database;
  apiKeys: ApiKeyService;
  lists: ListService;
  writes: WriteService;
  seeds: SeedService;
  close(): Promise<void>;
}

/**
 * Opens only the database (an embedded directory's lock first, then migrations): seconds, and none of
 * the embedding model, search index or graph, which this module does not even import. For the CLI
 * commands that only touch rows (migrate, seed, import, apikey, linkpred); createServices builds on it.
 */
export async function openDataHub(config: Config, log: Logger, options: OpenOptions = {}): Promise<DataHub> {
  const db = await openDatabase(config.database, { command: options.command });
  try {
    if (options.migrate ?? true) await db.dataSource.runMigrations({ transaction: 'each' });
  } catch (err) {
    await db.close().catch((e) => log.warn('close failed', { err: e }));
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
    close: () => db.close(),
  };
}
