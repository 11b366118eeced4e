import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { AppError } from '../../src/shared/errors';
import { checkShape, enforceLimits, operationShape, PRICES, queryCost, queryDepth, usesIntrospection } from '../../src/app/limits';

// The committed SDL is the API the limits price (a unit test keeps it in step with the resolvers).
const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
const LIMITS = { maxDepth: 10, maxCost: 20_000, maxRootFields: 50, maxFields: 2_000 };
const cost = (query: string, variables: Record<string, unknown> = {}) => queryCost(schema, parse(query), variables);
const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
};
const ID = Buffer.from('Candidate:00000000-0000-4000-8000-000000000000').toString('base64url');
const ids = (n: number) => Array.from({ length: n }, () => ID);

describe('queryDepth', () => {
  it('counts the deepest field path', () => {
    expect(queryDepth(parse('{ a }'))).toBe(1);
    expect(queryDepth(parse('{ a { b { c } } d }'))).toBe(3);
  });

  it('follows fragments and inline fragments', () => {
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { c { d } } }'))).toBe(4);
    expect(queryDepth(parse('{ a { ... on T { b { c } } } }'))).toBe(3);
  });

  it('terminates on fragment cycles (which validation rejects anyway)', () => {
    expect(queryDepth(parse('{ a { ...F } } fragment F on T { b { ...F } }'))).toBe(2);
  });

  it("does not count introspection's ofType chain, so the standard introspection query fits the default limit", () => {
    expect(queryDepth(parse(getIntrospectionQuery()))).toBeLessThanOrEqual(LIMITS.maxDepth);
    expect(queryDepth(parse('{ __type(name: "Query") { fields { type { ofType { ofType { name } } } } } }'))).toBe(4);
    // Outside introspection a field named ofType is an ordinary field.
    expect(queryDepth(parse('{ a { ofType { ofType { b } } } }'))).toBe(4);
  });
});

