import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/app/database';
import { schemaDrift } from '../../src/app/schema-drift';

describe('migrations', () => {
  it('build exactly the schema the entities describe, and undo cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-migrations-'));
    const db = await openDatabase({ url: null, dataDir, poolSize: 2, logSql: false });
    try {
      await db.dataSource.runMigrations();
      const drift = await schemaDrift(db.dataSource);
      // A non-empty list names what `npm run migration:generate -- Name` would add.
      expect(drift.up).toEqual([]);
      while ((await db.dataSource.query(`SELECT count(*)::int AS n FROM migrations`))[0].n > 0) {
        await db.dataSource.undoLastMigration();
      }
      const tables = await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(tables).toEqual([]);
    } finally {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
