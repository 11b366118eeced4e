import { AppError } from '../../shared/errors';

export type TaxonomyErrorReason = 'TAXONOMY_NOT_FOUND' | 'TAXONOMY_MALFORMED';

const CODE_BY_REASON = { TAXONOMY_NOT_FOUND: 'UNAVAILABLE', TAXONOMY_MALFORMED: 'INTERNAL' } as const;

/**
 * Thrown when the taxonomy files are missing (UNAVAILABLE: the data is not installed) or do not
 * have the expected shape (INTERNAL: the shipped copy is damaged); `reason` tells which.
 */
export class TaxonomyError extends AppError {
  declare readonly code: (typeof CODE_BY_REASON)[TaxonomyErrorReason];

  constructor(
    readonly reason: TaxonomyErrorReason,
    message: string,
  ) {
    super(CODE_BY_REASON[reason], message, { reason });
    this.name = 'TaxonomyError';
  }
}
