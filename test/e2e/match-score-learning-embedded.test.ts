import { AppError } from '../../src/shared/errors';
import { DEFAULT_TRAIN_ARGS, MatchScoreLearning, auditStoredScores } from '../../src/matching/match-score-learning.service';
import { formatEvaluation } from '../../src/matching/match-score-training';
import { formatAudit } from '../../src/matching/match-score-audit';
import { MODEL_FEATURES, seniorityFit } from '../../src/matching/match-score-model';
import { startTestServer, type TestServer } from '../support/test-server';

const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

/**
 * `matchhub scores train|eval|audit` on the embedded stack: the small demo has too few outcomes, so the
 * test adds applications whose outcome follows one thing the score can see (the candidate's years lie in the
 * job seniority's band), trains on them and checks that the new version scores the stored rows GraphQL serves.
 */
describe('match-score model learned from outcomes', () => {
  let s: TestServer;
  let learning: MatchScoreLearning;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 60, env: { MATCH_SCORES_TOP_K: '12' } });
    await s.services.projector.drain(800_000);
    learning = new MatchScoreLearning(s.services.db.dataSource, s.services.matchScores);
  }, 900_000);
  afterAll(() => s?.close());

  it('refuses to train on too few outcomes with BAD_USER_INPUT, storing nothing and keeping prior-1', async () => {
    const err = await learning.train().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_USER_INPUT');
    expect((err as AppError).message).toMatch(/too few outcomes.*train: \d+ decided applications/);
    expect(await s.sql(`SELECT version FROM match_score_model`)).toEqual([]);
    expect(await s.sql(`SELECT DISTINCT model_version FROM match_score`)).toEqual([{ model_version: 'prior-1' }]);
    await expect(learning.evaluate(10)).rejects.toThrow(/no trained match-score model yet/);
  });

  it('trains on outcomes, stores a new version, rescores every stored row with it, and matchScores serves it', async () => {
    const jobs = await s.sql(`SELECT source, external_id, seniority, opened_at FROM job ORDER BY opened_at, external_id`);
    const candidates = await s.sql(`SELECT source, external_id, years_experience FROM candidate ORDER BY external_id`);
    const taken = new Set(
      (
        await s.sql(
          `SELECT j.external_id AS j, c.external_id AS c FROM application a JOIN job j ON j.id = a.job_id JOIN candidate c ON c.id = a.candidate_id`,
        )
      ).map((a) => `${a.j}>${a.c}`),
    );
    const records = jobs.flatMap((j, k) =>
      candidates.slice((k * 7) % 40, ((k * 7) % 40) + 20).flatMap((c, i) => {
        if (taken.has(`${j.external_id}>${c.external_id}`)) return [];
        const day = new Date(new Date(j.opened_at ?? '2025-01-01').getTime() + 86_400_000).toISOString().slice(0, 10);
        const near = seniorityFit(j.seniority, c.years_experience === null ? null : Number(c.years_experience)) === 1;
        return [
          {
            type: 'application',
            source: 'outcome-test',
            externalId: `t-${k}-${i}`,
            job: { source: j.source, externalId: j.external_id },
            candidate: { source: c.source, externalId: c.external_id },
            stage: 'REJECTED',
            history: [
              { stage: 'SOURCED', at: `${day}T09:00:00.000Z` },
              ...(near ? [{ stage: 'INTERVIEW', at: `${day}T10:00:00.000Z` }] : []),
              { stage: 'REJECTED', at: `${day}T11:00:00.000Z` },
            ],
          },
        ];
      }),
    );
    const results = await s.services.writes.importRecords(records.map((value, i) => ({ line: i + 1, value })));
    expect(results.filter((r) => !r.ok)).toEqual([]);

    const r = await learning.train({ ...DEFAULT_TRAIN_ARGS, minimum: { examples: 40, perClass: 3 }, rounds: 20 });
    expect(r.model.version).toBe('learned-1');
    expect(r.sizes.train).toBeGreaterThanOrEqual(40);
    expect(r.testFrom > r.calibrateFrom).toBe(true);
    // The outcome followed seniority fit only: the model must have learned to favour it.
    expect(r.model.fitted.weights[MODEL_FEATURES.indexOf('seniorityFit')]).toBeGreaterThan(0);
    // No link model was trained: no row has a link-prediction score, and the model gives it no weight.
    expect(await s.sql(`SELECT count(link_prediction)::int AS n FROM match_score`)).toEqual([{ n: 0 }]);
    expect(r.model.fitted.weights[MODEL_FEATURES.indexOf('linkPrediction')]).toBeCloseTo(0, 12);
    expect(await s.sql(`SELECT version, target FROM match_score_model`)).toEqual([{ version: 'learned-1', target: 'INTERVIEW' }]);
    expect(await s.sql(`SELECT DISTINCT model_version FROM match_score`)).toEqual([{ model_version: 'learned-1' }]);
    expect(r.rescored).toBe((await s.sql(`SELECT count(*)::int AS n FROM match_score`))[0].n);

    const [{ job_id }] = await s.sql(`SELECT job_id FROM match_score ORDER BY job_id LIMIT 1`);
    const page = await s.gql(
      `query($job: ID) { matchScores(jobId: $job, first: 3) { edges { node { modelVersion score explanation } } } }`,
      { job: gid('Job', job_id) },
      'bi',
    );
    expect(page.body.errors).toBeUndefined();
    const nodes = page.body.data.matchScores.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect(n).toMatchObject({ modelVersion: 'learned-1', explanation: expect.any(String) });

    // A changed job is rescored by the projector with the newest model too.
    await s.sql(`UPDATE match_score SET model_version = 'prior-1' WHERE job_id = $1`, [job_id]);
    await s.services.matchScores.scoreJobs([job_id]);
    expect(await s.sql(`SELECT DISTINCT model_version FROM match_score WHERE job_id = $1`, [job_id])).toEqual([
      { model_version: 'learned-1' },
    ]);
  });

  it('evaluates the newest model on its hold-out against prior-1, the fused search score and every component', async () => {
    const report = await learning.evaluate(20);
    const names = report.results.map((x) => x.name);
    expect(names).toEqual([
      'learned (learned-1)',
      'prior-1',
      'fused search score',
      'keyword',
      'vector',
      'vector: profile',
      'vector: title',
      'vector: skills',
      'skills required',
      'skills preferred',
      'seniority fit',
      'location fit',
      'talent flow',
      'warm path',
      'link prediction',
    ]);
    for (const x of report.results) {
      for (const m of [x.auc, x.brier]) {
        expect(m.value).toBeGreaterThanOrEqual(0);
        expect(m.value).toBeLessThanOrEqual(1);
        expect(m.lo).toBeLessThanOrEqual(m.hi);
      }
    }
    // Outcomes that follow seniority fit alone are easy: the learned score must rank them well.
    expect(report.results[0].auc.value).toBeGreaterThan(0.7);
    const text = formatEvaluation(report);
    for (const name of names) expect(text).toContain(`${name}\t`);
    expect(text).toMatch(/reliability of learned \(learned-1\)/);
  });

  it('audits selection rates by location, years band and language, naming the component that moves each most', async () => {
    const r = await auditStoredScores(s.services.db.dataSource, s.services.matchScores.models, 5);
    expect(r.model).toBe('learned-1');
    expect(new Set(r.groups.map((g) => g.dimension))).toEqual(new Set(['location', 'years', 'language']));
    const rows = (await s.sql(`SELECT count(*)::int AS n FROM match_score`))[0].n;
    // Every stored row is in exactly one location group and one years band.
    expect(r.groups.filter((g) => g.dimension === 'location').reduce((n, g) => n + g.rows, 0)).toBe(rows);
    expect(r.groups.filter((g) => g.dimension === 'years').reduce((n, g) => n + g.rows, 0)).toBe(rows);
    for (const g of r.groups) {
      expect(g.selectionRate).toBeGreaterThanOrEqual(0);
      expect(g.selectionRate).toBeLessThanOrEqual(1);
      expect(g.mostMoving.feature).toEqual(expect.any(String));
    }
    expect(formatAudit(r)).toMatch(/selection rate/);
  });

  it('keeps personal fields out of the score: changing them leaves every stored score of the job as it was', async () => {
    const [{ job_id }] = await s.sql(`SELECT job_id FROM match_score ORDER BY job_id LIMIT 1`);
    const before = await s.sql(`SELECT candidate_id, score FROM match_score WHERE job_id = $1 ORDER BY candidate_id`, [job_id]);
    await s.sql(
      `UPDATE candidate SET email = 'x' || id || '@example.org', phone = '+1-000', desired_salary_min = 1, desired_salary_max = 9999999, salary_currency = 'EUR'
       WHERE id IN (SELECT candidate_id FROM match_score WHERE job_id = $1)`,
      [job_id],
    );
    await s.services.matchScores.scoreJobs([job_id]);
    expect(await s.sql(`SELECT candidate_id, score FROM match_score WHERE job_id = $1 ORDER BY candidate_id`, [job_id])).toEqual(before);
  });
});
