import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, scheduleVacuum } from '../../src/app/database';
import { outboxSuite, writeEvents } from '../support/outbox.suite';

describe('the outbox on embedded PGlite', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-outbox-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  outboxSuite(async () => {
    const db = await openDatabase({ url: null, dataDir, poolSize: 4, logSql: false });
    await db.dataSource.runMigrations({ transaction: 'each' });
    return db;
  });
});

describe('vacuum on embedded PGlite (it has no autovacuum)', () => {
  it('vacuums the tables whose dead rows pass autovacuum thresholds, and leaves the others', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-vacuum-'));
    const db = await openDatabase({ url: null, dataDir, poolSize: 1, logSql: false });
    try {
      await db.dataSource.runMigrations({ transaction: 'each' });
      await writeEvents(db, 500);
      await db.dataSource.query(`DELETE FROM "outbox_event"`);
      const vacuum = scheduleVacuum(db.dataSource, 3_600_000);
      const done = await vacuum.run();
      await vacuum.stop();
      expect(done).toContain('outbox_event');
      expect(done).not.toContain('candidate');
      const [row] = await db.dataSource.query(`SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = 'outbox_event'`);
      expect(row.dead).toBe(0);
    } finally {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
