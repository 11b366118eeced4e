/**
 * Pure Cypher builders for the Neo4j adapter: every value travels as a parameter. Labels and
 * relationship types cannot be parameters in Cypher, so they come only from the fixed tables
 * below (never from a caller's string), checked again here.
 *
 * Namespacing: every node carries the label GNode, its graph name `g` and `uid = g|id` (unique),
 * so several graphs (integration tests, staging) share one database without seeing each other.
 */
import neo4j from 'neo4j-driver';
import { FLOW_HALF_LIFE_YEARS } from './link-features';
import { LINK_KIND_SPECS, type LinkKind, type LinkMode } from './relation-graph';
import { NODE_LABELS, REL_TYPES, type NodeLabel, type RelType } from './relation-graph';

export interface Statement {
  text: string;
  params: Record<string, unknown>;
}

export function uidOf(graphName: string, id: string): string {
  return `${graphName}|${id}`;
}

/** LIMIT and SKIP need Cypher integers; JS numbers are sent as floats. */
export function int(n: number) {
  return neo4j.int(n);
}

function label(l: NodeLabel): string {
  if (!(NODE_LABELS as readonly string[]).includes(l)) throw new Error(`not a node label: ${l}`);
  return l;
}

function relTypes(types: readonly RelType[]): string {
  for (const t of types) if (!(REL_TYPES as readonly string[]).includes(t)) throw new Error(`not a relationship type: ${t}`);
  return types.join('|');
}

export const SCHEMA_STATEMENTS: readonly string[] = [
  'CREATE CONSTRAINT matchhub_gnode_uid IF NOT EXISTS FOR (n:GNode) REQUIRE n.uid IS UNIQUE',
  'CREATE INDEX matchhub_gnode_graph IF NOT EXISTS FOR (n:GNode) ON (n.g)',
];

// ---------------------------------------------------------------- writes

export interface NodeRow {
  uid: string;
  props: Record<string, unknown>;
}

/** Replaces the properties of the nodes (stub flag included) and gives them their label. */
export function upsertNodes(nodeLabel: NodeLabel, rows: NodeRow[]): Statement {
  return {
    text: `UNWIND $rows AS row
MERGE (n:GNode {uid: row.uid})
SET n = row.props
SET n:${label(nodeLabel)}`,
    params: { rows },
  };
}

export function dropOwnedRelationships(types: readonly RelType[], uids: string[]): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (n:GNode {uid: uid})-[r:${relTypes(types)}]->()
DELETE r`,
    params: { uids },
  };
}

export interface LinkRow {
  from: string;
  to: string;
  toId: string;
  toName: string | null;
  props: Record<string, unknown>;
}

/** Creates relationships; a target not projected yet becomes a stub node of `targetLabel`. */
export function createLinks(type: RelType, targetLabel: NodeLabel, graphName: string, rows: LinkRow[]): Statement {
  return {
    text: `UNWIND $rows AS row
MATCH (a:GNode {uid: row.from})
MERGE (b:GNode {uid: row.to})
ON CREATE SET b:${label(targetLabel)}, b.id = row.toId, b.g = $g, b.uid = row.to, b.stub = true, b.name = row.toName
CREATE (a)-[r:${relTypes([type])}]->(b)
SET r = row.props`,
    params: { rows, g: graphName },
  };
}

export function readMoves(uids: string[]): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (n:GNode {uid: uid})
RETURN n.uid AS uid, coalesce(n.moves, []) AS moves`,
    params: { uids },
  };
}

export function setMoves(rows: { uid: string; moves: string[] }[]): Statement {
  return {
    text: `UNWIND $rows AS row
MATCH (n:GNode {uid: row.uid})
SET n.moves = CASE WHEN size(row.moves) = 0 THEN null ELSE row.moves END`,
    params: { rows },
  };
}

/** Applies count deltas to MOVED_TO per (from, to, year); a count that reaches 0 removes it. */
export function applyMoveDeltas(deltas: { from: string; to: string; year: number; delta: number }[]): Statement {
  return {
    text: `UNWIND $deltas AS d
MATCH (a:GNode {uid: d.from}), (b:GNode {uid: d.to})
MERGE (a)-[r:MOVED_TO {year: d.year}]->(b)
ON CREATE SET r.count = 0
SET r.count = r.count + d.delta
WITH r WHERE r.count <= 0
DELETE r`,
    params: { deltas: deltas.map((d) => ({ ...d, year: int(d.year), delta: int(d.delta) })) },
  };
}

