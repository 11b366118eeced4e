import { codes, type TestServer } from './test-server';

const NESTED = `query($first: Int) { candidates(first: $first) { edges { node { id name
  experiences { title company { name } } skills { level skill { name } } } } } }`;

/**
 * What a client of the data hub checks, run against the embedded database (test/e2e) and a real
 * PostgreSQL server (test/integration) alike.
 */
export function datahubSuite(start: () => Promise<TestServer>) {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  }, 180_000);
  afterAll(() => s?.close());

  describe('reads', () => {
    it('answers health and readiness checks', async () => {
      expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${s.base}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; taxonomy: { occupations: number } };
      expect(body.status).toBe('ready');
      expect(body.taxonomy.occupations).toBeGreaterThan(900);
    });

    it('serves nested candidates with a constant number of SQL statements, whatever the page size', async () => {
      const cost = async (first: number) => {
        const before = s.statements();
        const r = await s.gql(NESTED, { first });
        expect(r.body.errors).toBeUndefined();
        expect(r.body.data.candidates.edges).toHaveLength(first);
        return s.statements() - before;
      };
      await cost(1); // the API key is verified once, then cached
      const small = await cost(5);
      const large = await cost(50);
      // One statement per list and relation: the page, its experiences and skills, their companies and
      // skills. N+1 would add ~45 statements for 45 more rows; each level is read before the fields
      // below it resolve (loaders.ts), so the count does not depend on timing.
      expect(large).toBe(small);
      expect(large).toBeLessThanOrEqual(5);
      const withCompanies = (await s.gql(NESTED, { first: 50 })).body.data.candidates.edges.filter((e: any) =>
        e.node.experiences.some((x: any) => x.company?.name),
      );
      expect(withCompanies.length).toBeGreaterThan(25);
    });

    it('pages forward and backward through a connection without gaps or repeats', async () => {
      const q = `query($after: String, $before: String, $first: Int, $last: Int) {
        candidates(first: $first, after: $after, last: $last, before: $before, sort: { field: NAME, direction: ASC }) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { uuid name } } } }`;
      const seen: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (;;) {
        const r = await s.gql(q, { first: 30, after });
        const c = r.body.data.candidates;
        total = c.totalCount;
        seen.push(...c.edges.map((e: any) => e.node.uuid));
        if (!c.pageInfo.hasNextPage) break;
        after = c.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(total);
      const names = (await s.gql(q, { first: 200 })).body.data.candidates.edges.map((e: any) => e.node.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
      const firstPage = (await s.gql(q, { first: 10 })).body.data.candidates;
      const back = (await s.gql(q, { last: 5, before: firstPage.edges[9] && firstPage.pageInfo.endCursor })).body.data.candidates;
      expect(back.edges.map((e: any) => e.node.uuid)).toEqual(firstPage.edges.slice(4, 9).map((e: any) => e.node.uuid));
      expect(back.pageInfo.hasPreviousPage).toBe(true);
    });

    it('filters candidates by skills (all of them), experience range and text', async () => {
      const sample = (
        await s.gql(
          '{ candidates(first: 1, filter: { yearsExperience: { min: 3 } }) { edges { node { yearsExperience skills { skill { name } } } } } }',
        )
      ).body.data.candidates.edges[0].node;
      const wanted = sample.skills.slice(0, 2).map((k: any) => k.skill.name);
      const r = await s.gql(
        `query($skills: [String!]) { candidates(first: 100, filter: { skills: $skills, yearsExperience: { min: 3 } }) {
          totalCount edges { node { yearsExperience skills { skill { name } } } } } }`,
        { skills: wanted.map((n: string) => n.toUpperCase()) },
      );
      const found = r.body.data.candidates.edges.map((e: any) => e.node);
      expect(found.length).toBeGreaterThan(0);
      for (const c of found) {
        expect(c.yearsExperience).toBeGreaterThanOrEqual(3);
        const names = c.skills.map((k: any) => k.skill.name);
        for (const w of wanted) expect(names).toContain(w);
      }
      const jobs = await s.gql(
        '{ jobs(first: 5, filter: { status: OPEN, text: "engineer" }) { edges { node { title status company { name } } } } }',
      );
      for (const e of jobs.body.data.jobs.edges) {
        expect(e.node.status).toBe('OPEN');
        expect(e.node.title.toLowerCase()).toContain('engineer');
      }
    });

    it('shows personal data only to roles allowed to see it', async () => {
      const q = '{ candidates(first: 3) { edges { node { name email phone } } } }';
      const admin = await s.gql(q, {}, 'consultant');
      expect(admin.body.errors).toBeUndefined();
      expect(admin.body.data.candidates.edges[0].node.email).toMatch(/@/);
      for (const role of ['analyst', 'bi', 'frontend'] as const) {
        const r = await s.gql(q, {}, role);
        expect(r.body.data.candidates.edges[0].node.name).toBeTruthy();
        expect(r.body.data.candidates.edges.every((e: any) => e.node.email === null && e.node.phone === null)).toBe(true);
        expect(codes(r)).toContain('FORBIDDEN');
      }
    });

    it('refuses requests without a valid key', async () => {
      const r = await s.gql('{ viewer { role } }', {}, null);
      expect(r.status).toBe(401);
      expect(codes(r)).toEqual(['UNAUTHENTICATED']);
      const wrong = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
        body: '{"query":"{ viewer { role } }"}',
      });
      expect(wrong.status).toBe(401);
    });

    it('resolves node and nodes by global id, with clear errors for bad ids', async () => {
      const c = (await s.gql('{ candidates(first: 1) { edges { node { id name } } } }')).body.data.candidates.edges[0].node;
      const r = await s.gql('query($id: ID!) { node(id: $id) { id ... on Candidate { name } } }', { id: c.id });
      expect(r.body.data.node).toEqual(c);
      const many = await s.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: [c.id, Buffer.from('Job:00000000-0000-4000-8000-000000000000').toString('base64url')],
      });
      expect(many.body.data.nodes).toEqual([{ id: c.id }, null]);
      expect(codes(await s.gql('{ candidate(id: "garbage") { name } }'))).toEqual(['BAD_USER_INPUT']);
      const jobId = (await s.gql('{ jobs(first: 1) { edges { node { id } } } }')).body.data.jobs.edges[0].node.id;
      const wrongType = await s.gql('query($id: ID!) { candidate(id: $id) { name } }', { id: jobId });
      expect(wrongType.body.errors![0].message).toMatch(/expected a Candidate id, got a Job id/);
    });
  });

  describe('writes', () => {
    const countCandidates = async () => Number((await s.sql('SELECT count(*) AS n FROM candidate'))[0].n);

    it('creates, updates (only the given fields) and deletes a candidate, recording outbox events', async () => {
      const company = (await s.gql('{ companies(first: 1) { edges { node { id name } } } }')).body.data.companies.edges[0].node;
      const created = await s.gql(
        `mutation($input: CandidateInput!) { createCandidate(input: $input) { id uuid source externalId name headline
           experiences { title companyName company { id } } skills { level skill { name } } } }`,
        {
          input: {
            externalId: 'crm-1',
            source: 'crm',
            name: '李雷',
            headline: '高级算法工程师 推荐系统',
            languages: ['zh', 'en'],
            experiences: [{ title: 'Senior Algorithm Engineer', company: { id: company.id }, startDate: '2020-03-01' }],
            skills: [{ skill: 'PyTorch', level: 5 }],
          },
        },
        'consultant',
      );
      expect(created.body.errors).toBeUndefined();
      const c = created.body.data.createCandidate;
      expect(c).toMatchObject({ source: 'crm', externalId: 'crm-1', name: '李雷' });
      expect(c.experiences[0]).toMatchObject({ companyName: company.name, company: { id: company.id } });
      expect(c.skills[0]).toMatchObject({ level: 5, skill: { name: 'PyTorch' } });

      const updated = await s.gql(
        'mutation($id: ID!) { updateCandidate(id: $id, input: { headline: "Staff engineer" }) { name headline experiences { title } } }',
        { id: c.id },
      );
      expect(updated.body.data.updateCandidate).toEqual({
        name: '李雷',
        headline: 'Staff engineer',
        experiences: [{ title: 'Senior Algorithm Engineer' }],
      });

      const events = await s.sql(`SELECT kind FROM outbox_event WHERE aggregate_id = $1 ORDER BY seq`, [c.uuid]);
      expect(events.map((e) => e.kind)).toEqual(['UPSERT', 'UPSERT']);

      const dup = await s.gql('mutation { createCandidate(input: { source: "crm", externalId: "crm-1", name: "x" }) { id } }');
      expect(codes(dup)).toEqual(['CONFLICT']);

      expect((await s.gql('mutation($id: ID!) { deleteCandidate(id: $id) }', { id: c.id })).body.data.deleteCandidate).toBe(c.id);
      expect((await s.gql('query($id: ID!) { candidate(id: $id) { name } }', { id: c.id })).body.data.candidate).toBeNull();
      expect(codes(await s.gql('mutation($id: ID!) { deleteCandidate(id: $id) }', { id: c.id }))).toEqual(['NOT_FOUND']);
    });

    it('sorts by a date or an amount newest or highest first when no direction is given', async () => {
      // Touch a candidate from the middle of the name order: it must come first when sorting by UPDATED_AT alone.
      const middle = (await s.gql('{ candidates(first: 20, sort: { field: NAME }) { edges { node { id } } } }')).body.data.candidates
        .edges[10].node.id;
      await s.gql('mutation($id: ID!) { updateCandidate(id: $id, input: { headline: "Just edited" }) { id } }', { id: middle });
      const byUpdate = async (direction: string) =>
        (
          await s.gql(`{ candidates(first: 3, sort: { field: UPDATED_AT${direction} }) { edges { node { id } } } }`)
        ).body.data.candidates.edges.map((e: any) => e.node.id);
      const newest = await byUpdate('');
      expect(newest[0]).toBe(middle);
      expect(await byUpdate(', direction: DESC')).toEqual(newest);
      expect((await byUpdate(', direction: ASC'))[0]).not.toBe(middle);

      const salaries = (
        await s.gql('{ jobs(first: 20, sort: { field: SALARY_MAX }) { edges { node { salaryMax } } } }')
      ).body.data.jobs.edges.map((e: any) => e.node.salaryMax ?? -1);
      expect(salaries[0]).toBeGreaterThan(salaries[salaries.length - 1]);
      expect(salaries).toEqual([...salaries].sort((a: number, b: number) => b - a));
      const titles = (await s.gql('{ jobs(first: 20, sort: { field: TITLE }) { edges { node { title } } } }')).body.data.jobs.edges.map(
        (e: any) => e.node.title,
      );
      expect(titles).toEqual([...titles].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('lets only admins and consultants write', async () => {
      const before = await countCandidates();
      for (const role of ['analyst', 'bi', 'frontend'] as const) {
        expect(codes(await s.gql('mutation { createCandidate(input: { name: "x" }) { id } }', {}, role))).toEqual(['FORBIDDEN']);
      }
      expect(await countCandidates()).toBe(before);
    });

    it('lists every problem of a bad input and writes nothing', async () => {
      const before = await countCandidates();
      const r = await s.gql(
        `mutation { createCandidate(input: { name: "", email: "not-an-email", yearsExperience: -1,
          experiences: [{ title: "x", startDate: "2020-13-45" }], salaryCurrency: "XXXX" }) { id } }`,
      );
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      const paths = r.body.errors![0].extensions!.problems!.map((p) => p.path).sort();
      expect(paths).toEqual(expect.arrayContaining(['email', 'experiences.0.startDate', 'name', 'salaryCurrency', 'yearsExperience']));
      const long = await s.gql('mutation($n: String) { createCandidate(input: { name: $n }) { id } }', { n: 'x'.repeat(10_000) });
      expect(long.body.errors![0].message).toMatch(/name must be shorter than or equal to 200 characters/);
      const dates = await s.gql(
        'mutation { createCandidate(input: { name: "D", experiences: [{ title: "t", startDate: "2020-01-01", endDate: "2019-01-01" }] }) { id } }',
      );
      expect(codes(dates)).toEqual(['BAD_USER_INPUT']);
      expect(await countCandidates()).toBe(before);
    });

    it('rejects unknown enum values and unknown fields with GraphQL validation errors', async () => {
      const r = await s.gql('{ jobs(first: 1, filter: { status: MAYBE }) { totalCount } }');
      expect(r.status).toBe(400);
      expect(codes(r)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(r.body.errors![0].message).toMatch(/MAYBE/);
    });

    it('imports a batch: good records land, bad ones are reported by position', async () => {
      const r = await s.gql(
        `mutation($records: [JSONObject!]!) { importRecords(records: $records) { written failed results { line ok code message } } }`,
        {
          records: [
            { type: 'company', source: 'ats', externalId: 'co-1', name: 'Acme Robotics' },
            {
              type: 'candidate',
              source: 'ats',
              externalId: 'c-1',
              name: 'Ada',
              experiences: [{ company: { source: 'ats', externalId: 'co-1' }, title: 'CTO', startDate: '2021-01-01' }],
            },
            {
              type: 'candidate',
              source: 'ats',
              externalId: 'c-2',
              name: 'Bad',
              experiences: [{ title: 'x', startDate: '2021-01-01', endDate: '2020-01-01' }],
            },
            { type: 'candidate', source: 'ats', externalId: 'c-3', name: 'Orphan', owner: { source: 'ats', externalId: 'nobody' } },
            { type: 'candidate', source: 'ats', externalId: 'c-4', nmae: 'typo' },
            { type: 'martian', name: 'x' },
          ],
        },
      );
      const res = r.body.data.importRecords;
      expect(res.written).toBe(2);
      expect(res.failed).toBe(4);
      const byLine = Object.fromEntries(res.results.map((x: any) => [x.line, x]));
      expect(byLine[3]).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
      expect(byLine[4]).toMatchObject({ ok: false, code: 'NOT_FOUND' });
      expect(byLine[5].message).toMatch(/nmae/);
      expect(byLine[6].message).toMatch(/type must be one of/);
      const again = await s.gql(`mutation($records: [JSONObject!]!) { importRecords(records: $records) { results { created } } }`, {
        records: [{ type: 'candidate', source: 'ats', externalId: 'c-1', name: 'Ada Lovelace' }],
      });
      expect(again.body.data.importRecords.results[0].created).toBe(false);
      const ada = await s.sql(
        `SELECT name, (SELECT count(*) FROM experience e WHERE e.candidate_id = c.id) AS n FROM candidate c WHERE source = 'ats' AND external_id = 'c-1'`,
      );
      expect(ada).toEqual([{ name: 'Ada Lovelace', n: '1' }]);
    });

    it('answers a query that leads back to the record it started from, with one statement per level', async () => {
      const companies = await s.gql(`{ companies(first: 1) { edges { node { id } } } }`);
      const companyId = companies.body.data.companies.edges[0].node.id;
      const job = await s.gql(
        `mutation($company: ID!) { createJob(input: { source: "loop", externalId: "loop-job", title: "Loop Engineer", company: { id: $company } }) { id } }`,
        { company: companyId },
      );
      const candidate = await s.gql(
        `mutation { createCandidate(input: { source: "loop", externalId: "loop-1", name: "Loop Candidate" }) { id } }`,
      );
      const jobId = job.body.data.createJob.id;
      const candidateId = candidate.body.data.createCandidate.id;
      const app = await s.gql(`mutation($in: ApplicationInput!) { createApplication(input: $in) { id } }`, {
        in: { source: 'loop', externalId: 'loop-app', stage: 'SOURCED', candidate: { id: candidateId }, job: { id: jobId } },
      });
      expect([job.body.errors, candidate.body.errors, app.body.errors]).toEqual([undefined, undefined, undefined]);
      // candidate -> applications -> candidate (the same one, still being read) -> applications -> job
      const q = `query($id: ID!) { candidate(id: $id) { name applications { stage candidate { id name applications { job { title } } } job { title } } } }`;
      const before = s.statements();
      const r = await s.gql(q, { id: candidateId });
      const statements = s.statements() - before;
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.candidate).toEqual({
        name: 'Loop Candidate',
        applications: [
          {
            stage: 'SOURCED',
            candidate: { id: candidateId, name: 'Loop Candidate', applications: [{ job: { title: 'Loop Engineer' } }] },
            job: { title: 'Loop Engineer' },
          },
        ],
      });
      // candidate, its applications, their jobs: the records met again come from memory.
      expect(statements).toBeLessThanOrEqual(1 + 4);
    });
  });

  describe('limits', () => {
    it('rejects a depth-50 query and a query whose cost is too high, and stays up', async () => {
      // Candidate.applications -> Application.candidate -> Candidate.applications ... nests without end.
      let q = 'name';
      for (let i = 0; i < 46; i++) q = i % 2 === 0 ? `candidate { ${q} }` : `applications { ${q} }`;
      const tooDeep = await s.gql(`{ candidates(first: 1) { edges { node { ${q} } } } }`);
      expect(tooDeep.status).toBe(400);
      expect(codes(tooDeep)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(tooDeep.body.errors![0].message).toMatch(/depth \d+ exceeds the limit of 10/);
      const wide = Array.from(
        { length: 5 },
        (_, i) => `c${i}: candidates(first: 1000) { edges { node { name experiences { title } skills { level } } } }`,
      ).join(' ');
      const costly = await s.gql(`{ ${wide} }`);
      expect(codes(costly)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(costly.body.errors![0].message).toMatch(/cost \d+ exceeds/);
      expect(codes(await s.gql('{ candidates(first: 1001) { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
      expect((await s.gql('{ viewer { role } }')).body.data.viewer.role).toBe('admin');
    });

    it('rejects a 10 MB body and malformed JSON with clear errors, and stays up', async () => {
      const big = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.keys.admin}` },
        body: JSON.stringify({ query: '{ viewer { role } }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } }),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as any).errors[0].message).toMatch(/exceeds \d+ bytes/);
      const bad = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.keys.admin}` },
        body: '{"query": ',
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect((await s.gql('{ viewer { role } }')).body.data.viewer.role).toBe('admin');
    });
  });
}
