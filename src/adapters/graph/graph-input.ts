/**
 * Validation of graph facts and query arguments, shared by both adapters so bad input fails the
 * same way everywhere, before anything is written.
 */
import { monthIndex } from './career-timeline';
import type { IsoDate } from '../../hub/records';
import { badInput } from './graph-errors';
import { decodeCursor, encodeCursor as encodeText } from '../../shared/cursor';
import {
  CANDIDATE_SOURCES,
  LINK_KINDS,
  LINK_MODES,
  REPEATABLE_KINDS,
  type CandidateSource,
  type LinkCandidatesQuery,
  type LinkKind,
  type LinkMode,
} from './relation-graph';
import {
  REL_TYPES,
  type GraphProjection,
  type IntroductionPathsQuery,
  type NeighborhoodQuery,
  type PageQuery,
  type Props,
  type RelType,
  type TalentFlowQuery,
} from './relation-graph';

export const MAX_DEPTH = 3;
export const MAX_NEIGHBORHOOD_NODES = 500;
export const MAX_HOPS = 4;
export const MAX_PAGE = 200;
export const MAX_PREDICTIONS = 1000;
/** Per person, the strongest warm links followed by the introduction-path search. */
export const WARM_LINKS_PER_NODE = 50;
/**
 * A company or school with more recorded stints than this gives no colleague or schoolmate warm
 * links: at that size a shared employer or school says little about knowing someone, and the
 * overlap scan would dominate every introduction search (50,000 alumni x 50 people per hop).
 * `colleagues()` still lists such overlaps, paginated.
 */
export const WARM_HUB_LIMIT = 5000;

function requireId(id: unknown, field: string): string {
  if (typeof id !== 'string' || id.trim() === '') throw badInput(`${field} must be a non-empty id.`, { field });
  return id;
}

