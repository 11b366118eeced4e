/**
 * The default RelationGraph: in process, on graphology's MultiDirectedGraph (parallel edges are
 * real here: two stints at one company, MOVED_TO per year). Rebuilt from the data hub at start
 * by the caller; nothing is persisted.
 */
import { MultiDirectedGraph } from 'graphology';
import { monthIndex, monthOf, moveDeltas, moveKey, movesOf, overlapMonths, parseMoveKey } from './career-timeline';
import { badInput, notFound } from './graph-errors';
import {
  encodeCursor,
  normalizeIntroduction,
  normalizeNeighborhood,
  normalizePage,
  normalizeAsOf,
  normalizeLinkQuery,
  normalizeTalentFlow,
  cleanProps,
  offsetOf,
  validateProjection,
  WARM_HUB_LIMIT,
  WARM_LINKS_PER_NODE,
} from './graph-input';
import {
  colleagueStrength,
  compareEdges,
  compareStrings,
  introductionPaths,
  neighborhood,
  selectWarmLinks,
  WARM_STRENGTH,
  type TraversalPrimitives,
  tieSafe,
} from './graph-traversals';
import {
  adamicAdarTerm,
  CANDIDATE_POOL,
  combineFeatures,
  currentStint,
  chooseTargets,
  factsAsOf,
  recencyWeight,
  RECENT_YEARS,
  sourceIndustries,
  targetTable,
  unionOfSources,
  visibleFact,
  type FactsAsOf,
  type SourceLinks,
  type TargetStats,
  type TargetTable,
} from './link-features';
import {
  LINK_KIND_SPECS,
  type CandidateSource,
  type LinkCandidate,
  type LinkCandidatesQuery,
  type LinkKind,
  type LinkMode,
} from './relation-graph';
import type {
  Alumnus,
  CandidateFacts,
  Colleague,
  FlowPartner,
  GraphEdge,
  GraphNode,
  GraphProjection,
  IntroductionPath,
  IntroductionPathsQuery,
  PathEmployee,
  JobFacts,
  LinkFeatureValues,
  LinkFeaturesOptions,
  LinkPair,
  NeighborhoodQuery,
  NodeLabel,
  Page,
  PageQuery,
  Props,
  RelationGraph,
  RelType,
  Subgraph,
  TalentFlowQuery,
  UpsertSummary,
  WarmHop,
} from './relation-graph';

interface NodeAttrs {
  label: NodeLabel;
  props: Props;
  /** A candidate's moves as keys, to diff MOVED_TO counts when its stints change. */
  moves?: string[];
}
interface EdgeAttrs {
  type: RelType;
  props: Props;
}

export interface EmbeddedRelationGraphOptions {
  /** Open stints run to this clock's month; fixed in tests so derived months are reproducible. */
  clock?: () => Date;
}

/** Cached views (one per kind and asOf) and degrees before the caches start over. */
const MAX_CACHED_VIEWS = 16;
const MAX_CACHED_DEGREES = 1_000_000;

/** NEIGHBOURHOOD's sums for a target: CN, AA and RA with the common neighbours and their degree. */
interface Accumulated {
  cn: number;
  aa: number;
  ra: number;
  commons: { id: string; degree: number }[];
}

/** A neighbour z of a source (poolOf): its degree, and its neighbours that could be targets. */
interface NearTargets {
  degree: number;
  targets: readonly string[];
}

/** linkPools: the mode and the view, as in LinkCandidatesQuery. */
export interface LinkPoolsOptions {
  mode?: LinkMode;
  asOf?: string;
}

const OWNED_TYPES: Partial<Record<NodeLabel, readonly RelType[]>> = {
  Candidate: ['WORKED_AT', 'STUDIED_AT', 'HAS_SKILL', 'APPLIED_TO', 'PLACED_AT', 'OWNED_BY'],
  Job: ['POSTED_BY', 'REQUIRES', 'OWNED_BY'],
  Occupation: ['REQUIRES'],
};

export class EmbeddedRelationGraph implements RelationGraph {
  private readonly g = new MultiDirectedGraph<NodeAttrs, EdgeAttrs>({ allowSelfLoops: false });
  private readonly clock: () => Date;
  private readonly prim: TraversalPrimitives;

  constructor(options: EmbeddedRelationGraphOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
    this.prim = {
      nodes: async (ids) => ids.filter((id) => this.g.hasNode(id)).map((id) => this.nodeOut(id)),
      expand: async (frontier, types, exclude, limit) => this.expand(frontier, types, exclude, limit),
      edgesAmong: async (ids, types, limit) => this.edgesAmong(ids, types, limit),
      warmLinks: async (ids) => new Map(ids.map((id) => [id, this.warmLinks(id)])),
      currentEmployees: async (companyId, ids) => this.currentEmployees(companyId, ids),
    };
  }

  async init(): Promise<void> {}
  async close(): Promise<void> {}

  async clear(): Promise<void> {
    this.g.clear();
    this.stintIndex.clear();
    this.schoolIndex.clear();
    this.degrees.clear();
    this.tables.clear();
  }

  async counts(): Promise<{ nodes: number; relationships: number }> {
    return { nodes: this.g.order, relationships: this.g.size };
  }

  async countByLabel(): Promise<Partial<Record<NodeLabel, number>>> {
    const out: Partial<Record<NodeLabel, number>> = {};
    this.g.forEachNode((_id, attrs) => {
      if (!attrs.props.stub) out[attrs.label] = (out[attrs.label] ?? 0) + 1;
    });
    return out;
  }

