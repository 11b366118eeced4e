/**
 * What predictLinks serves for links that are new, as a user asks for them: on a generated career
 * graph as of the cut-off, for each new pair formed in the two years after it (a company's first
 * move to a destination, a candidate's first stint at a company), whether each candidate source
 * brought the target into the pool, and where the served ranking (first 1,000, existing partners
 * excluded) puts it, against the same ranking without the POPULARITY source and the plain
 * in-degree (all-time and recent) of the target ranked over every company.
 * Ranks are filtered: the source's other new targets do not count against a pair.
 * Then the cost per call: the first pool (NEIGHBOURHOOD + POPULARITY) against every source,
 * interleaved, on the embedded graph and (with --neo4j, Neo4j from `.services/env`) on Neo4j with
 * the target table read on every call (TTL 0) and cached (default TTL).
 *   npm run bench:linkpred-pool [-- --candidates 6000 --companies 1500 --cutoff 2022 --sources 600 --seed 5 --neo4j --timed 40]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedRelationGraph } from '../src/adapters/graph/embedded-relation-graph';
import { Neo4jRelationGraph } from '../src/adapters/graph/neo4j-relation-graph';
import { compareStrings, tieSafe } from '../src/adapters/graph/graph-traversals';
import {
  CANDIDATE_SOURCES,
  type CandidateSource,
  type GraphProjection,
  type LinkFeatureValues,
  type LinkKind,
  type LinkPair,
  type RelationGraph,
} from '../src/adapters/graph/relation-graph';
import { NetworkService } from '../src/network/network.service';
import { generateCareerGraph } from '../src/network/synthetic-career-graph';
import { linksFormedIn, projectionAsOf, targetUniverse } from '../src/network/temporal-link-split';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The sources a NEW question uses (EXISTING answers REPEAT and ANY only). */
const NEW_SOURCES = CANDIDATE_SOURCES.filter((s) => s !== 'EXISTING');
const FIRST_POOL: CandidateSource[] = ['NEIGHBOURHOOD', 'POPULARITY'];

