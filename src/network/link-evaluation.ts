/**
 * The shared core of training and evaluation: labelled groups (one positive pair, its sampled
 * negatives), their features, a logistic model per kind, and a side-by-side table of every single
 * heuristic against the learned model.
 */
import {
  defaultScore,
  FEATURE_NAMES,
  featureVector,
  MODEL_TERMS,
  scoreWithKindModel,
  type FeatureName,
  type KindModel,
  type ModelTerm,
} from './link-scoring';
import type { LinkFeatureValues, LinkPair } from '../adapters/graph/relation-graph';
import { expectedRank, rankingMetrics, type RankingMetrics } from './link-metrics';
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

/**
 * Pairwise logistic regression (RankNet with a linear scorer): each example is a positive minus
 * one of its own negatives, so the model learns to order targets for the same source, which is
 * what Hits@k and MRR measure; a pointwise fit over pooled pairs also learns which sources have
 * many links, which ranks nothing. Both directions are added so the fit needs no bias. `terms`: the
 * single features and their interactions (MODEL_TERMS), or FEATURE_NAMES for the linear model of the
 * first versions.
 */
export function fitKindModel(groups: readonly FeatureGroup[], terms: readonly ModelTerm[] = MODEL_TERMS): KindModel {
  const pointwise: number[][] = [];
  for (const g of groups) pointwise.push(featureVector(g.positive, terms), ...g.negatives.map((n) => featureVector(n, terms)));
  const d = pointwise[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => pointwise.reduce((s, r) => s + r[j], 0) / pointwise.length);
  const std = Array.from(
    { length: d },
    (_, j) => Math.sqrt(pointwise.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / pointwise.length) || 1,
  );
  const x: number[][] = [];
  const y: number[] = [];
  for (const g of groups) {
    const p = featureVector(g.positive, terms);
    for (const n of g.negatives) {
      const diff = featureVector(n, terms).map((v, j) => (p[j] - v) / std[j]);
      x.push(
        diff,
        diff.map((v) => -v),
      );
      y.push(1, 0);
    }
  }
  const fit = fitLogistic(x, y, { standardize: false, bias: false });
  return { featureNames: [...terms], mean, std, weights: fit.weights, bias: 0 };
}

export interface ScorerRow extends RankingMetrics {
  kind: string;
  /** A single feature (targetInDegree is the in-degree baseline), `default` (the heuristic without a model) or `learned`. */
  scorer: FeatureName | 'default' | 'learned';
  positives: number;
}

/** A scorer of a row: the feature itself, the default heuristic, or a model. */
export function rowScorer(scorer: ScorerRow['scorer'], model: KindModel | undefined): (f: LinkFeatureValues) => number {
  if (scorer === 'default') return defaultScore;
  if (scorer === 'learned') return (f) => scoreWithKindModel(model!, f);
  return (f) => f[scorer] ?? 0;
}

/** Per positive: its expected rank among its own negatives, and the share of them it outscores (ties half). */
export function groupRanks(groups: readonly FeatureGroup[], score: (f: LinkFeatureValues) => number): { rank: number; auc: number }[] {
  return groups.map((g) => {
    const negatives = g.negatives.map(score);
    const rank = expectedRank(score(g.positive), negatives);
    return { rank, auc: negatives.length === 0 ? 1 : 1 - (rank - 1) / negatives.length };
  });
}

function metricsFor(groups: readonly FeatureGroup[], score: (f: LinkFeatureValues) => number): RankingMetrics {
  return rankingMetrics(groups.map((g) => ({ positive: score(g.positive), negatives: g.negatives.map(score) })));
}

/**
 * One row per single heuristic (skipping embedding similarity when no vectors were given), the
 * default heuristic, then the model. The in-degree baseline (targetInDegree) is always there: a
 * model that does not beat it is not worth serving.
 */
export function scoreTable(kind: string, groups: readonly FeatureGroup[], model: KindModel | undefined): ScorerRow[] {
  const hasEmbeddings = groups.some((g) => g.positive.embeddingSimilarity !== null);
  const rows: ScorerRow[] = [];
  for (const name of FEATURE_NAMES) {
    if (name === 'embeddingSimilarity' && !hasEmbeddings) continue;
    // A feature that is the same for every pair (no flow in O*NET) ranks nothing; leave it out.
    const first = groups[0]?.positive[name];
    const constant = groups.every((g) => g.positive[name] === first && g.negatives.every((n) => n[name] === first));
    if (constant && name !== 'targetInDegree') continue;
    rows.push({ kind, scorer: name, positives: groups.length, ...metricsFor(groups, (f) => f[name] ?? 0) });
  }
  rows.push({ kind, scorer: 'default', positives: groups.length, ...metricsFor(groups, defaultScore) });
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
    const singles = ks.filter((r) => r.scorer !== 'learned' && r.scorer !== 'default');
    if (learned && singles.length > 0) {
      const metrics: (keyof RankingMetrics)[] = ['auc', 'aucpr', 'hits10', 'hits50', 'mrr'];
      const lost = metrics
        .map((m) => ({ m, best: singles.reduce((a, b) => (b[m] > a[m] ? b : a)) }))
        .filter(({ m, best }) => learned[m] < best[m])
        .map(({ m, best }) => `${m} (${fmt(learned[m])} < ${fmt(best[m])} ${best.scorer})`);
      lines.push(
        `${kind.padEnd(20)} -> learned vs best single heuristic per metric: ${lost.length === 0 ? 'learned is at least as good on every metric' : `learned is worse on ${lost.join(', ')}`}`,
      );
    }
  }
  return lines.join('\n');
}
