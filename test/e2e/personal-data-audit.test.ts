import { scriptedRagModel } from '../support/scripted-rag-model';
import { codes, startTestServerWithLlm, type ScriptedLlmTestServer } from '../support/test-server';

/**
 * The audit log of personal data (personal_data_read): one row per record a caller allowed to see
 * personal fields was sent them, written once per request; nothing for refused or non-personal reads.
 */
describe('personal-data audit log', () => {
  let s: ScriptedLlmTestServer;
  let keyId: Record<'admin' | 'analyst', string>;
  let ragIds: string[] = [];

  const PAGE = `query($first: Int) { candidates(first: $first, sort: { field: NAME }) { edges { node { uuid email } } } }`;
  const PUBLIC_PAGE = `query($first: Int) { candidates(first: $first, sort: { field: NAME }) { edges { node { uuid name currentTitle } } } }`;
  const rows = () =>
    s.sql<{ key_id: string; role: string; record_type: string; record_id: string; fields: string[] }>(
      `SELECT key_id, role, record_type, record_id, fields FROM personal_data_read ORDER BY record_id`,
    );

  beforeAll(async () => {
    s = await startTestServerWithLlm({ candidates: 5 });
    const keys = await s.sql<{ id: string; name: string }>(`SELECT id, name FROM api_key WHERE name IN ('test admin', 'test analyst')`);
    keyId = {
      admin: keys.find((k) => k.name === 'test admin')!.id,
      analyst: keys.find((k) => k.name === 'test analyst')!.id,
    };
    ragIds = (await s.sql<{ id: string }>(`SELECT id FROM candidate WHERE email IS NOT NULL ORDER BY id LIMIT 2`)).map((r) => r.id);
    s.llm.setDefault(scriptedRagModel({ plan: () => ({ steps: [{ id: 's1', tool: 'getRecords', args: { ids: ragIds } }] }) }));
    // Keys are verified once, then cached: later statement counts see only the query itself.
    for (const role of ['admin', 'analyst'] as const) await s.gql(`{ __typename }`, {}, role);
  }, 300_000);

  afterAll(async () => s?.close());

  beforeEach(async () => {
    await s.sql(`DELETE FROM personal_data_read`);
  });

  it("records an admin's page of emails in one row per candidate, naming the key, the record and the field", async () => {
    const r = await s.gql(PAGE, { first: 3 }, 'admin');
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data.candidates.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(3);
    expect(nodes.every((n: any) => typeof n.email === 'string')).toBe(true);

    const logged = await rows();
    expect(logged).toEqual(
      nodes
        .map((n: any) => ({ key_id: keyId.admin, role: 'admin', record_type: 'candidate', record_id: n.uuid, fields: ['email'] }))
        .sort((a: any, b: any) => a.record_id.localeCompare(b.record_id)),
    );
    const [{ recent }] = await s.sql(`SELECT bool_and(read_at > now() - interval '1 minute') AS recent FROM personal_data_read`);
    expect(recent).toBe(true);
  });

  it('merges the fields of one record read twice in a request', async () => {
    const r = await s.gql(
      `query($id: ID!) { a: node(id: $id) { ... on Candidate { email phone } } b: node(id: $id) { ... on Candidate { email } } }`,
      { id: Buffer.from(`Candidate:${ragIds[0]}`).toString('base64url') },
      'admin',
    );
    expect(r.body.errors).toBeUndefined();
    const logged = await rows();
    expect(logged).toHaveLength(1);
    expect(logged[0].record_id).toBe(ragIds[0]);
    expect(logged[0].fields).toEqual(r.body.data.a.phone === null ? ['email'] : ['email', 'phone']);
  });

  it("records nothing for an analyst's read, whose personal fields are refused", async () => {
    const r = await s.gql(PAGE, { first: 3 }, 'analyst');
    expect(codes(r)).toContain('FORBIDDEN');
    expect(await rows()).toEqual([]);
  });

  it('records nothing for a query without personal fields', async () => {
    const r = await s.gql(PUBLIC_PAGE, { first: 5 }, 'admin');
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.candidates.edges).toHaveLength(5);
    expect(await rows()).toEqual([]);
  });

  it('costs one extra statement per request, whatever the page size', async () => {
    const cost = async (query: string, first: number) => {
      const before = s.statements();
      const r = await s.gql(query, { first }, 'admin');
      expect(r.body.errors).toBeUndefined();
      return s.statements() - before;
    };
    const plain = await cost(PUBLIC_PAGE, 5);
    expect(await cost(PAGE, 1)).toBe(plain + 1);
    expect(await cost(PAGE, 5)).toBe(plain + 1);
    // One row per record per request: 1 + 5.
    expect(await rows()).toHaveLength(6);
  });

  it('still answers when the audit write fails (fails open, logged)', async () => {
    await s.sql(`ALTER TABLE personal_data_read RENAME TO personal_data_read_away`);
    try {
      const r = await s.gql(PAGE, { first: 2 }, 'admin');
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.candidates.edges.map((e: any) => typeof e.node.email)).toEqual(['string', 'string']);
    } finally {
      await s.sql(`ALTER TABLE personal_data_read_away RENAME TO personal_data_read`);
    }
  });

  it('records personal fields that RAG tools returned, for allowed roles only', async () => {
    const asked = await s.gql(`mutation { ask(question: "Contact details?") { steps { status } } }`, {}, 'admin');
    expect(asked.body.errors).toBeUndefined();
    expect(asked.body.data.ask.steps).toEqual([{ status: 'ok' }]);
    const logged = await rows();
    expect(logged.map((l) => l.record_id)).toEqual([...ragIds].sort());
    for (const l of logged) {
      expect(l).toMatchObject({ key_id: keyId.admin, role: 'admin', record_type: 'candidate' });
      expect(l.fields).toContain('email');
    }

    await s.sql(`DELETE FROM personal_data_read`);
    const byAnalyst = await s.gql(`mutation { ask(question: "Contact details?") { steps { status } } }`, {}, 'analyst');
    expect(byAnalyst.body.errors).toBeUndefined();
    expect(await rows()).toEqual([]);
  });

  it('lets admins read the log, filtered and paged, and refuses everyone else', async () => {
    await s.gql(PAGE, { first: 3 }, 'admin');
    const [first] = await rows();
    const LOG = `query($recordId: ID, $keyId: ID, $after: String) {
      personalDataReads(recordId: $recordId, keyId: $keyId, first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { keyId role recordType recordId fields readAt } } } }`;

    const byRecord = await s.gql(LOG, { recordId: first.record_id }, 'admin');
    expect(byRecord.body.errors).toBeUndefined();
    expect(byRecord.body.data.personalDataReads.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ keyId: keyId.admin, role: 'admin', recordType: 'candidate', recordId: first.record_id, fields: ['email'] }),
    ]);

    const page1 = await s.gql(LOG, { keyId: keyId.admin }, 'admin');
    expect(page1.body.data.personalDataReads.totalCount).toBe(3);
    expect(page1.body.data.personalDataReads.pageInfo.hasNextPage).toBe(true);
    const page2 = await s.gql(LOG, { keyId: keyId.admin, after: page1.body.data.personalDataReads.pageInfo.endCursor }, 'admin');
    const seen = [...page1.body.data.personalDataReads.edges, ...page2.body.data.personalDataReads.edges].map((e: any) => e.node.recordId);
    expect(seen.sort()).toEqual((await rows()).map((r) => r.record_id));

    const noOne = await s.gql(LOG, { keyId: keyId.analyst }, 'admin');
    expect(noOne.body.data.personalDataReads.edges).toEqual([]);

    for (const role of ['consultant', 'analyst'] as const) {
      const refused = await s.gql(LOG, {}, role);
      expect(codes(refused)).toContain('FORBIDDEN');
    }
  });
});