export function deleteNodes(uids: string[]): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (n:GNode {uid: uid})
DETACH DELETE n
RETURN count(*) AS deleted`,
    params: { uids },
  };
}

/**
 * Deletes one chunk of relationships, then (once none are left) of nodes; the caller repeats
 * until nothing is left. Chunking by relationship keeps each transaction small even when a hub
 * node has tens of thousands of them.
 */
export function clearRelationshipsChunk(graphName: string, chunk: number): Statement {
  return {
    text: `MATCH (n:GNode {g: $g})-[r]->()
WITH r LIMIT $chunk
DELETE r
RETURN count(*) AS deleted`,
    params: { g: graphName, chunk: int(chunk) },
  };
}

export function clearNodesChunk(graphName: string, chunk: number): Statement {
  return {
    text: `MATCH (n:GNode {g: $g})
WITH n LIMIT $chunk
DETACH DELETE n
RETURN count(*) AS deleted`,
    params: { g: graphName, chunk: int(chunk) },
  };
}

export function countGraph(graphName: string): Statement {
  return {
    text: `CALL { MATCH (n:GNode {g: $g}) RETURN count(n) AS nodes }
CALL { MATCH (:GNode {g: $g})-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships`,
    params: { g: graphName },
  };
}

/** Nodes per label in one graph, stubs left out (the GNode label every node has is not counted). */
export function countByLabel(graphName: string): Statement {
  return {
    text: `MATCH (n:GNode {g: $g}) WHERE n.stub IS NULL OR n.stub = false
UNWIND [l IN labels(n) WHERE l <> 'GNode'] AS label
RETURN label, count(*) AS nodes`,
    params: { g: graphName },
  };
}

// ---------------------------------------------------------------- traversal primitives

export function nodesByUid(uids: string[]): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (n:GNode {uid: uid})
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props`,
    params: { uids },
  };
}

export function expandFrontier(uids: string[], types: readonly RelType[], excludeIds: readonly string[], limit: number): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (n:GNode {uid: uid})-[r]-(m:GNode)
WHERE type(r) IN $types AND NOT m.id IN $exclude
RETURN DISTINCT m.id AS id
ORDER BY id
LIMIT $limit`,
    params: { uids, types: [...types], exclude: [...excludeIds], limit: int(limit) },
  };
}

export function edgesAmong(uids: string[], types: readonly RelType[]): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (a:GNode {uid: uid})-[r]->(b:GNode)
WHERE b.uid IN $uids AND type(r) IN $types
RETURN a.id AS from, b.id AS to, type(r) AS type, properties(r) AS props`,
    params: { uids, types: [...types] },
  };
}

/** Overlap in months of stints w1 and w2; open stints run to $now. */
const OVERLAP = `(CASE WHEN coalesce(w1.toMonth, $now) < coalesce(w2.toMonth, $now) THEN coalesce(w1.toMonth, $now) ELSE coalesce(w2.toMonth, $now) END
   - CASE WHEN w1.fromMonth > w2.fromMonth THEN w1.fromMonth ELSE w2.fromMonth END + 1)`;

