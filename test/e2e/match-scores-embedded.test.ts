import { CANDIDATE_PERSONAL_FIELDS, personalColumn } from '../../src/hub/personal-data';
import { matchScoresParquet } from '../../src/matching/match-score-export';
import type { LinkModel } from '../../src/network/link-scoring';
import { startTestServer, type TestServer } from '../support/test-server';

// hyparquet (the reader of the Parquet export) ships ES modules only.
const { parquetMetadata, parquetReadObjects } = require('hyparquet') as typeof import('hyparquet', {
  with: { 'resolution-mode': 'import' }
});

const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

/** A link model as `linkpred train` stores it, with a CANDIDATE_COMPANY part: moves from a candidate's employers and the company's pull. */
const LINK_MODEL: LinkModel = {
  format: 'matchhub-linkpred',
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  trainedOn: {},
  kinds: {
    CANDIDATE_COMPANY: { featureNames: ['recencyWeightedFlow', 'targetInDegree'], mean: [0, 1], std: [1, 1], weights: [2, 0.5], bias: -1 },
  },
};

/** The stored match scores as the projector keeps them, on the embedded database and index. */
describe('match scores (match_score, kept by the projector)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 60, env: { MATCH_SCORES_TOP_K: '12' }, linkModel: LINK_MODEL });
    await s.services.projector.drain(300_000);
  }, 400_000);
  afterAll(() => s?.close());

  it('scores every open job, at most K candidates each, with components in range and a model version', async () => {
    const perJob = await s.sql(
      `SELECT j.id, j.status, count(m.candidate_id)::int AS n FROM job j LEFT JOIN match_score m ON m.job_id = j.id GROUP BY j.id`,
    );
    const open = perJob.filter((j) => j.status === 'OPEN');
    expect(open.length).toBeGreaterThan(0);
    for (const j of open) expect(j.n).toBe(12);
    for (const j of perJob.filter((x) => x.status !== 'OPEN')) expect(j.n).toBe(0);
    const [r] = await s.sql(`SELECT min(score) AS lo, max(score) AS hi, min(vector) AS vlo, max(vector) AS vhi,
      bool_and(skills_required IS NULL OR skills_required BETWEEN 0 AND 1) AS skills_ok,
      bool_and(seniority_fit IS NULL OR seniority_fit BETWEEN 0 AND 1) AS seniority_ok,
      bool_and(location_fit IS NULL OR location_fit BETWEEN 0 AND 1) AS location_ok,
      bool_and(link_prediction > 0 AND link_prediction < 1) AS link_ok,
      count(DISTINCT model_version)::int AS versions, max(talent_flow) AS flow FROM match_score`);
    expect(r.lo).toBeGreaterThan(0);
    expect(r.hi).toBeLessThan(1);
    expect(r.vhi).toBeLessThanOrEqual(1);
    expect(r).toMatchObject({ skills_ok: true, seniority_ok: true, location_ok: true, link_ok: true, versions: 1 });
    const check = (await s.gql('{ syncCheck { projection of inTable inProjection } }')).body.data.syncCheck;
    const scores = check.find((c: { projection: string }) => c.projection === 'scores');
    expect(scores).toMatchObject({ of: 'open jobs', inProjection: open.length, inTable: open.length });
  });

  it('shows the same rows through bi.match_scores, ranked per job, and no personal field in any bi view', async () => {
    const table = await s.sql(`SELECT job_id, candidate_id, score FROM match_score ORDER BY job_id, score DESC, candidate_id DESC`);
    const view = await s.sql(`SELECT job_id, candidate_id, score, rank FROM bi.match_scores ORDER BY job_id, rank`);
    expect(view.map(({ rank: _, ...r }) => r)).toEqual(table);
    for (const [i, r] of view.entries()) expect(r.rank).toBe(i > 0 && view[i - 1].job_id === r.job_id ? view[i - 1].rank + 1 : 1);
    const columns = await s.sql(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'bi'`);
    expect(new Set(columns.map((c) => c.table_name))).toEqual(new Set(['match_scores', 'jobs', 'candidates_public', 'placements']));
    const personal = [...CANDIDATE_PERSONAL_FIELDS.map(personalColumn), 'name', 'headline', 'summary', 'desired_locations'];
    expect(columns.filter((c) => c.table_name === 'candidates_public' && personal.includes(c.column_name))).toEqual([]);
    expect(columns.filter((c) => /salary_(min|max)$|email|phone/.test(c.column_name) && c.table_name !== 'jobs')).toEqual([]);
  });

  const PAGE = `query($job: ID, $candidate: ID, $first: Int, $after: String, $filter: MatchScoreFilter) {
    matchScores(jobId: $job, candidateId: $candidate, first: $first, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor }
      edges { node { rank score modelVersion explanation job { uuid } candidate { uuid }
        components { keyword vector skillsRequired seniorityFit locationFit talentFlow warmPath linkPrediction } } } } }`;
  type Row = { job_id: string; candidate_id: string; rank: number; score: number; model_version: string; link_prediction: number | null };
  const asRow = (n: any): Row => ({
    job_id: n.job.uuid,
    candidate_id: n.candidate.uuid,
    rank: n.rank,
    score: n.score,
    model_version: n.modelVersion,
    link_prediction: n.components.linkPrediction,
  });
  const allPages = async (vars: Record<string, unknown>, role: 'admin' | 'bi' = 'admin') => {
    const out: any[] = [];
    let after: string | undefined;
    for (;;) {
      const r = await s.gql(PAGE, { ...vars, first: 5, after }, role);
      expect(r.body.errors).toBeUndefined();
      out.push(...r.body.data.matchScores.edges.map((e: any) => e.node));
      if (!r.body.data.matchScores.pageInfo.hasNextPage) return out;
      after = r.body.data.matchScores.pageInfo.endCursor;
    }
  };

  it('answers matchScores for a job and for a candidate with the rows of bi.match_scores, page by page, explained', async () => {
    const [{ job_id }] = await s.sql(`SELECT job_id FROM match_score ORDER BY job_id LIMIT 1`);
    const view = await s.sql<Row>(
      `SELECT job_id, candidate_id, rank, score, model_version, link_prediction FROM bi.match_scores WHERE job_id = $1 ORDER BY rank`,
      [job_id],
    );
    const nodes = await allPages({ job: gid('Job', job_id) }, 'bi');
    expect(nodes.map(asRow)).toEqual(view);
    for (const n of nodes) expect(n.explanation).toMatch(/^(.+ (raised|lowered) it)(; .+ (raised|lowered) it){0,2}$|like the job's other/);
    const [{ candidate_id }] = await s.sql(
      `SELECT candidate_id FROM match_score GROUP BY candidate_id ORDER BY count(*) DESC, candidate_id LIMIT 1`,
    );
    const theirs = await s.sql<Row>(
      `SELECT job_id, candidate_id, rank, score, model_version, link_prediction FROM bi.match_scores WHERE candidate_id = $1 ORDER BY score DESC, job_id DESC`,
      [candidate_id],
    );
    expect((await allPages({ candidate: gid('Candidate', candidate_id) })).map(asRow)).toEqual(theirs);
    const top = await s.gql(PAGE, { job: gid('Job', job_id), first: 50, filter: { maxRank: 3 } });
    expect(top.body.data.matchScores.edges.map((e: any) => asRow(e.node))).toEqual(view.slice(0, 3));
  });

  it('lists Job.topMatches and Candidate.topJobs for many records in one request', async () => {
    const r = await s.gql(
      `{ jobs(first: 50, filter: { status: OPEN }) { edges { node { uuid topMatches(first: 2) { rank candidate { uuid } } } } } }`,
    );
    expect(r.body.errors).toBeUndefined();
    const view = await s.sql(`SELECT job_id, candidate_id, rank FROM bi.match_scores WHERE rank <= 2 ORDER BY job_id, rank`);
    const got = r.body.data.jobs.edges.flatMap((e: any) =>
      e.node.topMatches.map((m: any) => ({ job_id: e.node.uuid, candidate_id: m.candidate.uuid, rank: m.rank })),
    );
    expect(got.sort((a: any, b: any) => (a.job_id < b.job_id ? -1 : a.job_id > b.job_id ? 1 : a.rank - b.rank))).toEqual(view);
    const [{ candidate_id }] = await s.sql(`SELECT candidate_id FROM match_score ORDER BY score DESC LIMIT 1`);
    const c = await s.gql(`query($id: ID!) { candidate(id: $id) { topJobs(first: 1) { score job { uuid } } } }`, {
      id: gid('Candidate', candidate_id),
    });
    const [best] = await s.sql(`SELECT job_id, score FROM match_score WHERE candidate_id = $1 ORDER BY score DESC, job_id DESC LIMIT 1`, [
      candidate_id,
    ]);
    expect(c.body.data.candidate.topJobs).toEqual([{ score: best.score, job: { uuid: best.job_id } }]);
  });

  it('refuses bad arguments with BAD_USER_INPUT and keeps scores from roles that do not match or report', async () => {
    const [{ job_id, candidate_id }] = await s.sql(`SELECT job_id, candidate_id FROM match_score LIMIT 1`);
    const code = async (vars: Record<string, unknown>, role: 'admin' | 'frontend' = 'admin') =>
      (await s.gql(PAGE, vars, role)).body.errors?.map((e) => e.extensions?.code);
    expect(await code({ job: gid('Job', job_id), candidate: gid('Candidate', candidate_id) })).toEqual(['BAD_USER_INPUT']);
    expect(await code({})).toEqual(['BAD_USER_INPUT']);
    expect(await code({ job: gid('Job', job_id), after: 'bm90IGEgY3Vyc29y' })).toEqual(['BAD_USER_INPUT']);
    expect(await code({ job: gid('Job', job_id), first: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await code({ job: gid('Job', job_id) }, 'frontend')).toEqual(['FORBIDDEN']);
  });

  const csvOf = (v: unknown) => (v === null ? '' : v instanceof Date ? v.toISOString() : String(v));
  const fetchCsv = (query: string, role: 'admin' | 'bi' | 'frontend' | null = 'bi') =>
    fetch(`${s.base}/export/match-scores.csv${query}`, { headers: role ? { authorization: `Bearer ${s.keys[role]}` } : {} });

  it('exports the same rows as bi.match_scores and GraphQL as CSV, for one job and for all', async () => {
    const [{ job_id }] = await s.sql(`SELECT job_id FROM match_score ORDER BY job_id DESC LIMIT 1`);
    const res = await fetchCsv(`?jobId=${job_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await res.text()).trimEnd().split('\r\n');
    const view = await s.sql(`SELECT * FROM bi.match_scores WHERE job_id = $1 ORDER BY rank`, [job_id]);
    expect(header.split(',')).toEqual(Object.keys(view[0]));
    expect(lines).toEqual(view.map((r) => Object.values(r).map(csvOf).join(',')));
    const graphql = await allPages({ job: gid('Job', job_id) }, 'bi');
    const at = header.split(',').indexOf('link_prediction');
    expect(lines.map((l) => [...l.split(',').slice(0, 4), l.split(',')[at]].join(','))).toEqual(
      graphql.map((n) => [n.job.uuid, n.candidate.uuid, n.rank, n.score, n.components.linkPrediction].join(',')),
    );
    const all = (await (await fetchCsv('')).text()).trimEnd().split('\r\n').slice(1);
    const everything = await s.sql(`SELECT * FROM bi.match_scores ORDER BY job_id, rank`);
    expect(all).toEqual(everything.map((r) => Object.values(r).map(csvOf).join(',')));
  });

  /** A Parquet file's rows as the CSV export writes them (the same text for the same value). */
  const parquetLines = async (file: ArrayBuffer) => (await parquetReadObjects({ file })).map((r) => Object.values(r).map(csvOf).join(','));

  it('exports the same rows and columns as Parquet, for one job and for all, across row groups', async () => {
    const [{ job_id }] = await s.sql(`SELECT job_id FROM match_score ORDER BY job_id LIMIT 1`);
    const one = await fetch(`${s.base}/export/match-scores.parquet?jobId=${job_id}`, { headers: { authorization: `Bearer ${s.keys.bi}` } });
    expect(one.status).toBe(200);
    expect(one.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const file = await one.arrayBuffer();
    const view = await s.sql(`SELECT * FROM bi.match_scores WHERE job_id = $1 ORDER BY rank`, [job_id]);
    expect(
      parquetMetadata(file)
        .schema.slice(1)
        .map((c) => c.name),
    ).toEqual(Object.keys(view[0]));
    expect(await parquetLines(file)).toEqual(view.map((r) => Object.values(r).map(csvOf).join(',')));

    // Every row, written in row groups of 7 rows, so rows cross group (and batch) boundaries.
    const chunks: Uint8Array[] = [];
    for await (const chunk of matchScoresParquet(s.services.db.dataSource, { rowGroupRows: 7 })) chunks.push(chunk);
    const all = Buffer.concat(chunks);
    const everything = await s.sql(`SELECT * FROM bi.match_scores ORDER BY job_id, rank`);
    const whole = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    expect(parquetMetadata(whole).row_groups).toHaveLength(Math.ceil(everything.length / 7));
    expect(await parquetLines(whole)).toEqual(everything.map((r) => Object.values(r).map(csvOf).join(',')));
  });

  it('refuses the export without a key, to a role that may not read scores, and for a bad job id', async () => {
    expect((await fetchCsv('', null)).status).toBe(401);
    expect((await fetch(`${s.base}/export/match-scores.parquet`)).status).toBe(401);
    const forbidden = await fetchCsv('', 'frontend');
    expect([forbidden.status, ((await forbidden.json()) as any).errors[0].extensions.code]).toEqual([403, 'FORBIDDEN']);
    const bad = await fetchCsv('?jobId=nope');
    expect([bad.status, ((await bad.json()) as any).errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
  });

  it("stores the link predictor's score of the candidate's move to the job's company, higher for one it sees going there", async () => {
    const [job] = await s.sql(
      `SELECT m.job_id, j.company_id FROM match_score m JOIN job j ON j.id = m.job_id
       GROUP BY m.job_id, j.company_id ORDER BY max(m.link_prediction) - min(m.link_prediction) DESC, m.job_id LIMIT 1`,
    );
    const rows = await s.sql<{ candidate_id: string; link_prediction: number; talent_flow: number }>(
      `SELECT candidate_id, link_prediction, talent_flow FROM match_score WHERE job_id = $1 ORDER BY link_prediction DESC, candidate_id`,
      [job.job_id],
    );
    const [likely, unlikely] = [rows[0], rows[rows.length - 1]];
    expect(likely.link_prediction).toBeGreaterThan(unlikely.link_prediction);
    // The model weighs moves from the candidate's employers to the company (recency-weighted): the likely mover's employers send more.
    expect(likely.talent_flow).toBeGreaterThan(unlikely.talent_flow);
    // The stored value is the network's score for the pair (candidate, the job's company), not another company's.
    const { scores } = await s.services.network.linkScores('CANDIDATE_COMPANY', [
      { sourceId: likely.candidate_id, targetId: job.company_id },
    ]);
    expect(scores[0]).toBeCloseTo(likely.link_prediction, 9);
  });

  it('counts the required skills a candidate holds', async () => {
    const [row] = await s.sql(`SELECT m.job_id, m.candidate_id, m.skills_required,
        (SELECT count(*) FROM job_skill js WHERE js.job_id = m.job_id AND js.requirement = 'REQUIRED')::int AS wanted,
        (SELECT count(*) FROM job_skill js JOIN candidate_skill cs ON cs.skill_id = js.skill_id AND cs.candidate_id = m.candidate_id
          WHERE js.job_id = m.job_id AND js.requirement = 'REQUIRED')::int AS held
      FROM match_score m WHERE m.skills_required > 0 ORDER BY m.job_id, m.candidate_id LIMIT 1`);
    expect(row.skills_required).toBeCloseTo(row.held / row.wanted, 9);
  });

  it('follows changes: a closed job loses its scores, a candidate given a job’s skills and title is scored for it', async () => {
    const [job] = await s.sql(`SELECT j.id, j.title FROM job j WHERE j.status = 'OPEN' ORDER BY j.id LIMIT 1`);
    const skills = await s.sql(
      `SELECT s.name FROM job_skill js JOIN skill s ON s.id = js.skill_id WHERE js.job_id = $1 AND js.requirement = 'REQUIRED'`,
      [job.id],
    );
    const created = await s.gql(
      `mutation($title: String!, $skills: [CandidateSkillInput!]!) { createCandidate(input: { name: "Fit Person", currentTitle: $title, headline: $title,
        yearsExperience: 8, skills: $skills }) { uuid } }`,
      { title: job.title, skills: skills.map((k) => ({ skill: k.name, level: 5 })) },
    );
    expect(created.body.errors).toBeUndefined();
    const uuid = created.body.data.createCandidate.uuid;
    await s.services.projector.drain(120_000);
    const [mine] = await s.sql(`SELECT skills_required FROM match_score WHERE job_id = $1 AND candidate_id = $2`, [job.id, uuid]);
    expect(mine).toEqual({ skills_required: skills.length ? 1 : null });

    const closed = await s.gql(`mutation($id: ID!) { updateJob(id: $id, input: { status: "CLOSED" }) { id } }`, { id: gid('Job', job.id) });
    expect(closed.body.errors).toBeUndefined();
    await s.services.projector.drain(120_000);
    expect(await s.sql(`SELECT 1 FROM match_score WHERE job_id = $1`, [job.id])).toHaveLength(0);
  });
});
