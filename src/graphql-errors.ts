import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describeInputDbError } from './datahub/db-errors';
import { AppError, ERROR_CODES, ValidationError, type ErrorCode } from './errors';
import type { Logger } from './logger';

/**
 * The one table from our errors to GraphQL `extensions.code`. GraphQL's own errors (syntax, unknown
 * field, bad enum value) keep their codes; anything unexpected is logged with its stack and masked.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? null) : (error as Error);
  if (!original || original instanceof GraphQLError) {
    // Variables that do not fit their declared types fail before execution with no original error;
    // they are the client's mistake, so they get the client's code.
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && /^Variable "\$/.test(formatted.message)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    return formatted;
  }
  if (original instanceof AppError) {
    return {
      ...formatted,
      message: original.message,
      extensions: {
        code: original.code,
        ...(original instanceof ValidationError ? { problems: original.problems } : {}),
      },
    };
  }
  // Port modules (graph, embedding) throw their own classes with our codes; a timeout is unavailability.
  const moduleCode = (original as { code?: unknown }).code;
  if (
    typeof moduleCode === 'string' &&
    (ERROR_CODES.includes(moduleCode as ErrorCode) || moduleCode === 'TIMEOUT') &&
    original.name !== 'QueryFailedError'
  ) {
    const code = moduleCode === 'TIMEOUT' ? 'UNAVAILABLE' : moduleCode;
    if (code !== 'INTERNAL') return { ...formatted, message: original.message, extensions: { code } };
  }
  const input = describeInputDbError(original);
  if (input) return { ...formatted, message: input.message, extensions: { code: input.code } };
  log.error('unexpected error in resolver', { path: formatted.path, err: original });
  return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL' } };
}