  // ---------------------------------------------------------------- writes

  async upsert(p: GraphProjection): Promise<UpsertSummary> {
    validateProjection(p);
    this.stintIndex.clear();
    this.schoolIndex.clear();
    this.degrees.clear();
    this.tables.clear();
    const before = this.g.size;
    let nodes = 0;
    for (const c of p.consultants ?? []) nodes += this.putNode(c.id, 'Consultant', { name: c.name });
    for (const c of p.companies ?? []) nodes += this.putNode(c.id, 'Company', { name: c.name, industry: c.industry, location: c.location });
    for (const s of p.schools ?? []) nodes += this.putNode(s.id, 'School', { name: s.name });
    for (const s of p.skills ?? []) nodes += this.putNode(s.id, 'Skill', { name: s.name, category: s.category });
    for (const o of p.occupations ?? []) {
      nodes += this.putNode(o.id, 'Occupation', { name: o.name, code: o.code });
      this.dropOwned(o.id, 'Occupation');
      for (const s of o.skills ?? [])
        this.link(o.id, this.stub(s.skillId, 'Skill', s.skillName), 'REQUIRES', { requirement: s.requirement });
    }
    for (const c of p.candidates ?? []) nodes += this.putCandidate(c);
    for (const j of p.jobs ?? []) nodes += this.putJob(j);
    return { nodes, relationships: this.g.size - before };
  }

  private putNode(id: string, label: NodeLabel, props: Record<string, string | number | boolean | null | undefined>): number {
    const attrs: NodeAttrs = { label, props: cleanProps(props) };
    if (this.g.hasNode(id)) {
      const old = this.g.getNodeAttributes(id);
      this.g.replaceNodeAttributes(id, { ...attrs, moves: old.moves });
    } else {
      this.g.addNode(id, attrs);
    }
    return 1;
  }

  private stub(id: string, label: NodeLabel, name: string | undefined): string {
    if (!this.g.hasNode(id)) this.g.addNode(id, { label, props: cleanProps({ name, stub: true }) });
    return id;
  }

  private dropOwned(id: string, label: NodeLabel): void {
    const owned = OWNED_TYPES[label] ?? [];
    for (const e of this.g.outEdges(id)) if (owned.includes(this.g.getEdgeAttribute(e, 'type'))) this.g.dropEdge(e);
  }

  private link(from: string, to: string, type: RelType, props: Record<string, string | number | boolean | null | undefined>): void {
    this.g.addEdge(from, to, { type, props: cleanProps(props) });
  }

  private putCandidate(c: CandidateFacts): number {
    this.putNode(c.id, 'Candidate', { name: c.name, headline: c.headline, currentTitle: c.currentTitle, location: c.location });
    this.dropOwned(c.id, 'Candidate');
    for (const s of c.experiences ?? []) {
      this.link(c.id, this.stub(s.companyId, 'Company', s.companyName), 'WORKED_AT', {
        title: s.title,
        from: s.from,
        to: s.to,
        fromMonth: monthIndex(s.from),
        toMonth: s.to === undefined ? undefined : monthIndex(s.to),
      });
    }
    for (const e of c.education ?? []) {
      this.link(c.id, this.stub(e.schoolId, 'School', e.schoolName), 'STUDIED_AT', {
        degree: e.degree,
        fromYear: e.fromYear,
        toYear: e.toYear,
      });
    }
    for (const s of c.skills ?? [])
      this.link(c.id, this.stub(s.skillId, 'Skill', s.skillName), 'HAS_SKILL', { level: s.level, years: s.years });
    for (const a of c.applications ?? []) this.link(c.id, this.stub(a.jobId, 'Job', undefined), 'APPLIED_TO', { stage: a.stage, at: a.at });
    for (const pl of c.placements ?? []) this.link(c.id, this.stub(pl.jobId, 'Job', undefined), 'PLACED_AT', { startDate: pl.startDate });
    if (c.ownerId) this.link(c.id, this.stub(c.ownerId, 'Consultant', undefined), 'OWNED_BY', {});
    const moves = movesOf(c.experiences ?? []).map(moveKey);
    this.applyMoves(this.g.getNodeAttribute(c.id, 'moves') ?? [], moves);
    this.g.setNodeAttribute(c.id, 'moves', moves);
    return 1;
  }

  private putJob(j: JobFacts): number {
    this.putNode(j.id, 'Job', { title: j.title, status: j.status, openedAt: j.openedAt });
    this.dropOwned(j.id, 'Job');
    this.link(j.id, this.stub(j.companyId, 'Company', j.companyName), 'POSTED_BY', {});
    for (const s of j.skills ?? []) this.link(j.id, this.stub(s.skillId, 'Skill', s.skillName), 'REQUIRES', { requirement: s.requirement });
    if (j.ownerId) this.link(j.id, this.stub(j.ownerId, 'Consultant', undefined), 'OWNED_BY', {});
    return 1;
  }

