import { AppError } from '../../shared/errors';
import { RECORD_TYPES } from '../records';
import type { Queryable } from './queryable';

/** Record types the outbox carries: the interchange types plus the O*NET occupations loaded at seed time. */
export const AGGREGATE_TYPES = [...RECORD_TYPES, 'occupation'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/**
 * The table of an aggregate type (each is named after its type), checked against the list: a table
 * name cannot be a statement parameter, so only these names ever reach the SQL text. Throws INTERNAL
 * for any other name.
 */
export function aggregateTable(type: AggregateType): AggregateType {
  if (!(AGGREGATE_TYPES as readonly string[]).includes(type)) throw new AppError('INTERNAL', `not an aggregate type: ${String(type)}`);
  return type;
}

/**
 * The two statements that run alike on every aggregate's table, for callers that walk the types
 * (rebuilding a projection from the tables, checking a projection's counts). Each per-aggregate
 * repository holds the statements that know its columns; these know only `id`.
 */
export class AggregateTablesRepository {
  constructor(private readonly db: Queryable) {}

  /** Every id in the type's table, in id order. */
  async ids(type: AggregateType): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(`SELECT "id" FROM "${aggregateTable(type)}" ORDER BY "id"`);
    return rows.map((r) => r.id);
  }

  /** Rows in the type's table. */
  async count(type: AggregateType): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::bigint AS "n" FROM "${aggregateTable(type)}"`);
    return Number(row.n);
  }
}
