/**
 * Relation-graph benchmark: projection throughput, then p50/p95 latency of the graph queries on a
 * generated career graph, embedded and Neo4j side by side (Neo4j when `.services/env` points at a
 * running server: `bash services/up.sh neo4j`), and link-predictor training time.
 *   npm run bench:graph [-- --candidates 100000 --queries 60 --no-neo4j]
 * Figures are printed, never asserted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedRelationGraph } from '../src/adapters/graph/embedded-relation-graph';
import { Neo4jRelationGraph } from '../src/adapters/graph/neo4j-relation-graph';
import type { GraphProjection, RelationGraph } from '../src/adapters/graph/relation-graph';
import { generateCareerGraph } from '../src/network/synthetic-career-graph';
import { SeededRandom } from '../src/shared/random';
import { evaluateLinkPredictor, trainLinkPredictor } from '../src/network/link-predictor';
import { NetworkService } from '../src/network/network.service';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function neo4jSettings(): { uri: string; user: string; password: string } | null {
  const file = join(__dirname, '..', '..', '.services', 'env');
  const alt = join(__dirname, '..', '.services', 'env');
  const path = existsSync(file) ? file : existsSync(alt) ? alt : null;
  if (!path) return null;
  const vars = Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  return vars.NEO4J_URI ? { uri: vars.NEO4J_URI, user: vars.NEO4J_USER, password: vars.NEO4J_PASSWORD } : null;
}

function chunks(p: GraphProjection, size: number): GraphProjection[] {
  const out: GraphProjection[] = [{ consultants: p.consultants, companies: p.companies, schools: p.schools, skills: p.skills }];
  const cands = p.candidates ?? [];
  for (let i = 0; i < cands.length; i += size) out.push({ candidates: cands.slice(i, i + size) });
  const jobs = p.jobs ?? [];
  for (let i = 0; i < jobs.length; i += size) out.push({ jobs: jobs.slice(i, i + size) });
  return out;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Timing {
  p50: number;
  p95: number;
  n: number;
}

async function time(queries: (() => Promise<unknown>)[]): Promise<Timing> {
  const ms: number[] = [];
  for (const q of queries.slice(0, 3)) await q(); // warm-up: Neo4j plans each query shape once
  for (const q of queries) {
    const t = process.hrtime.bigint();
    await q();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), n: ms.length };
}

async function load(graph: RelationGraph, p: GraphProjection): Promise<{ seconds: number; perSecond: number }> {
  const started = Date.now();
  await graph.init();
  await graph.clear();
  let records = 0;
  for (const c of chunks(p, 2000)) {
    await graph.upsert(c);
    records +=
      (c.candidates?.length ?? 0) +
      (c.jobs?.length ?? 0) +
      (c.companies?.length ?? 0) +
      (c.schools?.length ?? 0) +
      (c.skills?.length ?? 0) +
      (c.consultants?.length ?? 0);
  }
  const seconds = (Date.now() - started) / 1000;
  return { seconds, perSecond: records / seconds };
}

async function main(): Promise<void> {
  const n = arg('--candidates', 100_000);
  const nq = arg('--queries', 60);
  const companies = arg('--companies', Math.max(50, Math.round(n / 50)));
  const withNeo4j = !process.argv.includes('--no-neo4j');
  const now = new Date(Date.UTC(2025, 5, 15));
  console.log(`generated career graph: ${n} candidates, ${companies} companies (seed 3); ${nq} queries per kind; Node ${process.version}`);
  let t = Date.now();
  const p = generateCareerGraph({ candidates: n, companies, seed: 3, endYear: 2025 });
  console.log(`generation: ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const engines: [string, RelationGraph][] = [['embedded', new EmbeddedRelationGraph({ clock: () => now })]];
  const settings = withNeo4j ? neo4jSettings() : null;
  if (settings) engines.push(['neo4j', new Neo4jRelationGraph({ ...settings, graphName: 'bench', clock: () => now, txTimeoutMs: 60_000 })]);
  else
    console.log(
      withNeo4j ? 'neo4j: no .services/env (start it with `bash services/up.sh neo4j`); embedded only' : 'neo4j: skipped (--no-neo4j)',
    );

  const rng = new SeededRandom(99);
  const rand = () => rng.float();
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const cands = p.candidates!;
  const comps = p.companies!;
  const sampleCands = Array.from({ length: nq }, () => pick(cands).id);
  const sampleComps = Array.from({ length: nq }, () => pick(comps).id);
  const pairs = Array.from({ length: nq }, () => [pick(cands).id, pick(cands).id]);
  const companyPairs = Array.from({ length: nq }, () => [pick(cands).id, pick(comps).id]);

  const results = new Map<string, Map<string, Timing>>();
  for (const [name, graph] of engines) {
    try {
      const l = await load(graph, p);
      const counts = await graph.counts();
      console.log(
        `${name}: projected ${counts.nodes} nodes, ${counts.relationships} relationships in ${l.seconds.toFixed(1)} s = ${Math.round(l.perSecond)} records/s`,
      );
      const r = new Map<string, Timing>();
      r.set('projection (records/s)', { p50: l.perSecond, p95: l.perSecond, n: 1 });
      r.set('neighborhood depth 2, limit 100', await time(sampleCands.map((id) => () => graph.neighborhood({ id, depth: 2, limit: 100 }))));
      r.set(
        'introductionPaths maxHops 3',
        await time(
          pairs.map(
            ([from, to]) =>
              () =>
                graph.introductionPaths({ from, to, maxHops: 3 }),
          ),
        ),
      );
      r.set(
        'introductionPaths maxHops 3 to a company',
        await time(
          companyPairs.map(
            ([from, to]) =>
              () =>
                graph.introductionPaths({ from, to, maxHops: 3 }),
          ),
        ),
      );
      r.set('talentFlow OUT', await time(sampleComps.map((companyId) => () => graph.talentFlow({ companyId, direction: 'OUT' }))));
      r.set('colleagues first 50', await time(sampleCands.map((id) => () => graph.colleagues(id, { first: 50 }))));
      r.set(
        'predictLinks CANDIDATE_COMPANY',
        await time(
          sampleCands.map((nodeId) => () => new NetworkService(graph).predictLinks({ nodeId, kind: 'CANDIDATE_COMPANY', first: 10 })),
        ),
      );
      r.set(
        'predictLinks COMPANY_COMPANY',
        await time(
          sampleComps.map((nodeId) => () => new NetworkService(graph).predictLinks({ nodeId, kind: 'COMPANY_COMPANY', first: 10 })),
        ),
      );
      r.set(
        'predictLinks CANDIDATE_JOB',
        await time(sampleCands.map((nodeId) => () => new NetworkService(graph).predictLinks({ nodeId, kind: 'CANDIDATE_JOB', first: 10 }))),
      );
      r.set(
        'predictLinks CANDIDATE_CANDIDATE',
        await time(
          sampleCands.map((nodeId) => () => new NetworkService(graph).predictLinks({ nodeId, kind: 'CANDIDATE_CANDIDATE', first: 10 })),
        ),
      );
      results.set(name, r);
      if (name === 'neo4j') await graph.clear();
    } catch (err) {
      console.log(`${name}: failed: ${(err as Error).message}`);
    } finally {
      await graph.close();
    }
  }

  const names = [...results.keys()];
  console.log(
    `\n${'query'.padEnd(36)} ${names.map((x) => `${x} p50 / p95 ms`.padEnd(26)).join(' ')}${names.length === 2 ? 'neo4j/embedded p50' : ''}`,
  );
  const queries = [...(results.get(names[0])?.keys() ?? [])];
  for (const q of queries) {
    const cells = names.map((x) => {
      const v = results.get(x)!.get(q)!;
      return (q.startsWith('projection') ? `${Math.round(v.p50)}` : `${v.p50.toFixed(1)} / ${v.p95.toFixed(1)}`).padEnd(26);
    });
    const ratio =
      names.length === 2 && !q.startsWith('projection')
        ? `${(results.get('neo4j')!.get(q)!.p50 / results.get('embedded')!.get(q)!.p50).toFixed(1)}x`
        : '';
    console.log(`${q.padEnd(36)} ${cells.join(' ')}${ratio}`);
  }

  const trainN = Math.min(n, 10_000);
  const trainGraph =
    trainN === n
      ? p
      : generateCareerGraph({ candidates: trainN, companies: Math.max(50, Math.round(trainN / 50)), seed: 3, endYear: 2025 });
  t = Date.now();
  const trained = await trainLinkPredictor({
    projection: trainGraph,
    cutoffYear: 2022,
    modelDir: join(require('node:os').tmpdir(), `matchhub-bench-linkpred-${process.pid}`),
  });
  const evaluation = await evaluateLinkPredictor({ projection: trainGraph, cutoffYear: 2022, model: trained.model });
  console.log(
    `\nlink-predictor training (${trainN} candidates, cutoff 2022, 2-year windows): ${((Date.now() - t) / 1000).toFixed(1)} s; positives per kind ${JSON.stringify(trained.examples)}`,
  );
  console.log('test window 2022-2023, features as of 2022, each positive ranked against 100 random targets:');
  console.log(evaluation.table);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