  private applyMoves(oldKeys: readonly string[], newKeys: readonly string[]): void {
    for (const [key, delta] of moveDeltas(oldKeys, newKeys)) {
      const m = parseMoveKey(key);
      const edgeKey = `MOVED_TO|${key}`;
      if (this.g.hasEdge(edgeKey)) {
        const props = this.g.getEdgeAttribute(edgeKey, 'props');
        const count = Number(props.count) + delta;
        if (count <= 0) this.g.dropEdge(edgeKey);
        else this.g.setEdgeAttribute(edgeKey, 'props', { ...props, count });
      } else if (delta > 0 && this.g.hasNode(m.from) && this.g.hasNode(m.to)) {
        this.g.addEdgeWithKey(edgeKey, m.from, m.to, { type: 'MOVED_TO', props: { year: m.year, count: delta } });
      }
    }
  }

  async delete(ids: readonly string[]): Promise<number> {
    this.stintIndex.clear();
    this.schoolIndex.clear();
    this.degrees.clear();
    this.tables.clear();
    let n = 0;
    for (const id of new Set(ids)) {
      if (!this.g.hasNode(id)) continue;
      this.applyMoves(this.g.getNodeAttribute(id, 'moves') ?? [], []);
      this.g.dropNode(id);
      n += 1;
    }
    return n;
  }

  // ---------------------------------------------------------------- primitives

  private nodeOut(id: string): GraphNode {
    const a = this.g.getNodeAttributes(id);
    return { id, label: a.label, props: { ...a.props } };
  }

  private labelOf(id: string): NodeLabel | undefined {
    return this.g.hasNode(id) ? this.g.getNodeAttribute(id, 'label') : undefined;
  }

  private require(id: string, labels?: readonly NodeLabel[]): NodeLabel {
    const label = this.labelOf(id);
    if (!label) throw notFound([id]);
    if (labels && !labels.includes(label)) throw badInput(`${id} is a ${label}; expected ${labels.join(' or ')}.`, { id });
    return label;
  }

  private expand(frontier: readonly string[], types: readonly RelType[], exclude: readonly string[], limit: number): string[] {
    const skip = new Set(exclude);
    const found = new Set<string>();
    for (const id of frontier) {
      if (!this.g.hasNode(id)) continue;
      this.g.forEachEdge(id, (_e, attr, s, t) => {
        const other = s === id ? t : s;
        if (types.includes(attr.type) && !skip.has(other)) found.add(other);
      });
    }
    return [...found].sort(compareStrings).slice(0, limit);
  }

  private edgesAmong(ids: readonly string[], types: readonly RelType[], limit: number): GraphEdge[] {
    const set = new Set(ids);
    const out: GraphEdge[] = [];
    for (const id of set) {
      if (!this.g.hasNode(id)) continue;
      this.g.forEachOutEdge(id, (_e, attr, s, t) => {
        if (set.has(t) && types.includes(attr.type)) out.push({ type: attr.type, from: s, to: t, props: { ...attr.props } });
      });
    }
    return out.sort(compareEdges).slice(0, limit);
  }

  /** A candidate's stints; with a view, only those started before asOf, still running as of then when not ended. */
  private stints(candidateId: string, t?: FactsAsOf): { company: string; from: number; to: number; edge: string }[] {
    const now = t?.nowMonth ?? monthOf(this.clock());
    const out: { company: string; from: number; to: number; edge: string }[] = [];
    this.g.forEachOutEdge(candidateId, (e, attr, _s, c) => {
      if (attr.type !== 'WORKED_AT' || (t && !visibleFact(t, attr.type, attr.props))) return;
      const open = attr.props.toMonth === undefined || (t?.asOf != null && currentStint(t, attr.props));
      out.push({ company: c, from: Number(attr.props.fromMonth), to: open ? now : Number(attr.props.toMonth), edge: e });
    });
    return out;
  }

  /**
   * Per company, its stints as flat arrays: colleague queries at a company with 50,000 alumni
   * then scan numbers, not graph edges. Dropped on every write.
   */
  private stintIndex = new Map<
    string,
    { cands: string[]; from: Int32Array; to: Int32Array; fromDate: string[]; toDate: (string | null)[] }
  >();

  private companyStints(company: string) {
    let idx = this.stintIndex.get(company);
    if (!idx) {
      const cands: string[] = [];
      const from: number[] = [];
      const to: number[] = [];
      const fromDate: string[] = [];
      const toDate: (string | null)[] = [];
      this.g.forEachInEdge(company, (_e, attr, cand) => {
        if (attr.type !== 'WORKED_AT') return;
        cands.push(cand);
        from.push(Number(attr.props.fromMonth));
        to.push(attr.props.toMonth === undefined ? -1 : Number(attr.props.toMonth));
        fromDate.push(String(attr.props.from));
        toDate.push(attr.props.to === undefined ? null : String(attr.props.to));
      });
      idx = { cands, from: Int32Array.from(from), to: Int32Array.from(to), fromDate, toDate };
      this.stintIndex.set(company, idx);
    }
    return idx;
  }

  private schoolIndex = new Map<string, { cands: string[]; from: Int32Array; to: Int32Array; total: number }>();

  /** Per school, alumni with both years known (the only ones that can be schoolmates). */
  private schoolYears(school: string) {
    let idx = this.schoolIndex.get(school);
    if (!idx) {
      const cands: string[] = [];
      const from: number[] = [];
      const to: number[] = [];
      let total = 0;
      this.g.forEachInEdge(school, (_e, attr, cand) => {
        if (attr.type === 'STUDIED_AT') total += 1;
        if (attr.type !== 'STUDIED_AT' || attr.props.fromYear === undefined || attr.props.toYear === undefined) return;
        cands.push(cand);
        from.push(Number(attr.props.fromYear));
        to.push(Number(attr.props.toYear));
      });
      idx = { cands, from: Int32Array.from(from), to: Int32Array.from(to), total };
      this.schoolIndex.set(school, idx);
    }
    return idx;
  }

