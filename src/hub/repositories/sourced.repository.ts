import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm';
import { AppError } from '../../shared/errors';
import type { SourcedEntity } from '../entities/sourced.entity';
import type { Queryable } from './queryable';

/** A row as an upsert sends it: snake_case column names, as PostgreSQL names them. */
export type Row = Record<string, unknown>;

export interface UpsertedRow {
  id: string;
  source: string;
  external_id: string;
  /** False when the row existed and was updated. */
  created: boolean;
}

/** Columns the database sets or that key the upsert, never taken from a record's fields. */
const NOT_UPSERTED = new Set(['id', 'source', 'external_id', 'created_at', 'updated_at']);

/**
 * A column's type in jsonb_to_recordset's vocabulary. Character types are read as `text`: a
 * `char` without a length would be char(1), and the column's own length still applies when the
 * row is stored (a too-long value fails as it would in any INSERT). Enums by their type's name.
 */
function recordsetType(column: ColumnMetadata): string {
  if (column.type === 'enum') return column.enumName!;
  if (typeof column.type !== 'string')
    throw new AppError('INTERNAL', `column ${column.databaseName} needs a database type name for the upsert`);
  if (column.isArray) return `${column.type}[]`;
  return column.type === 'varchar' || column.type === 'char' ? 'text' : column.type;
}

const columnsByEntity = new WeakMap<EntityMetadata, [string, string][]>();

/**
 * The columns an upsert writes, from the entity's metadata: every column but the key and the
 * timestamps, as `[name, recordset type]`, in the entity's order.
 */
export function upsertColumns(metadata: EntityMetadata): [string, string][] {
  let columns = columnsByEntity.get(metadata);
  if (!columns) {
    columns = metadata.columns.filter((c) => !NOT_UPSERTED.has(c.databaseName)).map((c) => [c.databaseName, recordsetType(c)]);
    columnsByEntity.set(metadata, columns);
  }
  return columns;
}

/** Builds the upsert for one table; pure, so it is unit-tested without a database. */
export function buildUpsertSql(table: string, columns: [string, string][]): string {
  const all: [string, string][] = [['source', 'text'], ['external_id', 'text'], ...columns];
  const names = all.map(([c]) => `"${c}"`).join(', ');
  const recordset = all.map(([c, t]) => `"${c}" ${t}`).join(', ');
  const updates = columns.map(([c]) => `"${c}" = EXCLUDED."${c}"`).join(', ');
  return (
    `INSERT INTO "${table}" (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${recordset}) ` +
    `ON CONFLICT ("source", "external_id") DO UPDATE SET ${updates}, "updated_at" = now() ` +
    `RETURNING "id", "source", "external_id", (xmax = 0) AS "created"`
  );
}

/**
 * The statements every table of a sourced record has alike (keyed by `id` and by `source` +
 * `external_id`): the upsert of a batch, lookups for references, the stored row, deletion. The
 * table and its columns come from the entity's metadata, so the SQL follows the entity.
 * Subclasses add the statements of their aggregate.
 */
export abstract class SourcedRepository<E extends SourcedEntity> {
  constructor(protected readonly db: Queryable) {}

  protected abstract readonly entity: new () => E;

  protected get metadata(): EntityMetadata {
    return this.db.getRepository(this.entity).metadata;
  }

  protected get table(): string {
    return this.metadata.tableName;
  }

  /**
   * Inserts or updates `rows` (each with every upsert column, `source` and `external_id`) by
   * (source, external_id) in one statement: the rows travel as one jsonb parameter, so the SQL text
   * never changes with the data. A key twice in one batch fails the statement.
   */
  upsert(rows: readonly Row[]): Promise<UpsertedRow[]> {
    return this.db.query(buildUpsertSql(this.table, upsertColumns(this.metadata)), [JSON.stringify(rows)]);
  }

  /** The ids among `ids` that exist. */
  async existing(ids: readonly string[]): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(`SELECT "id" FROM "${this.table}" WHERE "id" = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id);
  }

  /** The rows that exist among these (source, external_id) keys, with their ids. */
  byKeys(keys: readonly { source: string; external_id: string }[]): Promise<{ id: string; source: string; external_id: string }[]> {
    return this.db.query(
      `SELECT t."id", t."source", t."external_id" FROM "${this.table}" t
       JOIN jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text)
         ON t."source" = r."source" AND t."external_id" = r."external_id"`,
      [JSON.stringify(keys)],
    );
  }

  async existsByKey(source: string, externalId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM "${this.table}" WHERE "source" = $1 AND "external_id" = $2`, [
      source,
      externalId,
    ]);
    return rows.length > 0;
  }

  /** The stored row, every column by its database name; undefined when absent. */
  async row(id: string): Promise<Row | undefined> {
    const [row] = await this.db.query(`SELECT * FROM "${this.table}" WHERE "id" = $1`, [id]);
    return row;
  }

  /** Deletes the row; returns `id` and the `returning` columns of the deleted row, null when there was none. */
  async delete(id: string, returning: readonly string[] = []): Promise<Row | null> {
    for (const c of returning)
      if (!this.metadata.findColumnWithDatabaseName(c)) throw new AppError('INTERNAL', `${this.table} has no column ${c}`);
    const columns = ['id', ...returning].map((c) => `"${c}"`).join(', ');
    const rows: unknown[] = await this.db.query(`DELETE FROM "${this.table}" WHERE "id" = $1 RETURNING ${columns}`, [id]);
    // The pg driver answers a DELETE ... RETURNING with [rows, count].
    const deleted = (Array.isArray(rows[0]) ? rows[0] : rows) as Row[];
    return deleted[0] ?? null;
  }
}
