import { getIntrospectionQuery } from 'graphql';
import { codes, startTestServerWithLlm, type ScriptedLlmTestServer } from '../support/test-server';

/**
 * Issue 12 item 4 ("one analyst query kills the server") as a client meets it: amplifying queries
 * are refused before anything runs, a request past its time budget is answered and dropped, a
 * caller without a key learns nothing about the schema, and introspection follows the key's role.
 */
describe('query limits over HTTP', () => {
  let s: ScriptedLlmTestServer;
  let candidate: string;

  beforeAll(async () => {
    s = await startTestServerWithLlm({
      candidates: 20,
      env: {
        LLM_MAX_RETRIES: '0',
        LLM_TIMEOUT_MS: '120000',
        // Short enough to wait for in a test, far below the LLM's own timeout.
        GRAPHQL_RAG_TIMEOUT_MS: '1500',
      },
    });
    // The everyday query below reads the search index and the graph.
    await s.services.projector.drain(600_000);
    candidate = (await s.gql('{ candidates(first: 1) { edges { node { id } } } }')).body.data.candidates.edges[0].node.id;
  }, 900_000);

  afterAll(async () => s?.close());

  const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

  /** The refusal, after checking that not one SQL statement ran for it (the key was just verified, so it is cached). */
  const refusedBeforeRunning = async (query: string, variables?: Record<string, unknown>) => {
    await s.gql('{ viewer { role } }', {}, 'analyst');
    const before = s.statements();
    const r = await s.gql(query, variables, 'analyst');
    expect(s.statements()).toBe(before);
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.body.data).toBeUndefined();
    return r.body.errors![0]!.message;
  };

  describe('amplification', () => {
    it('refuses 200 aliases of nodes(ids: 1,000 ids), and says what to do instead', async () => {
      const ids = Array.from({ length: 1000 }, () => candidate);
      const message = await refusedBeforeRunning(`query($ids: [ID!]!) { ${aliases(200, 'nodes(ids: $ids) { id }')} }`, { ids });
      expect(message).toMatch(/200 root fields \(aliases included\); at most 50 are allowed/);
      expect(message).toMatch(/nodes\(ids/);
    });

    it('refuses 300 aliases of neighborhood and 200 of searchCandidates', async () => {
      await refusedBeforeRunning(`{ ${aliases(300, `neighborhood(id: "${candidate}", depth: 2) { nodes { id } }`)} }`);
      await refusedBeforeRunning(`{ ${aliases(200, 'searchCandidates(query: "engineer") { edges { node { score } } }')} }`);
    });

    it('refuses by cost what stays under the root-field limit: per id, per search call, per neighbourhood', async () => {
      const ids = Array.from({ length: 1000 }, () => candidate);
      const nodes = await refusedBeforeRunning(
        `query($ids: [ID!]!) { ${aliases(5, 'nodes(ids: $ids) { id ... on Candidate { name experiences { title } } }')} }`,
        { ids },
      );
      expect(nodes).toMatch(/cost 25005 exceeds the limit of 20000/);
      await refusedBeforeRunning(`{ ${aliases(30, 'searchCandidates(query: "engineer") { edges { node { score } } }')} }`);
      await refusedBeforeRunning(`{ ${aliases(30, `neighborhood(id: "${candidate}", depth: 3, limit: 500) { nodes { id } }`)} }`);
    });

    it('refuses a document with too many field selections before validating it', async () => {
      const message = await refusedBeforeRunning(`{ viewer { ${aliases(2_500, 'role')} } }`);
      expect(message).toMatch(/selects 2501 fields/);
    });

    it('runs the same fields at everyday sizes, and stays up', async () => {
      const r = await s.gql(
        `query($id: ID!, $ids: [ID!]!) {
          searchCandidates(query: "engineer", first: 10) { edges { node { score candidate { name } } } }
          neighborhood(id: $id, depth: 2) { nodes { id label } edges { type from to } }
          nodes(ids: $ids) { id }
          viewer { role }
        }`,
        { id: candidate, ids: [candidate, candidate] },
        'analyst',
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.neighborhood.nodes.length).toBeGreaterThan(0);
      expect(r.body.data.nodes).toEqual([{ id: candidate }, { id: candidate }]);
    });
  });

  describe('time budget', () => {
    it('answers UNAVAILABLE once the budget is spent, stops the LLM call, and serves the next request', async () => {
      s.llm.enqueue({ hang: true });
      const started = Date.now();
      const r = await s.gql('mutation { ask(question: "Who knows PyTorch in Shanghai?") { answer } }', {}, 'analyst');
      expect(r.status).toBe(503);
      expect(codes(r)).toEqual(['UNAVAILABLE']);
      expect(r.body.errors![0]!.message).toMatch(/time budget of 1500 ms \(GRAPHQL_RAG_TIMEOUT_MS\)/);
      // Answered at the budget, not at the LLM's own timeout (120 s).
      expect(Date.now() - started).toBeLessThan(60_000);
      // The request's signal reached the LLM client, which hung up instead of waiting on.
      for (let i = 0; i < 100 && !s.llm.requests[0]?.closedEarly; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(s.llm.requests).toHaveLength(1);
      expect(s.llm.requests[0]!.closedEarly).toBe(true);
      expect((await s.gql('{ viewer { role } }', {}, 'analyst')).body.data.viewer.role).toBe('analyst');
    });
  });

  describe('authentication comes first', () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    it('answers an invalid query without a key with 401 and nothing about the schema', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const res = await post({ query: '{ candidatez(first: 1) { edges { node { nam } } } }' }, headers);
        expect(res.status).toBe(401);
        const text = await res.text();
        expect(JSON.parse(text)).toEqual({
          errors: [{ message: expect.stringMatching(/API key/), extensions: { code: 'UNAUTHENTICATED' } }],
        });
        expect(text).not.toMatch(/Did you mean|candidates|Cannot query field/);
      }
      const introspection = await post({ query: getIntrospectionQuery() });
      expect(introspection.status).toBe(401);
      expect(await introspection.text()).not.toMatch(/__schema|Candidate/);
    });

    it('gives "Did you mean" hints only to roles that may read the schema', async () => {
      const q = '{ candidatez(first: 1) { totalCount } }';
      const admin = await s.gql(q, {}, 'admin');
      expect(codes(admin)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(admin.body.errors![0]!.message).toMatch(/Did you mean "candidate/);
      const frontend = await s.gql(q, {}, 'frontend');
      expect(codes(frontend)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(frontend.body.errors![0]!.message).toBe('Cannot query field "candidatez" on type "Query".');
    });
  });

  describe('introspection by role', () => {
    it('refuses it for frontend and bi keys, and says where the schema is', async () => {
      for (const role of ['frontend', 'bi'] as const) {
        const r = await s.gql(getIntrospectionQuery(), {}, role);
        expect(r.status).toBe(403);
        expect(codes(r)).toEqual(['FORBIDDEN']);
        expect(r.body.errors![0]!.message).toMatch(new RegExp(`introspection .* is off for role ${role}.*schema/schema.graphql`));
        expect(r.body.data).toBeUndefined();
        expect(codes(await s.gql('{ __type(name: "Candidate") { fields { name } } }', {}, role))).toEqual(['FORBIDDEN']);
      }
      // __typename is not introspection.
      expect((await s.gql('{ viewer { __typename role } }', {}, 'frontend')).body.data.viewer).toEqual({
        __typename: 'Viewer',
        role: 'frontend',
      });
    });

    it('answers the standard introspection query for admin, consultant and analyst keys', async () => {
      for (const role of ['admin', 'consultant', 'analyst'] as const) {
        const r = await s.gql(getIntrospectionQuery(), {}, role);
        expect(r.body.errors).toBeUndefined();
        expect(r.body.data.__schema.queryType.name).toBe('Query');
        expect(r.body.data.__schema.types.map((t: { name: string }) => t.name)).toContain('Candidate');
      }
    });
  });
});
