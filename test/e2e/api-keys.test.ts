import { uuidOf } from '../../src/shared/global-id';
import { codes, startTestServer, type GqlResult, type TestServer } from '../support/test-server';

/** Keys are managed over the API too, so no CLI needs the data directory while the server owns it. */
describe('API keys over GraphQL', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 3 });
  }, 300_000);
  afterAll(() => s?.close());

  const asKey = async (key: string) =>
    fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ candidates(first: 1) { totalCount } }' }),
    });

  it('lets an admin create a key that works at once, list it, and revoke it so it stops working at once', async () => {
    const created = await s.gql(`mutation { createApiKey(name: "BI tool", role: bi) { key apiKey { id name role revokedAt } } }`);
    expect(created.body.errors).toBeUndefined();
    const { key, apiKey } = created.body.data.createApiKey;
    expect(apiKey).toMatchObject({ name: 'BI tool', role: 'bi', revokedAt: null });
    expect((await asKey(key)).status).toBe(200);
    const listed = (await s.gql('{ apiKeys { id role revokedAt } }')).body.data.apiKeys;
    expect(listed).toContainEqual({ id: apiKey.id, role: 'bi', revokedAt: null });
    const revoked = await s.gql(`mutation($id: String!) { revokeApiKey(id: $id) { id revokedAt } }`, { id: apiKey.id.slice(0, 8) });
    expect(revoked.body.data.revokeApiKey.id).toBe(apiKey.id);
    expect(revoked.body.data.revokeApiKey.revokedAt).not.toBeNull();
    expect((await asKey(key)).status).toBe(401);
  });

  it('refuses every other role, and shows no key hash to anyone', async () => {
    for (const role of ['consultant', 'analyst', 'bi', 'frontend'] as const) {
      expect(codes(await s.gql(`mutation { createApiKey(name: "x", role: admin) { key } }`, undefined, role))).toEqual(['FORBIDDEN']);
      expect(codes(await s.gql('{ apiKeys { id } }', undefined, role))).toEqual(['FORBIDDEN']);
    }
    const r = await s.gql('{ apiKeys { id name } }');
    expect(JSON.stringify(r.body)).not.toMatch(/[0-9a-f]{64}/);
    expect(codes(await s.gql(`mutation { revokeApiKey(id: "zz") { id } }`))).toEqual(['BAD_USER_INPUT']);
  });

  describe('a key that speaks for a consultant', () => {
    const VIEWER = '{ viewer { role consultant { id name } } }';
    const asKeyGql = async (key: string, query: string): Promise<GqlResult> => {
      const res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: (await res.json()) as GqlResult['body'] };
    };
    let consultants: { id: string; name: string }[];
    beforeAll(async () => {
      consultants = (await s.gql('{ consultants(first: 10) { edges { node { id name } } } }')).body.data.consultants.edges.map(
        (e: any) => e.node,
      );
      expect(consultants.length).toBeGreaterThan(1);
    });
    const create = (role: string, consultantId: string | null) =>
      s.gql(
        'mutation($role: Role!, $c: ID) { createApiKey(name: "linked", role: $role, consultantId: $c) { key apiKey { id consultant { id name } } } }',
        { role, c: consultantId },
      );

    it('Viewer.consultant is the linked consultant for that key, null for keys without one', async () => {
      const [ana, other] = consultants;
      const created = await create('consultant', ana!.id);
      expect(created.body.errors).toBeUndefined();
      expect(created.body.data.createApiKey.apiKey.consultant).toEqual(ana);
      const linked = await asKeyGql(created.body.data.createApiKey.key, VIEWER);
      expect(linked.body).toEqual({ data: { viewer: { role: 'consultant', consultant: ana } } });
      // Another key linked to another consultant sees that one: the answer follows the key, not the role.
      const second = (await create('consultant', other!.id)).body.data.createApiKey.key;
      expect((await asKeyGql(second, VIEWER)).body.data.viewer.consultant).toEqual(other);
      for (const role of ['admin', 'consultant', 'analyst', 'bi', 'frontend'] as const) {
        expect((await s.gql(VIEWER, undefined, role)).body).toEqual({ data: { viewer: { role, consultant: null } } });
      }
    });

    it("shows every role the consultant as the consultants query does, and no role the consultant's email", async () => {
      const [ana] = consultants;
      for (const role of ['admin', 'consultant', 'analyst', 'bi', 'frontend'] as const) {
        const key = (await create(role, ana!.id)).body.data.createApiKey.key;
        const fields = '{ id name source externalId }';
        const mine = await asKeyGql(key, `{ viewer { consultant ${fields} } }`);
        expect(mine.body.errors).toBeUndefined();
        const listed = (await s.gql(`{ consultants(first: 10) { edges { node ${fields} } } }`, undefined, role)).body.data.consultants
          .edges;
        expect(listed.map((e: any) => e.node)).toContainEqual(mine.body.data.viewer.consultant);
        // Stored (the import format takes it) but in no GraphQL type: asking for it is a validation error.
        expect(codes(await asKeyGql(key, '{ viewer { consultant { email } } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      }
      // There is an email to keep back: the demo consultants have one.
      const [{ n }] = await s.sql('SELECT count(*)::int AS n FROM "consultant" WHERE "id" = $1 AND "email" IS NOT NULL', [uuidOf(ana!.id)]);
      expect(n).toBe(1);
    });

    it('refuses an unknown consultant or an id of another type, and writes no key', async () => {
      const before = (await s.gql('{ apiKeys { id } }')).body.data.apiKeys.length;
      const unknown = await create('consultant', '00000000-0000-4000-8000-000000000000');
      expect(codes(unknown)).toEqual(['NOT_FOUND']);
      expect(unknown.body.errors![0]!.message).toMatch(/^consultant: no consultant has the id 00000000-0000-4000-8000-000000000000/);
      const candidate = (await s.gql('{ candidates(first: 1) { edges { node { id } } } }')).body.data.candidates.edges[0].node.id;
      const wrongType = await create('consultant', candidate);
      expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
      expect(wrongType.body.errors![0]!.message).toMatch(/is a Candidate id; give a Consultant id/);
      expect((await s.gql('{ apiKeys { id } }')).body.data.apiKeys.length).toBe(before);
    });
  });
});
