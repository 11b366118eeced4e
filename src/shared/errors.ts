/**
 * Every module throws AppError (or a subclass of it: one class per module, e.g. GraphError, with a
 * module-specific `reason` beside the code); the GraphQL layer maps the code to `extensions.code`
 * unchanged (graphql-errors.ts). Anything that is not an AppError is logged and masked as INTERNAL,
 * so stack traces and SQL never reach a client.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export interface FieldProblem {
  /** Dotted path into the input, e.g. `experiences.0.startDate`. */
  path: string;
  message: string;
}

export class ValidationError extends AppError {
  constructor(
    readonly problems: FieldProblem[],
    prefix = 'Invalid input',
  ) {
    super('BAD_USER_INPUT', `${prefix}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems });
    this.name = 'ValidationError';
  }
}

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `${what} ${id} does not exist`);
