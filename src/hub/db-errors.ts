import type { ErrorCode } from '../shared/errors';

/** Postgres SQLSTATEs that mean the input was wrong, not the server. */
const INPUT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  '23505': { code: 'CONFLICT', message: 'a record with the same key already exists' },
  '23503': { code: 'CONFLICT', message: 'the record is still referred to by others, or refers to one that does not exist' },
  '23514': { code: 'BAD_USER_INPUT', message: 'the values break a rule of the data hub' },
  '23502': { code: 'BAD_USER_INPUT', message: 'a required value is missing' },
  '22P02': { code: 'BAD_USER_INPUT', message: 'a value has the wrong format' },
  '22007': { code: 'BAD_USER_INPUT', message: 'a date or time has the wrong format' },
  '22008': { code: 'BAD_USER_INPUT', message: 'a date or time is out of range' },
  '22001': { code: 'BAD_USER_INPUT', message: 'a value is too long' },
  '22003': { code: 'BAD_USER_INPUT', message: 'a number is out of range' },
  // GraphQL input is refused before it runs (input-limits.ts); these reach the CLI's import of a file.
  '22021': { code: 'BAD_USER_INPUT', message: 'a text contains a NUL character (\\u0000), which cannot be stored: remove it' },
  '22P05': { code: 'BAD_USER_INPUT', message: 'a JSON value contains a NUL character (\\u0000), which cannot be stored: remove it' },
};

interface PgError {
  code?: unknown;
  constraint?: unknown;
  column?: unknown;
}

/**
 * What a client may be told about a database error its input caused (an integrity or data error,
 * SQLSTATE class 23 or 22): our own sentence and the constraint (or column) it broke; null for any
 * other error, which is the server's. Never Postgres's `detail` or `message`: they quote the values,
 * e.g. "Failing row contains (...)" holds the whole row, personal fields included.
 */
export function describeInputDbError(err: unknown): { code: ErrorCode; message: string } | null {
  const pg = (err ?? {}) as PgError;
  if (typeof pg.code !== 'string' || !/^(22|23)/.test(pg.code)) return null;
  const known = INPUT_ERRORS[pg.code] ?? { code: 'BAD_USER_INPUT', message: `the database rejected a value (SQLSTATE ${pg.code})` };
  const where = typeof pg.constraint === 'string' ? pg.constraint : typeof pg.column === 'string' ? pg.column : null;
  return { code: known.code, message: where ? `${known.message} (${where})` : known.message };
}