function neo4jSettings(): { uri: string; user: string; password: string } | null {
  const path = [join(__dirname, '..', '..', '.services', 'env'), join(__dirname, '..', '.services', 'env')].find((f) => existsSync(f));
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

async function project(graph: RelationGraph, p: GraphProjection): Promise<void> {
  await graph.upsert({ companies: p.companies, schools: p.schools, skills: p.skills, consultants: p.consultants });
  const cands = p.candidates ?? [];
  for (let i = 0; i < cands.length; i += 2000) await graph.upsert({ candidates: cands.slice(i, i + 2000) });
  const jobs = p.jobs ?? [];
  for (let i = 0; i < jobs.length; i += 2000) await graph.upsert({ jobs: jobs.slice(i, i + 2000) });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}

/** Median ms per call of each variant, the variants interleaved call by call (order rotating). */
async function timeVariants(
  nodes: readonly string[],
  variants: readonly [string, (nodeId: string) => Promise<unknown>][],
): Promise<Map<string, { median: number; mean: number }>> {
  const ms = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  for (const [, call] of variants) await call(nodes[0]); // warm-up: plans, caches
  for (let i = 0; i < nodes.length; i += 1) {
    for (let j = 0; j < variants.length; j += 1) {
      const [name, call] = variants[(i + j) % variants.length];
      const started = performance.now();
      await call(nodes[i]);
      ms.get(name)!.push(performance.now() - started);
    }
  }
  return new Map([...ms].map(([name, xs]) => [name, { median: median(xs), mean: xs.reduce((a, b) => a + b, 0) / xs.length }]));
}

interface Served {
  hits10: number;
  hits50: number;
  mrr: number;
}

/** Rank (1-based) of `target` in `ranked` with the source's other new targets left out; Infinity when absent. */
function filteredRank(ranked: readonly string[], target: string, others: ReadonlySet<string>): number {
  let rank = 0;
  for (const id of ranked) {
    if (id !== target && others.has(id)) continue;
    rank += 1;
    if (id === target) return rank;
  }
  return Infinity;
}

function summarise(ranks: readonly number[]): Served {
  const share = (k: number) => ranks.filter((r) => r <= k).length / ranks.length;
  return { hits10: share(10), hits50: share(50), mrr: ranks.reduce((s, r) => s + (Number.isFinite(r) ? 1 / r : 0), 0) / ranks.length };
}

async function main(): Promise<void> {
  const candidates = arg('candidates', 6000);
  const companies = arg('companies', 1500);
  const cutoff = arg('cutoff', 2022);
  const maxSources = arg('sources', 600);
  const timed = arg('timed', 40);
  const projection = generateCareerGraph({ candidates, companies, seed: arg('seed', 5), endYear: cutoff + 3 });
  const snapshot = projectionAsOf(projection, cutoff);
  const clock = () => new Date(Date.UTC(cutoff, 0, 1));
  const graph = new EmbeddedRelationGraph({ clock });
  await graph.upsert(snapshot);
  const network = new NetworkService(graph);
  console.log(
    `generated: ${candidates} candidates, ${companies} companies; graph as of ${cutoff}; new pairs formed ${cutoff}-${cutoff + 1}`,
  );
  const timedNodes = new Map<LinkKind, string[]>();

  for (const kind of ['COMPANY_COMPANY', 'CANDIDATE_COMPANY'] as LinkKind[]) {
    const existing = new Map<string, Set<string>>();
    const universe = targetUniverse(snapshot, kind);
    // Existing links as of the cut-off, so only new pairs are asked about.
    for (const c of snapshot.candidates ?? []) {
      if (kind === 'CANDIDATE_COMPANY') existing.set(c.id, new Set((c.experiences ?? []).map((s) => s.companyId)));
    }
    if (kind === 'COMPANY_COMPANY') {
      for (const id of universe) {
        const out = await graph.talentFlow({ companyId: id, direction: 'OUT', first: 200 }).catch(() => []);
        existing.set(id, new Set(out.map((p) => p.companyId)));
      }
    }
    const fresh = linksFormedIn(projection, kind, cutoff, cutoff + 2).filter((p) => !existing.get(p.sourceId)?.has(p.targetId));
    const bySource = new Map<string, Set<string>>();
    for (const p of fresh) bySource.set(p.sourceId, (bySource.get(p.sourceId) ?? new Set()).add(p.targetId));
    const sources = [...bySource.keys()].sort(compareStrings).slice(0, maxSources);
    timedNodes.set(kind, sources.slice(0, timed));

    // The in-degree baselines rank every company, the source's existing links left out.
    const anySource = sources[0];
    const features = await graph.linkFeatures(
      kind,
      universe.map((targetId): LinkPair => ({ sourceId: anySource, targetId })),
      cutoff,
    );
    const rankBy = (f: (x: LinkFeatureValues) => number) =>
      universe
        .map((id, i) => ({ id, d: f(features[i]), all: features[i].targetInDegree }))
        .sort((a, b) => b.d - a.d || b.all - a.all || compareStrings(a.id, b.id))
        .map((x) => x.id);
    const byPopularity = rankBy((f) => f.targetInDegree);
    const byRecent = rankBy((f) => f.targetRecentInDegree);

    const found = Object.fromEntries(CANDIDATE_SOURCES.map((s) => [s, 0])) as Record<string, number>;
    let anyFound = 0;
    let firstPoolFound = 0;
    let poolSize = 0;
    const served: number[] = [];
    const nearOnly: number[] = [];
    const before: number[] = [];
    const baseline: number[] = [];
    const recentBaseline: number[] = [];
    for (const u of sources) {
      const targets = bySource.get(u)!;
      const preds = await network.predictLinks({ nodeId: u, kind, first: 1000, asOfYear: cutoff });
      const pool = await graph.linkCandidates({ nodeId: u, kind, asOfYear: cutoff });
      poolSize += pool.length;
      const ranked = preds.map((p) => p.targetId);
      const nearPreds = preds.filter((p) => p.sources.includes('NEIGHBOURHOOD'));
      const near = nearPreds.map((p) => p.targetId);
      // The scorer before the POPULARITY source: resource allocation plus flow.
      const old = (f: LinkFeatureValues) => tieSafe(f.resourceAllocation + f.recencyWeightedFlow);
      const byOld = [...nearPreds]
        .sort((a, b) => old(b.features) - old(a.features) || compareStrings(a.targetId, b.targetId))
        .map((p) => p.targetId);
      const skip = existing.get(u) ?? new Set<string>();
      const popular = byPopularity.filter((id) => id !== u && !skip.has(id));
      const recent = byRecent.filter((id) => id !== u && !skip.has(id));
      const inPool = new Map(pool.map((c) => [c.targetId, c.sources]));
      for (const v of targets) {
        const offeredBy = inPool.get(v) ?? [];
        for (const s of offeredBy) found[s] += 1;
        if (offeredBy.length > 0) anyFound += 1;
        if (offeredBy.some((s) => FIRST_POOL.includes(s))) firstPoolFound += 1;
        served.push(filteredRank(ranked, v, targets));
        nearOnly.push(filteredRank(near, v, targets));
        before.push(filteredRank(byOld, v, targets));
        baseline.push(filteredRank(popular, v, targets));
        recentBaseline.push(filteredRank(recent, v, targets));
      }
    }
    const pairs = served.length;
    const share = (n: number) => (n / pairs).toFixed(3);
    console.log(
      `\n${kind}: ${sources.length} sources, ${pairs} new pairs, ${(poolSize / sources.length).toFixed(0)} targets in the pool per source`,
    );
    console.log('  share of the new pairs each source offers (recall of the source alone):');
    for (const s of NEW_SOURCES) console.log(`    ${s.padEnd(20)} ${share(found[s])}`);
    console.log(`    ${'NEIGHBOURHOOD+POPULARITY'.padEnd(20)} ${share(firstPoolFound)}`);
    console.log(`    ${'any source'.padEnd(20)} ${share(anyFound)}`);
    console.log('  ranking                          Hits@10 Hits@50 MRR');
    const line = (name: string, r: Served) =>
      `    ${name.padEnd(31)} ${r.hits10.toFixed(3)}   ${r.hits50.toFixed(3)}   ${r.mrr.toFixed(3)}`;
    console.log(line('predictLinks (every source)', summarise(served)));
    console.log(line('NEIGHBOURHOOD only', summarise(nearOnly)));
    console.log(line('NEIGHBOURHOOD, RA+flow (before)', summarise(before)));
    console.log(line('in-degree (all)', summarise(baseline)));
    console.log(line(`recent in-degree (all)`, summarise(recentBaseline)));
  }

  const engines: [string, RelationGraph][] = [['embedded', graph]];
  const settings = process.argv.includes('--neo4j') ? neo4jSettings() : null;
  const opened: Neo4jRelationGraph[] = [];
  if (settings) {
    const graphName = `bench_pool_${process.pid}`;
    const fresh = new Neo4jRelationGraph({ ...settings, graphName, clock, targetTableTtlMs: 0 });
    const cached = new Neo4jRelationGraph({ ...settings, graphName, clock });
    opened.push(fresh, cached);
    await fresh.init();
    await fresh.clear();
    const started = performance.now();
    await project(fresh, snapshot);
    console.log(`\nneo4j: projected in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    engines.push(['neo4j, table read every call', fresh], ['neo4j, table cached', cached]);
  } else if (process.argv.includes('--neo4j')) {
    console.log('\nneo4j: no .services/env with NEO4J_URI; start it with `bash services/up.sh neo4j`');
  }
  console.log(`\ncost per call (linkCandidates, ms, median / mean over ${timed} sources, variants interleaved):`);
  for (const kind of ['COMPANY_COMPANY', 'CANDIDATE_COMPANY'] as LinkKind[]) {
    const nodes = timedNodes.get(kind)!;
    const variants: [string, (nodeId: string) => Promise<unknown>][] = engines.flatMap(([name, g]) => [
      [`${name}, NEIGHBOURHOOD+POPULARITY`, (nodeId: string) => g.linkCandidates({ nodeId, kind, asOfYear: cutoff, sources: FIRST_POOL })],
      [`${name}, every source`, (nodeId: string) => g.linkCandidates({ nodeId, kind, asOfYear: cutoff })],
    ]);
    const times = await timeVariants(nodes, variants);
    for (const [name, t] of times)
      console.log(`  ${kind.padEnd(18)} ${name.padEnd(58)} ${t.median.toFixed(1).padStart(7)} / ${t.mean.toFixed(1)}`);
  }
  for (const g of opened.slice(0, 1)) await g.clear();
  for (const g of opened) await g.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
