import { codes, startTestServer, type TestServer } from '../support/test-server';

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
});
