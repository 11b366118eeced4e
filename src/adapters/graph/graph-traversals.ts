/**
 * Traversals written once over a few engine primitives, so the embedded and Neo4j adapters
 * return the same neighbourhoods and introduction paths by construction. Each primitive is one
 * bounded query per level; nothing here can enumerate a hub's full neighbourhood.
 */
import { badInput, notFound } from './graph-errors';
import { WARM_LINKS_PER_NODE, type NormalizedNeighborhood } from './graph-input';
import type {
  GraphEdge,
  GraphNode,
  IntroductionPath,
  IntroductionPathsQuery,
  NodeLabel,
  PathEmployee,
  RelType,
  Subgraph,
  WarmHop,
  WarmLinkKind,
} from './relation-graph';

/** Code-unit order, the order Neo4j uses for strings; `localeCompare` would disagree with it. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const MAX_NEIGHBORHOOD_EDGES = 2000;

export interface TraversalPrimitives {
  nodes(ids: readonly string[]): Promise<GraphNode[]>;
  /** Neighbours of `frontier` over `types` not in `exclude`, ascending id, at most `limit`. */
  expand(frontier: readonly string[], types: readonly RelType[], exclude: readonly string[], limit: number): Promise<string[]>;
  /** Relationships of `types` between nodes of `ids`, ordered by compareEdges, at most `limit`. */
  edgesAmong(ids: readonly string[], types: readonly RelType[], limit: number): Promise<GraphEdge[]>;
  /** For each id, its warm links as in `selectWarmLinks`. */
  warmLinks(ids: readonly string[]): Promise<Map<string, WarmHop[]>>;
  /**
   * Those of `ids` who work at `companyId` now (a stint started by this month, without an end or
   * ending this month or later), with that stint (the latest started; ties by title). Asked only
   * about the people a search reached, so its cost never depends on the company's headcount.
   */
  currentEmployees(companyId: string, ids: readonly string[]): Promise<Map<string, Omit<PathEmployee, 'candidateId'>>>;
}

export function compareEdges(a: GraphEdge, b: GraphEdge): number {
  return (
    compareStrings(a.from, b.from) ||
    compareStrings(a.to, b.to) ||
    compareStrings(a.type, b.type) ||
    compareStrings(JSON.stringify(sortedProps(a.props)), JSON.stringify(sortedProps(b.props)))
  );
}

function sortedProps(p: GraphEdge['props']): [string, unknown][] {
  return Object.entries(p).sort(([a], [b]) => compareStrings(a, b));
}

export async function neighborhood(prim: TraversalPrimitives, q: NormalizedNeighborhood): Promise<Subgraph> {
  const [centre] = await prim.nodes([q.id]);
  if (!centre) throw notFound([q.id]);
  const kept = [q.id];
  let frontier = [q.id];
  let truncated = false;
  for (let level = 1; level <= q.depth && frontier.length > 0; level += 1) {
    const room = q.limit - kept.length;
    // With the node budget spent, one probe tells the caller whether anything was left out.
    const found = await prim.expand(frontier, q.types, kept, Math.max(room, 0) + 1);
    if (found.length > room) truncated = true;
    if (room <= 0) break;
    frontier = found.slice(0, room);
    kept.push(...frontier);
  }
  const nodes = await prim.nodes(kept);
  const edges = await prim.edgesAmong(kept, q.types, MAX_NEIGHBORHOOD_EDGES + 1);
  if (edges.length > MAX_NEIGHBORHOOD_EDGES) truncated = true;
  const order = new Map(kept.map((id, i) => [id, i]));
  nodes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { nodes, edges: edges.slice(0, MAX_NEIGHBORHOOD_EDGES), truncated };
}

// ---------------------------------------------------------------- warm links

export const WARM_STRENGTH: Readonly<Record<Exclude<WarmLinkKind, 'COLLEAGUE'>, number>> = {
  OWNER: 0.9,
  PLACEMENT: 0.8,
  SCHOOLMATE: 0.5,
};

/** A year of overlap makes a strong tie (0.63); a month, a weak one (0.08). */
export function colleagueStrength(months: number): number {
  return 1 - Math.exp(-months / 12);
}

function compareHops(a: WarmHop, b: WarmHop): number {
  return b.strength - a.strength || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind);
}

/**
 * Engines return, per kind, the WARM_LINKS_PER_NODE best links of a node (strength desc, id asc);
 * this keeps the strongest link per other person and the overall best WARM_LINKS_PER_NODE.
 */
