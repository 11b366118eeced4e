/**
 * Temporal split of a career graph: the graph as it was before a year, and the links that
 * formed during the following window. Features must only see the past: a model trained on
 * links it can already see learns nothing usable.
 *
 * Known leak: candidate skills carry no dates, so a snapshot keeps them all.
 *
 * NEW and REPEAT: a company -> company pair that already had a move before the window is a repeat
 * flow, not a new link (and a candidate who returns to a former employer a repeat link). The
 * new-link model learns NEW links only (what predictLinks serves by default, with existing partners
 * excluded); repeat links are left out of its positives and negatives and train the REPEAT model on
 * their own (repeatLinksIn).
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

/**
 * Pairs of `kind` that formed in [fromYear, toYear), among sources that existed before fromYear. With
 * `newOnly` (the default) a pair the snapshot already has (existingLinks) is left out: for
 * COMPANY_COMPANY a repeat flow to an existing partner; the other kinds only ever count first links.
 */
export function linksFormedIn(p: GraphProjection, kind: LinkKind, fromYear: number, toYear: number, newOnly = true): LinkPair[] {
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
      const partners = newOnly ? existingLinks(projectionAsOf(p, fromYear), kind) : () => new Set<string>();
      for (const c of p.candidates ?? []) {
        for (const m of movesOf(c.experiences ?? [])) {
          if (m.year >= fromYear && m.year < toYear && known.has(m.from) && !partners(m.from).has(m.to)) add(m.from, m.to);
        }
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

/**
 * Repeat links formed in [fromYear, toYear): a company -> company move along a pair that already had
 * one before fromYear, or a candidate starting a stint at a company they worked at before. Empty for
 * the kinds without repeat links.
 */
export function repeatLinksIn(p: GraphProjection, kind: LinkKind, fromYear: number, toYear: number): LinkPair[] {
  if (kind !== 'COMPANY_COMPANY' && kind !== 'CANDIDATE_COMPANY') return [];
  const existing = existingLinks(projectionAsOf(p, fromYear), kind);
  const out = new Map<string, LinkPair>();
  const add = (sourceId: string, targetId: string) => out.set(`${sourceId}>${targetId}`, { sourceId, targetId });
  for (const c of p.candidates ?? []) {
    // A move (a stint after one at another company, not a new title at the same one) in the window.
    for (const m of movesOf(c.experiences ?? [])) {
      if (m.year < fromYear || m.year >= toYear) continue;
      const source = kind === 'CANDIDATE_COMPANY' ? c.id : m.from;
      if (existing(source).has(m.to)) add(source, m.to);
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

function shuffled<T>(items: readonly T[], rng: SeededRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng.float() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The positives sampleGroups keeps for a seed (to build the served pools of their sources first). */
export function choosePositives(positives: readonly LinkPair[], maxPositives: number, seed: number): LinkPair[] {
  return shuffled(positives, new SeededRandom(seed)).slice(0, maxPositives);
}

/** How negatives are drawn for each positive. */
export interface NegativeSampling {
  /** Hard negatives: drawn from the source's served candidate pool (all of it when it is smaller). */
  hard: number;
  /** Uniform negatives over the target universe. */
  random: number;
  /**
   * The served candidate pool per source, as predictLinks builds it at the snapshot (existing links
   * excluded); a source without one gets only uniform negatives.
   */
  pool?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Groups for ranking: each positive with negatives that are not positives of the same source, not
 * the source, and not already linked in the snapshot: `hard` of them from the source's served pool
 * (the targets predictLinks would rank the positive against), `random` uniform over the universe (so
 * the model also sees the plain unrelated target).
 */
export function sampleGroups(
  positives: readonly LinkPair[],
  universe: readonly string[],
  existing: (sourceId: string) => ReadonlySet<string>,
  sampling: NegativeSampling,
  maxPositives: number,
  seed: number,
): PairGroup[] {
  const rng = new SeededRandom(seed);
  const rand = () => rng.float();
  const chosen = shuffled(positives, rng);
  const bySource = new Map<string, Set<string>>();
  for (const p of positives) bySource.set(p.sourceId, (bySource.get(p.sourceId) ?? new Set()).add(p.targetId));
  return chosen.slice(0, maxPositives).flatMap((p) => {
    const skip = bySource.get(p.sourceId)!;
    const linked = existing(p.sourceId);
    const ok = (n: string) => n !== p.sourceId && !skip.has(n) && !linked.has(n);
    const negatives = new Set<string>();
    const pool = (sampling.pool?.get(p.sourceId) ?? []).filter(ok);
    if (pool.length <= sampling.hard) for (const n of pool) negatives.add(n);
    else {
      // A partial Fisher-Yates shuffle: `hard` distinct pool members.
      const copy = [...pool];
      for (let i = 0; i < sampling.hard; i += 1) {
        const j = i + Math.floor(rand() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j], copy[i]];
        negatives.add(copy[i]);
      }
    }
    const want = negatives.size + sampling.random;
    for (let t = 0; negatives.size < want && t < sampling.random * 20; t += 1) {
      const n = universe[Math.floor(rand() * universe.length)];
      if (ok(n)) negatives.add(n);
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
    if (kind === 'COMPANY_COMPANY') for (const m of movesOf(c.experiences ?? [])) put(m.from, m.to);
  }
  const empty = new Set<string>();
  return (s) => map.get(s) ?? empty;
}