export function intIn(value: number | undefined, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be an integer from ${min} to ${max}, got ${value}.`, { field, min, max });
  }
  return value;
}

export function validateProjection(p: GraphProjection): void {
  const named = [
    ...(p.consultants ?? []),
    ...(p.companies ?? []),
    ...(p.schools ?? []),
    ...(p.skills ?? []),
    ...(p.occupations ?? []),
    ...(p.candidates ?? []),
  ];
  for (const n of named) {
    requireId(n.id, 'id');
    if (typeof n.name !== 'string') throw badInput(`node ${n.id} needs a name.`, { id: n.id });
  }
  for (const c of p.candidates ?? []) {
    for (const s of c.experiences ?? []) {
      requireId(s.companyId, `candidate ${c.id} experience companyId`);
      const from = monthIndex(s.from, `candidate ${c.id} experience "from"`);
      if (s.to !== undefined && monthIndex(s.to, `candidate ${c.id} experience "to"`) < from) {
        throw badInput(`candidate ${c.id}: an experience ends (${s.to}) before it starts (${s.from}).`, { id: c.id });
      }
    }
    for (const e of c.education ?? []) requireId(e.schoolId, `candidate ${c.id} education schoolId`);
    for (const s of c.skills ?? []) requireId(s.skillId, `candidate ${c.id} skillId`);
    for (const a of c.applications ?? []) requireId(a.jobId, `candidate ${c.id} application jobId`);
    for (const pl of c.placements ?? []) {
      requireId(pl.jobId, `candidate ${c.id} placement jobId`);
      monthIndex(pl.startDate, `candidate ${c.id} placement startDate`);
    }
  }
  for (const j of p.jobs ?? []) {
    requireId(j.id, 'job id');
    requireId(j.companyId, `job ${j.id} companyId`);
    for (const s of j.skills ?? []) requireId(s.skillId, `job ${j.id} skillId`);
  }
}

export interface NormalizedNeighborhood {
  id: string;
  depth: number;
  types: RelType[];
  limit: number;
}
export function normalizeNeighborhood(q: NeighborhoodQuery): NormalizedNeighborhood {
  const id = requireId(q.id, 'id');
  const depth = intIn(q.depth, 'depth', 1, MAX_DEPTH, 1);
  const limit = intIn(q.limit, 'limit', 1, MAX_NEIGHBORHOOD_NODES, 100);
  const types = q.types && q.types.length > 0 ? [...new Set(q.types)] : [...REL_TYPES];
  for (const t of types)
    if (!(REL_TYPES as readonly string[]).includes(t))
      throw badInput(`unknown relationship type "${t}"; use one of ${REL_TYPES.join(', ')}.`, { field: 'types' });
  return { id, depth, types, limit };
}

export function normalizeIntroduction(q: IntroductionPathsQuery): Required<IntroductionPathsQuery> {
  const from = requireId(q.from, 'from');
  const to = requireId(q.to, 'to');
  if (from === to) throw badInput('from and to are the same node; an introduction needs two people.', { field: 'to' });
  return { from, to, maxHops: intIn(q.maxHops, 'maxHops', 1, MAX_HOPS, 3), first: intIn(q.first, 'first', 1, 50, 10) };
}

export function normalizeTalentFlow(q: TalentFlowQuery): Required<TalentFlowQuery> {
  const companyId = requireId(q.companyId, 'companyId');
  if (q.direction !== 'IN' && q.direction !== 'OUT')
    throw badInput(`direction must be IN or OUT, got "${String(q.direction)}".`, { field: 'direction' });
  return {
    companyId,
    direction: q.direction,
    since: intIn(q.since, 'since', 1900, 2200, 1900),
    first: intIn(q.first, 'first', 1, MAX_PAGE, 20),
  };
}

/** Graph page cursors: the offset or the last key as text (see shared/cursor). */
export function encodeCursor(value: string | number): string {
  return encodeText(String(value));
}

export function normalizePage(page: PageQuery | undefined, fallback = 50): { first: number; after: string | null } {
  const first = intIn(page?.first, 'first', 1, MAX_PAGE, fallback);
  if (page?.after === undefined || page.after === null || page.after === '') return { first, after: null };
  const decoded = decodeCursor(page.after);
  if (decoded === null) throw badInput('after is not a cursor returned by this query.', { field: 'after' });
  return { first, after: decoded };
}

export function offsetOf(after: string | null): number {
  if (after === null) return 0;
  const n = Number(after);
  if (!Number.isInteger(n) || n < 0) throw badInput('after is not a cursor returned by this query.', { field: 'after' });
  return n;
}

export interface NormalizedLinkQuery {
  nodeId: string;
  kind: LinkKind;
  mode: LinkMode;
  asOf: IsoDate | undefined;
  sources: ReadonlySet<CandidateSource>;
}

/** A real calendar date YYYY-MM-DD, or undefined; BAD_USER_INPUT otherwise. */
export function normalizeAsOf(asOf: string | undefined | null): IsoDate | undefined {
  if (asOf === undefined || asOf === null) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? new Date(`${asOf}T00:00:00Z`) : null;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== asOf) {
    throw badInput(`asOf must be a date YYYY-MM-DD, got "${asOf}".`, { field: 'asOf' });
  }
  return asOf;
}

/** Resolves `mode` and its deprecated alias `excludeExisting`; BAD_USER_INPUT says which argument to change. */
export function normalizeLinkQuery(q: LinkCandidatesQuery): NormalizedLinkQuery {
  const nodeId = requireId(q.nodeId, 'nodeId');
  if (!(LINK_KINDS as readonly string[]).includes(q.kind))
    throw badInput(`kind must be one of ${LINK_KINDS.join(', ')}, got "${String(q.kind)}".`, { field: 'kind' });
  if (q.mode !== undefined && q.mode !== null && !(LINK_MODES as readonly string[]).includes(q.mode))
    throw badInput(`mode must be one of ${LINK_MODES.join(', ')}, got "${String(q.mode)}".`, { field: 'mode' });
  const alias: LinkMode | undefined =
    q.excludeExisting === undefined || q.excludeExisting === null ? undefined : q.excludeExisting ? 'NEW' : 'ANY';
  if (q.mode && alias && q.mode !== alias) {
    throw badInput(
      `excludeExisting: ${q.excludeExisting} (the deprecated form of mode: ${alias}) contradicts mode: ${q.mode}; pass mode only.`,
      { field: 'excludeExisting' },
    );
  }
  const mode = q.mode ?? alias ?? 'NEW';
  if (mode !== 'NEW' && !REPEATABLE_KINDS.includes(q.kind)) {
    const asked = q.mode ? `mode: ${mode}` : `excludeExisting: false`;
    throw badInput(
      `${asked} needs a kind with repeat links (${REPEATABLE_KINDS.join(', ')}); ${q.kind} predicts new links only, so drop it.`,
      {
        field: q.mode ? 'mode' : 'excludeExisting',
      },
    );
  }
  const unknown = (q.sources ?? []).filter((x) => !(CANDIDATE_SOURCES as readonly string[]).includes(x));
  if (unknown.length > 0)
    throw badInput(`sources must be among ${CANDIDATE_SOURCES.join(', ')}; got ${unknown.join(', ')}.`, { field: 'sources' });
  return { nodeId, kind: q.kind, mode, asOf: normalizeAsOf(q.asOf), sources: new Set(q.sources ?? CANDIDATE_SOURCES) };
}

/** Drops undefined and null: Neo4j cannot store null, and both adapters must return the same props. */
export function cleanProps(input: Record<string, string | number | boolean | null | undefined>): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
