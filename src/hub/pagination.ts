import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeKeysetCursor, encodeKeysetCursor } from '../shared/cursor';
import { AppError } from '../shared/errors';
import { hydrate, readColumns, selectList } from './repositories/entity-rows';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Runs the COUNT only when a client asks for totalCount. */
  totalCount: () => Promise<number>;
}

export interface SortSpec {
  /** SQL expression on the query's alias, e.g. `c.name`; must be non-null (coalesce it otherwise). */
  expr: string;
  direction: 'ASC' | 'DESC';
  /** The entity property the cursor's sort value is read from; always selected. */
  key: string;
}

function decode(cursor: string): [unknown, string] {
  const keyset = decodeKeysetCursor(cursor);
  if (!keyset) throw new AppError('BAD_USER_INPUT', 'cursor is not valid; pass an endCursor or startCursor from a previous page');
  return keyset;
}

/**
 * Relay cursor pagination by keyset on (sort key, id): stable under inserts and O(page) at any depth,
 * unlike OFFSET. `last`/`before` walk the same order backwards and return rows in forward order.
 * Rows carry the keys, the sort key and the properties in `fields` (every column when undefined).
 */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  sort: SortSpec,
  args: PageArgs,
  maxPageSize: number,
  sortValue: (row: T) => unknown,
  fields?: ReadonlySet<string>,
): Promise<Page<T>> {
  if (args.first != null && args.last != null) throw new AppError('BAD_USER_INPUT', 'pass first or last, not both');
  const size = args.last ?? args.first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > maxPageSize) {
    throw new AppError('BAD_USER_INPUT', `first/last must be from 0 to ${maxPageSize}`);
  }
  const backwards = args.last != null;
  const countQb = qb.clone();
  const dir = backwards ? (sort.direction === 'ASC' ? 'DESC' : 'ASC') : sort.direction;
  const cursor = backwards ? args.before : args.after;
  if (cursor) {
    const [value, id] = decode(cursor);
    const op = dir === 'ASC' ? '>' : '<';
    qb.andWhere(`(${sort.expr}, ${alias}.id) ${op} (:cursorValue, :cursorId)`, { cursorValue: value, cursorId: id });
  }
  qb.orderBy(sort.expr, dir)
    .addOrderBy(`${alias}.id`, dir)
    .take(undefined)
    .limit(size + 1);
  // Only the columns asked for (and the keys and the sort key), as entities: see entity-rows.ts.
  const { metadata } = qb.expressionMap.mainAlias!;
  const columns = readColumns(metadata, fields && new Set([...fields, sort.key]));
  const rows = hydrate<T>(metadata, columns, await qb.select(selectList(columns, alias)).getRawMany());
  const more = rows.length > size;
  const nodes = rows.slice(0, size);
  if (backwards) nodes.reverse();
  return {
    nodes,
    cursors: nodes.map((n) => encodeKeysetCursor(normalise(sortValue(n)), (n as unknown as { id: string }).id)),
    hasNextPage: backwards ? Boolean(args.before) : more,
    hasPreviousPage: backwards ? more : Boolean(args.after),
    totalCount: () => countQb.getCount(),
  };
}

const normalise = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
