import type { Queryable } from './queryable';

/**
 * Replaces the rows a child table holds for these parents (a candidate's skills, a job's skills, an
 * application's stage history, ...) as a whole: delete theirs, insert `rows` from one JSON recordset.
 * Table, parent column and columns are the caller's constants, never input.
 */
export async function replaceOwnedRows(
  db: Queryable,
  table: string,
  parentColumn: string,
  parentIds: readonly string[],
  columns: readonly (readonly [name: string, type: string])[],
  rows: readonly object[],
): Promise<void> {
  await db.query(`DELETE FROM "${table}" WHERE "${parentColumn}" = ANY($1::uuid[])`, [parentIds]);
  if (rows.length === 0) return;
  const names = columns.map(([c]) => `"${c}"`).join(', ');
  const recordset = columns.map(([c, t]) => `"${c}" ${t}`).join(', ');
  await db.query(`INSERT INTO "${table}" (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS r(${recordset})`, [
    JSON.stringify(rows),
  ]);
}
