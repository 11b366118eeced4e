import { startTestServer, type TestServer } from '../support/test-server';

const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

/** The stored match scores as the projector keeps them, on the embedded database and index. */
describe('match scores (match_score, kept by the projector)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 60, env: { MATCH_SCORES_TOP_K: '12' } });
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
      count(DISTINCT model_version)::int AS versions, max(talent_flow) AS flow FROM match_score`);
    expect(r.lo).toBeGreaterThan(0);
    expect(r.hi).toBeLessThan(1);
    expect(r.vhi).toBeLessThanOrEqual(1);
    expect(r).toMatchObject({ skills_ok: true, seniority_ok: true, location_ok: true, versions: 1 });
    const check = (await s.gql('{ syncCheck { projection of inTable inProjection } }')).body.data.syncCheck;
    const scores = check.find((c: { projection: string }) => c.projection === 'scores');
    expect(scores).toMatchObject({ of: 'open jobs', inProjection: open.length, inTable: open.length });
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