  /**
   * Overlap months per other candidate, summed over every pair of stints at shared companies; with a
   * view, only stints started before asOf count, and those not ended by then run to asOf's month.
   */
  private colleagueMonths(
    candidateId: string,
    hubLimit = Infinity,
    t?: FactsAsOf,
  ): Map<string, { months: number; companies: Set<string> }> {
    const now = t?.nowMonth ?? monthOf(this.clock());
    const asOf = t?.asOf ?? null;
    const out = new Map<string, { months: number; companies: Set<string> }>();
    for (const s of this.stints(candidateId, t)) {
      const idx = this.companyStints(s.company);
      if (idx.cands.length > hubLimit) continue;
      for (let i = 0; i < idx.cands.length; i += 1) {
        const other = idx.cands[i];
        if (other === candidateId) continue;
        if (asOf !== null && idx.fromDate[i] >= asOf) continue;
        const open = idx.to[i] < 0 || (asOf !== null && idx.toDate[i]! >= asOf);
        const m = overlapMonths(s.from, s.to, idx.from[i], open ? now : idx.to[i]);
        if (m <= 0) continue;
        const acc = out.get(other);
        if (acc) {
          acc.months += m;
          acc.companies.add(s.company);
        } else {
          out.set(other, { months: m, companies: new Set([s.company]) });
        }
      }
    }
    return out;
  }

  private currentEmployees(companyId: string, ids: readonly string[]): Map<string, Omit<PathEmployee, 'candidateId'>> {
    const now = monthOf(this.clock());
    const out = new Map<string, Omit<PathEmployee, 'candidateId'> & { fromMonth: number }>();
    for (const id of ids) {
      if (this.labelOf(id) !== 'Candidate') continue;
      this.g.forEachOutEdge(id, (_e, a, _s, company) => {
        if (company !== companyId || a.type !== 'WORKED_AT') return;
        const from = Number(a.props.fromMonth);
        if (from > now || (a.props.toMonth !== undefined && Number(a.props.toMonth) < now)) return;
        const held = out.get(id);
        const title = String(a.props.title);
        if (held && (held.fromMonth > from || (held.fromMonth === from && compareStrings(held.title, title) <= 0))) return;
        out.set(id, { title, since: String(a.props.from), fromMonth: from });
      });
    }
    return new Map([...out].map(([id, { title, since }]) => [id, { title, since }]));
  }

  private warmLinks(id: string): WarmHop[] {
    const label = this.labelOf(id);
    const hops: WarmHop[] = [];
    const topPerKind = (list: WarmHop[]) =>
      list.sort((a, b) => b.strength - a.strength || compareStrings(a.to, b.to)).slice(0, WARM_LINKS_PER_NODE);
    if (label === 'Candidate') {
      // Rank light tuples first; only the kept few become hop objects.
      const colleagues = [...this.colleagueMonths(id, WARM_HUB_LIMIT)]
        .sort(([ia, a], [ib, b]) => b.months - a.months || compareStrings(ia, ib))
        .slice(0, WARM_LINKS_PER_NODE);
      for (const [other, c] of colleagues) {
        hops.push({
          from: id,
          to: other,
          kind: 'COLLEAGUE',
          strength: colleagueStrength(c.months),
          months: c.months,
          via: [...c.companies].sort(compareStrings),
        });
      }
      const mates = new Map<string, string[]>();
      this.g.forEachOutEdge(id, (_e, a, _s, school) => {
        if (a.type !== 'STUDIED_AT' || a.props.fromYear === undefined || a.props.toYear === undefined) return;
        const from = Number(a.props.fromYear);
        const to = Number(a.props.toYear);
        const idx = this.schoolYears(school);
        if (idx.total > WARM_HUB_LIMIT) return;
        for (let i = 0; i < idx.cands.length; i += 1) {
          if (idx.cands[i] === id || idx.from[i] > to || from > idx.to[i]) continue;
          const via = mates.get(idx.cands[i]);
          if (via) via.push(school);
          else mates.set(idx.cands[i], [school]);
        }
      });
      for (const other of [...mates.keys()].sort(compareStrings).slice(0, WARM_LINKS_PER_NODE)) {
        hops.push({
          from: id,
          to: other,
          kind: 'SCHOOLMATE',
          strength: WARM_STRENGTH.SCHOOLMATE,
          via: [...new Set(mates.get(other))].sort(compareStrings),
        });
      }
      const owners: WarmHop[] = [];
      const placers = new Map<string, Set<string>>();
      this.g.forEachOutEdge(id, (_e, a, _s, t) => {
        if (a.type === 'OWNED_BY') owners.push({ from: id, to: t, kind: 'OWNER', strength: WARM_STRENGTH.OWNER, via: [] });
        if (a.type === 'PLACED_AT') {
          this.g.forEachOutEdge(t, (_e2, b, _j, consultant) => {
            if (b.type === 'OWNED_BY') placers.set(consultant, (placers.get(consultant) ?? new Set()).add(t));
          });
        }
      });
      hops.push(...topPerKind(owners));
      hops.push(
        ...topPerKind(
          [...placers].map(([other, via]) => ({
            from: id,
            to: other,
            kind: 'PLACEMENT' as const,
            strength: WARM_STRENGTH.PLACEMENT,
            via: [...via].sort(compareStrings),
          })),
        ),
      );
    } else if (label === 'Consultant') {
      const owned: WarmHop[] = [];
      const placed = new Map<string, Set<string>>();
      this.g.forEachInEdge(id, (_e, a, src) => {
        if (a.type !== 'OWNED_BY') return;
        if (this.labelOf(src) === 'Candidate') owned.push({ from: id, to: src, kind: 'OWNER', strength: WARM_STRENGTH.OWNER, via: [] });
        if (this.labelOf(src) === 'Job') {
          this.g.forEachInEdge(src, (_e2, b, cand) => {
            if (b.type === 'PLACED_AT') placed.set(cand, (placed.get(cand) ?? new Set()).add(src));
          });
        }
      });
      hops.push(...topPerKind(owned));
      hops.push(
        ...topPerKind(
          [...placed].map(([other, via]) => ({
            from: id,
            to: other,
            kind: 'PLACEMENT' as const,
            strength: WARM_STRENGTH.PLACEMENT,
            via: [...via].sort(compareStrings),
          })),
        ),
      );
    }
    return selectWarmLinks(hops);
  }

