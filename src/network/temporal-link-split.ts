/**
 * Temporal split of a career graph: the graph as it was before a year, and the links that
 * formed during the following window. Features must only see the past: a model trained on
 * links it can already see learns nothing usable.
 *
 * Known leak: candidate skills carry no dates, so a snapshot keeps them all.
 */
import { monthIndex, movesOf, overlapMonths } from '../adapters/graph/career-timeline';
import { compareStrings } from '../adapters/graph/graph-traversals';
import { LINK_KIND_SPECS, type LinkKind } from '../adapters/graph/relation-graph';
import type { CandidateFacts, GraphProjection, LinkPair } from '../adapters/graph/relation-graph';
import { SeededRandom } from '../shared/random';
import type { PairGroup } from './link-evaluation';

function before(date: string | undefined, year: number): boolean {
  return date !== undefined && date < `${year}-01-01`;
}

/** Facts known before 1 January of `year`; stints running past it are open in the snapshot. */
export function projectionAsOf(p: GraphProjection, year: number): GraphProjection {
  const cut = `${year}-01-01`;
  const candidates: CandidateFacts[] = (p.candidates ?? []).map((c) => ({
    ...c,
    experiences: (c.experiences ?? [])
      .filter((s) => s.from < cut)
      .map((s) => (s.to !== undefined && s.to >= cut ? { ...s, to: undefined } : s)),
    education: (c.education ?? [])
      .filter((e) => e.fromYear === undefined || e.fromYear < year)
      .map((e) => (e.toYear !== undefined && e.toYear >= year ? { ...e, toYear: year - 1 } : e)),
    applications: (c.applications ?? []).filter((a) => before(a.at, year)),
    placements: (c.placements ?? []).filter((pl) => before(pl.startDate, year)),
  }));
  return { ...p, candidates };
}

function hasPast(c: CandidateFacts, year: number): boolean {
  return (c.experiences ?? []).some((s) => before(s.from, year));
}

/** Pairs of `kind` that formed in [fromYear, toYear), among sources that existed before fromYear. */
export function linksFormedIn(p: GraphProjection, kind: LinkKind, fromYear: number, toYear: number): LinkPair[] {
  const inWindow = (date: string | undefined) => date !== undefined && date >= `${fromYear}-01-01` && date < `${toYear}-01-01`;
  const out = new Map<string, LinkPair>();
  const add = (sourceId: string, targetId: string) => out.set(`${sourceId}>${targetId}`, { sourceId, targetId });
  const candidates = (p.candidates ?? []).filter((c) => hasPast(c, fromYear));
  switch (kind) {
    case 'CANDIDATE_COMPANY':
      for (const c of candidates) {
        const past = new Set((c.experiences ?? []).filter((s) => before(s.from, fromYear)).map((s) => s.companyId));
        for (const s of c.experiences ?? []) if (inWindow(s.from) && !past.has(s.companyId)) add(c.id, s.companyId);
      }
      break;
    case 'COMPANY_COMPANY': {
      const known = new Set(
        (p.candidates ?? []).flatMap((c) => (c.experiences ?? []).filter((s) => before(s.from, fromYear)).map((s) => s.companyId)),
      );
      for (const c of p.candidates ?? []) {
        for (const m of movesOf(c.experiences ?? [])) if (m.year >= fromYear && m.year < toYear && known.has(m.from)) add(m.from, m.to);
      }
      break;
    }
    case 'CANDIDATE_JOB':
      for (const c of candidates) {
        for (const a of c.applications ?? []) if (inWindow(a.at)) add(c.id, a.jobId);
        for (const pl of c.placements ?? []) if (inWindow(pl.startDate)) add(c.id, pl.jobId);
      }
      break;
    case 'CANDIDATE_CANDIDATE': {
      // First overlap month per pair, over stints at the same company.
      const byCompany = new Map<string, { cand: string; from: number; to: number }[]>();
      const horizon = toYear * 12 - 1;
      for (const c of candidates) {
        for (const s of c.experiences ?? []) {
          const list = byCompany.get(s.companyId) ?? [];
          list.push({ cand: c.id, from: monthIndex(s.from), to: s.to === undefined ? horizon : Math.min(horizon, monthIndex(s.to)) });
          byCompany.set(s.companyId, list);
        }
      }
      const first = new Map<string, number>();
      for (const list of byCompany.values()) {
        for (let i = 0; i < list.length; i += 1) {
          for (let j = i + 1; j < list.length; j += 1) {
            const a = list[i];
            const b = list[j];
            if (a.cand === b.cand || overlapMonths(a.from, a.to, b.from, b.to) <= 0) continue;
            const start = Math.max(a.from, b.from);
            const key = compareStrings(a.cand, b.cand) < 0 ? `${a.cand}>${b.cand}` : `${b.cand}>${a.cand}`;
            first.set(key, Math.min(first.get(key) ?? Infinity, start));
          }
        }
      }
      for (const [key, start] of first) {
        if (start >= fromYear * 12 && start < toYear * 12) {
          const [u, v] = key.split('>');
          add(u, v);
        }
      }
      break;
    }
  }
  return [...out.values()].sort((a, b) => compareStrings(a.sourceId, b.sourceId) || compareStrings(a.targetId, b.targetId));
}

