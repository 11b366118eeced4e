import { AppError, type ErrorCode } from '../../shared/errors';

/**
 * Errors thrown by the search port. `code` is the shared application code (mapped 1:1 to GraphQL
 * `extensions.code`); `reason` is a stable, search-specific sub-code a client can branch on.
 */
export type SearchErrorReason =
  | 'UNKNOWN_COLLECTION'
  | 'UNKNOWN_FILTER_FIELD'
  | 'BAD_FILTER'
  | 'BAD_QUERY'
  | 'BAD_DOCUMENT'
  | 'ENGINE_UNAVAILABLE'
  | 'SCHEMA_MISMATCH'
  | 'STORE_CORRUPT';

export class SearchError extends AppError {
  constructor(
    code: ErrorCode,
    readonly reason: SearchErrorReason,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, { reason, ...details });
    this.name = 'SearchError';
  }
}

export const badSearchInput = (reason: SearchErrorReason, message: string, details?: Record<string, unknown>) =>
  new SearchError('BAD_USER_INPUT', reason, message, details);