export function selectWarmLinks(candidates: WarmHop[]): WarmHop[] {
  const best = new Map<string, WarmHop>();
  for (const h of [...candidates].sort(compareHops)) if (!best.has(h.to)) best.set(h.to, h);
  return [...best.values()].sort(compareHops).slice(0, WARM_LINKS_PER_NODE);
}

interface PartialPath {
  nodes: string[];
  hops: WarmHop[];
  strength: number;
}

async function grow(prim: TraversalPrimitives, start: string, stopAt: string, depth: number): Promise<PartialPath[]> {
  const all: PartialPath[] = [];
  let level: PartialPath[] = [{ nodes: [start], hops: [], strength: 1 }];
  for (let d = 1; d <= depth && level.length > 0; d += 1) {
    const ends = [...new Set(level.map((p) => p.nodes[p.nodes.length - 1]).filter((id) => id !== stopAt))];
    const links = await prim.warmLinks(ends);
    const next: PartialPath[] = [];
    for (const p of level) {
      const end = p.nodes[p.nodes.length - 1];
      if (end === stopAt) continue;
      for (const h of links.get(end) ?? []) {
        if (p.nodes.includes(h.to)) continue; // simple paths only: cycles never extend a path
        next.push({ nodes: [...p.nodes, h.to], hops: [...p.hops, h], strength: p.strength * h.strength });
      }
    }
    all.push(...next);
    level = next;
  }
  return all;
}

function reverseHop(h: WarmHop): WarmHop {
  return { ...h, from: h.to, to: h.from };
}

/**
 * Meet in the middle: paths of up to ceil(h/2) warm hops from `from`, up to floor(h/2) from `to`,
 * joined on their last node. Ranked by strength (product of hops), then fewer hops, then ids. A
 * company `to` takes pathsToCompany instead. Throws NOT_FOUND for an unknown id, BAD_USER_INPUT
 * when `from` is not a person or `to` is neither a person nor a company.
 */
export async function introductionPaths(
  prim: TraversalPrimitives,
  q: Required<IntroductionPathsQuery>,
  people: readonly NodeLabel[] = ['Candidate', 'Consultant'],
): Promise<IntroductionPath[]> {
  const found = await prim.nodes([q.from, q.to]);
  const missing = [q.from, q.to].filter((id) => !found.some((n) => n.id === id));
  if (missing.length > 0) throw notFound(missing);
  const [from, to] = [q.from, q.to].map((id) => found.find((n) => n.id === id)!);
  if (!people.includes(from.label)) {
    throw badInput(`from must be a person (candidate or consultant); ${from.id} is a ${from.label}.`, { field: 'from', id: from.id });
  }
  if (to.label === 'Company') return pathsToCompany(prim, q);
  if (!people.includes(to.label)) {
    throw badInput(`to must be a person (candidate or consultant) or a company; ${to.id} is a ${to.label}.`, { field: 'to', id: to.id });
  }
  const fwd = await grow(prim, q.from, q.to, Math.ceil(q.maxHops / 2));
  const bwd = await grow(prim, q.to, q.from, Math.floor(q.maxHops / 2));
  const out = new Map<string, Omit<IntroductionPath, 'nodeLabels'>>();
  const add = (path: Omit<IntroductionPath, 'nodeLabels'>) => {
    const key = path.nodeIds.join('/');
    if (!out.has(key)) out.set(key, path);
  };
  const bwdByEnd = new Map<string, PartialPath[]>();
  for (const p of bwd) {
    const end = p.nodes[p.nodes.length - 1];
    if (end === q.from) {
      // Caps are per node: the backward side may see a link the forward side did not keep.
      add({ nodeIds: [...p.nodes].reverse(), hops: [...p.hops].reverse().map(reverseHop), strength: p.strength });
      continue;
    }
    const list = bwdByEnd.get(end) ?? [];
    list.push(p);
    bwdByEnd.set(end, list);
  }
  for (const f of fwd) {
    const end = f.nodes[f.nodes.length - 1];
    if (end === q.to) {
      add({ nodeIds: f.nodes, hops: f.hops, strength: f.strength });
      continue;
    }
    for (const b of bwdByEnd.get(end) ?? []) {
      if (f.hops.length + b.hops.length > q.maxHops) continue;
      const tail = [...b.nodes].reverse().slice(1);
      if (tail.some((id) => f.nodes.includes(id))) continue;
      add({
        nodeIds: [...f.nodes, ...tail],
        hops: [...f.hops, ...[...b.hops].reverse().map(reverseHop)],
        strength: f.strength * b.strength,
      });
    }
  }
  return withLabels(prim, [...out.values()].sort(comparePaths).slice(0, q.first));
}

