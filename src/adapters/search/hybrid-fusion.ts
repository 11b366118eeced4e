/**
 * The two hybrid fusion formulas exactly as Weaviate defines them (usecases/traverser/hybrid in the
 * Weaviate server; https://weaviate.io/blog/hybrid-search-fusion-algorithms):
 *
 * - relativeScore: each result set is min-max normalised to [0, 1] (a set whose scores are all
 *   equal normalises to 1), multiplied by its weight, and the weighted values are summed per id.
 * - ranked: each result at 0-based rank r in a set contributes weight / (r + 60).
 *
 * With alpha the keyword set has weight 1 - alpha and the vector set weight alpha. Pure functions.
 */
export interface ScoredId {
  id: string;
  score: number;
}

export interface FusedResult {
  id: string;
  score: number;
}

export const RANKED_FUSION_K = 60;

export function relativeScoreFusion(sets: readonly (readonly ScoredId[])[], weights: readonly number[]): FusedResult[] {
  const fused = new Map<string, number>();
  sets.forEach((set, i) => {
    if (set.length === 0) return;
    let max = -Infinity;
    let min = Infinity;
    for (const r of set) {
      if (r.score > max) max = r.score;
      if (r.score < min) min = r.score;
    }
    for (const r of set) {
      const normalized = max === min ? 1 : (r.score - min) / (max - min);
      fused.set(r.id, (fused.get(r.id) ?? 0) + weights[i] * normalized);
    }
  });
  return sortFused(fused);
}

export function rankedFusion(sets: readonly (readonly ScoredId[])[], weights: readonly number[]): FusedResult[] {
  const fused = new Map<string, number>();
  sets.forEach((set, i) => {
    set.forEach((r, rank) => fused.set(r.id, (fused.get(r.id) ?? 0) + weights[i] / (rank + RANKED_FUSION_K)));
  });
  return sortFused(fused);
}

/** Ties (within float noise) fall back to id order so both adapters page through them alike. */
function sortFused(fused: Map<string, number>): FusedResult[] {
  return [...fused.entries()]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => (Math.abs(b.score - a.score) > 1e-9 ? b.score - a.score : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