  // ---------------------------------------------------------------- queries

  async neighborhood(q: NeighborhoodQuery): Promise<Subgraph> {
    return neighborhood(this.prim, normalizeNeighborhood(q));
  }

  async introductionPaths(q: IntroductionPathsQuery): Promise<IntroductionPath[]> {
    return introductionPaths(this.prim, normalizeIntroduction(q));
  }

  async talentFlow(query: TalentFlowQuery): Promise<FlowPartner[]> {
    const q = normalizeTalentFlow(query);
    this.require(q.companyId, ['Company']);
    const partners = new Map<string, Map<number, number>>();
    const visit = (_e: string, a: EdgeAttrs, s: string, t: string) => {
      if (a.type !== 'MOVED_TO' || Number(a.props.year) < q.since) return;
      const other = q.direction === 'OUT' ? t : s;
      const years = partners.get(other) ?? new Map<number, number>();
      years.set(Number(a.props.year), (years.get(Number(a.props.year)) ?? 0) + Number(a.props.count));
      partners.set(other, years);
    };
    if (q.direction === 'OUT') this.g.forEachOutEdge(q.companyId, visit);
    else this.g.forEachInEdge(q.companyId, visit);
    return [...partners]
      .map(([companyId, years]) => {
        const byYear = [...years].map(([year, count]) => ({ year, count })).sort((a, b) => a.year - b.year);
        return {
          companyId,
          name: (this.g.getNodeAttribute(companyId, 'props').name as string | undefined) ?? null,
          total: byYear.reduce((s, y) => s + y.count, 0),
          byYear,
        };
      })
      .sort((a, b) => b.total - a.total || compareStrings(a.companyId, b.companyId))
      .slice(0, q.first);
  }

  async colleagues(candidateId: string, page?: PageQuery): Promise<Page<Colleague>> {
    const { first, after } = normalizePage(page);
    const offset = offsetOf(after);
    this.require(candidateId, ['Candidate']);
    const all = [...this.colleagueMonths(candidateId)]
      .map(([id, c]) => ({ candidateId: id, name: this.nameOf(id), months: c.months, companyIds: [...c.companies].sort(compareStrings) }))
      .sort((a, b) => b.months - a.months || compareStrings(a.candidateId, b.candidateId));
    const items = all.slice(offset, offset + first);
    const end = offset + items.length;
    return { items, totalCount: all.length, endCursor: items.length ? encodeCursor(end) : null, hasNextPage: end < all.length };
  }

  async alumni(companyId: string, page?: PageQuery): Promise<Page<Alumnus>> {
    const { first, after } = normalizePage(page);
    this.require(companyId, ['Company']);
    const all: Alumnus[] = [];
    this.g.forEachInEdge(companyId, (_e, a, cand) => {
      if (a.type !== 'WORKED_AT') return;
      all.push({
        candidateId: cand,
        name: this.nameOf(cand),
        title: String(a.props.title),
        from: String(a.props.from),
        to: a.props.to === undefined ? null : String(a.props.to),
      });
    });
    const key = (a: Alumnus) => `${a.candidateId}|${a.from}`;
    all.sort((a, b) => compareStrings(key(a), key(b)));
    const rest = after === null ? all : all.filter((a) => key(a) > after);
    const items = rest.slice(0, first);
    return {
      items,
      totalCount: all.length,
      endCursor: items.length ? encodeCursor(key(items[items.length - 1])) : null,
      hasNextPage: rest.length > first,
    };
  }

  private nameOf(id: string): string | null {
    const n = this.g.getNodeAttribute(id, 'props').name;
    return typeof n === 'string' ? n : null;
  }

  // ---------------------------------------------------------------- link prediction

  /** Distinct-neighbour degree per (kind, view, node): hubs are asked for it again and again. Dropped on writes. */
  private readonly degrees = new Map<string, number>();

  private degree(id: string, kind: LinkKind, t: FactsAsOf): number {
    const key = `${kind}|${t.key}|${id}`;
    let d = this.degrees.get(key);
    if (d === undefined) {
      d = this.neighbours(id, LINK_KIND_SPECS[kind].via, t).size;
      this.cacheDegree(key, d);
    }
    return d;
  }