/**
 * Partial paths a company search carries from one hop to the next, the strongest first. Each hop asks
 * warmLinks about this many people at most, so a 4-hop search asks about 1 + 50 + 100 + 100, against
 * the person-to-person search's 2 x (1 + 50); the people reached are asked about at most 50 times as
 * many. With WARM_LINKS_PER_NODE squared (2,500) a 3-hop search took 10x the person search on the
 * embedded graph and ran past a 60 s read timeout on Neo4j (bench/graph.ts, 20,000 candidates).
 */
export const COMPANY_PATH_BEAM = 2 * WARM_LINKS_PER_NODE;

/** Strongest first, then fewer hops, then node ids. */
function comparePaths(a: Omit<IntroductionPath, 'nodeLabels'>, b: Omit<IntroductionPath, 'nodeLabels'>): number {
  return b.strength - a.strength || a.hops.length - b.hops.length || compareStrings(a.nodeIds.join('/'), b.nodeIds.join('/'));
}
function comparePartial(a: PartialPath, b: PartialPath): number {
  return b.strength - a.strength || a.hops.length - b.hops.length || compareStrings(a.nodes.join('/'), b.nodes.join('/'));
}
const endOf = (p: PartialPath) => p.nodes[p.nodes.length - 1];

/**
 * Paths from a person to the people who work at a company now, grown from the person one hop at a
 * time (a company has no warm links of its own to grow from). A path ends at the first current
 * employee it reaches: that person is the introduction, so no path runs through another employee.
 * The answer is the strongest path to each employee, strongest first, at most `first`.
 *
 * Bounded whatever the company's size: each hop keeps one partial path per person (the strongest;
 * a later arrival that is no stronger than an earlier one is dropped, since it has fewer hops left),
 * then only those that could still beat the `first`-th answer (a hop never raises a strength), then
 * the COMPANY_PATH_BEAM strongest. currentEmployees is asked about the people reached, never for
 * the company's whole staff.
 */
async function pathsToCompany(prim: TraversalPrimitives, q: Required<IntroductionPathsQuery>): Promise<IntroductionPath[]> {
  const best = new Map<string, Omit<IntroductionPath, 'nodeLabels'>>();
  const reached = new Map<string, number>([[q.from, 1]]);
  let level: PartialPath[] = [{ nodes: [q.from], hops: [], strength: 1 }];
  for (let d = 1; d <= q.maxHops && level.length > 0; d += 1) {
    // One partial path per person (byEnd), so the ends are distinct.
    const links = await prim.warmLinks(level.map(endOf));
    const byEnd = new Map<string, PartialPath>();
    for (const p of level) {
      for (const h of links.get(endOf(p)) ?? []) {
        if (p.nodes.includes(h.to)) continue;
        const next = { nodes: [...p.nodes, h.to], hops: [...p.hops, h], strength: p.strength * h.strength };
        const held = byEnd.get(h.to);
        if (!held || comparePartial(next, held) < 0) byEnd.set(h.to, next);
      }
    }
    const fresh = [...byEnd.values()].filter((p) => p.strength > (reached.get(endOf(p)) ?? 0));
    const employees = await prim.currentEmployees(q.to, fresh.map(endOf));
    const onward: PartialPath[] = [];
    for (const p of fresh) {
      const end = endOf(p);
      reached.set(end, p.strength);
      const job = employees.get(end);
      if (!job) {
        onward.push(p);
        continue;
      }
      const path = { nodeIds: p.nodes, hops: p.hops, strength: p.strength, employee: { candidateId: end, ...job } };
      const held = best.get(end);
      if (!held || comparePaths(path, held) < 0) best.set(end, path);
    }
    const answers = [...best.values()].sort(comparePaths);
    const bar = answers.length >= q.first ? answers[q.first - 1].strength : 0;
    level = onward
      .filter((p) => p.strength > bar)
      .sort(comparePartial)
      .slice(0, COMPANY_PATH_BEAM);
  }
  return withLabels(prim, [...best.values()].sort(comparePaths).slice(0, q.first));
}

async function withLabels(prim: TraversalPrimitives, paths: Omit<IntroductionPath, 'nodeLabels'>[]): Promise<IntroductionPath[]> {
  const labels = new Map((await prim.nodes([...new Set(paths.flatMap((p) => p.nodeIds))])).map((n) => [n.id, n.label]));
  return paths.map((p) => ({ ...p, nodeLabels: p.nodeIds.map((id) => labels.get(id)!) }));
}

/** Scores rounded to 1e-9, so last-bit differences between Java's and V8's sums cannot reorder ties. */
export function tieSafe(x: number): number {
  return Math.round(x * 1e9);
}
