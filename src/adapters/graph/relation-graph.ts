/**
 * The relation graph port: a projection of the data hub into who worked where, with whom, with
 * which skills, and who placed whom. Every node is keyed by the data hub's UUID (`id`); the
 * embedded adapter and the Neo4j adapter answer every query with the same results (checked by
 * test/contract/relation-graph.contract.test.ts).
 *
 * Writes are facts, not records: the caller (sync/ projector, reindex) turns data-hub rows into a
 * `GraphProjection`. Upserting a node replaces its own properties and its own outgoing facts
 * (a candidate's stints, schools, skills, applications, placements, owner; a job's company,
 * skills and owner; an occupation's skills), so re-projecting a record is one idempotent call.
 *
 * Derived relationships: MOVED_TO (company -> company, one relationship per year with `count`)
 * is maintained on every write. COLLEAGUE_OF (overlapping tenure at the same company) is derived
 * at read time from the WORKED_AT months: materialising it would be quadratic in a company's
 * headcount (a company with 50,000 alumni would hold ~10^8 pairs, rewritten on every hire).
 */
import type { IsoDate } from '../../hub/records';

export const NODE_LABELS = ['Candidate', 'Company', 'Job', 'Skill', 'School', 'Occupation', 'Consultant'] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

/** Stored relationship types. COLLEAGUE_OF is derived at read time (see above). */
export const REL_TYPES = [
  'WORKED_AT',
  'STUDIED_AT',
  'HAS_SKILL',
  'REQUIRES',
  'POSTED_BY',
  'APPLIED_TO',
  'PLACED_AT',
  'OWNED_BY',
  'MOVED_TO',
] as const;
export type RelType = (typeof REL_TYPES)[number];