/** Per node and kind, the `cap` strongest warm links (see graph-traversals.ts). */
export function warmLinks(uids: string[], nowMonth: number, cap: number, hubLimit: number): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (p:GNode {uid: uid})
CALL {
  WITH p
  MATCH (p)-[w1:WORKED_AT]->(co:GNode)
  WHERE COUNT { (co)<-[:WORKED_AT]-() } <= $hubLimit
  MATCH (co)<-[w2:WORKED_AT]-(o:Candidate)
  WHERE o <> p
  WITH o, co, ${OVERLAP} AS m
  WHERE m > 0
  WITH o, sum(m) AS months, collect(DISTINCT co.id) AS via
  ORDER BY months DESC, o.id ASC
  LIMIT $cap
  RETURN collect({to: o.id, months: months, via: via}) AS colleagues
}
CALL {
  WITH p
  MATCH (p)-[s1:STUDIED_AT]->(s:GNode)
  WHERE COUNT { (s)<-[:STUDIED_AT]-() } <= $hubLimit
  MATCH (s)<-[s2:STUDIED_AT]-(o:Candidate)
  WHERE o <> p AND s1.fromYear IS NOT NULL AND s1.toYear IS NOT NULL AND s2.fromYear IS NOT NULL AND s2.toYear IS NOT NULL
    AND s1.fromYear <= s2.toYear AND s2.fromYear <= s1.toYear
  WITH o, collect(DISTINCT s.id) AS via
  ORDER BY o.id ASC
  LIMIT $cap
  RETURN collect({to: o.id, via: via}) AS schoolmates
}
CALL {
  WITH p
  MATCH (p)-[:OWNED_BY]-(o:GNode)
  WHERE (p:Candidate AND o:Consultant) OR (p:Consultant AND o:Candidate)
  WITH DISTINCT o
  ORDER BY o.id ASC
  LIMIT $cap
  RETURN collect(o.id) AS owners
}
CALL {
  WITH p
  MATCH (p)-[r1:PLACED_AT|OWNED_BY]-(j:Job)-[r2:PLACED_AT|OWNED_BY]-(o:GNode)
  WHERE ((p:Candidate AND o:Consultant AND type(r1) = 'PLACED_AT' AND type(r2) = 'OWNED_BY' AND startNode(r2) = j)
      OR (p:Consultant AND o:Candidate AND type(r1) = 'OWNED_BY' AND type(r2) = 'PLACED_AT' AND startNode(r1) = j))
  WITH o, collect(DISTINCT j.id) AS via
  ORDER BY o.id ASC
  LIMIT $cap
  RETURN collect({to: o.id, via: via}) AS placements
}
RETURN p.id AS id, colleagues, schoolmates, owners, placements`,
    params: { uids, now: nowMonth, cap: int(cap), hubLimit: int(hubLimit) },
  };
}

/**
 * Of `uids`, the candidates who work at the company now, with that stint (the latest started, ties by
 * title). The company is matched by its unindexed `id` on the far end of each person's WORKED_AT, so
 * the planner cannot start from the company and walk its staff: the work is the people's few stints.
 * (A relationship joins nodes of one graph, so `id` is enough there.)
 */
export function currentEmployees(companyId: string, uids: string[], nowMonth: number): Statement {
  return {
    text: `UNWIND $uids AS uid
MATCH (p:GNode {uid: uid})-[w:WORKED_AT]->(c:GNode)
WHERE p:Candidate AND c.id = $company AND w.fromMonth <= $now AND (w.toMonth IS NULL OR w.toMonth >= $now)
WITH p, w
ORDER BY w.fromMonth DESC, w.title ASC
WITH p, collect(w)[0] AS w
RETURN p.id AS id, w.title AS title, w.from AS since`,
    params: { company: companyId, uids, now: nowMonth },
  };
}

// ---------------------------------------------------------------- queries

export function talentFlow(uid: string, direction: 'IN' | 'OUT', since: number, first: number): Statement {
  const pattern = direction === 'OUT' ? '(c)-[r:MOVED_TO]->(o:GNode)' : '(c)<-[r:MOVED_TO]-(o:GNode)';
  return {
    text: `MATCH (c:GNode {uid: $uid})
MATCH ${pattern}
WHERE r.year >= $since
WITH o, r.year AS year, sum(r.count) AS n
ORDER BY year ASC
WITH o, collect({year: year, count: n}) AS byYear, sum(n) AS total
RETURN o.id AS companyId, o.name AS name, total, byYear
ORDER BY total DESC, companyId ASC
LIMIT $first`,
    params: { uid, since, first: int(first) },
  };
}

const COLLEAGUE_ROWS = `MATCH (p:GNode {uid: $uid})-[w1:WORKED_AT]->(co:GNode)<-[w2:WORKED_AT]-(o:Candidate)
WHERE o <> p
WITH o, co, ${OVERLAP} AS m
WHERE m > 0
WITH o, sum(m) AS months, collect(DISTINCT co.id) AS companyIds`;

export function colleaguesPage(uid: string, nowMonth: number, offset: number, first: number): Statement {
  return {
    text: `${COLLEAGUE_ROWS}
