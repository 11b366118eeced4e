import { Client } from 'pg';
import { openDatabase } from '../../src/app/database';
import { outboxSuite } from '../support/outbox.suite';
import { loadServicesEnv, uniqueName } from './services-env';

describe('the outbox on a real PostgreSQL server (concurrent transactions, several projectors)', () => {
  const name = uniqueName('outbox_');
  let url = '';
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: loadServicesEnv('postgres').databaseUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  beforeAll(async () => {
    // A database of its own, so the outbox holds only this suite's events.
    await admin(`CREATE DATABASE "${name}"`);
    const u = new URL(loadServicesEnv('postgres').databaseUrl);
    u.pathname = `/${name}`;
    url = u.toString();
  });
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  outboxSuite(
    async () => {
      const db = await openDatabase({ url, dataDir: '/nonexistent', poolSize: 4, logSql: false });
      await db.dataSource.runMigrations({ transaction: 'each' });
      return db;
    },
    () => url,
  );
});
