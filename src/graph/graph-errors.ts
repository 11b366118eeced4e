/**
 * Errors of the relation graph. `code` is stable: the GraphQL error table maps it to
 * `extensions.code`, so callers branch on the code, never on the message.
 */
export type GraphErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAVAILABLE' | 'TIMEOUT' | 'INTERNAL';

export class GraphError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