RETURN o.id AS candidateId, o.name AS name, months, companyIds
ORDER BY months DESC, candidateId ASC
SKIP $offset
LIMIT $first`,
    params: { uid, now: nowMonth, offset: int(offset), first: int(first) },
  };
}

export function colleaguesCount(uid: string, nowMonth: number): Statement {
  return { text: `${COLLEAGUE_ROWS}\nRETURN count(o) AS total`, params: { uid, now: nowMonth } };
}

/** Keyset pagination on `candidateId|from`, so page n costs the same as page 1. */
export function alumniPage(uid: string, after: string | null, first: number): Statement {
  return {
    text: `MATCH (c:GNode {uid: $uid})<-[w:WORKED_AT]-(p:GNode)
WITH p, w, p.id + '|' + w.from AS key
WHERE $after IS NULL OR key > $after
RETURN p.id AS candidateId, p.name AS name, w.title AS title, w.from AS from, w.to AS to, key
ORDER BY key ASC
LIMIT $first`,
    params: { uid, after, first: int(first) },
  };
}

export function alumniCount(uid: string): Statement {
  return { text: 'MATCH (c:GNode {uid: $uid}) RETURN COUNT { (c)<-[:WORKED_AT]-() } AS total', params: { uid } };
}

// ---------------------------------------------------------------- link prediction

/**
 * Cypher twin of visibleFact (link-features.ts): whether relationship `r`, of one of `types`, is a
 * fact of the view. `$factsAsOf` null means every fact.
 */
export function visible(r: string, types: readonly RelType[]): string {
  const when: [RelType, string][] = [];
  for (const t of types) {
    if (t === 'WORKED_AT') when.push([t, `${r}.from < $factsAsOf`]);
    if (t === 'MOVED_TO') when.push([t, `${r}.year < $moveYearLimit`]);
    if (t === 'APPLIED_TO') when.push([t, `(${r}.at IS NULL OR ${r}.at < $factsAsOf)`]);
    if (t === 'PLACED_AT') when.push([t, `${r}.startDate < $factsAsOf`]);
  }
  if (when.length === 0) return 'true';
  if (types.length === 1) return `($factsAsOf IS NULL OR ${when[0][1]})`;
  return `($factsAsOf IS NULL OR CASE type(${r}) ${when.map(([t, e]) => `WHEN '${t}' THEN ${e}`).join(' ')} ELSE true END)`;
}

/** The distinct neighbours of `x` over `via` in the view, as `name`. */
function neighbourList(x: string, via: readonly RelType[], name: string): string {
  return `CALL { WITH ${x} MATCH (${x})-[r:${relTypes(via)}]-(n:GNode) WHERE n <> ${x} AND ${visible('r', via)} RETURN collect(DISTINCT n) AS ${name} }`;
}

/** The distinct-neighbour degree of `x` over `via` in the view, as `name`. */
function degreeOf(x: string, via: readonly RelType[], name: string): string {
  return `CALL { WITH ${x} MATCH (${x})-[r:${relTypes(via)}]-(n:GNode) WHERE n <> ${x} AND ${visible('r', via)} RETURN count(DISTINCT n) AS ${name} }`;
}

const RECENCY = 'm.count * 0.5 ^ (toFloat(CASE WHEN $asOfYear > m.year THEN $asOfYear - m.year ELSE 0 END) / $halfLife)';
const MOVE = `${visible('m', ['MOVED_TO'])}`;
const STINT = (w: string) => visible(w, ['WORKED_AT']);

/** Directed, recency-weighted MOVED_TO into the target; expects `u` and `v` in scope. */
function flowSubquery(kind: LinkKind): string {
  switch (kind) {
    case 'COMPANY_COMPANY':
      return `CALL { WITH u, v MATCH (u)-[m:MOVED_TO]->(v) WHERE ${MOVE} RETURN sum(${RECENCY}) AS flow }`;
    case 'CANDIDATE_COMPANY':
      return `CALL { WITH u, v MATCH (u)-[w:WORKED_AT]->(z:GNode) WHERE ${STINT('w')} WITH DISTINCT v, z MATCH (z)-[m:MOVED_TO]->(v) WHERE ${MOVE} RETURN sum(${RECENCY}) AS flow }`;
    case 'CANDIDATE_JOB':
      return `CALL { WITH u, v MATCH (u)-[w:WORKED_AT]->(z:GNode) WHERE ${STINT('w')} WITH DISTINCT v, z MATCH (v)-[:POSTED_BY]->(c:GNode) WITH DISTINCT z, c MATCH (z)-[m:MOVED_TO]->(c) WHERE ${MOVE} RETURN sum(${RECENCY}) AS flow }`;
    case 'CANDIDATE_CANDIDATE':
      return 'WITH *, 0.0 AS flow';
  }
}

/**
 * The target's in-degree in the view as `indeg` (LinkKindSpec.popularity) and its moves received since
 * `$recentFrom` as `recent`; expects `v` in scope.
 */
function inDegreeSubquery(kind: LinkKind): string {
  switch (LINK_KIND_SPECS[kind].popularity) {
    case 'MOVES_RECEIVED':
      return `CALL { WITH v OPTIONAL MATCH (:GNode)-[m:MOVED_TO]->(v) WHERE ${MOVE} RETURN coalesce(sum(m.count), 0) AS indeg, coalesce(sum(CASE WHEN m.year >= $recentFrom THEN m.count ELSE 0 END), 0) AS recent }`;
    case 'APPLICANTS':
      return `CALL { WITH v OPTIONAL MATCH (c:GNode)-[r:APPLIED_TO|PLACED_AT]->(v) WHERE ${visible('r', ['APPLIED_TO', 'PLACED_AT'])} RETURN count(DISTINCT c) AS indeg, 0 AS recent }`;
    case null:
      return 'WITH *, 0 AS indeg, 0 AS recent';
  }
}

/** 1 when target `v`'s industry is the source's (a candidate's: one of its employers' in the view) as `same`; expects `u`, `v`. */
function sameIndustry(kind: LinkKind): string {
  switch (kind) {
    case 'COMPANY_COMPANY':
      return 'WITH *, CASE WHEN v.industry IS NOT NULL AND v.industry = u.industry THEN 1 ELSE 0 END AS same';
    case 'CANDIDATE_COMPANY':
      return `WITH *, CASE WHEN v.industry IS NOT NULL AND EXISTS { MATCH (u)-[w:WORKED_AT]->(e:GNode) WHERE ${STINT('w')} AND e.industry = v.industry } THEN 1 ELSE 0 END AS same`;
    default:
      return 'WITH *, 0 AS same';
  }
}

/** Month a stint ends in the view: open, or (with asOf) not ended by then, it runs to $now. */
const STINT_END = (w: string) =>
  `CASE WHEN ${w}.to IS NULL OR ($factsAsOf IS NOT NULL AND ${w}.to >= $refDate) THEN $now ELSE ${w}.toMonth END`;
const OVERLAP_IN_VIEW = `(CASE WHEN ${STINT_END('w1')} < ${STINT_END('w2')} THEN ${STINT_END('w1')} ELSE ${STINT_END('w2')} END
   - CASE WHEN w1.fromMonth > w2.fromMonth THEN w1.fromMonth ELSE w2.fromMonth END + 1)`;

/**
 * The source's existing links to `v` (a boolean expression), as linksOf in the embedded adapter:
 * MOVED_TO for companies, former employers (no current stint) for candidates, applications for
 * jobs, overlapping stints for colleagues.
 */
function existingLink(kind: LinkKind): string {
  switch (kind) {
    case 'COMPANY_COMPANY':
      return `EXISTS { MATCH (u)-[m:MOVED_TO]->(v) WHERE ${MOVE} }`;
    case 'CANDIDATE_COMPANY':
      return `EXISTS { MATCH (u)-[w:WORKED_AT]->(v) WHERE ${STINT('w')} }`;
    case 'CANDIDATE_JOB':
      return `EXISTS { MATCH (u)-[r:APPLIED_TO|PLACED_AT]->(v) WHERE ${visible('r', ['APPLIED_TO', 'PLACED_AT'])} }`;
    case 'CANDIDATE_CANDIDATE':
      return `EXISTS { MATCH (u)-[w1:WORKED_AT]->(:GNode)<-[w2:WORKED_AT]-(v) WHERE ${STINT('w1')} AND ${STINT('w2')} AND ${OVERLAP_IN_VIEW} > 0 }`;
  }
}

/** Targets never offered: a candidate's current employer, a closed job. */
function neverOffered(kind: LinkKind): string {
  switch (kind) {
    case 'CANDIDATE_COMPANY':
      return `EXISTS { MATCH (u)-[w:WORKED_AT]->(v) WHERE ${STINT('w')} AND (w.to IS NULL OR w.to >= $refDate) }`;
    case 'CANDIDATE_JOB':
      return "coalesce(v.status, '') = 'CLOSED'";
    default:
      return 'false';
  }
}

/** The targets `$mode` offers (NEW: no existing link; REPEAT: an existing one; ANY: both), never-offered ones left out. */
function offered(kind: LinkKind): string {
  return `WHERE v <> u AND NOT ${neverOffered(kind)} AND CASE $mode WHEN 'NEW' THEN NOT ${existingLink(kind)} WHEN 'REPEAT' THEN ${existingLink(kind)} ELSE true END`;
}

export interface LinkPoolOptions {
  pool: number;
  /** The year recency counts back from. */
  asOfYear: number;
  /** The view's month "now" (FactsAsOf.nowMonth). */
  nowMonth: number;
  mode: LinkMode;
  /** FactsAsOf.asOf: null for every fact. */
  factsAsOf: string | null;
  refDate: string;
  moveYearLimit: number;
  /** First year of the recent in-degree (FactsAsOf.year - RECENT_YEARS). */
  recentFrom: number;
}

function poolParams(uid: string, o: LinkPoolOptions): Record<string, unknown> {
  return {
    uid,
    pool: int(o.pool),
    asOfYear: o.asOfYear,
    halfLife: FLOW_HALF_LIFE_YEARS,
    now: o.nowMonth,
    mode: o.mode,
    factsAsOf: o.factsAsOf,
    refDate: o.refDate,
    moveYearLimit: Number.isFinite(o.moveYearLimit) ? o.moveYearLimit : null,
    recentFrom: o.recentFrom,
  };
}

/**
 * `indeg`, `recent` and `same`: computed per target, or (`fromTable`) zeros that the caller fills from
 * the cached target table, which saves scanning every popular target's in-edges on every call.
 */
function popularityColumns(kind: LinkKind, fromTable: boolean): string {
  return fromTable ? 'WITH *, 0 AS indeg, 0 AS recent, 0 AS same' : `${inDegreeSubquery(kind)}\n${sameIndustry(kind)}`;
}

/** The columns of a link row for target `v` of source `u` (with `nu`, u's neighbours): features and commons. */
function linkColumns(kind: LinkKind, fromTable: boolean): string {
  const via = LINK_KIND_SPECS[kind].via;
  return `${degreeOf('v', via, 'dv')}
