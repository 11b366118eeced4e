/**
 * Ranking metrics for the search, embedding and link-prediction evaluations.
 * `ranked` is a system's result list, best first; `relevant` maps a relevant id to its graded
 * relevance (> 0). Definitions follow trec_eval: AP averages precision at each relevant hit over
 * all relevant ids, nDCG uses the log2 discount with graded gains.
 */
export type Relevance = ReadonlyMap<string, number>;

export function averagePrecision(ranked: readonly string[], relevant: Relevance): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, i) => {
    if ((relevant.get(id) ?? 0) > 0) {
      hits += 1;
      sum += hits / (i + 1);
    }
  });
  return sum / relevant.size;
}

export function ndcgAt(ranked: readonly string[], relevant: Relevance, k: number): number {
  const dcg = ranked.slice(0, k).reduce((acc, id, i) => acc + gain(relevant.get(id)) / Math.log2(i + 2), 0);
  const ideal = [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((acc, rel, i) => acc + gain(rel) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function recallAt(ranked: readonly string[], relevant: Relevance, k: number): number {
  if (relevant.size === 0) return 0;
  const found = ranked.slice(0, k).filter((id) => (relevant.get(id) ?? 0) > 0).length;
  return found / relevant.size;
}

/** Reciprocal rank of the first relevant id, 0 when none is ranked. */
export function reciprocalRank(ranked: readonly string[], relevant: Relevance): number {
  const i = ranked.findIndex((id) => (relevant.get(id) ?? 0) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function gain(rel: number | undefined): number {
  return rel && rel > 0 ? 2 ** rel - 1 : 0;
}

/** Reads TREC qrels (`q_id 0 doc_id relevance`, whitespace-separated) into query -> relevance map. */
export function parseQrels(text: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 4) continue;
    const [q, , doc, rel] = parts;
    const r = Number(rel);
    if (!Number.isFinite(r) || r <= 0) continue;
    if (!out.has(q)) out.set(q, new Map());
    out.get(q)!.set(doc, r);
  }
  return out;
}
