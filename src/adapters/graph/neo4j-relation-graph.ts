/**
 * RelationGraph on Neo4j. Writes of one `upsert` call run in one write transaction (batched
 * UNWIND ... MERGE); callers chunk large projections (a few thousand candidates per call).
 */
import { monthOf, moveDeltas, moveKey, movesOf, parseMoveKey, monthIndex } from './career-timeline';
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
} from './graph-traversals';
import {
  CANDIDATE_POOL,
  chooseTargets,
  combineFeatures,
  factsAsOf,
  RECENT_YEARS,
  sourceIndustries,
  targetTable,
  unionOfSources,
  type FactsAsOf,
  type SourceLinks,
  type TargetTable,
} from './link-features';
import { LINK_KIND_SPECS, type LinkCandidate, type LinkCandidatesQuery, type LinkKind } from './relation-graph';
import * as cypher from './neo4j-cypher';
import { uidOf, type LinkRow, type NodeRow } from './neo4j-cypher';
import { Neo4jExecutor, type Neo4jExecutorOptions, type Row } from './neo4j-executor';
import {
  NODE_LABELS,
  type Alumnus,
  type Colleague,
  type FlowPartner,
  type GraphNode,
  type GraphProjection,
  type IntroductionPath,
  type IntroductionPathsQuery,
  type LinkFeatureValues,
  type LinkFeaturesOptions,
  type LinkPair,
  type NeighborhoodQuery,
  type NodeLabel,
  type Page,
  type PageQuery,
  type Props,
  type RelationGraph,
  type RelType,
  type Subgraph,
  type TalentFlowQuery,
  type UpsertSummary,
  type WarmHop,
} from './relation-graph';

export interface Neo4jRelationGraphOptions extends Neo4jExecutorOptions {
  /** Namespace of this graph inside the database; tests use one each. Default `main`. */
  graphName?: string;
  clock?: () => Date;
  /** How long a kind's target table (popularity, sector, size) is reused; 0 reads it on every call. Default 30 s. */
  targetTableTtlMs?: number;
}

const INTERNAL_PROPS = new Set(['uid', 'g', 'id', 'moves']);

type Run = (s: cypher.Statement) => Promise<Row[]>;

export class Neo4jRelationGraph implements RelationGraph {
  private readonly exec: Neo4jExecutor;
  private readonly g: string;
  private readonly clock: () => Date;
  private readonly prim: TraversalPrimitives;
  private readonly tableTtlMs: number;

  constructor(options: Neo4jRelationGraphOptions) {
    this.exec = new Neo4jExecutor(options);
    this.tableTtlMs = options.targetTableTtlMs ?? 30_000;
    this.g = options.graphName ?? 'main';
    if (this.g.includes('|')) throw badInput('graphName must not contain "|".', { field: 'graphName' });
    this.clock = options.clock ?? (() => new Date());
    this.prim = {
      nodes: (ids) => this.exec.read((run) => this.nodes(run, ids)),
      expand: (frontier, types, exclude, limit) =>
        this.exec.read(async (run) =>
          (await run(cypher.expandFrontier(this.uids(frontier), types, exclude, limit))).map((r) => String(r.id)),
        ),
      edgesAmong: (ids, types, limit) =>
        this.exec.read(async (run) => {
          const rows = await run(cypher.edgesAmong(this.uids(ids), types));
          return rows
            .map((r) => ({ type: r.type as RelType, from: String(r.from), to: String(r.to), props: r.props as Props }))
            .sort(compareEdges)
            .slice(0, limit);
        }),
      warmLinks: (ids) => this.exec.read((run) => this.warmLinks(run, ids)),
      currentEmployees: (companyId, ids) =>
        this.exec.read(async (run) => {
          if (ids.length === 0) return new Map();
          const rows = await run(cypher.currentEmployees(companyId, this.uids(ids), monthOf(this.clock())));
          return new Map(rows.map((r) => [String(r.id), { title: String(r.title), since: String(r.since) }]));
        }),
    };
  }