CALL {
  WITH nu, v
  UNWIND nu AS z
  MATCH (z)-[r:${relTypes(via)}]-(v)
  WHERE ${visible('r', via)}
  WITH DISTINCT z
  ${degreeOf('z', via, 'dz')}
  RETURN count(z) AS cn, sum(1.0 / log(dz)) AS aa, sum(1.0 / dz) AS ra, collect({id: z.id, degree: dz}) AS commons
}
${flowSubquery(kind)}
${popularityColumns(kind, fromTable)}
RETURN v.id AS targetId, cn, aa, ra, size(nu) AS du, dv, flow, indeg, recent, same, commons, v IN nu AS direct`;
}

/**
 * The NEIGHBOURHOOD source: candidate targets (two hops over the kind's relationships, plus direct
 * neighbours where the kind allows), pre-ranked by resource allocation, then their features.
 * Degrees count distinct nodes.
 */
export function predictLinks(kind: LinkKind, uid: string, o: LinkPoolOptions, fromTable = false): Statement {
  const spec = LINK_KIND_SPECS[kind];
  const via = relTypes(spec.via);
  const target = label(spec.target);
  const direct = spec.includeDirect
    ? `
  UNION ALL
  WITH u, nu
  UNWIND nu AS v
  WITH v WHERE v:${target}
  RETURN v, 0 AS cn, 0.0 AS aa, 0.0 AS ra, [] AS commons`
    : '';
  return {
    text: `MATCH (u:GNode {uid: $uid})
