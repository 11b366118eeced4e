import { codes, type TestServer } from './test-server';

const HITS = `query($q: String!, $alpha: Float, $filter: SearchFilterInput, $first: Int) {
  searchCandidates(query: $q, alpha: $alpha, filter: $filter, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { node { score keywordScore vectorScore explanation { matchedTerms matchedVectors { name similarity } summary }
      candidate { id uuid name currentTitle skills { skill { name } } } } } } }`;

/**
 * The projections of the data hub as clients use them: hybrid search and the relation graph, on
 * whichever adapters the server was started with (embedded, or Weaviate and Neo4j).
 */
export function projectionsSuite(start: () => Promise<TestServer>) {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
    await s.services.projector.drain(900_000);
  }, 1_000_000);
  afterAll(() => s?.close());

  const ids = (r: any) => r.body.data.searchCandidates.edges.map((e: any) => e.node.candidate.uuid);

  it('finds a candidate by their current title, with scores and the reason', async () => {
    const [target] = await s.sql(
      `SELECT id, current_title FROM candidate WHERE current_title ~ '^[A-Za-z ]+$' ORDER BY external_id LIMIT 1`,
    );
    const r = await s.gql(HITS, { q: target.current_title, first: 10 });
    expect(r.body.errors).toBeUndefined();
    expect(ids(r)).toContain(target.id);
    const hit = r.body.data.searchCandidates.edges.find((e: any) => e.node.candidate.uuid === target.id).node;
    expect(hit.keywordScore).toBeGreaterThan(0);
    expect(hit.vectorScore).toBeGreaterThan(0);
    expect(hit.explanation.matchedTerms.length).toBeGreaterThan(0);
    expect(hit.explanation.summary).toMatch(/matched/);
    const scores = r.body.data.searchCandidates.edges.map((e: any) => e.node.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('finds Chinese and English profiles written after start, and forgets deleted ones', async () => {
    const created = await s.gql(
      `mutation { createCandidate(input: { name: "王芳", currentTitle: "高级算法工程师", headline: "推荐系统 搜索 广告 算法负责人",
        summary: "负责推荐系统召回与排序，熟悉 PyTorch 与大规模分布式训练", skills: [{ skill: "PyTorch", level: 5 }] }) { id uuid } }`,
    );
    const c = created.body.data.createCandidate;
    await s.services.projector.drain(60_000);
    expect(ids(await s.gql(HITS, { q: '推荐系统 算法工程师', first: 5 }))).toContain(c.uuid);
    expect(ids(await s.gql(HITS, { q: 'senior algorithm engineer recommendation PyTorch', alpha: 1, first: 10 }))).toContain(c.uuid);
    await s.gql('mutation($id: ID!) { deleteCandidate(id: $id) }', { id: c.id });
    await s.services.projector.drain(60_000);
    expect(ids(await s.gql(HITS, { q: '推荐系统 算法工程师', first: 20 }))).not.toContain(c.uuid);
  });

  it("re-indexes a skill's holders when the skill is renamed", async () => {
    const created = await s.gql(
      `mutation { createCandidate(input: { name: "Rena Holder", currentTitle: "Platform engineer",
        skills: [{ skill: "Quorvex Scheduling", level: 4 }] }) { uuid skills { skill { id } } } }`,
    );
    const c = created.body.data.createCandidate;
    await s.services.projector.drain(60_000);
    expect(ids(await s.gql(HITS, { q: 'Quorvex', alpha: 0, first: 5 }))).toEqual([c.uuid]);
    const renamed = await s.gql(`mutation($id: ID!) { updateSkill(id: $id, input: { name: "Zentrix Scheduling" }) { name } }`, {
      id: c.skills[0].skill.id,
    });
    expect(renamed.body.data.updateSkill.name).toBe('Zentrix Scheduling');
    await s.services.projector.drain(60_000);
    expect(ids(await s.gql(HITS, { q: 'Zentrix', alpha: 0, first: 5 }))).toEqual([c.uuid]);
    expect(ids(await s.gql(HITS, { q: 'Quorvex', alpha: 0, first: 5 }))).toEqual([]);
  });

  it('keeps every hit inside the filters', async () => {
    const [row] = await s.sql(
      `SELECT s.name FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id GROUP BY s.name ORDER BY count(*) DESC LIMIT 1`,
    );
    const r = await s.gql(HITS, { q: 'engineer manager analyst', filter: { skills: [row.name.toLowerCase()] }, first: 20 });
    const edges = r.body.data.searchCandidates.edges;
    expect(edges.length).toBeGreaterThan(0);
    for (const e of edges) expect(e.node.candidate.skills.map((k: any) => k.skill.name)).toContain(row.name);
  });

  it('ranks by keywords alone at alpha 0 and by meaning alone at alpha 1', async () => {
    const kw = await s.gql(HITS, { q: 'software developer', alpha: 0, first: 5 });
    for (const e of kw.body.data.searchCandidates.edges) expect(e.node.keywordScore).toBeGreaterThan(0);
    const vec = await s.gql(HITS, { q: 'software developer', alpha: 1, first: 5 });
    const sims = vec.body.data.searchCandidates.edges.map((e: any) => e.node.vectorScore);
    expect(sims).toEqual([...sims].sort((a: number, b: number) => b - a));
  });

  it('pages without repeats', async () => {
    const first = await s.gql(
      `query { searchCandidates(query: "engineer", first: 5) { pageInfo { hasNextPage endCursor } edges { node { candidate { uuid } } } } }`,
    );
    const page1 = first.body.data.searchCandidates;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await s.gql(
      `query($after: String) { searchCandidates(query: "engineer", first: 5, after: $after) { edges { node { candidate { uuid } } } } }`,
      {
        after: page1.pageInfo.endCursor,
      },
    );
    const a = page1.edges.map((e: any) => e.node.candidate.uuid);
    const b = second.body.data.searchCandidates.edges.map((e: any) => e.node.candidate.uuid);
    expect(a.filter((x: string) => b.includes(x))).toEqual([]);
  });

  it('matches candidates to a job and jobs to a candidate', async () => {
    const job = (await s.gql('{ jobs(first: 1, filter: { status: OPEN }) { edges { node { id title } } } }')).body.data.jobs.edges[0].node;
    const r = await s.gql(
      `query($id: ID!) { candidatesForJob(jobId: $id, first: 5) { edges { node { score candidate { name } explanation { summary } } } } }`,
      { id: job.id },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.candidatesForJob.edges.length).toBe(5);
    const cand = (await s.gql('{ candidates(first: 1) { edges { node { id } } } }')).body.data.candidates.edges[0].node;
    const j = await s.gql(`query($id: ID!) { jobsForCandidate(candidateId: $id, first: 3) { edges { node { score job { title } } } } }`, {
      id: cand.id,
    });
    expect(j.body.data.jobsForCandidate.edges.length).toBe(3);
    expect(
      codes(
        await s.gql(
          `{ candidatesForJob(jobId: "${Buffer.from('Job:00000000-0000-4000-8000-000000000000').toString('base64url')}") { edges { cursor } } }`,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
  });

  it('normalises a job title to O*NET occupations', async () => {
    const r = await s.gql('{ normalizeTitle(title: "Java developer", first: 5) { score occupation { code title } } }');
    expect(r.body.data.normalizeTitle.map((m: any) => m.occupation.code)).toContain('15-1252.00');
  });

  it('answers bad input with clear errors or sane results, never a crash', async () => {
    expect(codes(await s.gql(HITS, { q: 'x', alpha: 2 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.gql(HITS, { q: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await s.gql('{ searchCandidates(query: "x", first: 1001) { pageInfo { hasNextPage } } }'))).toEqual(['BAD_USER_INPUT']);
    const huge = await s.gql(HITS, { q: '工程师 '.repeat(20_000) });
    expect(codes(huge)).toEqual(['BAD_USER_INPUT']);
    for (const q of ['!!! ??? ...', '🚀🔥💯']) {
      const r = await s.gql(HITS, { q });
      expect(r.body.errors).toBeUndefined();
      expect(Array.isArray(r.body.data.searchCandidates.edges)).toBe(true);
    }
    expect(codes(await s.gql('{ searchCandidates(query: "x", filter: { salary2: 1 }) { edges { cursor } } }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('reports the projections caught up', async () => {
    const r = await s.gql('{ syncStatus { projection lag parked retrying } }');
    expect(r.body.data.syncStatus).toEqual([
      { projection: 'search', lag: 0, parked: 0, retrying: 0 },
      { projection: 'graph', lag: 0, parked: 0, retrying: 0 },
      { projection: 'scores', lag: 0, parked: 0, retrying: 0 },
    ]);
  });

  it('proves it: after a drain every projected table and its projection hold the same records, and a lost one shows', async () => {
    await s.services.projector.drain(120_000);
    const check = async () => (await s.gql('{ syncCheck { projection of table inTable inProjection } }')).body.data.syncCheck;
    const counts = await check();
    expect(counts.length).toBeGreaterThanOrEqual(7);
    for (const c of counts) expect({ ...c, inProjection: c.inTable }).toEqual(c);
    expect(counts.find((c: any) => c.of === 'candidate').inTable).toBeGreaterThan(0);
    // A document the index lost (as after a skipped event) is visible at once.
    const [{ id }] = await s.sql(`SELECT id FROM candidate ORDER BY id LIMIT 1`);
    await s.services.searchIndex.delete('candidate', [id]);
    const after = (await check()).find((c: any) => c.projection === 'search' && c.of === 'candidate');
    expect(after.inProjection).toBe(after.inTable - 1);
    await s.gql(`mutation($id: ID!, $h: String!) { updateCandidate(id: $id, input: { headline: $h }) { id } }`, {
      id: Buffer.from(`Candidate:${id}`).toString('base64url'),
      h: 'back in the index',
    });
    await s.services.projector.drain(120_000);
    for (const c of await check()) expect(c.inProjection).toBe(c.inTable);
  });

  describe('relation graph', () => {
    const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

    it("shows a candidate's neighbourhood: employers, skills, schools", async () => {
      const [c] =
        await s.sql(`SELECT c.id, count(DISTINCT e.company_id)::int AS companies FROM candidate c JOIN experience e ON e.candidate_id = c.id
        WHERE e.company_id IS NOT NULL GROUP BY c.id ORDER BY 2 DESC, c.id LIMIT 1`);
      const r = await s.gql(
        `query($id: ID!) { neighborhood(id: $id, depth: 1) { nodes { id uuid label } edges { type from to } truncated } }`,
        { id: gid('Candidate', c.id) },
      );
      expect(r.body.errors).toBeUndefined();
      const n = r.body.data.neighborhood;
      expect(n.nodes.filter((x: any) => x.label === 'Company').length).toBe(c.companies);
      expect(n.edges.some((e: any) => e.type === 'WORKED_AT' && e.from === gid('Candidate', c.id))).toBe(true);
      expect(n.nodes.some((x: any) => x.label === 'Skill')).toBe(true);
    });

    it('finds colleagues with overlapping tenure and a warm path between them', async () => {
      const [pair] = await s.sql(`SELECT a.candidate_id AS a, b.candidate_id AS b FROM experience a JOIN experience b
        ON a.company_id = b.company_id AND a.candidate_id < b.candidate_id
        AND a.start_date < coalesce(b.end_date, now()) - interval '2 months' AND b.start_date < coalesce(a.end_date, now()) - interval '2 months'
        ORDER BY a.candidate_id, b.candidate_id LIMIT 1`);
      const r = await s.gql(
        `query($id: ID!) { colleagues(candidateId: $id, first: 200) { totalCount items { months candidate { uuid } } } }`,
        { id: gid('Candidate', pair.a) },
      );
      const found = r.body.data.colleagues.items.find((x: any) => x.candidate?.uuid === pair.b);
      expect(found).toBeDefined();
      expect(found.months).toBeGreaterThan(0);
      const path = await s.gql(
        `query($a: ID!, $b: ID!) { introductionPaths(from: $a, to: $b, maxHops: 2) { strength nodeIds hops { kind strength } } }`,
        {
          a: gid('Candidate', pair.a),
          b: gid('Candidate', pair.b),
        },
      );
      const paths = path.body.data.introductionPaths;
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) {
        expect(p.nodeIds[0]).toBe(gid('Candidate', pair.a));
        expect(p.nodeIds[p.nodeIds.length - 1]).toBe(gid('Candidate', pair.b));
        expect(p.hops.length).toBeLessThanOrEqual(2);
        for (const h of p.hops) expect(h.strength).toBeGreaterThan(0);
      }
      expect(paths.map((p: any) => p.strength)).toEqual([...paths.map((p: any) => p.strength)].sort((x: number, y: number) => y - x));
    });

    it('starts an introduction path at a consultant and names each node by its own type', async () => {
      const [c] = await s.sql(`SELECT id, owner_id FROM candidate WHERE owner_id IS NOT NULL ORDER BY id LIMIT 1`);
      const r = await s.gql(
        `query($a: ID!, $b: ID!) { introductionPaths(from: $a, to: $b, maxHops: 3) { nodeIds hops { kind from to } } }`,
        { a: gid('Consultant', c.owner_id), b: gid('Candidate', c.id) },
      );
      expect(r.body.errors).toBeUndefined();
      const [best] = r.body.data.introductionPaths;
      // The consultant owns the candidate: the strongest path is that one hop, between a Consultant and a Candidate.
      expect(best.nodeIds).toEqual([gid('Consultant', c.owner_id), gid('Candidate', c.id)]);
      expect(best.hops).toEqual([{ kind: 'OWNER', from: gid('Consultant', c.owner_id), to: gid('Candidate', c.id) }]);
    });

    it('draws paths from a consultant to a company, each ending at someone who works there now', async () => {
      // A consultant with few enough contacts that every one is among their warm links, and one of
      // those contacts' current employers. Staff: who the graph counts as working there this month.
      const [c] = await s.sql(`SELECT c.owner_id, e.company_id FROM candidate c JOIN experience e ON e.candidate_id = c.id
        WHERE e.end_date IS NULL AND e.start_date < now() - interval '1 month' AND e.company_id IS NOT NULL
          AND (SELECT count(*) FROM candidate o WHERE o.owner_id = c.owner_id) <= 50
        ORDER BY c.owner_id, e.company_id LIMIT 1`);
      const staff = new Set(
        (
          await s.sql(
            `SELECT candidate_id FROM experience WHERE company_id = $1
            AND start_date < date_trunc('month', now()) + interval '1 month' AND (end_date IS NULL OR end_date >= date_trunc('month', now()))`,
            [c.company_id],
          )
        ).map((r: any) => gid('Candidate', r.candidate_id)),
      );
      const r = await s.gql(
        `query($a: ID!, $b: ID!) { introductionPaths(from: $a, to: $b, maxHops: 3) { strength nodeIds hops { kind from to } employee { candidateId title since candidate { name } } } }`,
        { a: gid('Consultant', c.owner_id), b: gid('Company', c.company_id) },
      );
      expect(r.body.errors).toBeUndefined();
      const paths = r.body.data.introductionPaths;
      // The consultant owns someone there now: one OWNER hop (0.9) is the strongest a path can be.
      expect(paths[0].hops).toEqual([{ kind: 'OWNER', from: gid('Consultant', c.owner_id), to: paths[0].employee.candidateId }]);
      for (const p of paths) {
        expect(staff.has(p.employee.candidateId)).toBe(true);
        expect(p.nodeIds[p.nodeIds.length - 1]).toBe(p.employee.candidateId);
        expect(p.nodeIds.slice(0, -1).filter((id: string) => staff.has(id))).toEqual([]);
        expect(p.employee.candidate.name).toBeTruthy();
        expect(p.employee.since).toMatch(/^\d{4}-\d{2}/);
      }
      expect(new Set(paths.map((p: any) => p.employee.candidateId)).size).toBe(paths.length);
      expect(paths.map((p: any) => p.strength)).toEqual([...paths.map((p: any) => p.strength)].sort((x: number, y: number) => y - x));
      // A person target names no employee.
      const person = await s.gql(`query($a: ID!, $b: ID!) { introductionPaths(from: $a, to: $b) { employee { candidateId } } }`, {
        a: gid('Consultant', c.owner_id),
        b: paths[0].employee.candidateId,
      });
      expect(person.body.data.introductionPaths[0].employee).toBeNull();
    });

    it('counts talent flow between companies from career moves', async () => {
      const [move] = await s.sql(`SELECT older.company_id AS src, newer.company_id AS dst FROM experience newer JOIN experience older
        ON older.candidate_id = newer.candidate_id AND older.position = newer.position + 1
        WHERE older.company_id IS NOT NULL AND newer.company_id IS NOT NULL AND older.company_id <> newer.company_id ORDER BY newer.candidate_id LIMIT 1`);
      const r = await s.gql(
        `query($id: ID!) { talentFlow(companyId: $id, direction: OUT, first: 200) { companyId total byYear { year count } company { name } } }`,
        {
          id: gid('Company', move.src),
        },
      );
      const partner = r.body.data.talentFlow.find((p: any) => p.companyId === gid('Company', move.dst));
      expect(partner).toBeDefined();
      expect(partner.total).toBeGreaterThanOrEqual(1);
      expect(partner.company.name).toBeTruthy();
    });

    it('predicts links with their features and evidence', async () => {
      // Someone with a company to predict: an employer of theirs that others moved to or from a company
      // they never worked at (moves are consecutive stints, as career-timeline.ts defines them).
      // Ids are random per run, so "the first candidate with two stints" may have none.
      const [c] = await s.sql(
        `WITH moves AS (
           SELECT company_id AS a, lead(company_id) OVER (PARTITION BY candidate_id ORDER BY start_date, coalesce(end_date, '9999-12-31'), company_id) AS b
           FROM experience WHERE company_id IS NOT NULL),
         pairs AS (SELECT a, b FROM moves WHERE b IS NOT NULL AND a <> b UNION SELECT b, a FROM moves WHERE b IS NOT NULL AND a <> b)
         SELECT e.candidate_id AS id FROM experience e JOIN pairs p ON p.a = e.company_id
         WHERE NOT EXISTS (SELECT 1 FROM experience x WHERE x.candidate_id = e.candidate_id AND x.company_id = p.b)
         GROUP BY e.candidate_id ORDER BY 1 LIMIT 1`,
      );
      const r = await s.gql(
        `query($id: ID!) { predictLinks(nodeId: $id, kind: CANDIDATE_COMPANY, first: 5) { targetId targetLabel score features { adamicAdar jaccard commonNeighbours } evidence } }`,
        {
          id: gid('Candidate', c.id),
        },
      );
      expect(r.body.errors).toBeUndefined();
      const preds = r.body.data.predictLinks;
      expect(preds.length).toBeGreaterThan(0);
      expect(preds.length).toBeLessThanOrEqual(5);
      for (const p of preds) expect(p.targetLabel).toBe('Company');
      expect(preds.map((p: any) => p.score)).toEqual([...preds.map((p: any) => p.score)].sort((x: number, y: number) => y - x));
    });

    it('predicts new destinations for a company, existing ones only when asked, and says what scored them', async () => {
      const [c] = await s.sql(
        `WITH moves AS (
           SELECT company_id AS a, lead(company_id) OVER (PARTITION BY candidate_id ORDER BY start_date, coalesce(end_date, '9999-12-31'), company_id) AS b
           FROM experience WHERE company_id IS NOT NULL)
         SELECT a AS id FROM moves WHERE b IS NOT NULL AND a <> b GROUP BY a ORDER BY count(*) DESC, a LIMIT 1`,
      );
      const id = gid('Company', c.id);
      const predict = async (excludeExisting: boolean) => {
        const r = await s.gql(
          `query($id: ID!, $x: Boolean!) { predictLinks(nodeId: $id, kind: COMPANY_COMPANY, first: 1000, excludeExisting: $x) { targetId sources features { targetInDegree } scoredBy { name modelVersion } } }`,
          { id, x: excludeExisting },
        );
        expect(r.body.errors).toBeUndefined();
        return r.body.data.predictLinks as {
          targetId: string;
          sources: string[];
          scoredBy: { name: string; modelVersion: number | null };
        }[];
      };
      const flow = await s.gql(`query($id: ID!) { talentFlow(companyId: $id, direction: OUT, first: 200) { companyId } }`, { id });
      const partners = new Set(flow.body.data.talentFlow.map((p: { companyId: string }) => p.companyId));
      expect(partners.size).toBeGreaterThan(0);
      const fresh = await predict(true);
      const all = await predict(false);
      expect(fresh.filter((p) => partners.has(p.targetId))).toEqual([]);
      expect(all.filter((p) => partners.has(p.targetId)).length).toBe(partners.size);
      for (const p of all) expect(p.sources.length).toBeGreaterThan(0);
      for (const p of all) expect(p.scoredBy).toEqual({ name: 'heuristic:popularity-affinity', modelVersion: null });
    });

    it('rejects bad graph input clearly', async () => {
      const [c] = await s.sql(`SELECT id FROM candidate ORDER BY id LIMIT 1`);
      expect(
        codes(await s.gql(`query($id: ID!) { neighborhood(id: $id, depth: 10) { truncated } }`, { id: gid('Candidate', c.id) })),
      ).toEqual(['BAD_USER_INPUT']);
      expect(
        codes(
          await s.gql(`query($id: ID!) { neighborhood(id: $id) { truncated } }`, {
            id: gid('Candidate', '00000000-0000-4000-8000-000000000000'),
          }),
        ),
      ).toEqual(['NOT_FOUND']);
      // Paths start at a person; they end at a person or a company.
      const [job] = await s.sql(`SELECT id, company_id FROM job ORDER BY id LIMIT 1`);
      const paths = `query($a: ID!, $b: ID!) { introductionPaths(from: $a, to: $b) { strength } }`;
      const company = gid('Company', job.company_id);
      const refused = await s.gql(paths, { a: company, b: gid('Candidate', c.id) });
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(refused.body.errors?.[0]?.message).toMatch(/from must be a person/);
      expect(codes(await s.gql(paths, { a: gid('Candidate', c.id), b: gid('Job', job.id) }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await s.gql(paths, { a: gid('Candidate', c.id), b: gid('Company', '00000000-0000-4000-8000-000000000000') }))).toEqual([
        'NOT_FOUND',
      ]);
    });
  });
}
