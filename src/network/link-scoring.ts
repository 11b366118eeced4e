/**
 * How a link is scored: the model's features (log-scaled), a linear model per kind as the trainer
 * stores it, and the default heuristic when no model is trained. Ranking is in link-prediction-ranking.ts.
 */
import type { LinkFeatureValues, LinkKind, LinkMode } from '../adapters/graph/relation-graph';

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

/** Model features in the order a model without `featureNames` (the first trainings) stores its weights. */
export const FEATURE_NAMES = [
  'commonNeighbours',
  'adamicAdar',
  'resourceAllocation',
  'preferentialAttachment',
  'jaccard',
  'recencyWeightedFlow',
  'embeddingSimilarity',
  'targetInDegree',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Model input: counts and sums are heavy-tailed, so they enter as log1p; the model learns on
 * standardised values (see link-predictor.ts).
 */
const MODEL_INPUT: Readonly<Record<FeatureName, (f: LinkFeatureValues) => number>> = {
  commonNeighbours: (f) => Math.log1p(f.commonNeighbours),
  adamicAdar: (f) => Math.log1p(f.adamicAdar),
  resourceAllocation: (f) => Math.log1p(f.resourceAllocation),
  preferentialAttachment: (f) => Math.log1p(f.preferentialAttachment),
  jaccard: (f) => f.jaccard,
  recencyWeightedFlow: (f) => Math.log1p(f.recencyWeightedFlow),
  embeddingSimilarity: (f) => f.embeddingSimilarity ?? 0,
  targetInDegree: (f) => Math.log1p(f.targetInDegree),
};

/**
 * Interaction terms the trainer adds to the single features (products of the log1p inputs, and one
 * indicator): a linear score over the single features can only add popularity and affinity, while on
 * career data their weight depends on each other: among targets with no common neighbour popularity
 * is all there is; among neighbours, a shared neighbour counts for more at a small target than at a hub.
 */
const INTERACTIONS = {
  // Features the engine computes since the first models, so they are model terms only (FEATURE_NAMES
  // keeps the weight order of models stored without feature names).
  targetRecentInDegree: (f: LinkFeatureValues) => Math.log1p(f.targetRecentInDegree ?? 0),
  sameIndustry: (f: LinkFeatureValues) => f.sameIndustry ?? 0,
  'targetRecentInDegree*sameIndustry': (f: LinkFeatureValues) => Math.log1p(f.targetRecentInDegree ?? 0) * (f.sameIndustry ?? 0),
  'targetInDegree^2': (f: LinkFeatureValues) => Math.log1p(f.targetInDegree) ** 2,
  'targetInDegree*adamicAdar': (f: LinkFeatureValues) => Math.log1p(f.targetInDegree) * Math.log1p(f.adamicAdar),
  'targetInDegree*resourceAllocation': (f: LinkFeatureValues) => Math.log1p(f.targetInDegree) * Math.log1p(f.resourceAllocation),
  'targetInDegree*recencyWeightedFlow': (f: LinkFeatureValues) => Math.log1p(f.targetInDegree) * Math.log1p(f.recencyWeightedFlow),
  'targetInDegree*noCommonNeighbour': (f: LinkFeatureValues) => Math.log1p(f.targetInDegree) * (f.commonNeighbours === 0 ? 1 : 0),
  noCommonNeighbour: (f: LinkFeatureValues) => (f.commonNeighbours === 0 ? 1 : 0),
  'adamicAdar*recencyWeightedFlow': (f: LinkFeatureValues) => Math.log1p(f.adamicAdar) * Math.log1p(f.recencyWeightedFlow),
} as const;
export type InteractionName = keyof typeof INTERACTIONS;
export type ModelTerm = FeatureName | InteractionName;
/** What the trainer fits now: the single features, then the interactions. */
export const MODEL_TERMS: readonly ModelTerm[] = [...FEATURE_NAMES, ...(Object.keys(INTERACTIONS) as InteractionName[])];
const TERM_INPUT: Readonly<Record<ModelTerm, (f: LinkFeatureValues) => number>> = { ...MODEL_INPUT, ...INTERACTIONS };

export function isFeatureName(name: string): name is FeatureName {
  return (FEATURE_NAMES as readonly string[]).includes(name);
}
export function isModelTerm(name: string): name is ModelTerm {
  return Object.hasOwn(TERM_INPUT, name);
}

export function featureVector(f: LinkFeatureValues, names: readonly ModelTerm[] = FEATURE_NAMES): number[] {
  return names.map((n) => TERM_INPUT[n](f));
}

/**
 * A linear scorer per kind, as stored in JSON by the trainer (pairwise logistic regression, see
 * src/network/link-evaluation.ts). Its sigmoid orders targets; it is not a calibrated probability.
 */
export interface KindModel {
  /** The features the weights belong to, by name; empty in the first models: FEATURE_NAMES' order. */
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
  /** Models for mode NEW (first links), per kind. */
  kinds: Partial<Record<LinkKind, KindModel>>;
  /**
   * Models for mode REPEAT (which existing partners a source links to again), trained on repeat
   * flows separately; absent in models before them. A kind without one is ranked by the default heuristic.
   */
  repeatKinds?: Partial<Record<LinkKind, KindModel>>;
  /** How it was trained (cut-off years, sizes), for the operator. */
  trainedOn: Record<string, unknown>;
}

/** The terms a stored model weighs; throws on a name this version does not compute. */
export function modelFeatureNames(model: KindModel): ModelTerm[] {
  const names = model.featureNames.length > 0 ? model.featureNames : FEATURE_NAMES.slice(0, model.weights.length);
  const unknown = names.filter((n) => !isModelTerm(n));
  if (unknown.length > 0) throw new Error(`the model uses features this version does not compute: ${unknown.join(', ')}`);
  if (names.length !== model.weights.length) throw new Error(`the model has ${model.weights.length} weights for ${names.length} features`);
  return names as ModelTerm[];
}

export function scoreWithKindModel(model: KindModel, f: LinkFeatureValues): number {
  const x = featureVector(f, modelFeatureNames(model));
  let z = model.bias;
  for (let i = 0; i < x.length; i += 1) z += model.weights[i] * ((x[i] - model.mean[i]) / model.std[i]);
  return 1 / (1 + Math.exp(-z));
}

/**
 * Without a trained model: popularity times affinity, log1p(in-degree) + log1p(Adamic-Adar) +
 * log1p(flow), i.e. (1 + in-degree)(1 + AA)(1 + flow). New links go mostly to popular targets (on
 * real career data the target's in-degree alone beats every neighbourhood feature), so a target
 * with no common neighbour still ranks by its popularity, and each shared neighbour or recent flow
 * multiplies it.
 */
export function defaultScore(f: LinkFeatureValues): number {
  return Math.log1p(f.targetInDegree) + Math.log1p(f.adamicAdar) + Math.log1p(f.recencyWeightedFlow);
}
export const DEFAULT_SCORER = 'heuristic:popularity-affinity';

/**
 * The stored model that answers a question of `mode`: NEW the new-link model, REPEAT the repeat-flow
 * model. ANY mixes existing partners with new targets, which neither model was trained to compare (and
 * their scores are on different scales), so it is the default heuristic's.
 */
export function kindModelFor(kind: LinkKind, model: LinkModel | undefined, mode: LinkMode = 'NEW'): KindModel | undefined {
  if (!model || mode === 'ANY') return undefined;
  return mode === 'REPEAT' ? model.repeatKinds?.[kind] : model.kinds[kind];
}

export function scoreLink(kind: LinkKind, f: LinkFeatureValues, model: LinkModel | undefined, mode: LinkMode = 'NEW'): number {
  const km = kindModelFor(kind, model, mode);
  return km ? scoreWithKindModel(km, f) : defaultScore(f);
}

/** What scores a kind's predictions: the model when it has one for the kind, else the default heuristic. */
export interface LinkScorer {
  /** `linkpred-v<version>` or DEFAULT_SCORER. */
  name: string;
  modelVersion: number | null;
  trainedAt: string | null;
}

export function scorerOf(kind: LinkKind, model: LinkModel | undefined, mode: LinkMode = 'NEW'): LinkScorer {
  return model && kindModelFor(kind, model, mode)
    ? { name: `linkpred-v${model.version}`, modelVersion: model.version, trainedAt: model.createdAt }
    : { name: DEFAULT_SCORER, modelVersion: null, trainedAt: null };
}
