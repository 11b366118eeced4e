import { Client } from 'pg';
import { openDataHub, type DataHub } from '../../src/app/data-hub';
import { grantBiRole } from '../../src/hub/repositories/bi-role.repository';
import { MatchScoreRepository } from '../../src/hub/repositories/match-score.repository';
import { loadTaxonomy } from '../../src/hub/taxonomy/taxonomy-loader';
import { loadConfig } from '../../src/shared/config';
import { createLogger } from '../../src/shared/logger';
import { loadServicesEnv, uniqueName } from './services-env';

jest.setTimeout(120_000);

/** `matchhub bi grant` on a real PostgreSQL server: the role reads the bi views and nothing else. */
describe('BI role on PostgreSQL', () => {
  const database = uniqueName('matchhub_bi_');
  const role = uniqueName('bi_reader_');
  const password = `pw-${Date.now().toString(36)}`;
  let adminUrl: string;
  let hub: DataHub;
  let reader: Client;

  const urlOf = (db: string, user?: { name: string; password: string }) => {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    if (user) {
      u.username = user.name;
      u.password = user.password;
    }
    return u.toString();
  };

  beforeAll(async () => {
    adminUrl = loadServicesEnv('postgres').databaseUrl;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    hub = await openDataHub(loadConfig({ DATABASE_URL: urlOf(database), LOG_LEVEL: 'error' }), createLogger('error'));
    await hub.seeds.seedDemo({ candidates: 30, seed: 3, taxonomy: loadTaxonomy() });
    // Two stored scores, written as the projection writes them.
    const [job] = await hub.db.dataSource.query(`SELECT id FROM job WHERE status = 'OPEN' ORDER BY id LIMIT 1`);
    const candidates = await hub.db.dataSource.query(`SELECT id FROM candidate ORDER BY id LIMIT 2`);
    const row = {
      keyword: 1,
      vector: 0.5,
      vectorProfile: 0.5,
      vectorTitle: 0.5,
      vectorSkills: 0.5,
      skillsRequired: 1,
      skillsPreferred: null,
    };
    const rest = { seniorityFit: 1, locationFit: 0, talentFlow: 2, warmPath: 0, linkPrediction: 0.4, modelVersion: 'prior-1' };
    await new MatchScoreRepository(hub.db.dataSource).replaceJobs(
      [job.id],
      candidates.map((c: { id: string }, i: number) => ({ jobId: job.id, candidateId: c.id, score: 0.5 - i / 10, ...row, ...rest })),
    );
    const grant = await hub.db.dataSource.transaction((em) => grantBiRole(em, role, password));
    expect(grant).toEqual({
      role,
      created: true,
      views: ['bi.candidates_public', 'bi.jobs', 'bi.match_scores', 'bi.placements'],
    });
    reader = new Client({ connectionString: urlOf(database, { name: role, password }) });
    await reader.connect();
  });

  afterAll(async () => {
    await reader?.end();
    await hub?.close();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    } finally {
      await admin.end();
    }
  });

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );

  it('reads every bi view, row for row with the tables behind it', async () => {
    const count = async (c: { query: (s: string) => Promise<any> }, sql: string) => {
      const r = await c.query(sql);
      return Number((r.rows ?? r)[0].n);
    };
    const db = hub.db.dataSource;
    expect(await count(reader, 'SELECT count(*) AS n FROM bi.jobs')).toBe(await count(db, 'SELECT count(*) AS n FROM job'));
    expect(await count(reader, 'SELECT count(*) AS n FROM bi.candidates_public')).toBe(
      await count(db, 'SELECT count(*) AS n FROM candidate'),
    );
    expect(await count(reader, 'SELECT count(*) AS n FROM bi.placements')).toBe(await count(db, 'SELECT count(*) AS n FROM placement'));
    const scores = (await reader.query('SELECT rank, score, model_version, link_prediction FROM bi.match_scores ORDER BY rank')).rows;
    expect(scores).toEqual([
      { rank: 1, score: 0.5, model_version: 'prior-1', link_prediction: 0.4 },
      { rank: 2, score: 0.4, model_version: 'prior-1', link_prediction: 0.4 },
    ]);
  });

  it('reads no table, writes nowhere, creates nothing', async () => {
    for (const table of ['candidate', 'match_score', 'api_key', 'job', 'placement', 'outbox_event']) {
      expect([table, await code(reader.query(`SELECT 1 FROM public.${table} LIMIT 1`))]).toEqual([table, '42501']);
    }
    // Read-only transactions by default, and no privilege to write even when it asks for a writable one.
    expect((await reader.query('SHOW default_transaction_read_only')).rows).toEqual([{ default_transaction_read_only: 'on' }]);
    await reader.query('SET default_transaction_read_only = off');
    expect(await code(reader.query(`DELETE FROM bi.candidates_public`))).toBe('42501');
    expect(await code(reader.query(`UPDATE bi.placements SET fee_band = NULL`))).not.toBe('ok');
    expect(await code(reader.query(`CREATE TABLE public.mine (x int)`))).toBe('42501');
    expect(await code(reader.query(`CREATE VIEW bi.mine AS SELECT 1`))).toBe('42501');
  });

  it('refuses a role name that is not a plain identifier, creating nothing; granting again updates the role', async () => {
    await expect(hub.db.dataSource.transaction((em) => grantBiRole(em, 'x"; DROP TABLE job; --', null))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(await hub.db.dataSource.query(`SELECT count(*)::int AS n FROM job`)).not.toEqual([{ n: 0 }]);
    await expect(hub.db.dataSource.transaction((em) => grantBiRole(em, role, null))).resolves.toMatchObject({ created: false });
  });
});
