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
 * Target in-degree is the target's popularity (LinkKindSpec.popularity): moves received by a
 * company (MOVED_TO counts), distinct applicants of a job; on real career data it alone ranks new
 * links better than any neighbourhood feature.
 */
import { CANDIDATE_SOURCES, type CandidateSource, type LinkCandidate, type LinkFeatureValues } from './relation-graph';

export const FLOW_HALF_LIFE_YEARS = 3;
/** NEIGHBOURHOOD targets scored per prediction: the best by resource allocation, ties by id. */
export const CANDIDATE_POOL = 1000;
/** POPULARITY targets added per prediction: the highest in-degree outside the NEIGHBOURHOOD pool, ties by id. */
export const POPULAR_POOL = 500;

/**
 * The candidate pool as the union of its sources: a target offered by several keeps the first
 * source's row (same features either way) and lists every source, in CANDIDATE_SOURCES order.
 */
export function unionOfSources(
  bySource: readonly (readonly [CandidateSource, readonly Omit<LinkCandidate, 'sources'>[]])[],
): LinkCandidate[] {
  const out = new Map<string, LinkCandidate>();
  for (const [source, rows] of bySource) {
    for (const r of rows) {
      const seen = out.get(r.targetId);
      if (seen) seen.sources.push(source);
      else out.set(r.targetId, { ...r, sources: [source] });
    }
  }
  const order = (s: CandidateSource) => CANDIDATE_SOURCES.indexOf(s);
  for (const c of out.values()) c.sources = [...new Set(c.sources)].sort((a, b) => order(a) - order(b));
  return [...out.values()];
}

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
  targetInDegree: number,
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
    targetInDegree,
    embeddingSimilarity,
  };
}
