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
import type { LinkFeatureValues } from './relation-graph';

export const FLOW_HALF_LIFE_YEARS = 3;
/** Targets scored per prediction: the best by resource allocation, ties by id. */
export const CANDIDATE_POOL = 1000;

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