  private cacheDegree(key: string, d: number): void {
    // Each asOf is a view of its own: bound the cache instead of letting views pile up.
    if (this.degrees.size >= MAX_CACHED_DEGREES) this.degrees.clear();
    this.degrees.set(key, d);
  }

  private neighbours(id: string, via: readonly RelType[], t: FactsAsOf): Set<string> {
    const out = new Set<string>();
    if (!this.g.hasNode(id)) return out;
    this.g.forEachEdge(id, (_e, a, s, u) => {
      if (via.includes(a.type) && visibleFact(t, a.type, a.props)) out.add(s === id ? u : s);
    });
    out.delete(id);
    return out;
  }

  private outTargets(id: string, types: readonly RelType[], t: FactsAsOf): Set<string> {
    const out = new Set<string>();
    if (!this.g.hasNode(id)) return out;
    this.g.forEachOutEdge(id, (_e, a, _s, v) => {
      if (types.includes(a.type) && visibleFact(t, a.type, a.props)) out.add(v);
    });
    return out;
  }

  /** Recency-weighted MOVED_TO counts out of `companies`, per receiving company. */
  private flowOut(companies: Iterable<string>, asOfYear: number, t: FactsAsOf): Map<string, number> {
    const out = new Map<string, number>();
    for (const z of companies) {
      this.g.forEachOutEdge(z, (_e, a, _s, v) => {
        if (a.type === 'MOVED_TO' && visibleFact(t, a.type, a.props))
          out.set(v, (out.get(v) ?? 0) + Number(a.props.count) * recencyWeight(Number(a.props.year), asOfYear));
      });
    }
    return out;
  }

  /** The source's outgoing flow by company, once per source; `recencyFlow` reads targets from it. */
  private flowSource(kind: LinkKind, u: string, asOfYear: number, t: FactsAsOf): Map<string, number> {
    if (!this.g.hasNode(u)) return new Map();
    switch (kind) {
      case 'COMPANY_COMPANY':
        return this.flowOut([u], asOfYear, t);
      case 'CANDIDATE_COMPANY':
      case 'CANDIDATE_JOB':
        return this.flowOut(this.outTargets(u, ['WORKED_AT'], t), asOfYear, t);
      case 'CANDIDATE_CANDIDATE':
        return new Map();
    }
  }

  private recencyFlow(kind: LinkKind, flows: ReadonlyMap<string, number>, v: string, t: FactsAsOf): number {
    if (flows.size === 0 || !this.g.hasNode(v)) return 0;
    if (kind !== 'CANDIDATE_JOB') return flows.get(v) ?? 0;
    let flow = 0;
    for (const c of this.outTargets(v, ['POSTED_BY'], t)) flow += flows.get(c) ?? 0;
    return flow;
  }

  /**
   * The source's links as of the view: `existing` targets with their number of links (the EXISTING
   * source's order), and the targets that can never be offered (a current employer, a closed job).
   */
  private linksOf(kind: LinkKind, u: string, t: FactsAsOf): { existing: Map<string, number>; never: (v: string) => boolean } {
    const existing = new Map<string, number>();
    const count = (types: readonly RelType[], weight: (a: EdgeAttrs) => number) =>
      this.g.forEachOutEdge(u, (_e, a, _s, v) => {
        if (types.includes(a.type) && visibleFact(t, a.type, a.props)) existing.set(v, (existing.get(v) ?? 0) + weight(a));
      });
    switch (kind) {
      case 'COMPANY_COMPANY':
        count(['MOVED_TO'], (a) => Number(a.props.count));
        return { existing, never: () => false };
      case 'CANDIDATE_COMPANY': {
        const current = new Set<string>();
        this.g.forEachOutEdge(u, (_e, a, _s, v) => {
          if (a.type === 'WORKED_AT' && visibleFact(t, a.type, a.props) && currentStint(t, a.props)) current.add(v);
        });
        count(['WORKED_AT'], () => 1);
        for (const v of current) existing.delete(v);
        return { existing, never: (v) => current.has(v) };
      }
      case 'CANDIDATE_JOB':
        count(['APPLIED_TO', 'PLACED_AT'], () => 1);
        return { existing, never: (v) => this.g.getNodeAttribute(v, 'props').status === 'CLOSED' };
      case 'CANDIDATE_CANDIDATE':
        for (const [v, c] of this.colleagueMonths(u, Infinity, t)) existing.set(v, c.months);
        return { existing, never: () => false };
    }
  }

  /** Per kind and view, the targets' table (TargetTable): one pass over the edges, dropped on writes. */
  private readonly tables = new Map<string, TargetTable>();

  private tableOf(kind: LinkKind, t: FactsAsOf): TargetTable | null {
    const spec = LINK_KIND_SPECS[kind];
    if (spec.popularity === null) return null;
    const key = `${kind}|${t.key}`;
    let table = this.tables.get(key);
    if (!table) {
      const recentFrom = t.year - RECENT_YEARS;
      const rows: TargetStats[] = [];
      this.g.forEachNode((v, attrs) => {
        if (attrs.label !== spec.target) return;
        const row: TargetStats = {
          id: v,
          inDegree: 0,
          recentInDegree: 0,
          industry: typeof attrs.props.industry === 'string' ? attrs.props.industry : null,
          location: typeof attrs.props.location === 'string' ? attrs.props.location : null,
          headcount: 0,
          closed: attrs.props.status === 'CLOSED',
        };
        const people = new Set<string>();
        this.g.forEachInEdge(v, (_e, a, src) => {
          if (!visibleFact(t, a.type, a.props)) return;
          if (spec.popularity === 'MOVES_RECEIVED' && a.type === 'MOVED_TO') {
            row.inDegree += Number(a.props.count);
            if (Number(a.props.year) >= recentFrom) row.recentInDegree += Number(a.props.count);
          }
          if (a.type === 'WORKED_AT' || (spec.popularity === 'APPLICANTS' && (a.type === 'APPLIED_TO' || a.type === 'PLACED_AT')))
            people.add(src);
        });
        if (spec.popularity === 'APPLICANTS') row.inDegree = people.size;
        else row.headcount = people.size;
        rows.push(row);
      });
      table = targetTable(rows);
      if (this.tables.size >= MAX_CACHED_VIEWS) this.tables.clear();
      this.tables.set(key, table);
    }
    return table;
  }

