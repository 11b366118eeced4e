import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../../shared/errors';
import type { DateRange } from '../list-filters';

/**
 * Conditions the lists share. Every value is a bound parameter; the SQL text depends only on which
 * filters are present.
 */

const MAX_FILTER_TEXT = 200;

/** `%text%` for ILIKE with the user's own % and _ taken literally. Throws BAD_USER_INPUT for a text too long. */
export function contains(text: string): string {
  if (text.length > MAX_FILTER_TEXT) throw new AppError('BAD_USER_INPUT', `filter text is limited to ${MAX_FILTER_TEXT} characters`);
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function isoDate(value: string, field: string): string {
  if (Number.isNaN(Date.parse(value))) throw new AppError('BAD_USER_INPUT', `${field} must be an ISO date, got "${value.slice(0, 40)}"`);
  return value;
}

export function dateRange<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, expr: string, range: DateRange | undefined, name: string) {
  if (range?.from) qb.andWhere(`${expr} >= :${name}From`, { [`${name}From`]: isoDate(range.from, `${name}.from`) });
  if (range?.to) qb.andWhere(`${expr} <= :${name}To`, { [`${name}To`]: isoDate(range.to, `${name}.to`) });
}

/** Keeps rows linked to every named skill (by name or alias, case-insensitive). */
export function hasAllSkills<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  link: 'candidate_skill' | 'job_skill',
  owner: 'candidate_id' | 'job_id',
  alias: string,
  skills: string[],
) {
  const keys = [...new Set(skills.map((s) => s.trim().toLowerCase()))];
  qb.andWhere(
    `(SELECT count(DISTINCT s.id) FROM ${link} l JOIN skill s ON s.id = l.skill_id
      WHERE l.${owner} = ${alias}.id AND (s.name_key = ANY(:skillKeys) OR s.aliases && :skillKeys::text[])) >= :skillCount`,
    { skillKeys: keys, skillCount: keys.length },
  );
}
