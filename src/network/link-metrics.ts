/**
 * Link-prediction metrics. Ties are common (most random pairs score 0 on every topological
 * heuristic), so every metric treats tied scores as unordered: AUC with mid-ranks
 * (Mann-Whitney U), AUCPR as average precision over distinct thresholds (as scikit-learn's
 * `average_precision_score`), and ranks as the expected rank under random tie-breaking.
 */

/** Probability that a random positive outscores a random negative, ties counting half. */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return 0;
  const neg = Float64Array.from(negatives).sort();
  const bound = (x: number, strict: boolean) => {
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid] < x || (!strict && neg[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let wins = 0;
  for (const p of positives) {
    const below = bound(p, true);
    wins += below + (bound(p, false) - below) / 2;
  }
  return wins / (positives.length * negatives.length);
}

/** Average precision: Σ (R_n - R_{n-1}) P_n over distinct score thresholds, highest first. */
export function averagePrecisionAtThresholds(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0) return 0;
  const all = [...positives.map((s) => ({ s, pos: 1 })), ...negatives.map((s) => ({ s, pos: 0 }))].sort((a, b) => b.s - a.s);
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    let groupPos = 0;
    while (j < all.length && all[j].s === all[i].s) {
      groupPos += all[j].pos;
      j += 1;
    }
    tp += groupPos;
    seen += j - i;
    ap += (groupPos / positives.length) * (tp / seen);
    i = j;
  }
  return ap;
}

/** 1 + negatives that outscore the positive + half of those tied with it. */
export function expectedRank(positive: number, negatives: readonly number[]): number {
  let higher = 0;
  let tied = 0;
  for (const n of negatives) {
    if (n > positive) higher += 1;
    else if (n === positive) tied += 1;
  }
  return 1 + higher + tied / 2;
}

export interface RankingMetrics {
  auc: number;
  aucpr: number;
  hits10: number;
  hits50: number;
  mrr: number;
}

/** Each positive is ranked against its own sampled negatives (the OGB link-prediction protocol). */
export function rankingMetrics(groups: readonly { positive: number; negatives: readonly number[] }[]): RankingMetrics {
  const ranks = groups.map((g) => expectedRank(g.positive, g.negatives));
  const n = Math.max(1, groups.length);
  return {
    auc: rocAuc(
      groups.map((g) => g.positive),
      groups.flatMap((g) => g.negatives),
    ),
    aucpr: averagePrecisionAtThresholds(
      groups.map((g) => g.positive),
      groups.flatMap((g) => g.negatives),
    ),
    hits10: ranks.filter((r) => r <= 10).length / n,
    hits50: ranks.filter((r) => r <= 50).length / n,
    mrr: ranks.reduce((s, r) => s + 1 / r, 0) / n,
  };
}