  private uid(id: string): string {
    return uidOf(this.g, id);
  }
  private uids(ids: readonly string[]): string[] {
    return ids.map((id) => this.uid(id));
  }

  async init(): Promise<void> {
    for (const s of cypher.SCHEMA_STATEMENTS) await this.exec.runAutoCommit(s);
  }

  async close(): Promise<void> {
    await this.exec.close();
  }

  /** Deletes in small transactions: one DETACH DELETE of a large graph exhausts Neo4j's transaction memory. */
  async clear(): Promise<void> {
    this.tables.clear();
    for (const chunk of [cypher.clearRelationshipsChunk, cypher.clearNodesChunk]) {
      for (;;) {
        const [row] = await this.exec.write((run) => run(chunk(this.g, 5_000)));
        if (Number(row.deleted) === 0) break;
      }
    }
  }

  async counts(): Promise<{ nodes: number; relationships: number }> {
    const [row] = await this.exec.read((run) => run(cypher.countGraph(this.g)));
    return { nodes: Number(row.nodes), relationships: Number(row.relationships) };
  }

  async countByLabel(): Promise<Partial<Record<NodeLabel, number>>> {
    const rows = await this.exec.read((run) => run(cypher.countByLabel(this.g)));
    return Object.fromEntries(rows.map((r) => [String(r.label), Number(r.nodes)])) as Partial<Record<NodeLabel, number>>;
  }

  // ---------------------------------------------------------------- writes

  private nodeRow(id: string, props: Record<string, string | number | boolean | null | undefined>): NodeRow {
    return { uid: this.uid(id), props: { ...cleanProps(props), id, g: this.g, uid: this.uid(id) } };
  }

  private linkRow(
    from: string,
    to: string,
    toName: string | undefined,
    props: Record<string, string | number | boolean | null | undefined>,
  ): LinkRow {
    return { from: this.uid(from), to: this.uid(to), toId: to, toName: toName ?? null, props: cleanProps(props) };
  }

