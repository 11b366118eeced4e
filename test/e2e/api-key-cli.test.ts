import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/app/database';
import { ApiKeyService } from '../../src/hub/api-key.service';
import { toGlobalId } from '../../src/shared/global-id';
import { cli, ensureBuilt } from '../support/matchhub-process';

/**
 * `matchhub apikey create --consultant <id>` on an embedded data directory, as an operator runs it:
 * a key that speaks for a consultant, and the ids it refuses without writing a key.
 */
describe('apikey create --consultant', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-apikey-cli-'));
  const open = () => openDatabase({ url: null, dataDir, poolSize: 2, logSql: false }, { command: 'check' });
  const keyCount = async () => {
    const db = await open();
    try {
      return (await db.dataSource.query(`SELECT count(*)::int AS n FROM "api_key"`))[0].n as number;
    } finally {
      await db.close();
    }
  };
  let consultant: string;
  let candidate: string;

  beforeAll(async () => {
    ensureBuilt();
    const db = await open();
    try {
      await db.dataSource.runMigrations();
      [{ id: consultant }] = await db.dataSource.query(
        `INSERT INTO "consultant" ("source", "external_id", "name") VALUES ('crm', 'c-1', 'Ana Lima') RETURNING "id"`,
      );
      [{ id: candidate }] = await db.dataSource.query(
        `INSERT INTO "candidate" ("source", "external_id", "name") VALUES ('crm', 'p-1', 'Bo Chen') RETURNING "id"`,
      );
    } finally {
      await db.close();
    }
  }, 600_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses an unknown consultant or a candidate id in one line, exit 1, and writes no key', async () => {
    const unknown = await cli(dataDir, [
      'apikey',
      'create',
      '--role',
      'consultant',
      '--consultant',
      '0f0f0f0f-0000-4000-8000-000000000000',
    ]);
    expect(unknown).toEqual({
      status: 1,
      stdout: '',
      stderr: 'matchhub: consultant: no consultant has the id 0f0f0f0f-0000-4000-8000-000000000000 (the consultants query lists them)\n',
    });
    const wrong = await cli(dataDir, ['apikey', 'create', '--role', 'consultant', '--consultant', toGlobalId('Candidate', candidate)]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(
      /^matchhub: consultant: \S+ is a Candidate id; give a Consultant id \(the consultants query lists them\)\n$/,
    );
    const garbage = await cli(dataDir, ['apikey', 'create', '--role', 'consultant', '--consultant', 'Ana Lima']);
    expect(garbage.status).toBe(1);
    expect(garbage.stderr).toMatch(/^matchhub: consultant: "Ana Lima" is not a MatchHub id/);
    expect(await keyCount()).toBe(0);
  }, 400_000);

  it('links the key to the consultant by Consultant id or uuid; without --consultant it says the key speaks for none', async () => {
    for (const id of [toGlobalId('Consultant', consultant), consultant.toUpperCase()]) {
      const created = await cli(dataDir, ['apikey', 'create', '--role', 'consultant', '--name', 'Ana', '--consultant', id]);
      expect(created.status).toBe(0);
      expect(created.stderr).not.toMatch(/speaks for no consultant/);
      const db = await open();
      try {
        expect(await new ApiKeyService(db.dataSource).authenticate(created.stdout.trim())).toMatchObject({
          role: 'consultant',
          consultantId: consultant,
        });
      } finally {
        await db.close();
      }
    }
    const unlinked = await cli(dataDir, ['apikey', 'create', '--role', 'consultant']);
    expect(unlinked.status).toBe(0);
    expect(unlinked.stderr).toMatch(/^it speaks for no consultant; --consultant <id> links one/m);
    expect(await keyCount()).toBe(3);
  }, 400_000);
});
