import { AppError } from '../../shared/errors';

/**
 * Errors of the relation graph. `reason` is stable and graph-specific; `code` is the shared
 * application code the GraphQL layer maps to `extensions.code` (a transaction that ran past its
 * timeout is UNAVAILABLE with reason TIMEOUT), so callers branch on them, never on the message.
 */
export type GraphErrorReason = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAVAILABLE' | 'TIMEOUT' | 'INTERNAL';

const CODE_BY_REASON = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAVAILABLE: 'UNAVAILABLE',
  TIMEOUT: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export class GraphError extends AppError {
  declare readonly code: (typeof CODE_BY_REASON)[GraphErrorReason];

  constructor(
    readonly reason: GraphErrorReason,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(CODE_BY_REASON[reason], message, { reason, ...details }, options);
    this.name = 'GraphError';
  }
}

export function badInput(message: string, details: Record<string, unknown> = {}): GraphError {
  return new GraphError('BAD_USER_INPUT', message, details);
}

export function notFound(ids: readonly string[]): GraphError {
  return new GraphError(
    'NOT_FOUND',
    `No graph node with id ${ids.map((id) => `"${id}"`).join(', ')}; project the record first or check the id.`,
    { ids },
  );
}
