import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataSource, type Logger as TypeOrmLogger } from 'typeorm';
import type { Config } from '../shared/config';
import { acquireDataDirLock } from '../shared/data-dir-lock';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import type { Database } from '../hub/database';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// The contrib entry point ships CommonJS code but only ESM type declarations, so TypeScript's node16
// resolution refuses a static import here; require() loads the CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

/**
 * Counts every statement sent (tests assert N+1 stays away, the benchmark reports statements per
 * request) and prints them only when DATABASE_LOG_SQL is on: failed queries carry personal data.
 */
class StatementCounter implements TypeOrmLogger {
  count = 0;
  constructor(private readonly print: boolean) {}
  logQuery(query: string) {
    this.count += 1;
    if (this.print) process.stderr.write(`sql: ${query}\n`);
  }
  logQueryError(error: string | Error, query: string) {
    if (this.print) process.stderr.write(`sql error: ${String(error)} in ${query}\n`);
  }
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration(message: string) {
    if (this.print) process.stderr.write(`migration: ${message}\n`);
  }
  log() {}
}

/** The embedded database's pool: one connection, whatever DATABASE_POOL_SIZE says (see openDatabase). */
export const EMBEDDED_POOL_SIZE = 1;

export type DatabaseOptions = Pick<Config['database'], 'url' | 'dataDir' | 'poolSize' | 'logSql'> &
  Partial<Pick<Config['database'], 'vacuumEveryMs'>>;

/**
 * Opens the data hub. Without DATABASE_URL, PGlite (Postgres compiled to WASM) runs in this process with
 * its data under `dataDir/pg`, and TypeORM reaches it through pglite-socket on a Unix socket, so the
 * embedded default and a real server share one code path (the `pg` driver). On PGlite every statement and
 * transaction runs on one pooled connection, in turn; DATABASE_POOL_SIZE applies to real Postgres.
 * The embedded directory is locked first (data-dir-lock.ts, released on close): a second process gets
 * DataDirInUseError.
 */
export async function openDatabase(options: DatabaseOptions, lockAs?: { command?: string }): Promise<Database> {
  if (options.url) return connect(options);
  // One process per embedded data directory: the lock comes before PGlite or anything else opens it.
  const lock = await acquireDataDirLock(options.dataDir, lockAs?.command);
  try {
    // As the owner, any socket directory here was left by a process that died without closing.
    for (const e of fs.readdirSync(options.dataDir))
      if (e.startsWith('sock-')) fs.rmSync(path.join(options.dataDir, e), { recursive: true, force: true });
    const db = await connect(options);
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function connect(options: DatabaseOptions): Promise<Database> {
  const counter = new StatementCounter(options.logSql);
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+: no extension to install on either engine.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    logging: ['query' as const, 'error' as const],
    logger: counter,
    extra: { max: options.poolSize },
  };
  if (options.url) {
    const dataSource = new DataSource({ ...common, url: options.url });
    await dataSource.initialize();
    return { dataSource, kind: 'postgres', statementCount: () => counter.count, close: () => dataSource.destroy() };
  }

  const dir = path.join(options.dataDir, 'pg');
  fs.mkdirSync(dir, { recursive: true });
  const socketDir = fs.mkdtempSync(path.join(options.dataDir, 'sock-'));
  const pglite = await PGlite.create({ dataDir: dir, extensions: { pg_trgm } });
  // PGlite has one session, and pglite-socket interleaves the extended-protocol messages of several
  // client connections on it (upstream issue 1046): with two connections, a Bind of one can meet
  // the Parse of the other, and concurrent queries get each other's rows. So the pool owns exactly
  // one connection and queues statements and transactions on it, whole. The socket admits a second
  // connection only so that a reconnect never races the close of the old one.
  const server = new PGLiteSocketServer({ db: pglite, path: path.join(socketDir, '.s.PGSQL.5432'), maxConnections: 2 });
  await server.start();
  const dataSource = new DataSource({
    ...common,
    host: socketDir,
    port: 5432,
    username: 'postgres',
    database: 'postgres',
    extra: { max: EMBEDDED_POOL_SIZE, idleTimeoutMillis: 0 },
  });
  try {
    await dataSource.initialize();
  } catch (err) {
    await server.stop();
    await pglite.close();
    throw err;
  }
  const vacuum = options.vacuumEveryMs ? scheduleVacuum(dataSource, options.vacuumEveryMs) : null;
  return {
    dataSource,
    kind: 'embedded',
    statementCount: () => counter.count,
    async close() {
      await vacuum?.stop();
      await dataSource.destroy();
      await server.stop();
      await pglite.close();
      fs.rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * PGlite runs no autovacuum: without VACUUM, the space of updated and deleted rows (every update of a
 * record, the pruned outbox) is never reused, so tables, their indexes and the pages PGlite holds in
 * its WebAssembly memory (which never shrinks) grow with every write. Every `everyMs`, the tables that
 * autovacuum would pick on PostgreSQL (its default thresholds: dead rows over 50 + 20% of live rows,
 * changes since the last ANALYZE over 50 + 10%) are vacuumed and analyzed, one at a time, queued on
 * the one connection like any statement. Off the request path, but a request may wait behind one.
 */
export function scheduleVacuum(dataSource: DataSource, everyMs: number): { run(): Promise<string[]>; stop(): Promise<void> } {
  let running: Promise<string[]> | null = null;
  const run = async (): Promise<string[]> => {
    // PGlite sends its table statistics on only when asked to: at the end of this statement.
    await dataSource.query(`SELECT pg_stat_force_next_flush()`);
    const due: { relname: string }[] = await dataSource.query(
      `SELECT relname FROM pg_stat_user_tables
        WHERE n_dead_tup > 50 + 0.2 * n_live_tup OR n_mod_since_analyze > 50 + 0.1 * n_live_tup
        ORDER BY n_dead_tup DESC`,
    );
    for (const { relname } of due) {
      if (!dataSource.isInitialized) break;
      await dataSource.query(`VACUUM (ANALYZE) "${relname.replace(/"/g, '""')}"`);
    }
    return due.map((d) => d.relname);
  };
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch((err: unknown) => {
        process.stderr.write(`embedded database: VACUUM failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return [];
      })
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return {
    run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
