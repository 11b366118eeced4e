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
import { monthIndex, monthOf } from './career-timeline';
import {
  CANDIDATE_SOURCES,
  type CandidateSource,
  type LinkCandidate,
  type LinkFeatureValues,
  type Props,
  type RelType,
} from './relation-graph';

export const FLOW_HALF_LIFE_YEARS = 3;
/** NEIGHBOURHOOD targets scored per prediction: the best by resource allocation, ties by id. */
export const CANDIDATE_POOL = 1000;
/** POPULARITY targets added per prediction: the highest in-degree outside the NEIGHBOURHOOD pool, ties by id. */
export const POPULAR_POOL = 500;
/** EXISTING targets per prediction (modes REPEAT and ANY): the most links first, ties by id. */
export const EXISTING_POOL = 1000;

/**
 * The facts a prediction sees. Without `asOf`, every fact, and "now" is the graph clock. With it,
 * the facts known at the start of that day: a stint counts when it started before asOf and is
 * current when it had not ended by then; a move counts when its year is before asOf's year
 * (MOVED_TO is kept per year, so a move in asOf's own year waits until that year is over rather
 * than leak); an application counts when made before asOf (or undated), a placement when it
 * started before. Skills, schools, owners and job postings carry no date and always count.
 * Both engines implement `visible` (code here, Cypher in neo4j-cypher.ts).
 */
export interface FactsAsOf {
  /** YYYY-MM-DD, or null for every fact. */
  asOf: string | null;
  /** asOf, or the clock's date: a stint that ends on or after it is current. */
  refDate: string;
  /** Month index of refDate: open (and, with asOf, not yet ended) stints run to it. */
  nowMonth: number;
  /** Moves of this year and later are left out (Infinity without asOf). */
  moveYearLimit: number;
  /** The year recency and "recent" count back from. */
  year: number;
  /** Cache key of this view of the graph. */
  key: string;
}

export function factsAsOf(asOf: string | undefined, clock: Date): FactsAsOf {
  if (asOf === undefined) {
    const refDate = clock.toISOString().slice(0, 10);
    return { asOf: null, refDate, nowMonth: monthOf(clock), moveYearLimit: Infinity, year: clock.getUTCFullYear(), key: '' };
  }
  const year = Number(asOf.slice(0, 4));
  return { asOf, refDate: asOf, nowMonth: monthIndex(asOf, 'asOf'), moveYearLimit: year, year, key: asOf };
}

/** Whether a relationship is a fact of the view (see FactsAsOf). */
export function visibleFact(t: FactsAsOf, type: RelType, props: Props): boolean {
  if (t.asOf === null) return true;
  switch (type) {
    case 'WORKED_AT':
      return String(props.from) < t.asOf;
    case 'MOVED_TO':
      return Number(props.year) < t.moveYearLimit;
    case 'APPLIED_TO':
      return props.at === undefined || String(props.at) < t.asOf;
    case 'PLACED_AT':
      return String(props.startDate) < t.asOf;
    default:
      return true;
  }
}

/** A stint that has not ended as of the view (no end, or an end on or after refDate). */
export function currentStint(t: FactsAsOf, props: Props): boolean {
  return props.to === undefined || String(props.to) >= t.refDate;
}

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
