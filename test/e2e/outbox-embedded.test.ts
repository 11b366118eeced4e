import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/datahub/database';
import { outboxSuite } from '../support/outbox.suite';

describe('the outbox on embedded PGlite', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-outbox-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  outboxSuite(async () => {
    const db = await openDatabase({ url: null, dataDir, poolSize: 4, logSql: false });
    await db.dataSource.runMigrations({ transaction: 'each' });
    return db;
  });
});
