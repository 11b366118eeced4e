import type { EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { hydrate, readColumns, selectList } from './entity-rows';
import type { Queryable } from './queryable';

/**
 * Finds by key for any entity, as the per-request DataLoaders batch them: one statement per batch,
 * built from the entity's metadata (so it follows the entity's table and columns) and reading only
 * the keys and the properties in `fields` (every column when it is undefined; see entity-rows.ts).
 * The statements each aggregate writes by hand live in its own repository.
 */
export class EntityFindsRepository {
  constructor(private readonly db: Queryable) {}

  /** The rows with these ids, in no particular order; ids without a row are absent. */
  byIds<T extends ObjectLiteral & { id: string }>(
    target: EntityTarget<T>,
    ids: readonly string[],
    fields?: ReadonlySet<string>,
  ): Promise<T[]> {
    const { metadata } = this.db.getRepository(target);
    return this.find<T>(metadata, readColumns(metadata, fields), `"t"."${column(metadata, 'id')}" = ANY($1)`, ids);
  }

  /** The rows whose `key` is one of `keys` (a one-to-many list), in `order`. */
  byKeys<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    key: keyof T & string,
    keys: readonly string[],
    order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
    fields?: ReadonlySet<string>,
  ): Promise<T[]> {
    const { metadata } = this.db.getRepository(target);
    const orderBy = Object.entries(order)
      .map(([property, direction]) => `"t"."${column(metadata, property)}" ${direction === 'DESC' ? 'DESC' : 'ASC'}`)
      .join(', ');
    return this.find<T>(metadata, readColumns(metadata, fields), `"t"."${column(metadata, key)}" = ANY($1)`, keys, orderBy);
  }

  private async find<T extends ObjectLiteral>(
    metadata: EntityMetadata,
    columns: ColumnMetadata[],
    where: string,
    keys: readonly string[],
    orderBy?: string,
  ): Promise<T[]> {
    const rows = await this.db.query(
      `SELECT ${selectList(columns, 't')} FROM "${metadata.tableName}" "t" WHERE ${where}${orderBy ? ` ORDER BY ${orderBy}` : ''}`,
      [keys],
    );
    return hydrate<T>(metadata, columns, rows);
  }
}

/** The database column of an entity property; throws for a property that is not a column (a programming error). */
function column(metadata: EntityMetadata, property: string): string {
  const c = metadata.findColumnWithPropertyName(property);
  if (!c) throw new Error(`${metadata.name} has no column for property ${property}`);
  return c.databaseName;
}