  async upsert(p: GraphProjection): Promise<UpsertSummary> {
    validateProjection(p);
    const candidates = p.candidates ?? [];
    const jobs = p.jobs ?? [];
    const occupations = p.occupations ?? [];
    const nodeGroups: [NodeLabel, NodeRow[]][] = [
      ['Consultant', (p.consultants ?? []).map((c) => this.nodeRow(c.id, { name: c.name }))],
      ['Company', (p.companies ?? []).map((c) => this.nodeRow(c.id, { name: c.name, industry: c.industry, location: c.location }))],
      ['School', (p.schools ?? []).map((s) => this.nodeRow(s.id, { name: s.name }))],
      ['Skill', (p.skills ?? []).map((s) => this.nodeRow(s.id, { name: s.name, category: s.category }))],
      ['Occupation', occupations.map((o) => this.nodeRow(o.id, { name: o.name, code: o.code }))],
      [
        'Candidate',
        candidates.map((c) =>
          this.nodeRow(c.id, { name: c.name, headline: c.headline, currentTitle: c.currentTitle, location: c.location }),
        ),
      ],
      ['Job', jobs.map((j) => this.nodeRow(j.id, { title: j.title, status: j.status, openedAt: j.openedAt }))],
    ];
    const links: [RelType, NodeLabel, LinkRow[]][] = [
      [
        'REQUIRES',
        'Skill',
        occupations.flatMap((o) => (o.skills ?? []).map((s) => this.linkRow(o.id, s.skillId, s.skillName, { requirement: s.requirement }))),
      ],
      [
        'WORKED_AT',
        'Company',
        candidates.flatMap((c) =>
          (c.experiences ?? []).map((s) =>
            this.linkRow(c.id, s.companyId, s.companyName, {
              title: s.title,
              from: s.from,
              to: s.to,
              fromMonth: monthIndex(s.from),
              toMonth: s.to === undefined ? undefined : monthIndex(s.to),
            }),
          ),
        ),
      ],
      [
        'STUDIED_AT',
        'School',
        candidates.flatMap((c) =>
          (c.education ?? []).map((e) =>
            this.linkRow(c.id, e.schoolId, e.schoolName, { degree: e.degree, fromYear: e.fromYear, toYear: e.toYear }),
          ),
        ),
      ],
      [
        'HAS_SKILL',
        'Skill',
        candidates.flatMap((c) =>
          (c.skills ?? []).map((s) => this.linkRow(c.id, s.skillId, s.skillName, { level: s.level, years: s.years })),
        ),
      ],
      [
        'APPLIED_TO',
        'Job',
        candidates.flatMap((c) => (c.applications ?? []).map((a) => this.linkRow(c.id, a.jobId, undefined, { stage: a.stage, at: a.at }))),
      ],
      [
        'PLACED_AT',
        'Job',
        candidates.flatMap((c) => (c.placements ?? []).map((pl) => this.linkRow(c.id, pl.jobId, undefined, { startDate: pl.startDate }))),
      ],
      [
        'OWNED_BY',
        'Consultant',
        [...candidates, ...jobs].filter((x) => x.ownerId).map((x) => this.linkRow(x.id, x.ownerId!, undefined, {})),
      ],
      ['POSTED_BY', 'Company', jobs.map((j) => this.linkRow(j.id, j.companyId, j.companyName, {}))],
      [
        'REQUIRES',
        'Skill',
        jobs.flatMap((j) => (j.skills ?? []).map((s) => this.linkRow(j.id, s.skillId, s.skillName, { requirement: s.requirement }))),
      ],
    ];
    const newMoves = candidates.map((c) => ({ uid: this.uid(c.id), moves: movesOf(c.experiences ?? []).map(moveKey) }));
    this.tables.clear();
    return this.afterWrite(
      this.exec.write(async (run) => {
        const old = candidates.length > 0 ? await run(cypher.readMoves(newMoves.map((m) => m.uid))) : [];
        let nodes = 0;
        for (const [label, rows] of nodeGroups) {
          if (rows.length === 0) continue;
          await run(cypher.upsertNodes(label, rows));
          nodes += rows.length;
        }
        const owned: [RelType[], string[]][] = [
          [['REQUIRES'], occupations.map((o) => this.uid(o.id))],
          [['WORKED_AT', 'STUDIED_AT', 'HAS_SKILL', 'APPLIED_TO', 'PLACED_AT', 'OWNED_BY'], candidates.map((c) => this.uid(c.id))],
          [['POSTED_BY', 'REQUIRES', 'OWNED_BY'], jobs.map((j) => this.uid(j.id))],
        ];
        for (const [types, uids] of owned) if (uids.length > 0) await run(cypher.dropOwnedRelationships(types, uids));
        let relationships = 0;
        for (const [type, target, rows] of links) {
          if (rows.length === 0) continue;
          await run(cypher.createLinks(type, target, this.g, rows));
          relationships += rows.length;
        }
        if (candidates.length > 0) {
          await this.applyMoves(
            run,
            old.flatMap((r) => r.moves as string[]),
            newMoves.flatMap((m) => m.moves),
          );
          await run(cypher.setMoves(newMoves));
        }
        return { nodes, relationships };
      }),
    );
  }

  private async applyMoves(run: Run, oldKeys: string[], newKeys: string[]): Promise<void> {
    const deltas = [...moveDeltas(oldKeys, newKeys)].map(([key, delta]) => {
      const m = parseMoveKey(key);
      return { from: this.uid(m.from), to: this.uid(m.to), year: m.year, delta };
    });
    if (deltas.length > 0) await run(cypher.applyMoveDeltas(deltas));
  }