export const LINK_KINDS = ['CANDIDATE_COMPANY', 'COMPANY_COMPANY', 'CANDIDATE_JOB', 'CANDIDATE_CANDIDATE'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export interface LinkKindSpec {
  source: NodeLabel;
  target: NodeLabel;
  /** Relationship types (undirected) that make the neighbour sets. */
  via: readonly RelType[];
  /** Whether direct neighbours of the source are candidates too (a flow that may continue). */
  includeDirect: boolean;
  /**
   * What makes a target popular (its in-degree, the `targetInDegree` feature and the POPULARITY
   * candidate source): MOVES_RECEIVED sums MOVED_TO counts into the company, APPLICANTS counts the
   * distinct candidates who applied to or were placed at the job; null for kinds without a direction.
   */
  popularity: 'MOVES_RECEIVED' | 'APPLICANTS' | null;
}

export const LINK_KIND_SPECS: Readonly<Record<LinkKind, LinkKindSpec>> = {
  // Next employer: companies my employers trade talent with.
  CANDIDATE_COMPANY: {
    source: 'Candidate',
    target: 'Company',
    via: ['WORKED_AT', 'MOVED_TO'],
    includeDirect: false,
    popularity: 'MOVES_RECEIVED',
  },
  // Next period's flow, existing partners included: flows persist, and that is what recency weighs.
  COMPANY_COMPANY: { source: 'Company', target: 'Company', via: ['MOVED_TO'], includeDirect: true, popularity: 'MOVES_RECEIVED' },
  // Graph fit: shared skills, and jobs at companies I worked for.
  CANDIDATE_JOB: {
    source: 'Candidate',
    target: 'Job',
    via: ['HAS_SKILL', 'REQUIRES', 'WORKED_AT', 'POSTED_BY'],
    includeDirect: false,
    popularity: 'APPLICANTS',
  },
  // Likely to know each other: shared employers and schools, discounted by their size (AA, RA).
  CANDIDATE_CANDIDATE: {
    source: 'Candidate',
    target: 'Candidate',
    via: ['WORKED_AT', 'STUDIED_AT'],
    includeDirect: false,
    popularity: null,
  },
};

// ---------------------------------------------------------------- input: graph facts

export interface NamedFacts {
  id: string;
  name: string;
}
export type ConsultantFacts = NamedFacts;
export type SchoolFacts = NamedFacts;
export interface CompanyFacts extends NamedFacts {
  industry?: string;
  location?: string;
}
export interface SkillFacts extends NamedFacts {
  category?: string;
}
export interface OccupationFacts extends NamedFacts {
  /** O*NET-SOC code, e.g. `15-1252.00`. */
  code?: string;
  skills?: { skillId: string; skillName?: string; requirement?: 'REQUIRED' | 'PREFERRED' }[];
}

/**
 * A reference to a node that may not be projected yet carries its name, so the graph can hold a
 * stub node until the record itself arrives (an experience at a company outside the hub).
 */
export interface StintFacts {
  companyId: string;
  companyName?: string;
  title: string;
  from: IsoDate;
  /** Absent while current. */
  to?: IsoDate;
}
export interface EducationFacts {
  /** Schools are not hub records: the caller derives a stable UUID, e.g. v5 of the normalised name. */
  schoolId: string;
  schoolName?: string;
  degree?: string;
  fromYear?: number;
  toYear?: number;
}
export interface CandidateFacts extends NamedFacts {
  headline?: string;
  currentTitle?: string;
  location?: string;
  ownerId?: string;
  experiences?: StintFacts[];
  education?: EducationFacts[];
  skills?: { skillId: string; skillName?: string; level?: number; years?: number }[];
  applications?: { jobId: string; stage: string; at?: string }[];
  placements?: { jobId: string; startDate: IsoDate }[];
}
export interface JobFacts {
  id: string;
  title: string;
  companyId: string;
  companyName?: string;
  status?: 'OPEN' | 'CLOSED';
  openedAt?: IsoDate;
  ownerId?: string;
  skills?: { skillId: string; skillName?: string; requirement: 'REQUIRED' | 'PREFERRED' }[];
}

/** One batch of facts; any part may be empty. Referenced nodes need not exist yet. */
export interface GraphProjection {
  consultants?: ConsultantFacts[];
  companies?: CompanyFacts[];
  schools?: SchoolFacts[];
  skills?: SkillFacts[];
  occupations?: OccupationFacts[];
  candidates?: CandidateFacts[];
  jobs?: JobFacts[];
}

export interface UpsertSummary {
  nodes: number;
  relationships: number;
}

// ---------------------------------------------------------------- output shapes

export type Props = Record<string, string | number | boolean | null>;

export interface GraphNode {
  id: string;
  label: NodeLabel;
  props: Props;
}
export interface GraphEdge {
  type: RelType;
  from: string;
  to: string;
  props: Props;
}
export interface Subgraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** True when `limit` cut the neighbourhood. */
  truncated: boolean;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export type WarmLinkKind = 'COLLEAGUE' | 'SCHOOLMATE' | 'OWNER' | 'PLACEMENT';
export interface WarmHop {
  from: string;
  to: string;
  kind: WarmLinkKind;
  /** 0..1; a path's strength is the product of its hops. */
  strength: number;
  /** Months of overlap (COLLEAGUE), the shared school or company ids, the placement job. */
  months?: number;
  via: string[];
}
/** The current employee of the target company a path reaches (its last node). */
export interface PathEmployee {
  candidateId: string;
  /** Of the current stint at the company (the latest started, when there are several). */
  title: string;
  since: IsoDate;
}
export interface IntroductionPath {
  nodeIds: string[];
  /** The label of each node of nodeIds (a path runs through candidates and consultants). */
  nodeLabels: NodeLabel[];
  hops: WarmHop[];
  strength: number;
  /** Set when the target is a company: the person the path ends at, who works there now. */
  employee?: PathEmployee;
}

export interface FlowPartner {
  companyId: string;
  name: string | null;
  total: number;
  byYear: { year: number; count: number }[];
}

export interface Colleague {
  candidateId: string;
  name: string | null;
  months: number;
  companyIds: string[];
}
export interface Alumnus {
  candidateId: string;
  name: string | null;
  title: string;
  from: IsoDate;
  to: IsoDate | null;
}

export interface LinkFeatureValues {
  commonNeighbours: number;
  adamicAdar: number;
  resourceAllocation: number;
  preferentialAttachment: number;
  jaccard: number;
  recencyWeightedFlow: number;
  /** The target's popularity: its in-degree as the kind defines it (LinkKindSpec.popularity), 0 without one. */
  targetInDegree: number;
  /** Cosine of the two nodes' vectors; null when no vectors were given. */
  embeddingSimilarity: number | null;
  /** Moves the target company received in the last RECENT_YEARS years before the view's year (0 for other targets). */
  targetRecentInDegree: number;
  /** 1 when the target company's industry is the source's (a candidate's: one of its employers'), else 0. */
  sameIndustry: number;
}

// ---------------------------------------------------------------- queries

export interface NeighborhoodQuery {
  id: string;
  /** 1..3 */
  depth: number;
  types?: RelType[];
  /** Maximum number of nodes, the centre included (1..500, default 100). */
  limit?: number;
}
export interface IntroductionPathsQuery {
  /** A person: a candidate or a consultant. */
  from: string;
  /**
   * A person, or a company: then the paths end at people who work there now (a stint without an end,
   * or ending this month or later), the strongest path to each of them, and pass through none of them.
   */
  to: string;
  /** 1..4 warm hops, default 3. */
  maxHops?: number;
  /** Default 10, at most 50. */
  first?: number;
}
export interface TalentFlowQuery {
  companyId: string;
  /** OUT: companies this one sends talent to; IN: companies it takes talent from. */
  direction: 'IN' | 'OUT';
  since?: number;
  first?: number;
}
export interface PageQuery {
  first?: number;
  after?: string | null;
}
/**
 * Where a candidate target comes from. The pool is the union of the sources, each with its own cap
 * (link-features.ts): NEIGHBOURHOOD, targets two hops away over the kind's relationships (and direct
 * neighbours where the kind allows), the best by resource allocation; POPULARITY, the targets with
 * the highest in-degree that NEIGHBOURHOOD did not bring, so popular destinations that are not
 * neighbours yet can be ranked. For company targets (COMPANY_COMPANY, CANDIDATE_COMPANY) also:
 * SECTOR_POPULARITY, the companies of the source's industry (a candidate's: its employers') with the
 * most moves received in the last RECENT_YEARS years; REVERSE_FLOW, the companies that send people to
 * the source (a candidate's: to its employers), most moves first; SIMILAR, companies like the source
 * (a candidate's employers) by industry, size band and location. EXISTING: the targets the source
 * already has the link to (modes REPEAT and ANY only), most links first.
 */
export const CANDIDATE_SOURCES = ['NEIGHBOURHOOD', 'POPULARITY', 'SECTOR_POPULARITY', 'REVERSE_FLOW', 'SIMILAR', 'EXISTING'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];

/**
 * Which links a prediction is about. NEW: targets the source has no link to yet; REPEAT: only the
 * existing ones ("who will hire from us again"), ranked; ANY: both. Only the kinds with a repeatable
 * link take REPEAT and ANY: COMPANY_COMPANY (existing = companies it already sent people to) and
 * CANDIDATE_COMPANY (existing = former employers; a current employer is never offered).
 */
export const LINK_MODES = ['NEW', 'REPEAT', 'ANY'] as const;
export type LinkMode = (typeof LINK_MODES)[number];
export const REPEATABLE_KINDS: readonly LinkKind[] = ['COMPANY_COMPANY', 'CANDIDATE_COMPANY'];

/** A target the engine found for a link from `nodeId`, with its topological features; the network ranks them. */
export interface LinkCandidate {
  targetId: string;
  targetLabel: NodeLabel;
  features: LinkFeatureValues;
  /** Common neighbours with their degree; evidence prefers the most specific (lowest degree). */
  commons: { id: string; degree: number }[];
  /** Already linked to the source (a flow that may continue). */
  direct: boolean;
  /** The sources that offered it, in CANDIDATE_SOURCES order. */
  sources: CandidateSource[];
}
export interface LinkCandidatesQuery {
  nodeId: string;
  kind: LinkKind;
  /** Year the recency weight counts from; default the current year of the graph's clock. */
  asOfYear?: number;
  /**
   * YYYY-MM-DD: the pool and the features use only the facts known at the start of that day (see
   * FactsAsOf in link-features.ts); the recency year defaults to its year. Default: every fact.
   */
  asOf?: IsoDate;
  /** The sources to ask (default every one the mode uses); for measuring them, not a public argument. */
  sources?: readonly CandidateSource[];
  /** Default NEW. Targets that can never be a link are always left out (a candidate's current employers, closed jobs). */
  mode?: LinkMode;
  /**
   * Deprecated alias of `mode`: true is NEW, false is ANY. BAD_USER_INPUT when it contradicts `mode`,
   * or when false is asked of a kind without repeat links.
   */
  excludeExisting?: boolean;
}
export interface LinkFeaturesOptions {
  /** YYYY-MM-DD: features from the facts known at the start of that day (as in LinkCandidatesQuery). */
  asOf?: IsoDate;
}
export interface LinkPair {
  sourceId: string;
  targetId: string;
}

export interface RelationGraph {
  /** Creates constraints and indexes; idempotent. */
  init(): Promise<void>;
  upsert(projection: GraphProjection): Promise<UpsertSummary>;
  /** Deletes nodes and their relationships; unknown ids are ignored. Returns how many were deleted. */
  delete(ids: readonly string[]): Promise<number>;
  /** Removes every node of this graph (namespace), and nothing else. */
  clear(): Promise<void>;
  close(): Promise<void>;
  counts(): Promise<{ nodes: number; relationships: number }>;
  /** Nodes per label, stubs (records referenced before they were projected) left out. */
  countByLabel(): Promise<Partial<Record<NodeLabel, number>>>;

  /** Throws NOT_FOUND for an unknown id, BAD_USER_INPUT for depth outside 1..3. */
  neighborhood(query: NeighborhoodQuery): Promise<Subgraph>;
  introductionPaths(query: IntroductionPathsQuery): Promise<IntroductionPath[]>;
  talentFlow(query: TalentFlowQuery): Promise<FlowPartner[]>;
  colleagues(candidateId: string, page?: PageQuery): Promise<Page<Colleague>>;
  alumni(companyId: string, page?: PageQuery): Promise<Page<Alumnus>>;
  /**
   * The candidate pool, unranked: the union of CANDIDATE_SOURCES the mode asks for, each capped
   * (link-features.ts); NOT_FOUND for an unknown source, BAD_USER_INPUT for a mode the kind lacks.
   */
  linkCandidates(query: LinkCandidatesQuery): Promise<LinkCandidate[]>;
  /** Topological features of arbitrary pairs (training, evaluation); zeros when unrelated. */
  linkFeatures(kind: LinkKind, pairs: readonly LinkPair[], asOfYear: number, options?: LinkFeaturesOptions): Promise<LinkFeatureValues[]>;
}
