/**
 * What predictLinks serves for links that are new, as a user asks for them: on a generated career
 * graph as of the cut-off, for each new pair formed in the two years after it (a company's first
 * move to a destination, a candidate's first stint at a company), whether each candidate source
 * brought the target into the pool, and where the served ranking (first 1,000, existing partners
 * excluded) puts it, against the same ranking without the POPULARITY source and the plain
 * in-degree of the target ranked over every company.
 * Ranks are filtered: the source's other new targets do not count against a pair.
 *   npm run bench:linkpred-pool [-- --candidates 6000 --companies 1500 --cutoff 2022 --sources 600 --seed 5]
 */
import { EmbeddedRelationGraph } from '../src/adapters/graph/embedded-relation-graph';
import { compareStrings, tieSafe } from '../src/adapters/graph/graph-traversals';
import { CANDIDATE_SOURCES, type LinkFeatureValues, type LinkKind, type LinkPair } from '../src/adapters/graph/relation-graph';
import { NetworkService } from '../src/network/network.service';
import { generateCareerGraph } from '../src/network/synthetic-career-graph';
import { linksFormedIn, projectionAsOf, targetUniverse } from '../src/network/temporal-link-split';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
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
  const projection = generateCareerGraph({ candidates, companies, seed: arg('seed', 5), endYear: cutoff + 3 });
  const snapshot = projectionAsOf(projection, cutoff);
  const graph = new EmbeddedRelationGraph({ clock: () => new Date(Date.UTC(cutoff, 0, 1)) });
  await graph.upsert(snapshot);
  const network = new NetworkService(graph);
  console.log(
    `generated: ${candidates} candidates, ${companies} companies; graph as of ${cutoff}; new pairs formed ${cutoff}-${cutoff + 1}`,
  );
  console.log(
    'kind               sources pairs  in pool: ' +
      CANDIDATE_SOURCES.join(' ') +
      ' any   scorer                          Hits@10 Hits@50 MRR    ms/source',
  );

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

    // The in-degree baseline ranks every company, the source's existing links left out.
    const anySource = sources[0];
    const inDegree = await graph.linkFeatures(
      kind,
      universe.map((targetId): LinkPair => ({ sourceId: anySource, targetId })),
      cutoff,
    );
    const byPopularity = universe
      .map((id, i) => ({ id, d: inDegree[i].targetInDegree }))
      .sort((a, b) => b.d - a.d || compareStrings(a.id, b.id))
      .map((x) => x.id);

    const found = Object.fromEntries(CANDIDATE_SOURCES.map((s) => [s, 0])) as Record<string, number>;
    let anyFound = 0;
    const served: number[] = [];
    const nearOnly: number[] = [];
    const before: number[] = [];
    const baseline: number[] = [];
    let ms = 0;
    for (const u of sources) {
      const targets = bySource.get(u)!;
      const started = performance.now();
      const preds = await network.predictLinks({ nodeId: u, kind, first: 1000, asOfYear: cutoff });
      ms += performance.now() - started;
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
      for (const v of targets) {
        const pred = preds.find((p) => p.targetId === v);
        for (const s of pred?.sources ?? []) found[s] += 1;
        if (pred) anyFound += 1;
        served.push(filteredRank(ranked, v, targets));
        nearOnly.push(filteredRank(near, v, targets));
        before.push(filteredRank(byOld, v, targets));
        baseline.push(filteredRank(popular, v, targets));
      }
    }
    const pairs = served.length;
    const share = (n: number) => (n / pairs).toFixed(3);
    const pool = `${CANDIDATE_SOURCES.map((s) => share(found[s]).padStart(s.length)).join(' ')} ${share(anyFound)}`;
    const line = (name: string, r: Served) => `${name.padEnd(31)} ${r.hits10.toFixed(3)}   ${r.hits50.toFixed(3)}   ${r.mrr.toFixed(3)}`;
    const head = `${kind.padEnd(18)} ${String(sources.length).padStart(7)} ${String(pairs).padStart(5)}  ${' '.repeat(9)}${pool} `;
    console.log(`${head} ${line('predictLinks', summarise(served))}  ${(ms / sources.length).toFixed(1)}`);
    console.log(`${' '.repeat(head.length)} ${line('NEIGHBOURHOOD only', summarise(nearOnly))}`);
    console.log(`${' '.repeat(head.length)} ${line('NEIGHBOURHOOD, RA+flow (before)', summarise(before))}`);
    console.log(`${' '.repeat(head.length)} ${line('in-degree (all)', summarise(baseline))}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
