import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataSource } from 'typeorm';
import type { Config } from '../config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// The contrib entry point ships CommonJS code but only ESM type declarations, so TypeScript's node16
// resolution refuses a static import here; require() loads the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export interface Database {
  dataSource: DataSource;
  /** `embedded` when MatchHub started its own PGlite. */
  kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

export type DatabaseOptions = Pick<Config['database'], 'url' | 'dataDir' | 'poolSize' | 'logSql'>;

/**
 * Opens the data hub. Without DATABASE_URL, PGlite (Postgres compiled to WASM) runs in this process with
 * its data under `dataDir/pg`, and TypeORM reaches it through pglite-socket on a Unix socket, so the
 * embedded default and a real server share one code path (the `pg` driver). pglite-socket serialises
 * transactions from its connections; its connection limit is the pool size.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+: no extension to install on either engine.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    // Off by default: TypeORM logs failed queries with their parameters, which hold personal data.
    logging: options.logSql ? ('all' as const) : false,
    extra: { max: options.poolSize },
  };
  if (options.url) {
    const dataSource = new DataSource({ ...common, url: options.url });
    await dataSource.initialize();
    return { dataSource, kind: 'postgres', close: () => dataSource.destroy() };
  }

  const dir = path.join(options.dataDir, 'pg');
  fs.mkdirSync(dir, { recursive: true });
  const socketDir = fs.mkdtempSync(path.join(options.dataDir, 'sock-'));
  const pglite = await PGlite.create({ dataDir: dir, extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({
    db: pglite,
    path: path.join(socketDir, '.s.PGSQL.5432'),
    maxConnections: options.poolSize,
  });
  await server.start();
  const dataSource = new DataSource({
    ...common,
    host: socketDir,
    port: 5432,
    username: 'postgres',
    database: 'postgres',
  });
  try {
    await dataSource.initialize();
  } catch (err) {
    await server.stop();
    await pglite.close();
    throw err;
  }
  return {
    dataSource,
    kind: 'embedded',
    async close() {
      await dataSource.destroy();
      await server.stop();
      await pglite.close();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