${neighbourList('u', spec.via, 'nu')}
CALL {
  WITH u, nu
  UNWIND nu AS z
  ${degreeOf('z', spec.via, 'dz')}
  MATCH (z)-[r:${via}]-(v:${target})
  WHERE v <> u AND ${visible('r', spec.via)}
  WITH DISTINCT z, dz, v
  RETURN v, count(z) AS cn, sum(1.0 / log(dz)) AS aa, sum(1.0 / dz) AS ra, collect({id: z.id, degree: dz}) AS commons${direct}
}
WITH u, nu, v, sum(cn) AS cn, sum(aa) AS aa, sum(ra) AS ra, collect(commons) AS commonLists
${offered(kind)}
WITH u, nu, v, cn, aa, ra, commonLists
ORDER BY round(ra * 1000000000.0) DESC, v.id ASC
LIMIT $pool
${degreeOf('v', spec.via, 'dv')}
${flowSubquery(kind)}
${popularityColumns(kind, fromTable)}
RETURN v.id AS targetId, cn, aa, ra, size(nu) AS du, dv, flow, indeg, recent, same,
  reduce(acc = [], c IN commonLists | acc + c) AS commons, v IN nu AS direct`,
    params: poolParams(uid, o),
  };
}

/**
 * Every target of the kind in graph `graphName` with what the table-driven sources rank by
 * (TargetStats): in-degree and recent in-degree in the view, industry, location, headcount, closed.
 * Scans the kind's targets; the adapter caches the answer per view.
 */
export function targetTableRows(kind: LinkKind, graphName: string, o: Omit<LinkPoolOptions, 'pool' | 'mode'>): Statement {
  const spec = LINK_KIND_SPECS[kind];
  if (spec.popularity === null) throw new Error(`${kind} has no popularity`);
  const headcount =
    spec.target === 'Company'
      ? `CALL { WITH v OPTIONAL MATCH (p:GNode)-[w:WORKED_AT]->(v) WHERE ${STINT('w')} RETURN count(DISTINCT p) AS headcount }`
      : 'WITH *, 0 AS headcount';
  return {
    text: `MATCH (v:GNode {g: $g})
