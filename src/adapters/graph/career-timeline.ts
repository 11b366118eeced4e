/**
 * Time arithmetic shared by both adapters, so derived facts (moves, overlap months) are the same
 * numbers on every engine. Months are indexed as year * 12 + (month - 1); a stint covers its start
 * and end months inclusively, and an open stint runs to the graph clock's current month.
 */
import type { IsoDate } from '../../hub/records';
import { badInput } from './graph-errors';
import type { StintFacts } from './relation-graph';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function monthIndex(date: IsoDate, field = 'date'): number {
  const m = ISO_DATE.exec(date);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw badInput(`${field} must be an ISO date YYYY-MM-DD, got "${date}".`, { field });
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function monthOf(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function overlapMonths(aFrom: number, aTo: number, bFrom: number, bTo: number): number {
  return Math.max(0, Math.min(aTo, bTo) - Math.max(aFrom, bFrom) + 1);
}

export interface Move {
  from: string;
  to: string;
  year: number;
}

/**
 * A move is a change of employer between consecutive stints (ordered by start, then end, then
 * company id so the order is total); its year is the new stint's start year. Concurrent stints
 * count as moves too: the data hub does not say which job was the main one.
 */
export function movesOf(stints: readonly StintFacts[]): Move[] {
  const ordered = [...stints].sort(
    (a, b) => a.from.localeCompare(b.from) || (a.to ?? '9999').localeCompare(b.to ?? '9999') || a.companyId.localeCompare(b.companyId),
  );
  const moves: Move[] = [];
  for (let i = 1; i < ordered.length; i += 1) {
    const prev = ordered[i - 1];
    const next = ordered[i];
    if (prev.companyId !== next.companyId) moves.push({ from: prev.companyId, to: next.companyId, year: Number(next.from.slice(0, 4)) });
  }
  return moves;
}

export function moveKey(m: Move): string {
  return `${m.from}>${m.to}>${m.year}`;
}

export function parseMoveKey(key: string): Move {
  const [from, to, year] = key.split('>');
  return { from, to, year: Number(year) };
}

/** Per (from, to, year): new count minus old count, zero entries dropped. */
export function moveDeltas(oldKeys: readonly string[], newKeys: readonly string[]): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const k of oldKeys) deltas.set(k, (deltas.get(k) ?? 0) - 1);
  for (const k of newKeys) deltas.set(k, (deltas.get(k) ?? 0) + 1);
  for (const [k, d] of deltas) if (d === 0) deltas.delete(k);
  return deltas;
}
