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
import { LINK_KIND_SPECS, type LinkKind } from './relation-graph';
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

const RECENCY = 'm.count * 0.5 ^ (toFloat(CASE WHEN $asOf > m.year THEN $asOf - m.year ELSE 0 END) / $halfLife)';

/** Directed, recency-weighted MOVED_TO into the target; expects `u` and `v` in scope. */
function flowSubquery(kind: LinkKind): string {
  switch (kind) {
    case 'COMPANY_COMPANY':
      return `CALL { WITH u, v MATCH (u)-[m:MOVED_TO]->(v) RETURN sum(${RECENCY}) AS flow }`;
    case 'CANDIDATE_COMPANY':
      return `CALL { WITH u, v MATCH (u)-[:WORKED_AT]->(z:GNode) WITH DISTINCT v, z MATCH (z)-[m:MOVED_TO]->(v) RETURN sum(${RECENCY}) AS flow }`;
    case 'CANDIDATE_JOB':
      return `CALL { WITH u, v MATCH (u)-[:WORKED_AT]->(z:GNode) WITH DISTINCT v, z MATCH (v)-[:POSTED_BY]->(c:GNode) WITH DISTINCT z, c MATCH (z)-[m:MOVED_TO]->(c) RETURN sum(${RECENCY}) AS flow }`;
    case 'CANDIDATE_CANDIDATE':
      return 'WITH *, 0.0 AS flow';
  }
}

/** The target's in-degree as `indeg` (LinkKindSpec.popularity); expects `v` in scope. */
function inDegreeSubquery(kind: LinkKind): string {
  switch (LINK_KIND_SPECS[kind].popularity) {
    case 'MOVES_RECEIVED':
      return 'CALL { WITH v OPTIONAL MATCH (:GNode)-[m:MOVED_TO]->(v) RETURN coalesce(sum(m.count), 0) AS indeg }';
    case 'APPLICANTS':
      return 'CALL { WITH v OPTIONAL MATCH (c:GNode)-[:APPLIED_TO|PLACED_AT]->(v) RETURN count(DISTINCT c) AS indeg }';
    case null:
      return 'WITH *, 0 AS indeg';
  }
}

/** Targets that can never be new for the source, and (`$excludeExisting`) a company's existing destinations. */
function exclusion(kind: LinkKind): string {
  switch (kind) {
    case 'CANDIDATE_COMPANY':
      return 'WHERE NOT EXISTS { (u)-[:WORKED_AT]->(v) }';
    case 'CANDIDATE_JOB':
      return "WHERE NOT EXISTS { (u)-[:APPLIED_TO|PLACED_AT]->(v) } AND coalesce(v.status, '') <> 'CLOSED'";
    case 'CANDIDATE_CANDIDATE':
      return `WHERE NOT EXISTS { MATCH (u)-[w1:WORKED_AT]->(:GNode)<-[w2:WORKED_AT]-(v) WHERE ${OVERLAP} > 0 }`;
    case 'COMPANY_COMPANY':
      return 'WHERE NOT ($excludeExisting AND EXISTS { (u)-[:MOVED_TO]->(v) })';
  }
}

export interface LinkPoolOptions {
  pool: number;
  asOfYear: number;
  nowMonth: number;
  excludeExisting: boolean;
}

/**
 * The NEIGHBOURHOOD source: candidate targets (two hops over the kind's relationships, plus direct
 * neighbours where the kind allows), pre-ranked by resource allocation, then their features.
 * Degrees count distinct nodes.
 */