/** Who a source of `kind` could link to in the snapshot: the negatives are drawn from these. */
export function targetUniverse(snapshot: GraphProjection, kind: LinkKind): string[] {
  switch (LINK_KIND_SPECS[kind].target) {
    case 'Company':
      return [
        ...new Set([
          ...(snapshot.companies ?? []).map((c) => c.id),
          ...(snapshot.candidates ?? []).flatMap((c) => (c.experiences ?? []).map((s) => s.companyId)),
        ]),
      ].sort(compareStrings);
    case 'Job':
      return (snapshot.jobs ?? []).map((j) => j.id).sort(compareStrings);
    default:
      return (snapshot.candidates ?? [])
        .filter((c) => (c.experiences ?? []).length > 0)
        .map((c) => c.id)
        .sort(compareStrings);
  }
}

/**
 * Groups for ranking: each positive with `k` uniform negatives of the target label that are not
 * positives of the same source, not the source, and not already linked in the snapshot.
 */
export function sampleGroups(
  positives: readonly LinkPair[],
  universe: readonly string[],
  existing: (sourceId: string) => ReadonlySet<string>,
  k: number,
  maxPositives: number,
  seed: number,
): PairGroup[] {
  const rng = new SeededRandom(seed);
  const rand = () => rng.float();
  const chosen = [...positives];
  for (let i = chosen.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rand() * (i + 1));
    [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
  }
  const bySource = new Map<string, Set<string>>();
  for (const p of positives) bySource.set(p.sourceId, (bySource.get(p.sourceId) ?? new Set()).add(p.targetId));
  return chosen.slice(0, maxPositives).flatMap((p) => {
    const skip = bySource.get(p.sourceId)!;
    const linked = existing(p.sourceId);
    const negatives = new Set<string>();
    for (let t = 0; negatives.size < k && t < k * 20; t += 1) {
      const n = universe[Math.floor(rand() * universe.length)];
      if (n !== p.sourceId && !skip.has(n) && !linked.has(n)) negatives.add(n);
    }
    return negatives.size === 0 ? [] : [{ sourceId: p.sourceId, positive: p.targetId, negatives: [...negatives] }];
  });
}

/** What a source already has in the snapshot, so it is never sampled as a negative. */
export function existingLinks(snapshot: GraphProjection, kind: LinkKind): (sourceId: string) => ReadonlySet<string> {
  const map = new Map<string, Set<string>>();
  const put = (s: string, t: string) => map.set(s, (map.get(s) ?? new Set()).add(t));
  for (const c of snapshot.candidates ?? []) {
    if (kind === 'CANDIDATE_COMPANY') for (const s of c.experiences ?? []) put(c.id, s.companyId);
    if (kind === 'CANDIDATE_JOB') for (const a of [...(c.applications ?? []), ...(c.placements ?? [])]) put(c.id, a.jobId);
  }
  const empty = new Set<string>();
  return (s) => map.get(s) ?? empty;
}