  async delete(ids: readonly string[]): Promise<number> {
    const uids = this.uids([...new Set(ids)]);
    if (uids.length === 0) return 0;
    this.tables.clear();
    return this.afterWrite(
      this.exec.write(async (run) => {
        const old = await run(cypher.readMoves(uids));
        await this.applyMoves(
          run,
          old.flatMap((r) => r.moves as string[]),
          [],
        );
        const [row] = await run(cypher.deleteNodes(uids));
        return Number(row.deleted);
      }),
    );
  }

  /** Drops the cached target tables once a write is done too: a read during it may have cached the old state. */
  private async afterWrite<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.tables.clear();
    }
  }

  // ---------------------------------------------------------------- primitives

  private async nodes(run: Run, ids: readonly string[]): Promise<GraphNode[]> {
    const rows = await run(cypher.nodesByUid(this.uids(ids)));
    return rows.map((r) => {
      const props: Props = {};
      for (const [k, v] of Object.entries(r.props as Props)) if (!INTERNAL_PROPS.has(k)) props[k] = v;
      const label = (r.labels as string[]).find((l) => (NODE_LABELS as readonly string[]).includes(l)) as NodeLabel;
      return { id: String(r.id), label, props };
    });
  }

  private async require(id: string, labels: readonly NodeLabel[]): Promise<void> {
    const [node] = await this.exec.read((run) => this.nodes(run, [id]));
    if (!node) throw notFound([id]);
    if (!labels.includes(node.label)) throw badInput(`${id} is a ${node.label}; expected ${labels.join(' or ')}.`, { id });
  }

  private async warmLinks(run: Run, ids: readonly string[]): Promise<Map<string, WarmHop[]>> {
    const out = new Map<string, WarmHop[]>();
    if (ids.length === 0) return out;
    const rows = await run(cypher.warmLinks(this.uids(ids), monthOf(this.clock()), WARM_LINKS_PER_NODE, WARM_HUB_LIMIT));
    for (const r of rows) {
      const from = String(r.id);
      const sorted = (xs: unknown) => [...(xs as string[])].sort(compareStrings);
      const hops: WarmHop[] = [
        ...(r.colleagues as { to: string; months: number; via: string[] }[]).map((c) => ({
          from,
          to: c.to,
          kind: 'COLLEAGUE' as const,
          strength: colleagueStrength(Number(c.months)),
          months: Number(c.months),
          via: sorted(c.via),
        })),
        ...(r.schoolmates as { to: string; via: string[] }[]).map((s) => ({
          from,
          to: s.to,
          kind: 'SCHOOLMATE' as const,
          strength: WARM_STRENGTH.SCHOOLMATE,
          via: sorted(s.via),
        })),
        ...(r.owners as string[]).map((to) => ({ from, to, kind: 'OWNER' as const, strength: WARM_STRENGTH.OWNER, via: [] })),
        ...(r.placements as { to: string; via: string[] }[]).map((pl) => ({
          from,
          to: pl.to,
          kind: 'PLACEMENT' as const,
          strength: WARM_STRENGTH.PLACEMENT,
          via: sorted(pl.via),
        })),
      ];
      out.set(from, selectWarmLinks(hops));
    }
    return out;
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
    await this.require(q.companyId, ['Company']);
    const rows = await this.exec.read((run) => run(cypher.talentFlow(this.uid(q.companyId), q.direction, q.since, q.first)));
    return rows.map((r) => ({
      companyId: String(r.companyId),
      name: (r.name as string | null) ?? null,
      total: Number(r.total),
      byYear: (r.byYear as { year: number; count: number }[]).map((y) => ({ year: Number(y.year), count: Number(y.count) })),
    }));
  }

  async colleagues(candidateId: string, page?: PageQuery): Promise<Page<Colleague>> {
    const { first, after } = normalizePage(page);
    const offset = offsetOf(after);
    await this.require(candidateId, ['Candidate']);
    const now = monthOf(this.clock());
    const uid = this.uid(candidateId);
    const [rows, [count]] = await this.exec.read(async (run) => [
      await run(cypher.colleaguesPage(uid, now, offset, first)),
      await run(cypher.colleaguesCount(uid, now)),
    ]);
    const totalCount = Number(count.total);
    const items = rows.map((r) => ({
      candidateId: String(r.candidateId),
      name: (r.name as string | null) ?? null,
      months: Number(r.months),
      companyIds: [...(r.companyIds as string[])].sort(compareStrings),
    }));
    const end = offset + items.length;
    return { items, totalCount, endCursor: items.length ? encodeCursor(end) : null, hasNextPage: end < totalCount };
  }

  async alumni(companyId: string, page?: PageQuery): Promise<Page<Alumnus>> {
    const { first, after } = normalizePage(page);
    await this.require(companyId, ['Company']);
    const uid = this.uid(companyId);
    const [rows, [count]] = await this.exec.read(async (run) => [
      await run(cypher.alumniPage(uid, after, first + 1)),
      await run(cypher.alumniCount(uid)),
    ]);
    const items = rows.slice(0, first).map((r) => ({
      candidateId: String(r.candidateId),
      name: (r.name as string | null) ?? null,
      title: String(r.title),
      from: String(r.from),
      to: (r.to as string | null) ?? null,
    }));
    const last = rows[Math.min(first, rows.length) - 1];
    return {
      items,
      totalCount: Number(count.total),
      endCursor: last ? encodeCursor(String(last.key)) : null,
      hasNextPage: rows.length > first,
    };
  }

  /**
   * Per kind and view, the targets' table (TargetTable) with when it was read. Scanning every target
   * costs 70-105 ms a call on a 1,500-company graph, and popularity barely moves between calls: the
   * entry lives `targetTableTtlMs` (default 30 s) and this adapter's writes (upsert, delete, clear)
   * drop every entry; another process's writes show after the TTL.
   */
  private readonly tables = new Map<string, { at: number; table: Promise<TargetTable> }>();

  private tableOf(kind: LinkKind, view: Omit<cypher.LinkPoolOptions, 'pool' | 'mode'>, t: FactsAsOf): Promise<TargetTable> {
    const key = `${kind}|${t.key}`;
    const now = Date.now();
    const hit = this.tables.get(key);
    if (hit && now - hit.at < this.tableTtlMs) return hit.table;
    const table = this.exec
      .read((run) => run(cypher.targetTableRows(kind, this.g, view)))
      .then((rows) =>
        targetTable(
          rows.map((r) => ({
            id: String(r.id),
            inDegree: Number(r.indeg),
            recentInDegree: Number(r.recent),
            industry: (r.industry as string | null) ?? null,
            location: (r.location as string | null) ?? null,
            headcount: Number(r.headcount),
            closed: Boolean(r.closed),
          })),
        ),
      );
    if (this.tables.size >= 16) this.tables.clear();
    this.tables.set(key, { at: now, table });
    table.catch(() => this.tables.delete(key));
    return table;
  }

  async linkCandidates(query: LinkCandidatesQuery): Promise<LinkCandidate[]> {
    const { nodeId, kind, mode, asOf, sources } = normalizeLinkQuery(query);
    const spec = LINK_KIND_SPECS[kind];
    await this.require(nodeId, [spec.source]);
    const uid = this.uid(nodeId);
    const t = factsAsOf(asOf, this.clock());
    const view = {
      asOfYear: query.asOfYear ?? t.year,
      nowMonth: t.nowMonth,
      factsAsOf: t.asOf,
      refDate: t.refDate,
      moveYearLimit: t.moveYearLimit,
      recentFrom: t.year - RECENT_YEARS,
    };
    const o = { ...view, mode };
    const table = spec.popularity === null ? null : await this.tableOf(kind, view, t);
    // With a table, in-degrees and industries come from it rather than from a scan per target.
    const fromTable = table !== null;
    const [near, chosen, industries] = await this.exec.read(async (run) => {
      let links: SourceLinks | null = null;
      if (kind !== 'CANDIDATE_CANDIDATE') {
        const [l] = await run(cypher.sourceLinks(kind, uid, view));
        const counts = (xs: unknown) => new Map((xs as { id: string; n: unknown }[]).map((x) => [String(x.id), Number(x.n)]));
        links = {
          existing: counts(l.existing),
          never: new Set((l.never as string[]).map(String)),
          senders: counts(l.senders),
          profileIds: (l.profileIds as string[]).map(String),
        };
      }
      const askNear = mode !== 'REPEAT' && sources.has('NEIGHBOURHOOD');
      const nearRows = askNear ? await run(cypher.predictLinks(kind, uid, { ...o, pool: CANDIDATE_POOL }, fromTable)) : [];
      if (links === null) return [nearRows, [], new Set<string>()] as const;
      const picked = chooseTargets(table, links, {
        sourceId: nodeId,
        mode,
        sources,
        taken: new Set(nearRows.map((r) => String(r.targetId))),
        companies: spec.target === 'Company',
      });
      const wanted = [...new Set(picked.flatMap(([, list]) => list))];
      const rows =
        wanted.length === 0 ? [] : await run(cypher.linkRows(kind, uid, this.g, wanted, { ...o, pool: wanted.length }, fromTable));
      const byId = new Map(rows.map((r) => [String(r.targetId), r]));
      return [
        nearRows,
        picked.map(([source, list]) => [source, list.map((id) => byId.get(id)!)] as const),
        sourceIndustries(table, links),
      ] as const;
    });
    const row = (r: Row) => {
      const features = featuresOf(r);
      const stats = table?.byId.get(String(r.targetId));
      if (fromTable) {
        features.targetInDegree = stats?.inDegree ?? 0;
        features.targetRecentInDegree = stats?.recentInDegree ?? 0;
        features.sameIndustry = stats?.industry && industries.has(stats.industry) ? 1 : 0;
      }
      return {
        targetId: String(r.targetId),
        targetLabel: spec.target,
        features,
        commons: (r.commons as { id: string; degree: number }[]).map((c) => ({ id: String(c.id), degree: Number(c.degree) })),
        direct: Boolean(r.direct),
      };
    };
    return unionOfSources([['NEIGHBOURHOOD', near.map(row)], ...chosen.map(([source, rows]) => [source, rows.map(row)] as const)]);
  }

  async linkFeatures(
    kind: LinkKind,
    pairs: readonly LinkPair[],
    asOfYear: number,
    options: LinkFeaturesOptions = {},
  ): Promise<LinkFeatureValues[]> {
    if (pairs.length === 0) return [];
    const t = factsAsOf(normalizeAsOf(options.asOf), this.clock());
    const rows = await this.exec.read((run) =>
      run(
        cypher.pairFeatures(
          kind,
          pairs.map((p, i) => ({ i, u: this.uid(p.sourceId), v: this.uid(p.targetId) })),
          asOfYear,
          { factsAsOf: t.asOf, moveYearLimit: t.moveYearLimit, refDate: t.refDate, recentFrom: t.year - RECENT_YEARS },
        ),
      ),
    );
    const out: LinkFeatureValues[] = new Array(pairs.length);
    for (const r of rows) {
      out[Number(r.i)] = featuresOf(r);
    }
    return out;
  }
}

/** A link statement's feature columns (predictLinks, popularLinkTargets and pairFeatures return the same ones). */
function featuresOf(r: Row): LinkFeatureValues {
  return combineFeatures(
    Number(r.cn),
    Number(r.aa),
    Number(r.ra),
    Number(r.du),
    Number(r.dv),
    Number(r.flow),
    Number(r.indeg),
    null,
    Number(r.recent),
    Number(r.same),
  );
}
