export type TaxonomyErrorCode = 'TAXONOMY_NOT_FOUND' | 'TAXONOMY_MALFORMED';

/** Thrown when the taxonomy files are missing or do not have the expected shape. */
export class TaxonomyError extends Error {
  constructor(
    readonly code: TaxonomyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TaxonomyError';
  }
}