  /** The companies the source is (SourceLinks.profileIds). */
  private profileIds(kind: LinkKind, u: string, t: FactsAsOf): string[] {
    if (kind === 'COMPANY_COMPANY') return [u];
    if (kind === 'CANDIDATE_COMPANY') return [...this.outTargets(u, ['WORKED_AT'], t)].sort(compareStrings);
    return [];
  }

  /** The source's links for the sources (SourceLinks). */
  private sourceLinks(kind: LinkKind, u: string, t: FactsAsOf): SourceLinks & { offeredNever: (v: string) => boolean } {
    const { existing, never } = this.linksOf(kind, u, t);
    const neverSet = new Set<string>();
    if (kind === 'CANDIDATE_COMPANY') {
      this.g.forEachOutEdge(u, (_e, a, _s, v) => {
        if (a.type === 'WORKED_AT' && never(v)) neverSet.add(v);
      });
    }
    const senders = new Map<string, number>();
    const profileIds = this.profileIds(kind, u, t);
    if (kind === 'COMPANY_COMPANY' || kind === 'CANDIDATE_COMPANY') {
      for (const c of profileIds) {
        this.g.forEachInEdge(c, (_e, a, from) => {
          if (a.type === 'MOVED_TO' && visibleFact(t, a.type, a.props)) senders.set(from, (senders.get(from) ?? 0) + Number(a.props.count));
        });
      }
    }
    return { existing, never: neverSet, senders, profileIds, offeredNever: never };
  }

  /**
   * The pool of `u` before any row is built: NEIGHBOURHOOD's best targets by resource allocation
   * (with their CN, AA and RA) and the ids each other source chooses. `near(z)` gives a neighbour's
   * degree over the kind's relationships and, in the graph's order, those of its neighbours that are
   * of the kind's target label.
   */
  private poolOf(
    u: string,
    kind: LinkKind,
    mode: LinkMode,
    sources: ReadonlySet<CandidateSource>,
    t: FactsAsOf,
    near: (z: string) => NearTargets,
  ) {
    const spec = LINK_KIND_SPECS[kind];
    const gu = this.neighbours(u, spec.via, t);
    const links = this.sourceLinks(kind, u, t);
    const offered = (v: string) => v !== u && !links.offeredNever(v) && (mode === 'ANY' || (mode === 'REPEAT') === links.existing.has(v));
    const acc = new Map<string, Accumulated>();
    if (mode !== 'REPEAT' && sources.has('NEIGHBOURHOOD')) {
      for (const z of gu) {
        const { degree: dz, targets } = near(z);
        for (const v of targets) {
          if (v === u) continue;
          const a = acc.get(v) ?? { cn: 0, aa: 0, ra: 0, commons: [] };
          a.cn += 1;
          a.aa += adamicAdarTerm(dz);
          a.ra += 1 / dz;
          a.commons.push({ id: z, degree: dz });
          acc.set(v, a);
        }
      }
      if (spec.includeDirect) {
        for (const v of gu) if (this.labelOf(v) === spec.target && !acc.has(v)) acc.set(v, { cn: 0, aa: 0, ra: 0, commons: [] });
      }
    }
    const pool = [...acc].filter(([v]) => offered(v));
    pool.sort(([va, a], [vb, b]) => tieSafe(b.ra) - tieSafe(a.ra) || compareStrings(va, vb));
    const nearest = pool.slice(0, CANDIDATE_POOL);
    const table = this.tableOf(kind, t);
    const chosen = chooseTargets(table, links, {
      sourceId: u,
      mode,
      sources,
      taken: new Set(nearest.map(([v]) => v)),
      companies: spec.target === 'Company',
    });
    return { gu, links, acc, nearest, table, chosen };
  }

