/**
 * The shared core of training and evaluation: labelled groups (one positive pair, its sampled
 * negatives), their features, a logistic model per kind, and a side-by-side table of every single
 * heuristic against the learned model.
 */
import { FEATURE_NAMES, featureVector, scoreWithKindModel, type FeatureName, type KindModel } from '../graph/link-features';
import type { LinkFeatureValues, LinkPair } from '../graph/relation-graph';
import { rankingMetrics, type RankingMetrics } from './link-metrics';
import { fitLogistic } from './logistic-regression';

export interface PairGroup {
  sourceId: string;
  positive: string;
  negatives: string[];
}
export interface FeatureGroup {
  positive: LinkFeatureValues;
  negatives: LinkFeatureValues[];
}

export type FeatureSource = (pairs: readonly LinkPair[]) => Promise<LinkFeatureValues[]>;

export async function featurizeGroups(groups: readonly PairGroup[], features: FeatureSource): Promise<FeatureGroup[]> {
  const pairs: LinkPair[] = [];
  for (const g of groups) {
    pairs.push({ sourceId: g.sourceId, targetId: g.positive });
    for (const n of g.negatives) pairs.push({ sourceId: g.sourceId, targetId: n });
  }
  const values = await features(pairs);
  let i = 0;
  return groups.map((g) => {
    const positive = values[i++];
    const negatives = g.negatives.map(() => values[i++]);
    return { positive, negatives };
  });
}

export function fitKindModel(groups: readonly FeatureGroup[]): KindModel {
  const x: number[][] = [];
  const y: number[] = [];
  for (const g of groups) {
    x.push(featureVector(g.positive));
    y.push(1);
    for (const n of g.negatives) {
      x.push(featureVector(n));
      y.push(0);
    }
  }
  const fit = fitLogistic(x, y);
  return { featureNames: [...FEATURE_NAMES], ...fit };
}

export interface ScorerRow extends RankingMetrics {
  kind: string;
  scorer: FeatureName | 'learned';
  positives: number;
}

function metricsFor(groups: readonly FeatureGroup[], score: (f: LinkFeatureValues) => number): RankingMetrics {
  return rankingMetrics(groups.map((g) => ({ positive: score(g.positive), negatives: g.negatives.map(score) })));
}

/** One row per single heuristic (skipping embedding similarity when no vectors were given), then the model. */
export function scoreTable(kind: string, groups: readonly FeatureGroup[], model: KindModel | undefined): ScorerRow[] {
  const hasEmbeddings = groups.some((g) => g.positive.embeddingSimilarity !== null);
  const rows: ScorerRow[] = [];
  for (const name of FEATURE_NAMES) {
    if (name === 'embeddingSimilarity' && !hasEmbeddings) continue;
    // A feature that is the same for every pair (no flow in O*NET) ranks nothing; leave it out.
    const first = groups[0]?.positive[name];
    if (groups.every((g) => g.positive[name] === first && g.negatives.every((n) => n[name] === first))) continue;
    rows.push({ kind, scorer: name, positives: groups.length, ...metricsFor(groups, (f) => f[name] ?? 0) });
  }
  if (model) rows.push({ kind, scorer: 'learned', positives: groups.length, ...metricsFor(groups, (f) => scoreWithKindModel(model, f)) });
  return rows;
}

function fmt(x: number): string {
  return x.toFixed(3);
}

/**
 * A plain-text table, and per kind a verdict: does the learned model beat the best single
 * heuristic (best by AUCPR) on each metric?
 */
export function formatScoreTable(rows: readonly ScorerRow[]): string {
  const lines = ['kind                 scorer                  AUC    AUCPR  Hits@10 Hits@50 MRR    positives'];
  const kinds = [...new Set(rows.map((r) => r.kind))];
  for (const kind of kinds) {
    const ks = rows.filter((r) => r.kind === kind);
    for (const r of ks) {
      lines.push(
        `${kind.padEnd(20)} ${r.scorer.padEnd(23)} ${fmt(r.auc)}  ${fmt(r.aucpr)}  ${fmt(r.hits10)}   ${fmt(r.hits50)}   ${fmt(r.mrr)}  ${r.positives}`,
      );
    }
    const learned = ks.find((r) => r.scorer === 'learned');
    const singles = ks.filter((r) => r.scorer !== 'learned');
    if (learned && singles.length > 0) {
      const metrics: (keyof RankingMetrics)[] = ['auc', 'aucpr', 'hits10', 'hits50', 'mrr'];
      const lost = metrics
        .map((m) => ({ m, best: singles.reduce((a, b) => (b[m] > a[m] ? b : a)) }))
        .filter(({ m, best }) => learned[m] < best[m])
        .map(({ m, best }) => `${m} (${fmt(learned[m])} < ${fmt(best[m])} ${best.scorer})`);
      lines.push(`${kind.padEnd(20)} -> learned vs best single heuristic per metric: ${lost.length === 0 ? 'learned is at least as good on every metric' : `learned is worse on ${lost.join(', ')}`}`);
    }
  }
  return lines.join('\n');
}
