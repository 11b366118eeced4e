/**
 * How a link is scored: the model's features (log-scaled), a linear model per kind as the trainer
 * stores it, and the default heuristic when no model is trained. Ranking is in link-prediction-ranking.ts.
 */
import type { LinkFeatureValues, LinkKind } from '../adapters/graph/relation-graph';

export const EVIDENCE_PATHS = 5;

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`vector lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export const FEATURE_NAMES = [
  'commonNeighbours',
  'adamicAdar',
  'resourceAllocation',
  'preferentialAttachment',
  'jaccard',
  'recencyWeightedFlow',
  'embeddingSimilarity',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Model input: counts and sums are heavy-tailed, so they enter as log1p; the model learns on
 * standardised values (see link-predictor.ts).
 */
export function featureVector(f: LinkFeatureValues): number[] {
  return [
    Math.log1p(f.commonNeighbours),
    Math.log1p(f.adamicAdar),
    Math.log1p(f.resourceAllocation),
    Math.log1p(f.preferentialAttachment),
    f.jaccard,
    Math.log1p(f.recencyWeightedFlow),
    f.embeddingSimilarity ?? 0,
  ];
}

/**
 * A linear scorer per kind, as stored in JSON by the trainer (pairwise logistic regression, see
 * src/network/link-evaluation.ts). Its sigmoid orders targets; it is not a calibrated probability.
 */
export interface KindModel {
  featureNames: string[];
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
}
export interface LinkModel {
  format: 'matchhub-linkpred';
  version: number;
  createdAt: string;
  kinds: Partial<Record<LinkKind, KindModel>>;
  /** How it was trained (cut-off years, sizes), for the operator. */
  trainedOn: Record<string, unknown>;
}

export function scoreWithKindModel(model: KindModel, f: LinkFeatureValues): number {
  const x = featureVector(f);
  let z = model.bias;
  for (let i = 0; i < x.length; i += 1) z += model.weights[i] * ((x[i] - model.mean[i]) / model.std[i]);
  return 1 / (1 + Math.exp(-z));
}

/** Without a trained model: resource allocation (the strongest single heuristic on sparse graphs) plus flow. */
export function defaultScore(f: LinkFeatureValues): number {
  return f.resourceAllocation + f.recencyWeightedFlow;
}

export function scoreLink(kind: LinkKind, f: LinkFeatureValues, model: LinkModel | undefined): number {
  const km = model?.kinds[kind];
  return km ? scoreWithKindModel(km, f) : defaultScore(f);
}