describe('operationShape', () => {
  it('counts root fields with aliases and fields with every use of a fragment', () => {
    expect(operationShape(parse('{ a: viewer { role } b: viewer { role } }'))).toEqual([{ name: null, rootFields: 2, fields: 4 }]);
    const shape = operationShape(parse('query Q { x { ...F } y { ...F } ...R } fragment F on T { a b } fragment R on Query { z }'));
    expect(shape).toEqual([{ name: 'Q', rootFields: 3, fields: 7 }]);
  });

  it('takes linear time on fragments that spread each other exponentially often', () => {
    // F0 is used 2^40 times; folding each fragment once keeps this instant.
    const frags = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on T { ...F${i} ...F${i} }`).join(' ');
    const doc = parse(`{ a { ...F40 } } fragment F0 on T { b } ${frags}`);
    const started = performance.now();
    expect(operationShape(doc)[0]!.fields).toBe(1 + 2 ** 40);
    expect(queryDepth(doc)).toBe(2);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refusal(() => checkShape(doc, LIMITS)).code).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('checkShape', () => {
  it('refuses too many root fields before anything else, saying what to do instead', () => {
    const err = refusal(() => checkShape(parse(aliases(200, 'node(id: "x") { id }')), LIMITS));
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('QUERY_TOO_COMPLEX');
    expect(err.message).toMatch(/200 root fields \(aliases included\); at most 50 are allowed: .*nodes\(ids/);
    expect(() => checkShape(parse(aliases(50, 'viewer { role }')), LIMITS)).not.toThrow();
  });

  it('refuses too many field selections and too deep a query', () => {
    const wide = `{ candidates { edges { node { ${Array.from({ length: 2_100 }, (_, i) => `f${i}: name`).join(' ')} } } } }`;
    expect(refusal(() => checkShape(parse(wide), LIMITS)).message).toMatch(/selects 2103 fields .* at most 2000/);
    expect(refusal(() => checkShape(parse('{ a { b { c { d { e { f { g { h { i { j { k } } } } } } } } } } }'), LIMITS)).message).toMatch(
      /depth 11 exceeds the limit of 10/,
    );
  });

  it('accepts the standard introspection query', () => {
    expect(() => checkShape(parse(getIntrospectionQuery()), LIMITS)).not.toThrow();
  });
});

describe('usesIntrospection', () => {
  it('finds __schema and __type, also in fragments, but not __typename', () => {
    expect(usesIntrospection(parse(getIntrospectionQuery()))).toBe(true);
    expect(usesIntrospection(parse('{ ...F } fragment F on Query { __type(name: "Job") { name } }'))).toBe(true);
    expect(usesIntrospection(parse('{ viewer { __typename role } }'))).toBe(false);
    expect(usesIntrospection(parse('query A { viewer { role } } query B { __schema { types { name } } }'), 'A')).toBe(false);
  });
});

describe('queryCost', () => {
  it('prices a page by the default rule: each field 1, a page multiplies what it selects by its size', () => {
    // 1 + 1000 x (edges 1 + node (1 + name 1 + experiences (1 + title 1) + skills (1 + level 1)))
    expect(cost('{ candidates(first: 1000) { edges { node { name experiences { title } skills { level } } } } }')).toBe(7_001);
    expect(cost('{ viewer { role } }')).toBe(2);
  });

  it('costs one document again for other page sizes and id lists, not for other ids', () => {
    const doc = parse(
      'query($id: ID!, $first: Int, $ids: [ID!]!) { candidate(id: $id) { name } candidates(first: $first) { edges { node { name } } } nodes(ids: $ids) { id } }',
    );
    const of = (variables: Record<string, unknown>) => queryCost(schema, doc, variables);
    const base = of({ id: 'a', first: 5, ids: ids(1) });
    expect(of({ id: 'b', first: 5, ids: ids(1) })).toBe(base);
    expect(of({ id: 'a', first: 50, ids: ids(1) })).toBe(base + 45 * 3);
    expect(of({ id: 'a', first: 5, ids: ids(10) })).toBe(base + 9 * 2);
  });

  it('counts list arguments: nodes(ids) costs per id times what it selects', () => {
    const q = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Candidate { name experiences { title } } } }';
    // Per id: 1 for the record, 4 for what it selects (id, name, experiences { title }).
    expect(cost(q, { ids: ids(1) })).toBe(1 + 1 * (1 + 4));
    expect(cost(q, { ids: ids(1000) })).toBe(1 + 1000 * (1 + 4));
    expect(cost(`{ nodes(ids: ["${ID}", "${ID}", "${ID}"]) { id } }`)).toBe(1 + 3 * 2);
  });

  it('prices search per call plus per result', () => {
    const search = (first: number) => cost(`{ searchCandidates(query: "x", first: ${first}) { edges { node { score } } } }`);
    const p = PRICES['Query.searchCandidates']!;
    // Per result: its price plus what it selects (edges { node { score } }: 3).
    expect(search(10)).toBe((p.call as number) + 10 * (p.perResult + 3));
    expect(search(50) - search(10)).toBe(40 * (p.perResult + 3));
    expect(cost('{ searchCandidates(query: "x") { edges { node { score } } } }')).toBe(search(10));
    for (const field of ['searchJobs(query: "x")', `candidatesForJob(jobId: "${ID}")`, `jobsForCandidate(candidateId: "${ID}")`]) {
      expect(cost(`{ ${field} { pageInfo { hasNextPage } } }`)).toBeGreaterThan(100);
    }
    expect(cost('{ normalizeTitle(title: "Java developer") { score } }')).toBeGreaterThan(100);
  });

  it('prices graph fields by their reach: neighborhood by depth and limit, paths by hops', () => {
    const hood = (depth: number, limit: number) =>
      cost(`{ neighborhood(id: "x", depth: ${depth}, limit: ${limit}) { nodes { id } edges { from to } truncated } }`);
    expect(hood(2, 100)).toBeGreaterThan(hood(1, 100));
    expect(hood(3, 100)).toBeGreaterThan(hood(2, 100));
    expect(hood(1, 500)).toBeGreaterThan(hood(1, 100));
    // Nodes and edges are built in memory by the call: the selection counts once, not per node.
    expect(hood(3, 500)).toBe(20 + 750 + 6);
    // Out-of-range arguments (refused by the service) are priced at the largest allowed value, never below.
    expect(hood(9, 100_000)).toBe(hood(3, 500));
    const paths = (hops: number) => cost(`{ introductionPaths(from: "a", to: "b", maxHops: ${hops}) { strength } }`);
    expect(paths(4)).toBeGreaterThan(paths(3));
    for (const q of [
      '{ talentFlow(companyId: "c", direction: OUT) { total } }',
      '{ colleagues(candidateId: "c") { totalCount } }',
      '{ alumni(companyId: "c") { totalCount } }',
      '{ predictLinks(nodeId: "c", kind: CANDIDATE_COMPANY) { score } }',
    ])
      expect(cost(q)).toBeGreaterThan(50);
  });

  it('prices importRecords per record, so the largest batch (1,000) still fits the default budget', () => {
    const q = 'mutation($r: [JSONObject!]!) { importRecords(records: $r) { written failed results { line ok code message } } }';
    const records = (n: number) => Array.from({ length: n }, () => ({ type: 'skill', source: 's', externalId: 'x', name: 'x' }));
    expect(cost(q, { r: records(1000) }) - cost(q, { r: records(100) })).toBe(9_000);
    expect(cost(q, { r: records(1000) })).toBeLessThan(LIMITS.maxCost);
  });

  it('prices a RAG question at half the default budget, over HTTP and as a subscription', () => {
    expect(cost('mutation { ask(question: "who knows PyTorch?") { answer } }')).toBeGreaterThanOrEqual(10_000);
    expect(cost('subscription { askStream(question: "who knows PyTorch?") { type text } }')).toBeGreaterThanOrEqual(10_000);
    expect(
      cost('mutation { a: ask(question: "1") { answer } b: ask(question: "2") { answer } c: ask(question: "3") { answer } }'),
    ).toBeGreaterThan(LIMITS.maxCost);
  });
});

describe('enforceLimits refuses the amplification attacks of issue 12 by cost alone', () => {
  // Root-field limit out of the way: the cost has to catch each of these by itself.
  const wide = { ...LIMITS, maxRootFields: 10_000, maxFields: 1_000_000 };
  const refused = (query: string, variables: Record<string, unknown> = {}) =>
    refusal(() => enforceLimits(schema, parse(query), variables, wide));

  it('200 aliases of nodes(ids: 1,000 ids)', () => {
    const err = refused(`query($ids: [ID!]!) ${aliases(200, 'nodes(ids: $ids) { id }')}`, { ids: ids(1000) });
    expect(err.code).toBe('QUERY_TOO_COMPLEX');
    expect(err.message).toMatch(/cost 400200 exceeds the limit of 20000/);
  });

  it('300 aliases of neighborhood and 200 of searchCandidates', () => {
    expect(refused(aliases(300, 'neighborhood(id: "x") { nodes { id } }')).code).toBe('QUERY_TOO_COMPLEX');
    expect(refused(aliases(200, 'searchCandidates(query: "x") { edges { node { score } } }')).code).toBe('QUERY_TOO_COMPLEX');
  });

  it('lets ordinary client queries through', () => {
    const normal = `query($ids: [ID!]!) {
      searchCandidates(query: "senior algorithm engineer pytorch", first: 20) { edges { node { score candidate { name currentTitle } } } }
      neighborhood(id: "x", depth: 2) { nodes { id label } edges { type from to } }
      nodes(ids: $ids) { id }
      viewer { role }
    }`;
    expect(() => enforceLimits(schema, parse(normal), { ids: ids(100) }, LIMITS)).not.toThrow();
  });
});