  async linkCandidates(query: LinkCandidatesQuery): Promise<LinkCandidate[]> {
    const { nodeId: u, kind, mode, asOf, sources } = normalizeLinkQuery(query);
    const spec = LINK_KIND_SPECS[kind];
    this.require(u, [spec.source]);
    const t = factsAsOf(asOf, this.clock());
    const asOfYear = query.asOfYear ?? t.year;
    const {
      gu,
      links,
      acc,
      nearest: near,
      table,
      chosen,
    } = this.poolOf(u, kind, mode, sources, t, (z) => {
      const near = this.nearTargets(z, kind, t);
      this.cacheDegree(`${kind}|${t.key}|${z}`, near.degree);
      return near;
    });
    const flows = this.flowSource(kind, u, asOfYear, t);
    const industries = sourceIndustries(table, links);
    const row = (v: string, a: Accumulated) => {
      const stats = table?.byId.get(v);
      return {
        targetId: v,
        targetLabel: spec.target,
        features: combineFeatures(
          a.cn,
          a.aa,
          a.ra,
          gu.size,
          this.degree(v, kind, t),
          this.recencyFlow(kind, flows, v, t),
          stats?.inDegree ?? 0,
          null,
          stats?.recentInDegree ?? 0,
          stats?.industry && industries.has(stats.industry) ? 1 : 0,
        ),
        commons: a.commons,
        direct: gu.has(v),
      };
    };
    const far = (v: string) => row(v, acc.get(v) ?? this.commonNeighbours(kind, gu, v, t));
    return unionOfSources([
      ['NEIGHBOURHOOD', near.map(([v, a]) => row(v, a))],
      ...chosen.map(([source, ids]) => [source, ids.map(far)] as [CandidateSource, ReturnType<typeof far>[]]),
    ]);
  }

  /**
   * The served pools of many sources at once, as target ids in linkCandidates' order (its mode NEW,
   * REPEAT or ANY, every source), without the rows' features, which a pool lookup does not need: a
   * popular target's common neighbours alone cost a pass over its alumni per source. Neighbour sets
   * and the view's table are built once for the batch. A source that is not a node of the kind's
   * source label gets an empty pool (where linkCandidates throws NOT_FOUND); BAD_USER_INPUT as linkCandidates.
   */
  async linkPools(kind: LinkKind, sourceIds: readonly string[], options: LinkPoolsOptions = {}): Promise<Map<string, string[]>> {
    const near = new Map<string, NearTargets>();
    const out = new Map<string, string[]>();
    for (const id of sourceIds) {
      if (out.has(id)) continue;
      const { nodeId: u, mode, asOf, sources } = normalizeLinkQuery({ nodeId: id, kind, mode: options.mode, asOf: options.asOf });
      if (!this.g.hasNode(u)) {
        out.set(u, []);
        continue;
      }
      this.require(u, [LINK_KIND_SPECS[kind].source]);
      const t = factsAsOf(asOf, this.clock());
      const { nearest, chosen } = this.poolOf(u, kind, mode, sources, t, (z) => {
        let n = near.get(z);
        if (!n) near.set(z, (n = this.nearTargets(z, kind, t)));
        return n;
      });
      // unionOfSources' order: the first source that offers a target places it.
      out.set(u, [...new Set([...nearest.map(([v]) => v), ...chosen.flatMap(([, ids]) => ids)])]);
    }
    return out;
  }

  /** A node's degree over the kind's relationships, and its neighbours of the kind's target label in the graph's order. */
  private nearTargets(z: string, kind: LinkKind, t: FactsAsOf): NearTargets {
    const spec = LINK_KIND_SPECS[kind];
    const nz = this.neighbours(z, spec.via, t);
    return { degree: nz.size, targets: [...nz].filter((v) => this.labelOf(v) === spec.target) };
  }

  /** CN, AA and RA of a pair from the source's neighbours, with the common neighbours and their degree. */
  private commonNeighbours(kind: LinkKind, gu: ReadonlySet<string>, v: string, t: FactsAsOf) {
    const out = { cn: 0, aa: 0, ra: 0, commons: [] as { id: string; degree: number }[] };
    for (const z of this.neighbours(v, LINK_KIND_SPECS[kind].via, t)) {
      if (!gu.has(z)) continue;
      const dz = this.degree(z, kind, t);
      out.cn += 1;
      out.aa += adamicAdarTerm(dz);
      out.ra += 1 / dz;
      out.commons.push({ id: z, degree: dz });
    }
    return out;
  }

  async linkFeatures(
    kind: LinkKind,
    pairs: readonly LinkPair[],
    asOfYear: number,
    options: LinkFeaturesOptions = {},
  ): Promise<LinkFeatureValues[]> {
    const spec = LINK_KIND_SPECS[kind];
    const t = factsAsOf(normalizeAsOf(options.asOf), this.clock());
    const cache = new Map<string, Set<string>>();
    const flowCache = new Map<string, Map<string, number>>();
    const table = this.tableOf(kind, t);
    const industriesOf = new Map<string, Set<string>>();
    const nb = (id: string) => {
      let s = cache.get(id);
      if (!s) cache.set(id, (s = this.neighbours(id, spec.via, t)));
      return s;
    };
    return pairs.map(({ sourceId: u, targetId: v }) => {
      const gu = nb(u);
      const gv = nb(v);
      let cn = 0;
      let aa = 0;
      let ra = 0;
      for (const z of gu) {
        if (!gv.has(z)) continue;
        const dz = this.degree(z, kind, t);
        cn += 1;
        aa += adamicAdarTerm(dz);
        ra += 1 / dz;
      }
      let flows = flowCache.get(u);
      if (!flows) flowCache.set(u, (flows = this.flowSource(kind, u, asOfYear, t)));
      const flow = this.recencyFlow(kind, flows, v, t);
      let industries = industriesOf.get(u);
      if (!industries) industriesOf.set(u, (industries = sourceIndustries(table, { profileIds: this.profileIds(kind, u, t) })));
      const stats = table?.byId.get(v);
      const same = stats?.industry && industries.has(stats.industry) ? 1 : 0;
      return combineFeatures(cn, aa, ra, gu.size, gv.size, flow, stats?.inDegree ?? 0, null, stats?.recentInDegree ?? 0, same);
    });
  }
}
