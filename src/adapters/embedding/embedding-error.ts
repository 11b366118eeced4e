import { AppError } from '../../shared/errors';

/**
 * Errors of the embedding module. `code` uses the project-wide codes that the GraphQL layer maps
 * to `extensions.code`; `reason` is this module's stable, more specific code for logs and tests.
 */
export type EmbeddingErrorReason =
  | 'MODEL_NOT_FOUND'
  | 'MODEL_INVALID'
  | 'INPUT_INVALID'
  | 'BACKEND_FAILED'
  | 'BACKEND_BAD_RESPONSE'
  | 'CLOSED';

const CODE_BY_REASON = {
  MODEL_NOT_FOUND: 'UNAVAILABLE',
  MODEL_INVALID: 'UNAVAILABLE',
  INPUT_INVALID: 'BAD_USER_INPUT',
  BACKEND_FAILED: 'UNAVAILABLE',
  BACKEND_BAD_RESPONSE: 'UNAVAILABLE',
  CLOSED: 'UNAVAILABLE',
} as const;

export class EmbeddingError extends AppError {
  declare readonly code: (typeof CODE_BY_REASON)[EmbeddingErrorReason];

  constructor(
    readonly reason: EmbeddingErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(CODE_BY_REASON[reason], message, { reason });
    this.name = 'EmbeddingError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