WHERE v:${label(spec.target)}
${inDegreeSubquery(kind)}
${headcount}
RETURN v.id AS id, indeg, recent, v.industry AS industry, v.location AS location, headcount, coalesce(v.status, '') = 'CLOSED' AS closed`,
    params: { ...poolParams('', { ...o, pool: 0, mode: 'NEW' }), g: graphName },
  };
}

/**
 * The source's links (SourceLinks): existing targets with their number of links, never-offered
 * targets (a candidate's current employers), senders (REVERSE_FLOW) and the companies it is.
 */
export function sourceLinks(kind: LinkKind, uid: string, o: Omit<LinkPoolOptions, 'pool' | 'mode'>): Statement {
  const params = poolParams(uid, { ...o, pool: 0, mode: 'NEW' });
  const head = 'MATCH (u:GNode {uid: $uid})';
  const senders = (of: string) =>
    `CALL { WITH ${of} UNWIND ${of} AS c MATCH (s:GNode)-[m:MOVED_TO]->(c) WHERE ${MOVE} WITH s, sum(m.count) AS moves RETURN collect({id: s.id, n: moves}) AS senders }`;
  switch (kind) {
    case 'COMPANY_COMPANY':
      return {
        text: `${head}
CALL { WITH u OPTIONAL MATCH (u)-[m:MOVED_TO]->(v:GNode) WHERE ${MOVE} WITH v, sum(m.count) AS n WHERE v IS NOT NULL RETURN collect({id: v.id, n: n}) AS existing }
WITH u, existing, [u] AS profiles
${senders('profiles')}
RETURN existing, [] AS never, senders, [p IN profiles | p.id] AS profileIds`,
        params,
      };
    case 'CANDIDATE_COMPANY':
      return {
        text: `${head}
