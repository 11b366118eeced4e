/**
 * npm run bench:cost [-- --candidates 1000 --reps 7]
 *
 * What one call of each expensive field costs, to price them in src/app/limits.ts (PRICES), on the
 * embedded server of test/support/test-server.ts: n aliases of the field in one request, each with
 * other arguments (so no cache answers for another alias), minus the `{ viewer { role } }` request
 * (HTTP, parsing, the gate), over n; against the time of one cost unit, measured on a plain page
 * (`candidates(first: n)` with six fields per record, priced by the default rule). Requests run
 * one at a time; each figure is the median of --reps requests. Printed, never asserted; the load of
 * the machine moves the milliseconds, compare the units.
 */
import 'reflect-metadata';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import fs from 'node:fs';
import { PRICES, queryCost } from '../src/app/limits';
import { startTestServer } from '../test/support/test-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const LINK_FEATURES =
  'commonNeighbours adamicAdar resourceAllocation preferentialAttachment jaccard recencyWeightedFlow targetInDegree embeddingSimilarity';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const candidates = arg('candidates', 1000);
  const reps = arg('reps', 7);
  const s = await startTestServer({
    candidates,
    // Vectors survive between runs, so a rerun does not embed the demo data again.
    env: {
      EMBEDDING_CACHE_DIR: path.resolve('.data', 'bench-cost-embedding-cache'),
      // Measuring, not limiting.
      GRAPHQL_MAX_COST: '10000000',
      GRAPHQL_MAX_ROOT_FIELDS: '1000',
      GRAPHQL_TIMEOUT_MS: '3600000',
    },
  });
  process.stderr.write(`seeded ${candidates} candidates; waiting for the search index and the graph...\n`);
  await s.services.projector.drain(3_600_000);
  const schema = buildSchema(fs.readFileSync(path.resolve('schema', 'schema.graphql'), 'utf8'));

  const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');
  // Distinct arguments for every alias, so no cache answers a call another alias already paid for.
  const many = async (sql: string, type: string) => (await s.sql(sql)).map((r: { id: string }) => gid(type, r.id));
  const people = await many(
    `SELECT candidate_id AS id FROM experience GROUP BY candidate_id HAVING count(*) >= 2 ORDER BY count(*) DESC, candidate_id LIMIT 50`,
    'Candidate',
  );
  const companies = await many(
    `SELECT company_id AS id FROM experience WHERE company_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 50`,
    'Company',
  );
  const jobs = await many(`SELECT id FROM job ORDER BY id LIMIT 50`, 'Job');
  const ids = await many(`SELECT id FROM candidate ORDER BY id LIMIT 1000`, 'Candidate');
  const words = ['data', 'platform', 'backend', 'mobile', 'cloud', 'security', 'product', 'research', 'frontend', 'quant'];
  const titles = ['Java developer', 'nurse', 'accountant', 'data scientist', 'truck driver', 'teacher', 'sales manager', 'chef'];

  const time = async (query: string, variables?: Record<string, unknown>) => {
    const run = async () => {
      const t = performance.now();
      const r = await s.gql(query, variables);
      if (r.body.errors) throw new Error(`${query.slice(0, 200)}: ${JSON.stringify(r.body.errors).slice(0, 500)}`);
      return performance.now() - t;
    };
    await run(); // warm-up: loaders, JIT
    const ms: number[] = [];
    for (let i = 0; i < reps; i++) ms.push(await run());
    return median(ms);
  };
  const costOf = (query: string, variables?: Record<string, unknown>) => queryCost(schema, parse(query), variables ?? {});
  const aliases = (n: number, field: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;

  const base = await time('{ viewer { role } }');
  const pageSize = Math.min(candidates, 1000);
  const page = `{ candidates(first: ${pageSize}) { edges { node { id name currentTitle experiences { title } skills { level } } } } }`;
  const pageMs = (await time(page)) - base;
  const unitMs = pageMs / costOf(page);

  /** Milliseconds per call: n aliases in one request, less the baseline request, over n. */
  const perCall = async (n: number, field: (i: number) => string) => ((await time(aliases(n, field))) - base) / n;
  const HIT = '{ edges { node { score candidate { id name } } } }';
  const JOBHIT = '{ edges { node { score job { id title } } } }';
  const HOOD = '{ nodes { id label } edges { type from to } }';
  const q = (i: number) => `"senior ${words[i % words.length]} engineer python ${i}"`;
  const cases: [string, number, (i: number) => string][] = [
    ['plain field: viewer { role }', 50, () => 'viewer { role }'],
    ['node(id) { id }', 50, (i) => `node(id: "${ids[i]}") { id }`],
    ['searchCandidates first 10', 10, (i) => `searchCandidates(query: ${q(i)}, first: 10) ${HIT}`],
    ['searchCandidates first 50', 10, (i) => `searchCandidates(query: ${q(i)}, first: 50) ${HIT}`],
    ['searchJobs first 10', 10, (i) => `searchJobs(query: ${q(i)}, first: 10) ${JOBHIT}`],
    ['candidatesForJob first 10', 10, (i) => `candidatesForJob(jobId: "${jobs[i]}", first: 10) ${HIT}`],
    ['jobsForCandidate first 10', 10, (i) => `jobsForCandidate(candidateId: "${people[i]}", first: 10) ${JOBHIT}`],
    ['normalizeTitle first 5', 8, (i) => `normalizeTitle(title: "${titles[i]}") { score occupation { code title } }`],
    ...[1, 2, 3].map((d): [string, number, (i: number) => string] => [
      `neighborhood depth ${d} limit 100`,
      10,
      (i) => `neighborhood(id: "${people[i]}", depth: ${d}) ${HOOD}`,
    ]),
    ['neighborhood depth 3 limit 500', 5, (i) => `neighborhood(id: "${people[i]}", depth: 3, limit: 500) ${HOOD}`],
    ...[3, 4].map((h): [string, number, (i: number) => string] => [
      `introductionPaths maxHops ${h}`,
      5,
      (i) => `introductionPaths(from: "${people[i]}", to: "${people[i + 20]}", maxHops: ${h}) { strength nodeIds }`,
    ]),
    ['talentFlow first 20', 10, (i) => `talentFlow(companyId: "${companies[i]}", direction: OUT) { companyId total company { name } }`],
    ['colleagues first 50', 10, (i) => `colleagues(candidateId: "${people[i]}") { items { months candidate { name } } }`],
    ['alumni first 50', 10, (i) => `alumni(companyId: "${companies[i]}") { items { title candidate { name } } }`],
    [
      'predictLinks CANDIDATE_COMPANY first 10',
      10,
      (i) => `predictLinks(nodeId: "${people[i]}", kind: CANDIDATE_COMPANY) { targetId score }`,
    ],
    [
      'predictLinks CANDIDATE_CANDIDATE first 10',
      10,
      (i) => `predictLinks(nodeId: "${people[i]}", kind: CANDIDATE_CANDIDATE) { targetId score }`,
    ],
    [
      'predictLinks COMPANY_COMPANY first 10',
      10,
      (i) => `predictLinks(nodeId: "${companies[i]}", kind: COMPANY_COMPANY) { targetId score }`,
    ],
    [
      'predictLinks CANDIDATE_COMPANY first 1000, every field',
      3,
      (i) =>
        `predictLinks(nodeId: "${people[i]}", kind: CANDIDATE_COMPANY, first: 1000) { targetId targetLabel score evidence sources features { ${LINK_FEATURES} } scoredBy { name modelVersion trainedAt } }`,
    ],
  ];

  const rows: string[][] = [['one call', 'ms', 'units at this rate', 'priced (src/app/limits.ts)']];
  const units = (ms: number) => Math.round(ms / unitMs).toLocaleString('en-US');
  for (const [name, n, field] of cases) {
    const ms = await perCall(n, field);
    rows.push([`${name} (${n} aliases)`, ms.toFixed(2), units(ms), (costOf(aliases(n, field)) / n).toLocaleString('en-US')]);
  }
  const nodesQuery = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
  const perId = ((await time(nodesQuery, { ids })) - base) / ids.length;
  rows.push([
    `nodes(ids), per id (${ids.length} ids)`,
    perId.toFixed(3),
    units(perId),
    `${costOf(nodesQuery, { ids }) / ids.length} per id`,
  ]);
  const stamp = Date.now();
  const writes = (k: number) =>
    Array.from({ length: 100 }, (_, i) => ({
      type: 'skill',
      source: 'bench',
      externalId: `s-${stamp}-${k}-${i}`,
      name: `Bench skill ${stamp}-${k}-${i}`,
    }));
  const importMs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    await s.gql('mutation($r: [JSONObject!]!) { importRecords(records: $r) { written } }', { r: writes(k) });
    importMs.push((performance.now() - t - base) / 100);
  }
  const perRecord = median(importMs);
  rows.push([
    'importRecords, per record (100 new skills)',
    perRecord.toFixed(2),
    units(perRecord),
    `${PRICES['Mutation.importRecords']!.perResult} per record`,
  ]);

  console.log(`\n${candidates} candidates; median of ${reps} requests; baseline request ${base.toFixed(2)} ms`);
  console.log(`unit: ${page} costs ${costOf(page)} and took ${pageMs.toFixed(1)} ms => ${(unitMs * 1000).toFixed(1)} µs per unit\n`);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  await s.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
