import type { Queryable } from './queryable';

/**
 * Runs `work` inside a savepoint of the caller's transaction: when it throws, what it wrote is
 * rolled back alone (the transaction goes on) and the error is rethrown.
 */
export async function inSavepoint<T>(db: Queryable, work: () => Promise<T>): Promise<T> {
  await db.query('SAVEPOINT import_record');
  try {
    const result = await work();
    await db.query('RELEASE SAVEPOINT import_record');
    return result;
  } catch (err) {
    await db.query('ROLLBACK TO SAVEPOINT import_record');
    throw err;
  }
}
