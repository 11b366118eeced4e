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
import { compareStrings } from './graph-traversals';
import {
  CANDIDATE_SOURCES,
  type CandidateSource,
  type LinkCandidate,
  type LinkFeatureValues,
  type LinkMode,
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
/** SECTOR_POPULARITY targets per prediction: the source's industry, most moves received in the last RECENT_YEARS years. */
export const SECTOR_POOL = 300;
/** REVERSE_FLOW targets per prediction: the companies that send the most people to the source. */
export const REVERSE_POOL = 200;
/** SIMILAR targets per prediction: at least two of industry, size band and location shared with the source. */
export const SIMILAR_POOL = 200;
/** "Recent" in-degree counts the moves of this many years before the view's year (and of that year without asOf). */
export const RECENT_YEARS = 3;

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
  targetRecentInDegree = 0,
  sameIndustry = 0,
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
    targetRecentInDegree,
    sameIndustry,
  };
}

// ---------------------------------------------------------------- sources chosen from a table of targets

/** One target of a kind in one view: what POPULARITY, SECTOR_POPULARITY and SIMILAR rank by. */
export interface TargetStats {
  id: string;
  /** LinkKindSpec.popularity in the view. */
  inDegree: number;
  /** Moves received in the years from FactsAsOf.year - RECENT_YEARS; 0 for jobs. */
  recentInDegree: number;
  industry: string | null;
  location: string | null;
  /** Distinct people with a stint there in the view; 0 for jobs. */
  headcount: number;
  /** A closed job: never offered. */
  closed: boolean;
}

/** A view's targets, indexed once (engines cache it per kind and view). */
export interface TargetTable {
  byId: ReadonlyMap<string, TargetStats>;
  /** In-degree > 0, highest first, ties by id. */
  popular: readonly TargetStats[];
  /** Per industry, recent in-degree > 0, highest first (then in-degree, id). */
  recentByIndustry: ReadonlyMap<string, readonly TargetStats[]>;
  byIndustry: ReadonlyMap<string, readonly TargetStats[]>;
  byLocation: ReadonlyMap<string, readonly TargetStats[]>;
}

function compareRecent(a: TargetStats, b: TargetStats): number {
  return b.recentInDegree - a.recentInDegree || b.inDegree - a.inDegree || compareStrings(a.id, b.id);
}

export function targetTable(rows: readonly TargetStats[]): TargetTable {
  const group = (key: (t: TargetStats) => string | null) => {
    const out = new Map<string, TargetStats[]>();
    for (const t of rows) {
      const k = key(t);
      if (k === null || k === '') continue;
      const list = out.get(k);
      if (list) list.push(t);
      else out.set(k, [t]);
    }
    return out;
  };
  const recentByIndustry = group((t) => (t.recentInDegree > 0 ? t.industry : null));
  for (const list of recentByIndustry.values()) list.sort(compareRecent);
  return {
    byId: new Map(rows.map((t) => [t.id, t])),
    popular: rows.filter((t) => t.inDegree > 0).sort((a, b) => b.inDegree - a.inDegree || compareStrings(a.id, b.id)),
    recentByIndustry,
    byIndustry: group((t) => t.industry),
    byLocation: group((t) => t.location),
  };
}

/** Size bands by headcount: 1-9, 10-99, 100-999, 1,000-9,999, 10,000+ (0: nobody). */
export function sizeBand(headcount: number): number {
  return headcount <= 0 ? 0 : headcount < 10 ? 1 : headcount < 100 ? 2 : headcount < 1000 ? 3 : headcount < 10000 ? 4 : 5;
}

/** What the sources need about the source node in the view. */
export interface SourceLinks {
  /** Targets the source already has a link to, with their number of links (EXISTING's order). */
  existing: ReadonlyMap<string, number>;
  /** Targets never offered: a candidate's current employers. */
  never: ReadonlySet<string>;
  /** REVERSE_FLOW: companies with moves into the source (a candidate's: into its employers), per company. */
  senders: ReadonlyMap<string, number>;
  /** The companies the source is: itself (COMPANY_COMPANY) or a candidate's employers (CANDIDATE_COMPANY). */
  profileIds: readonly string[];
}