export function predictLinks(kind: LinkKind, uid: string, o: LinkPoolOptions): Statement {
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
CALL { WITH u MATCH (u)-[:${via}]-(z:GNode) WHERE z <> u RETURN collect(DISTINCT z) AS nu }
CALL {
  WITH u, nu
  UNWIND nu AS z
  CALL { WITH z MATCH (z)-[:${via}]-(n:GNode) WHERE n <> z RETURN count(DISTINCT n) AS dz }
  MATCH (z)-[:${via}]-(v:${target})
  WHERE v <> u
  WITH DISTINCT z, dz, v
  RETURN v, count(z) AS cn, sum(1.0 / log(dz)) AS aa, sum(1.0 / dz) AS ra, collect({id: z.id, degree: dz}) AS commons${direct}
}
WITH u, nu, v, sum(cn) AS cn, sum(aa) AS aa, sum(ra) AS ra, collect(commons) AS commonLists
${exclusion(kind)}
WITH u, nu, v, cn, aa, ra, commonLists
ORDER BY round(ra * 1000000000.0) DESC, v.id ASC
LIMIT $pool
CALL { WITH v MATCH (v)-[:${via}]-(n:GNode) WHERE n <> v RETURN count(DISTINCT n) AS dv }
${flowSubquery(kind)}
${inDegreeSubquery(kind)}
RETURN v.id AS targetId, cn, aa, ra, size(nu) AS du, dv, flow, indeg,
  reduce(acc = [], c IN commonLists | acc + c) AS commons, v IN nu AS direct`,
    params: poolParams(uid, o),
  };
}

function poolParams(uid: string, o: LinkPoolOptions): Record<string, unknown> {
  return {
    uid,
    pool: int(o.pool),
    asOf: o.asOfYear,
    halfLife: FLOW_HALF_LIFE_YEARS,
    now: o.nowMonth,
    excludeExisting: o.excludeExisting,
  };
}

/**
 * The POPULARITY source: the targets of the graph `graphName` with the highest in-degree (ties by
 * id) that are not in `skipIds` (the NEIGHBOURHOOD pool), with the same columns as predictLinks.
 * Scans the kind's target nodes of the graph; the kind must have a popularity.
 */
export function popularLinkTargets(kind: LinkKind, uid: string, graphName: string, skipIds: string[], o: LinkPoolOptions): Statement {
  const spec = LINK_KIND_SPECS[kind];
  if (spec.popularity === null) throw new Error(`${kind} has no popularity`);
  const via = relTypes(spec.via);
  return {
    text: `MATCH (u:GNode {uid: $uid})
CALL { WITH u MATCH (u)-[:${via}]-(z:GNode) WHERE z <> u RETURN collect(DISTINCT z) AS nu }
MATCH (v:GNode {g: $g})
WHERE v:${label(spec.target)} AND v <> u AND NOT v.id IN $skip
WITH u, nu, v
${exclusion(kind)}
${inDegreeSubquery(kind)}
WITH u, nu, v, indeg
WHERE indeg > 0
ORDER BY indeg DESC, v.id ASC
LIMIT $pool
CALL { WITH v MATCH (v)-[:${via}]-(n:GNode) WHERE n <> v RETURN count(DISTINCT n) AS dv }
CALL {
  WITH nu, v
  UNWIND nu AS z
  MATCH (z)-[:${via}]-(v)
  WITH DISTINCT z
  CALL { WITH z MATCH (z)-[:${via}]-(n:GNode) WHERE n <> z RETURN count(DISTINCT n) AS dz }
  RETURN count(z) AS cn, sum(1.0 / log(dz)) AS aa, sum(1.0 / dz) AS ra, collect({id: z.id, degree: dz}) AS commons
}
${flowSubquery(kind)}
RETURN v.id AS targetId, cn, aa, ra, size(nu) AS du, dv, flow, indeg, commons, v IN nu AS direct`,
    params: { ...poolParams(uid, o), g: graphName, skip: skipIds },
  };
}

/** Features of given pairs; an unknown node has no neighbours, so its features are zeros. */
export function pairFeatures(kind: LinkKind, pairs: { i: number; u: string; v: string }[], asOfYear: number): Statement {
  const via = relTypes(LINK_KIND_SPECS[kind].via);
  return {
    text: `UNWIND $pairs AS pair
OPTIONAL MATCH (u:GNode {uid: pair.u})
OPTIONAL MATCH (v:GNode {uid: pair.v})
CALL { WITH u OPTIONAL MATCH (u)-[:${via}]-(z:GNode) WHERE z <> u RETURN collect(DISTINCT z) AS nu }
CALL { WITH v OPTIONAL MATCH (v)-[:${via}]-(z:GNode) WHERE z <> v RETURN collect(DISTINCT z) AS nv }
CALL {
  WITH nu, nv
  UNWIND [z IN nu WHERE z IN nv] AS z
  CALL { WITH z MATCH (z)-[:${via}]-(n:GNode) WHERE n <> z RETURN count(DISTINCT n) AS dz }
  RETURN count(z) AS cn, sum(1.0 / log(dz)) AS aa, sum(1.0 / dz) AS ra
}
${flowSubquery(kind)}
${inDegreeSubquery(kind)}
RETURN pair.i AS i, cn, aa, ra, size(nu) AS du, size(nv) AS dv, coalesce(flow, 0.0) AS flow, coalesce(indeg, 0) AS indeg`,
    params: { pairs, asOf: asOfYear, halfLife: FLOW_HALF_LIFE_YEARS },
  };
}