CALL {
  WITH u
  OPTIONAL MATCH (u)-[w:WORKED_AT]->(v:GNode)
  WHERE ${STINT('w')}
  WITH v, count(w) AS n, sum(CASE WHEN w.to IS NULL OR w.to >= $refDate THEN 1 ELSE 0 END) AS current
  WHERE v IS NOT NULL
  RETURN collect(CASE WHEN current = 0 THEN {id: v.id, n: n} END) AS existing, collect(CASE WHEN current > 0 THEN v.id END) AS never, collect(v) AS profiles
}
${senders('profiles')}
RETURN existing, never, senders, [p IN profiles | p.id] AS profileIds`,
        params,
      };
    case 'CANDIDATE_JOB':
      return {
        text: `${head}
CALL { WITH u OPTIONAL MATCH (u)-[r:APPLIED_TO|PLACED_AT]->(v:GNode) WHERE ${visible('r', ['APPLIED_TO', 'PLACED_AT'])} WITH v, count(r) AS n WHERE v IS NOT NULL RETURN collect({id: v.id, n: n}) AS existing }
RETURN existing, [] AS never, [] AS senders, [] AS profileIds`,
        params,
      };
    case 'CANDIDATE_CANDIDATE':
      throw new Error('CANDIDATE_CANDIDATE has no table-driven sources');
  }
}

/** Link rows (the columns of predictLinks) of the given targets of one source, in no particular order. */
export function linkRows(
  kind: LinkKind,
  uid: string,
  graphName: string,
  targetIds: string[],
  o: LinkPoolOptions,
  fromTable = false,
): Statement {
  return {
    text: `MATCH (u:GNode {uid: $uid})
${neighbourList('u', LINK_KIND_SPECS[kind].via, 'nu')}
UNWIND $targets AS tid
MATCH (v:GNode {uid: $g + '|' + tid})
${linkColumns(kind, fromTable)}`,
    params: { ...poolParams(uid, o), g: graphName, targets: targetIds },
  };
}

/** Features of given pairs; an unknown node has no neighbours, so its features are zeros. */
export function pairFeatures(
  kind: LinkKind,
  pairs: { i: number; u: string; v: string }[],
  asOfYear: number,
  view: Pick<LinkPoolOptions, 'factsAsOf' | 'moveYearLimit' | 'refDate' | 'recentFrom'>,
): Statement {
  const via = LINK_KIND_SPECS[kind].via;
  return {
    text: `UNWIND $pairs AS pair
OPTIONAL MATCH (u:GNode {uid: pair.u})
OPTIONAL MATCH (v:GNode {uid: pair.v})
CALL { WITH u OPTIONAL MATCH (u)-[r:${relTypes(via)}]-(z:GNode) WHERE z <> u AND ${visible('r', via)} RETURN collect(DISTINCT z) AS nu }
CALL { WITH v OPTIONAL MATCH (v)-[r:${relTypes(via)}]-(z:GNode) WHERE z <> v AND ${visible('r', via)} RETURN collect(DISTINCT z) AS nv }
CALL {
  WITH nu, nv
  UNWIND [z IN nu WHERE z IN nv] AS z
  ${degreeOf('z', via, 'dz')}
  RETURN count(z) AS cn, sum(1.0 / log(dz)) AS aa, sum(1.0 / dz) AS ra
}
${flowSubquery(kind)}
${inDegreeSubquery(kind)}
${sameIndustry(kind)}
RETURN pair.i AS i, cn, aa, ra, size(nu) AS du, size(nv) AS dv, coalesce(flow, 0.0) AS flow, coalesce(indeg, 0) AS indeg,
  coalesce(recent, 0) AS recent, coalesce(same, 0) AS same`,
    params: {
      pairs,
      asOfYear,
      halfLife: FLOW_HALF_LIFE_YEARS,
      factsAsOf: view.factsAsOf,
      moveYearLimit: Number.isFinite(view.moveYearLimit) ? view.moveYearLimit : null,
      refDate: view.refDate,
      recentFrom: view.recentFrom,
    },
  };
}
