import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describeInputDbError } from '../hub/db-errors';
import { AppError, ValidationError, type ErrorCode, type FieldProblem } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** What a client is told about a thrown error, wherever it surfaces (HTTP, the askStream subscription). */
export interface ClientError {
  code: ErrorCode;
  message: string;
  problems?: FieldProblem[];
  /** True when the error was not ours and is masked: the caller logs it, with its stack. */
  masked: boolean;
}

const MASKED_MESSAGE = 'Internal server error';

/**
 * The one table from our errors to client codes, by class: an AppError (every module's error class
 * extends it) keeps its code and message; a database error the input caused gets our sentence and
 * the constraint; anything else is masked as INTERNAL.
 */
export function toClientError(error: unknown): ClientError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      ...(error instanceof ValidationError ? { problems: error.problems } : {}),
      masked: false,
    };
  }
  const input = describeInputDbError(error);
  if (input) return { ...input, masked: false };
  return { code: 'INTERNAL', message: MASKED_MESSAGE, masked: true };
}

/**
 * Apollo's and graphql-ws's error formatter over toClientError. GraphQL's own errors (syntax, unknown
 * field, bad enum value) keep their codes; anything unexpected is logged with its stack and masked.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? null) : error;
  if (!original || original instanceof GraphQLError) {
    // Variables that do not fit their declared types fail before execution with no original error;
    // they are the client's mistake, so they get the client's code.
    if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && /^Variable "\$/.test(formatted.message)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    return formatted;
  }
  const client = toClientError(original);
  if (client.masked) {
    log.error('unexpected error in resolver', { path: formatted.path, err: original });
    return { message: client.message, path: formatted.path, locations: formatted.locations, extensions: { code: client.code } };
  }
  return {
    ...formatted,
    message: client.message,
    extensions: { code: client.code, ...(client.problems ? { problems: client.problems } : {}) },
  };
}
