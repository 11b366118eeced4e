// The neighbourhood as a graphology graph: merged as nodes are expanded, filtered into the graph that
// sigma draws. Pure functions over plain data, so the bench and the view share them.
import Graph from 'graphology';
import { REL_TYPES, type NodeLabel } from '../../src/adapters/graph/relation-graph';

export interface GraphNode {
  id: string;
  label: string;
  props: Record<string, unknown>;
}
export interface GraphEdge {
  from: string;
  to: string;
  type: string;
  props: Record<string, unknown>;
}
export interface Neighbourhood {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

/**
 * The relation types the filter offers: the server's own list (the GraphQL enum RelationType is made
 * from it), so a new type shows up here with no second list to keep in step.
 */
export const RELATION_TYPES: readonly string[] = REL_TYPES;

/** Colours per node label (every label the graph has: a new one fails the type check until it gets one), dark enough for white labels' contrast and told apart in the legend. */
export const LABEL_COLOURS: Record<NodeLabel, string> = {
  Candidate: '#1f5fa8',
  Company: '#b34700',
  Job: '#2e7d32',
  Skill: '#6a3d9a',
  School: '#8c564b',
  Occupation: '#00796b',
  Consultant: '#555555',
};

export function nameOf(n: GraphNode): string {
  const p = n.props;
  return String(p.name ?? p.title ?? p.code ?? n.id.slice(0, 8));
}

/**
 * Years an edge spans: a stint's `from`/`to` dates (no `to`: still there), a move's `year`, a school's
 * start and end years; undefined when it carries none (the year filter then keeps it).
 */
export function yearsOf(props: Record<string, unknown>): [number, number] | undefined {
  const yearOf = (v: unknown) =>
    typeof v === 'number' && v > 1900 && v < 2200 ? v : typeof v === 'string' && /^\d{4}-\d{2}/.test(v) ? Number(v.slice(0, 4)) : undefined;
  if (yearOf(props.year) !== undefined) return [yearOf(props.year)!, yearOf(props.year)!];
  const from = yearOf(props.from) ?? yearOf(props.startYear) ?? yearOf(props.startDate);
  const to = yearOf(props.to) ?? yearOf(props.endYear) ?? yearOf(props.endDate);
  if (from === undefined) return to === undefined ? undefined : [to, to];
  return [from, to ?? 9999];
}

export const edgeKey = (e: GraphEdge) => `${e.from}|${e.type}|${e.to}|${JSON.stringify(e.props)}`;

/** Adds what is new; new nodes start around `near` (the expanded node) so the layout moves little. */
export function mergeNeighbourhood(model: Graph, n: Neighbourhood, near?: string, random: () => number = Math.random): number {
  const cx = near && model.hasNode(near) ? (model.getNodeAttribute(near, 'x') as number) : 0;
  const cy = near && model.hasNode(near) ? (model.getNodeAttribute(near, 'y') as number) : 0;
  let added = 0;
  for (const node of n.nodes) {
    if (model.hasNode(node.id)) continue;
    const a = random() * Math.PI * 2;
    const r = near ? 1 + random() * 4 : 10 + random() * 40;
    model.addNode(node.id, {
      x: cx + Math.cos(a) * r,
      y: cy + Math.sin(a) * r,
      size: node.label === 'Candidate' ? 2 : 3,
      color: LABEL_COLOURS[node.label as NodeLabel] ?? '#444',
      label: nameOf(node),
      kind: node.label,
      props: node.props,
    });
    added++;
  }
  for (const e of n.edges) {
    const key = edgeKey(e);
    if (model.hasEdge(key) || !model.hasNode(e.from) || !model.hasNode(e.to)) continue;
    model.addDirectedEdgeWithKey(key, e.from, e.to, {
      relation: e.type,
      props: e.props,
      years: yearsOf(e.props),
      size: 1,
      color: '#b8bcc4',
    });
  }
  return added;
}

export interface Filters {
  types: Set<string>;
  fromYear?: number;
  toYear?: number;
}

/** The graph drawn: edges of the chosen types within the years, and the nodes they touch (plus `keep`). */
export function filtered(model: Graph, f: Filters, keep: string[]): Graph {
  const out = new Graph({ type: 'directed', multi: true });
  for (const id of keep) if (model.hasNode(id)) out.addNode(id, { ...model.getNodeAttributes(id) });
  model.forEachEdge((key, attrs, source, target) => {
    if (!f.types.has(attrs.relation as string)) return;
    const years = attrs.years as [number, number] | undefined;
    if (years && f.fromYear !== undefined && years[1] < f.fromYear) return;
    if (years && f.toYear !== undefined && years[0] > f.toYear) return;
    if (!out.hasNode(source)) out.addNode(source, { ...model.getNodeAttributes(source) });
    if (!out.hasNode(target)) out.addNode(target, { ...model.getNodeAttributes(target) });
    out.addDirectedEdgeWithKey(key, source, target, { ...attrs });
  });
  return out;
}