/** The industries of the source's profile companies; `sameIndustry` is 1 for a target in one of them. */
export function sourceIndustries(table: TargetTable | null, links: Pick<SourceLinks, 'profileIds'>): Set<string> {
  const out = new Set<string>();
  for (const id of links.profileIds) {
    const ind = table?.byId.get(id)?.industry;
    if (ind) out.add(ind);
  }
  return out;
}

export interface ChooseOptions {
  sourceId: string;
  mode: LinkMode;
  sources: ReadonlySet<CandidateSource>;
  /** The NEIGHBOURHOOD pool: POPULARITY takes only targets outside it. */
  taken: ReadonlySet<string>;
  /** Whether the kind has company targets (the table-driven sources beyond POPULARITY need them). */
  companies: boolean;
}

/**
 * Every source but NEIGHBOURHOOD, chosen the same way for both engines from the view's table and the
 * source's links: each offers only what the mode offers, up to its cap.
 */
export function chooseTargets(table: TargetTable | null, links: SourceLinks, o: ChooseOptions): [CandidateSource, string[]][] {
  const offered = (v: string) =>
    v !== o.sourceId &&
    !links.never.has(v) &&
    !(table?.byId.get(v)?.closed ?? false) &&
    (o.mode === 'ANY' || (o.mode === 'REPEAT') === links.existing.has(v));
  const take = (ids: Iterable<string>, cap: number, also: (v: string) => boolean = () => true) => {
    const out: string[] = [];
    for (const v of ids) {
      if (out.length >= cap) break;
      if (offered(v) && also(v)) out.push(v);
    }
    return out;
  };
  const ids = (rows: Iterable<TargetStats>) => [...rows].map((t) => t.id);
  const byCount = (m: ReadonlyMap<string, number>) => [...m].sort(([va, a], [vb, b]) => b - a || compareStrings(va, vb)).map(([v]) => v);
  const out: [CandidateSource, string[]][] = [];
  const wants = (s: CandidateSource) => o.sources.has(s) && (s === 'EXISTING' ? o.mode !== 'NEW' : o.mode !== 'REPEAT');
  if (wants('POPULARITY') && table) out.push(['POPULARITY', take(ids(table.popular), POPULAR_POOL, (v) => !o.taken.has(v))]);
  if (o.companies && table) {
    const profiles = links.profileIds.map((id) => table.byId.get(id)).filter((t): t is TargetStats => t !== undefined);
    if (wants('SECTOR_POPULARITY')) {
      const industries = [...sourceIndustries(table, links)].sort(compareStrings);
      const merged = industries.flatMap((ind) => table.recentByIndustry.get(ind) ?? []).sort(compareRecent);
      out.push(['SECTOR_POPULARITY', take(ids(merged), SECTOR_POOL)]);
    }
    if (wants('REVERSE_FLOW')) out.push(['REVERSE_FLOW', take(byCount(links.senders), REVERSE_POOL, (v) => table.byId.has(v))]);
    if (wants('SIMILAR')) {
      const score = new Map<string, number>();
      for (const p of profiles) {
        const near = [
          ...(p.industry ? (table.byIndustry.get(p.industry) ?? []) : []),
          ...(p.location ? (table.byLocation.get(p.location) ?? []) : []),
        ];
        for (const t of near) {
          const s =
            (p.industry && t.industry === p.industry ? 1 : 0) +
            (p.location && t.location === p.location ? 1 : 0) +
            (sizeBand(t.headcount) === sizeBand(p.headcount) ? 1 : 0);
          if (s >= 2 && s > (score.get(t.id) ?? 0)) score.set(t.id, s);
        }
      }
      const ranked = [...score]
        .sort(([a, sa], [b, sb]) => sb - sa || compareRecent(table.byId.get(a)!, table.byId.get(b)!))
        .map(([v]) => v);
      out.push(['SIMILAR', take(ranked, SIMILAR_POOL)]);
    }
  }
  if (wants('EXISTING')) out.push(['EXISTING', take(byCount(links.existing), EXISTING_POOL)]);
  return out;
}
