import type { Role } from '../../src/shared/roles';
import { AppError, ValidationError } from '../../src/shared/errors';
import { executePlan } from '../../src/rag/executor';
import { parsePlan } from '../../src/rag/plan';
import { RagTools } from '../../src/rag/tools/rag-tools';
import type { PlanStep, StepRecord, ToolResult } from '../../src/rag/types';
import { startTestServer, type TestServer } from '../support/test-server';

/**
 * The RAG tools on real services (embedded PGlite, search index and graph with demo data), checked
 * the way a user would: records exist, personal data follows the role, counts match the database.
 */
describe('RAG tools on the embedded data hub', () => {
  let s: TestServer;
  let tools: RagTools;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 60 });
    await s.services.projector.drain(900_000);
    tools = new RagTools(s.services);
  }, 1_000_000);
  afterAll(() => s?.close());

  const ctx = (role: Role, maxRows = 20) => ({ role, maxRows });
  const budget = { maxSteps: 8, timeoutMs: 60_000, maxRowsPerStep: 10, concurrency: 2 };
  const PERSONAL = ['email', 'phone', 'desiredSalaryMin', 'desiredSalaryMax'];
  const personalKeys = (r: ToolResult) => r.records.flatMap((rec) => Object.keys(rec.fields).filter((k) => PERSONAL.includes(k)));

  it('searchCandidates returns candidate records that exist in the candidate table, with scores and no vectors', async () => {
    const r = await tools.run('searchCandidates', { query: 'software engineer', first: 8 }, ctx('analyst'));
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.every((rec) => rec.type === 'candidate' && rec.label)).toBe(true);
    const ids = r.records.map((rec) => rec.id);
    const rows = await s.sql('SELECT id FROM candidate WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows.map((x) => x.id).sort()).toEqual([...ids].sort());
    expect((r.records[0]!.fields.match as { score: number }).score).toBeGreaterThan(0);
    // No long numeric arrays (embeddings) anywhere in what the model would see.
    expect(JSON.stringify(r)).not.toMatch(/\[(-?\d+\.\d+,){20,}/);
    expect(personalKeys(r)).toEqual([]);
  });

  it('shows email and phone to a consultant and never to an analyst', async () => {
    const [c] = await s.sql(`SELECT id, email, phone FROM candidate WHERE email IS NOT NULL AND phone IS NOT NULL LIMIT 1`);
    expect(c).toBeDefined();
    const asConsultant = await tools.run('getRecords', { ids: [c.id] }, ctx('consultant'));
    expect(asConsultant.records[0]!.fields).toMatchObject({ email: c.email, phone: c.phone });
    for (const role of ['analyst', 'bi', 'frontend'] as Role[]) {
      const r = await tools.run('getRecords', { ids: [c.id] }, ctx(role));
      expect(r.records[0]!.id).toBe(c.id);
      expect(personalKeys(r)).toEqual([]);
      const graph = await tools.run('graphNeighborhood', { id: c.id, depth: 1 }, ctx(role));
      expect(JSON.stringify(graph)).not.toContain(c.email);
    }
  });

  it('aggregate counts equal a direct SQL count', async () => {
    const bySkill = await tools.run('aggregate', { metric: 'candidatesBySkill', first: 5 }, ctx('analyst'));
    const expected = await s.sql(
      `SELECT s.name, count(DISTINCT cs.candidate_id)::int AS n FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id
       GROUP BY s.id, s.name ORDER BY n DESC, s.name LIMIT 5`,
    );
    expect(bySkill.records.map((r) => [r.label, r.fields.count])).toEqual(expected.map((e) => [e.name, e.n]));
    expect(bySkill.records[0]!.type).toBe('skill');

    const [company] = await s.sql(
      `SELECT company_id AS id, count(*)::int AS n FROM job WHERE status = 'OPEN' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
    );
    const open = await tools.run('aggregate', { metric: 'openJobsByCompany', filters: { companyId: company.id } }, ctx('analyst'));
    expect(open.records).toEqual([expect.objectContaining({ id: company.id, type: 'company', fields: { count: company.n } })]);

    const years = await tools.run('aggregate', { metric: 'placementsByYear', filters: { since: 2000 } }, ctx('analyst'));
    const [{ n }] = await s.sql(`SELECT count(*)::int AS n FROM placement WHERE start_date >= '2000-01-01'`);
    const rows = (years.data as { rows: { count: number }[] }).rows;
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(n);
  });

  it('rejects bad arguments with BAD_USER_INPUT and the path of each problem', async () => {
    const err = await tools.run('searchCandidates', { query: 'x', first: 0, minYears: 'ten' }, ctx('analyst')).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.problems.map((p: { path: string }) => p.path).sort()).toEqual(['first', 'minYears']);
    const agg = await tools.run('aggregate', { metric: 'candidatesBySkill', filters: { since: 2020 } }, ctx('analyst')).catch((e) => e);
    expect(agg.problems).toEqual([{ path: 'filters.since', message: 'candidatesBySkill cannot be filtered by since' }]);
    const id = await tools.run('graphNeighborhood', { id: 'not-an-id' }, ctx('analyst')).catch((e) => e);
    expect(id.problems[0].path).toBe('id');
  });

  it('caps rows at maxRows and says the result was truncated', async () => {
    const r = await tools.run('searchCandidates', { query: 'engineer', first: 20 }, ctx('analyst', 3));
    expect(r.records).toHaveLength(3);
    expect(r.truncated).toBe(true);
    const ids = (await s.sql('SELECT id FROM candidate ORDER BY id LIMIT 5')).map((x) => x.id);
    const got = await tools.run('getRecords', { ids }, ctx('analyst', 2));
    expect(got.records.map((x) => x.id)).toEqual(ids.slice(0, 2));
    expect(got.truncated).toBe(true);
    const agg = await tools.run('aggregate', { metric: 'candidatesBySkill', first: 50 }, ctx('analyst', 2));
    expect(agg.records).toHaveLength(2);
    expect(agg.truncated).toBe(true);
  });

  it('answers the title, graph and matching tools with labelled records', async () => {
    const titles = await tools.run('normalizeTitle', { title: 'software developer', first: 3 }, ctx('analyst'));
    expect(titles.records[0]).toMatchObject({ type: 'occupation', fields: { code: expect.stringMatching(/^\d{2}-\d{4}/) } });

    const [mover] = await s.sql(
      `SELECT e.company_id AS id FROM experience e WHERE e.end_date IS NOT NULL AND e.company_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    const flow = await tools.run('talentFlow', { companyId: mover.id, direction: 'OUT' }, ctx('analyst'));
    expect(flow.records.length).toBeGreaterThan(0);
    for (const r of flow.records)
      expect(r).toMatchObject({ type: 'company', label: expect.any(String), fields: { moves: expect.any(Number) } });

    const [cand] = await s.sql(`SELECT candidate_id AS id FROM experience WHERE company_id IS NOT NULL LIMIT 1`);
    const predicted = await tools.run('predictLinks', { nodeId: cand.id, kind: 'CANDIDATE_COMPANY', first: 3 }, ctx('analyst'));
    expect(predicted.records.length).toBeGreaterThan(0);
    expect(predicted.records.every((r) => r.label !== r.id)).toBe(true);
    for (const r of predicted.records) expect(r.type).toBe('company');

    const around = await tools.run('graphNeighborhood', { id: cand.id, depth: 2, types: ['WORKED_AT'] }, ctx('analyst', 15));
    expect(around.records.length).toBeGreaterThan(1);
    expect(around.records.length).toBeLessThanOrEqual(15);
    expect(around.records.every((r) => r.label && r.label !== r.id)).toBe(true);

    const [job] = await s.sql(`SELECT id FROM job LIMIT 1`);
    const matches = await tools.run('matchCandidatesForJob', { jobId: job.id, first: 4 }, ctx('analyst'));
    expect(matches.records.length).toBeGreaterThan(0);
    expect(matches.records[0]!.fields.match).toMatchObject({ score: expect.any(Number), matchedSections: expect.any(Array) });
  });

  it('executes a plan: references resolved, independent steps together, dependants of a failure skipped', async () => {
    const text = JSON.stringify({
      steps: [
        { id: 's1', tool: 'searchJobs', args: { query: 'engineer', first: 3 } },
        { id: 's2', tool: 'searchCandidates', args: { query: 'data analyst', first: 3 } },
        { id: 's3', tool: 'matchCandidatesForJob', args: { jobId: '$s1.ids[0]', first: 3 } },
        { id: 'bad', tool: 'matchCandidatesForJob', args: { jobId: '00000000-0000-4000-8000-000000000001' } },
        { id: 'after', tool: 'getRecords', args: { ids: ['$bad.ids'] } },
      ],
    });
    const plan = parsePlan(text, tools.specs(), budget);
    const events: string[] = [];
    const hooks = {
      onStart: (step: PlanStep) => events.push(`start ${step.id}`),
      onFinish: (record: StepRecord) => events.push(`end ${record.stepId}`),
    };
    const records = await executePlan(plan, tools, { role: 'analyst' }, budget, hooks);
    const byId = Object.fromEntries(records.map((r) => [r.stepId, r]));
    expect(events.slice(0, 2)).toEqual(['start s1', 'start s2']);
    expect(byId.s1!.status).toBe('ok');
    expect(byId.s2!.status).toBe('ok');
    expect(byId.s3!.status).toBe('ok');
    expect(byId.s3!.resolvedArgs.jobId).toBe(byId.s1!.result!.records[0]!.id);
    expect(byId.s3!.args.jobId).toBe('$s1.ids[0]');
    expect(byId.bad).toMatchObject({ status: 'error', error: expect.stringMatching(/does not exist/) });
    expect(byId.bad!.error).not.toMatch(/\n\s+at /);
    expect(byId.after).toMatchObject({ status: 'skipped', error: expect.stringMatching(/^depends on bad, which failed/) });
    for (const r of records) {
      expect(Number.isNaN(Date.parse(r.startedAt))).toBe(false);
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('marks steps as errors when the time budget runs out', async () => {
    const plan = parsePlan(
      JSON.stringify({
        steps: [
          { id: 's1', tool: 'searchCandidates', args: { query: 'machine learning engineer with a long query' } },
          { id: 's2', tool: 'getRecords', args: { ids: ['$s1.ids'] } },
        ],
      }),
      tools.specs(),
      budget,
    );
    const records = await executePlan(plan, tools, { role: 'admin' }, { ...budget, timeoutMs: 1 });
    expect(records.map((r) => [r.status, r.error])).toEqual([
      ['error', 'time budget exhausted'],
      ['error', 'time budget exhausted'],
    ]);
  });

  it('a cancelled request stops the plan', async () => {
    const controller = new AbortController();
    controller.abort(new AppError('UNAVAILABLE', 'client went away'));
    const plan = { steps: [{ id: 's1', tool: 'normalizeTitle' as const, args: { title: 'nurse' } }] };
    const [record] = await executePlan(plan, tools, { role: 'admin', signal: controller.signal }, budget);
    expect(record).toMatchObject({ status: 'error', error: 'cancelled' });
  });
});
