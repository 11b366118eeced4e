/**
 * Link-prediction kinds and the topological features both engines compute (Cypher on Neo4j,
 * code on the embedded graph). Definitions are the classic ones (Liben-Nowell & Kleinberg 2007;
 * Zhou, Lü & Zhang 2009 for resource allocation) on the undirected subgraph made of the kind's
 * `via` relationship types, with neighbour sets of DISTINCT nodes (a person with two stints at
 * one company has that company once):
 *   CN = |Γ(u) ∩ Γ(v)|, AA = Σ 1/ln|Γ(z)|, RA = Σ 1/|Γ(z)| over z in Γ(u) ∩ Γ(v),
 *   PA = |Γ(u)|·|Γ(v)|, Jaccard = CN / |Γ(u) ∪ Γ(v)|.
 * Recency-weighted flow is directed: MOVED_TO counts into the target (or the target job's
 * company) from the source's employers (or from the source company), each year weighted by
 * 0.5^((asOfYear - year) / FLOW_HALF_LIFE_YEARS).
 */
import type { LinkFeatureValues, NodeLabel, RelType } from './relation-graph';

export const LINK_KINDS = ['CANDIDATE_COMPANY', 'COMPANY_COMPANY', 'CANDIDATE_JOB', 'CANDIDATE_CANDIDATE'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface LinkKindSpec {
  source: NodeLabel;
  target: NodeLabel;
  /** Relationship types (undirected) that make the neighbour sets. */
  via: readonly RelType[];
  /** Whether direct neighbours of the source are candidates too (a flow that may continue). */
  includeDirect: boolean;
}

export const LINK_KIND_SPECS: Readonly<Record<LinkKind, LinkKindSpec>> = {
  // Next employer: companies my employers trade talent with.
  CANDIDATE_COMPANY: { source: 'Candidate', target: 'Company', via: ['WORKED_AT', 'MOVED_TO'], includeDirect: false },
  // Next period's flow, existing partners included: flows persist, and that is what recency weighs.
  COMPANY_COMPANY: { source: 'Company', target: 'Company', via: ['MOVED_TO'], includeDirect: true },
  // Graph fit: shared skills, and jobs at companies I worked for.
  CANDIDATE_JOB: { source: 'Candidate', target: 'Job', via: ['HAS_SKILL', 'REQUIRES', 'WORKED_AT', 'POSTED_BY'], includeDirect: false },
  // Likely to know each other: shared employers and schools, discounted by their size (AA, RA).
  CANDIDATE_CANDIDATE: { source: 'Candidate', target: 'Candidate', via: ['WORKED_AT', 'STUDIED_AT'], includeDirect: false },
};

export const FLOW_HALF_LIFE_YEARS = 3;
/** Targets scored per prediction: the best by resource allocation, ties by id. */
export const CANDIDATE_POOL = 1000;
export const EVIDENCE_PATHS = 5;

export function recencyWeight(year: number, asOfYear: number): number {
  return Math.pow(0.5, Math.max(0, asOfYear - year) / FLOW_HALF_LIFE_YEARS);
}

export function adamicAdarTerm(degree: number): number {
  return 1 / Math.log(degree);
}

export function combineFeatures(
  commonNeighbours: number,
  adamicAdar: number,
  resourceAllocation: number,
  sourceDegree: number,
  targetDegree: number,
  recencyWeightedFlow: number,
  embeddingSimilarity: number | null,
): LinkFeatureValues {
  const union = sourceDegree + targetDegree - commonNeighbours;
  return {
    commonNeighbours,
    adamicAdar,
    resourceAllocation,
    preferentialAttachment: sourceDegree * targetDegree,
    jaccard: union > 0 ? commonNeighbours / union : 0,
    recencyWeightedFlow,
    embeddingSimilarity,
  };
}

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

// ---------------------------------------------------------------- scoring

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
 * standardised values (see src/linkpred/link-model-training.ts).
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
