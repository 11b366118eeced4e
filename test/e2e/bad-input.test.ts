import fs from 'node:fs';
import { codes, startTestServer, type GqlResult, type TestServer } from '../support/test-server';

/**
 * Issue 12 item 7 ("bad input gets a clear error and loses nothing") as a client, or a fuzzer, meets
 * it: a request the server cannot run is a 4xx (GraphQL over HTTP: 400 for parse, validation and
 * variable errors), an execution error is a 200 with errors, every error has a stable code that is
 * not INTERNAL and a message saying what to fix, nothing is written, and the server keeps answering.
 */
describe('bad input over HTTP', () => {
  let s: TestServer;
  let candidate: string;

  beforeAll(async () => {
    s = await startTestServer({ candidates: 5 });
    candidate = (await s.gql('{ candidates(first: 1) { edges { node { id } } } }')).body.data.candidates.edges[0].node.id;
  }, 180_000);

  afterAll(() => s?.close());

  /** A raw POST to /graphql with an admin key: for bodies gql() cannot send. */
  const post = async (body: string): Promise<GqlResult> => {
    const res = await fetch(s.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.keys.admin}` },
      body,
    });
    const text = await res.text();
    let parsed: GqlResult['body'];
    try {
      parsed = JSON.parse(text) as GqlResult['body'];
    } catch {
      parsed = { errors: [{ message: text }] };
    }
    return { status: res.status, body: parsed };
  };

  /** Every error has a code other than INTERNAL and a message; returns the messages. */
  const clientErrors = (r: GqlResult, status: 'request' | 'execution') => {
    if (status === 'request') expect(r.status).toBeGreaterThanOrEqual(400);
    if (status === 'request') expect(r.status).toBeLessThan(500);
    if (status === 'execution') expect(r.status).toBe(200);
    expect(r.body.errors?.length).toBeGreaterThan(0);
    for (const e of r.body.errors!) {
      expect(typeof e.extensions?.code).toBe('string');
      expect(e.extensions?.code).not.toBe('INTERNAL');
      expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.message).not.toMatch(/internal server error/i);
    }
    return r.body.errors!.map((e) => e.message).join('\n');
  };

  const stillAnswers = async () => {
    const r = await s.gql('{ candidates(first: 2) { edges { node { id name } } } }');
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.candidates.edges).toHaveLength(2);
  };

  afterEach(stillAnswers);

  it('a variable of the wrong type is a 400 BAD_USER_INPUT naming the variable', async () => {
    const r = await s.gql('query($n: Int) { candidates(first: $n) { edges { node { id } } } }', { n: 'ten' });
    expect(clientErrors(r, 'request')).toMatch(/\$n/);
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  });

  it('a syntax error and an unknown field are 400s with GraphQL codes', async () => {
    const syntax = await s.gql('{ candidates(first: 1) { edges { node { id } }');
    clientErrors(syntax, 'request');
    expect(syntax.status).toBe(400);
    expect(codes(syntax)).toEqual(['GRAPHQL_PARSE_FAILED']);
    const unknown = await s.gql('{ candidates(first: 1) { edges { node { nope } } } }');
    clientErrors(unknown, 'request');
    expect(codes(unknown)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  describe('a NUL character in a string input', () => {
    it('in a filter variable: 400 BAD_USER_INPUT naming the variable', async () => {
      const r = await s.gql('query($f: CandidateFilter) { candidates(first: 1, filter: $f) { edges { node { id } } } }', {
        f: { text: 'a\u0000b' },
      });
      const message = clientErrors(r, 'request');
      expect(r.status).toBe(400);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/\$f\.text/);
      expect(message).toMatch(/NUL/);
    });

    it('in a filter literal: 400 BAD_USER_INPUT naming the argument', async () => {
      const r = await s.gql('{ candidates(first: 1, filter: { text: "a\\u0000b" }) { edges { node { id } } } }');
      const message = clientErrors(r, 'request');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/filter\.text/);
    });

    it('in a createCandidate name: 400 BAD_USER_INPUT, nothing written', async () => {
      const [{ n: before }] = await s.sql(`SELECT count(*)::int AS n FROM candidate`);
      const r = await s.gql('mutation($in: CandidateInput!) { createCandidate(input: $in) { id } }', {
        in: { source: 'fuzz', externalId: 'nul-1', name: 'Ada\u0000Lovelace' },
      });
      const message = clientErrors(r, 'request');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/\$in\.name/);
      const [{ n: after }] = await s.sql(`SELECT count(*)::int AS n FROM candidate`);
      expect(after).toBe(before);
    });

    it('in an imported record: refused before any record is written', async () => {
      const r = await s.gql('mutation($r: [JSONObject!]!) { importRecords(records: $r) { written failed } }', {
        r: [
          { type: 'company', source: 'fuzz', externalId: 'c-ok', name: 'Fine Co' },
          { type: 'company', source: 'fuzz', externalId: 'c-nul', name: 'Bad\u0000Co' },
        ],
      });
      const message = clientErrors(r, 'request');
      expect(message).toMatch(/\$r\.1\.name/);
      expect(await s.sql(`SELECT id FROM company WHERE source = 'fuzz'`)).toEqual([]);
    });
  });

  it('a bad value in one field of a mutation writes nothing', async () => {
    const [{ n: before }] = await s.sql(`SELECT count(*)::int AS n FROM candidate`);
    const r = await s.gql('mutation($in: CandidateInput!) { createCandidate(input: $in) { id } }', {
      in: {
        source: 'fuzz',
        externalId: 'partial-1',
        name: 'Grace Hopper',
        experiences: [{ title: 'Rear admiral', startDate: 'not a date' }],
      },
    });
    clientErrors(r, r.status === 200 ? 'execution' : 'request');
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    const [{ n: after }] = await s.sql(`SELECT count(*)::int AS n FROM candidate`);
    expect(after).toBe(before);
    expect(await s.sql(`SELECT id FROM candidate WHERE source = 'fuzz'`)).toEqual([]);
  });

  it('a 50,000-deep JSON variable is refused naming the nesting limit', async () => {
    // JSON.stringify cannot write it (it recurses too), so the body is written by hand.
    const deep = '{"a":'.repeat(50_000) + '{}' + '}'.repeat(50_000);
    const query = 'mutation($r: [JSONObject!]!) { importRecords(records: $r) { written failed } }';
    const record = `{"type":"company","source":"fuzz","externalId":"deep","name":"Deep","extra":${deep}}`;
    const r = await post(`{"query":${JSON.stringify(query)},"variables":{"r":[${record}]}}`);
    const message = clientErrors(r, 'request');
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(message).toMatch(/nest/);
    expect(message).toMatch(/64/);
    expect(await s.sql(`SELECT id FROM company WHERE source = 'fuzz'`)).toEqual([]);
  });

  it('a 50,000-deep document is refused by the depth limit, not by a crash', async () => {
    const lists = await s.gql(`mutation { importRecords(records: [{ a: ${'['.repeat(50_000)}${']'.repeat(50_000)} }]) { written } }`);
    expect(clientErrors(lists, 'request')).toMatch(/deeper than 64 levels/);
    expect(codes(lists)).toEqual(['QUERY_TOO_COMPLEX']);
    const fields = await s.gql(`{ ${'viewer { '.repeat(20_000)}role${' }'.repeat(20_000)} }`);
    clientErrors(fields, 'request');
    expect(codes(fields)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('a subscription over HTTP is a 400 pointing at graphql-ws and the ask mutation', async () => {
    const r = await s.gql('subscription { askStream(question: "who knows Rust?") { type } }');
    const message = clientErrors(r, 'request');
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(message).toMatch(/graphql-ws/);
    expect(message).toMatch(/\/graphql/);
    expect(message).toMatch(/\bask\b/);
  });

  describe('what a fuzzer sends', () => {
    it('a body that is not JSON', async () => {
      const r = await post('{"query": "{ viewer { role } }", ');
      clientErrors(r, 'request');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    });

    it('a body that is a JSON array of garbage', async () => {
      const r = await post(JSON.stringify([1, 'two', { three: 3 }, null]));
      clientErrors(r, 'request');
    });

    it('a body without a query', async () => {
      const r = await post(JSON.stringify({ variables: {} }));
      clientErrors(r, 'request');
    });

    it('a query that is not a string', async () => {
      const r = await post(JSON.stringify({ query: { not: 'a string' } }));
      clientErrors(r, 'request');
    });

    it('an unknown operationName', async () => {
      const r = await post(JSON.stringify({ query: 'query A { viewer { role } }', operationName: 'B' }));
      expect(clientErrors(r, 'request')).toMatch(/B/);
    });

    it('variables as a string', async () => {
      const r = await post(JSON.stringify({ query: 'query($n: Int) { candidates(first: $n) { totalCount } }', variables: '{"n": 1}' }));
      expect(clientErrors(r, 'request')).toMatch(/variables/);
    });

    it('a 500,000-character ID', async () => {
      const r = await s.gql('query($id: ID!) { candidate(id: $id) { id } }', { id: 'x'.repeat(500_000) });
      clientErrors(r, 'execution');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.body.errors![0].message.length).toBeLessThan(1_000);
    });

    it('an invalid global id', async () => {
      const r = await s.gql('query($id: ID!) { node(id: $id) { id } }', { id: 'Q2FuZGlkYXRlOm5vdC1hLXV1aWQ=' });
      clientErrors(r, 'execution');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    });

    it('an invalid UUID among nodes(ids)', async () => {
      const bad = Buffer.from('Candidate:not-a-uuid').toString('base64');
      const r = await s.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [candidate, bad, 'garbage!'] });
      clientErrors(r, 'execution');
      expect(codes(r).every((c) => c === 'BAD_USER_INPUT')).toBe(true);
    });
  });

  describe('predictLinks', () => {
    /** predictLinks on a candidate with `args`; $mode and $asOf are declared only when given. */
    const predict = (args: string, variables: { mode?: string; asOf?: string } = {}) => {
      const declared = [
        ['mode', 'LinkMode'],
        ['asOf', 'String'],
      ]
        .filter(([v]) => v in variables)
        .map(([v, t]) => `, $${v}: ${t}`);
      return s.gql(`query($id: ID!${declared.join('')}) { predictLinks(nodeId: $id, ${args}) { targetId scoredBy { name } } }`, {
        id: candidate,
        ...variables,
      });
    };

    it('mode and its deprecated excludeExisting contradicting each other: BAD_USER_INPUT saying to pass mode only', async () => {
      const r = await predict('kind: CANDIDATE_COMPANY, mode: $mode, excludeExisting: true', { mode: 'REPEAT' });
      const message = clientErrors(r, 'execution');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/excludeExisting: true/);
      expect(message).toMatch(/contradicts mode: REPEAT/);
      expect(message).toMatch(/pass mode only/);
    });

    it('an unknown mode: 400 BAD_USER_INPUT naming the variable and the modes there are', async () => {
      const r = await predict('kind: COMPANY_COMPANY, mode: $mode', { mode: 'SOMETIMES' });
      const message = clientErrors(r, 'request');
      expect(r.status).toBe(400);
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/\$mode/);
      expect(message).toMatch(/SOMETIMES/);
      const literal = await s.gql(`query($id: ID!) { predictLinks(nodeId: $id, kind: COMPANY_COMPANY, mode: SOMETIMES) { targetId } }`, {
        id: candidate,
      });
      clientErrors(literal, 'request');
      expect(codes(literal)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it('mode REPEAT on a kind without repeat links: BAD_USER_INPUT saying to drop it', async () => {
      const r = await predict('kind: CANDIDATE_JOB, mode: $mode', { mode: 'REPEAT' });
      const message = clientErrors(r, 'execution');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/mode: REPEAT needs a kind with repeat links \(COMPANY_COMPANY, CANDIDATE_COMPANY\)/);
    });

    it.each(['2021-02-30', '2021-2-3', 'yesterday', ''])('asOf "%s": BAD_USER_INPUT with the format to use', async (asOf) => {
      const r = await predict('kind: CANDIDATE_COMPANY, asOf: $asOf', { asOf });
      const message = clientErrors(r, 'execution');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toBe(`asOf must be a date YYYY-MM-DD, got "${asOf}".`);
    });

    it('first above 1,000: BAD_USER_INPUT with the range', async () => {
      const r = await predict('kind: CANDIDATE_COMPANY, first: 1001');
      const message = clientErrors(r, r.status === 200 ? 'execution' : 'request');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/1,?000/);
    });
  });

  describe('trainLinkPredictor', () => {
    const train = (args: string) => s.gql(`mutation { trainLinkPredictor(${args}) { version kinds { kind examples trained } } }`);
    const modelDir = () => s.services.linkPrediction.modelDir;

    it('too few new links for a kind: BAD_USER_INPUT with one problem per window and what to change, nothing stored', async () => {
      const r = await train('cutoffYear: 2024, windowYears: 2, kinds: [COMPANY_COMPANY]');
      const message = clientErrors(r, 'execution');
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(message).toMatch(/Too few examples to train link prediction \(nothing was stored\)/);
      const problems = r.body.errors![0].extensions!.problems!;
      expect(problems).toEqual(
        expect.arrayContaining([
          {
            path: 'kinds.COMPANY_COMPANY',
            message: expect.stringMatching(/^\d+ new links formed in 2020-2021 \(features as of 2020\), at least 50 needed$/),
          },
          {
            path: 'kinds.COMPANY_COMPANY',
            message: expect.stringMatching(/^\d+ new links formed in 2022-2023 \(features as of 2022\), at least 50 needed$/),
          },
          { path: 'hint', message: expect.stringMatching(/choose another --cutoff or --window, or leave the kind out \(--kinds\)/) },
        ]),
      );
      expect(fs.existsSync(modelDir()) ? fs.readdirSync(modelDir()) : []).toEqual([]);
    });

    it('a window or cut-off out of range: BAD_USER_INPUT naming the range, nothing stored', async () => {
      const window = await train('windowYears: 0');
      expect(codes(window)).toEqual(['BAD_USER_INPUT']);
      expect(clientErrors(window, 'execution')).toMatch(/windowYears must be 1\.\.10, got 0/);
      const cutoff = await train('cutoffYear: 24, windowYears: 2');
      expect(codes(cutoff)).toEqual(['BAD_USER_INPUT']);
      expect(clientErrors(cutoff, 'execution')).toMatch(/cutoffYear must be a year such as 2022, got 24/);
      expect(fs.existsSync(modelDir()) ? fs.readdirSync(modelDir()) : []).toEqual([]);
    });
  });
});
