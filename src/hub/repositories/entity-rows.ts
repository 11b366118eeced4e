import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * The read path's rows: only the columns a request asks for, turned into entities column by column
 * the way TypeORM converts each value (transformers, dates), without its general hydration (grouping
 * joined rows by primary key, relation maps), which read-by-key statements never need.
 */

/**
 * The columns a read needs: the keys (the primary key and every uuid column, which field resolvers
 * follow to related records) and the properties named in `fields`; every column when `fields` is
 * undefined. Names in `fields` that are not columns (field resolvers, renamed keys) select nothing.
 */
export function readColumns(metadata: EntityMetadata, fields: ReadonlySet<string> | undefined): ColumnMetadata[] {
  if (!fields) return metadata.columns;
  return metadata.columns.filter((c) => c.isPrimary || c.type === 'uuid' || fields.has(c.propertyName));
}

/** `"table_column" AS "property", ...` for a statement on `alias`. Names come from entity metadata only. */
export function selectList(columns: readonly ColumnMetadata[], alias: string): string {
  return columns.map((c) => `"${alias}"."${c.databaseName}" AS "${c.propertyName}"`).join(', ');
}

/** Entities from rows keyed by property name (selectList's aliases), each value converted as TypeORM converts it. */
export function hydrate<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  columns: readonly ColumnMetadata[],
  rows: readonly ObjectLiteral[],
): T[] {
  const driver = metadata.connection.driver;
  return rows.map((row) => {
    const entity = metadata.create() as ObjectLiteral;
    for (const c of columns) entity[c.propertyName] = driver.prepareHydratedValue(row[c.propertyName], c);
    return entity as T;
  });
}
