import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler, Response } from 'express';
import { GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Viewer } from '../hub/api-key.service';
import type { Context, Services } from '../api/context';
import { budgetExceeded, startDeadline } from '../shared/deadline';
import { AppError } from '../shared/errors';
import { checkDocumentNesting, checkInputValues } from './input-limits';
import { checkShape, enforceLimits, usesIntrospection } from './limits';

/**
 * What every GraphQL operation passes before it runs, over HTTP and graphql-ws alike, in this order:
 * an API key (before parsing, so a caller without one learns nothing about the schema), the shape
 * limits (before validation, whose work grows with the document), then after validation the
 * introspection rule of the key's role and the cost. HTTP requests also get a time budget.
 */

const HTTP_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  QUERY_TOO_COMPLEX: 400,
  BAD_USER_INPUT: 400,
  UNAVAILABLE: 503,
};

export const HTTP_KEY_HINT = 'send an API key as "Authorization: Bearer <key>"; `npm run cli -- apikey create --role analyst` makes one';
export const WS_KEY_HINT = 'send an API key in the connection params as { "authorization": "Bearer <key>" }';

/** Root fields that wait on the LLM: their operations get GRAPHQL_RAG_TIMEOUT_MS instead of GRAPHQL_TIMEOUT_MS. */
const LLM_FIELDS = new Set(['ask', 'rerunRagStep']);

/** The API key from `Authorization: Bearer <key>` or `x-api-key` (HTTP), or the same names in graphql-ws connection params. */
export function apiKeyOf(authorization: unknown, apiKey: unknown): string | undefined {
  const header = typeof authorization === 'string' ? authorization : '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : undefined;
}

const mayIntrospect = (services: Services, viewer: Viewer | null) =>
  !!viewer && services.config.limits.introspectionRoles.includes(viewer.role);

/** GraphQL's "Did you mean ...?" hints name fields and types: only roles that may read the schema get them. */
const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean(.+?)\?$/, '');

/** The refusal of a validated operation, or null when it may run. */
function gate(
  services: Services,
  schema: GraphQLSchema,
  viewer: Viewer | null,
  op: { document: DocumentNode; variables: Record<string, unknown>; operationName?: string },
  keyHint: string,
): AppError | null {
  try {
    if (!viewer) throw new AppError('UNAUTHENTICATED', keyHint);
    checkInputValues(op.document, op.variables);
    if (usesIntrospection(op.document, op.operationName) && !mayIntrospect(services, viewer)) {
      const roles = services.config.limits.introspectionRoles;
      throw new AppError(
        'FORBIDDEN',
        `introspection (__schema, __type) is off for role ${viewer.role}` +
          (roles.length ? ` (GRAPHQL_INTROSPECTION_ROLES allows ${roles.join(', ')})` : '') +
          '; the schema is published as schema/schema.graphql',
      );
    }
    enforceLimits(schema, op.document, op.variables, services.config.limits, op.operationName);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    // The cost coerces the variables: one that does not fit its type is the client's mistake.
    if (err instanceof GraphQLError) return new AppError('BAD_USER_INPUT', err.message);
    throw err;
  }
}

function refuse(res: Response, err: AppError) {
  res.status(HTTP_STATUS[err.code] ?? 400).json({ errors: [{ message: err.message, extensions: { code: err.code } }] });
}

const asksLlm = (doc: DocumentNode) =>
  doc.definitions.some(
    (d) =>
      d.kind === Kind.OPERATION_DEFINITION && d.selectionSet.selections.some((s) => s.kind === Kind.FIELD && LLM_FIELDS.has(s.name.value)),
  );

export interface RequestGateOptions {
  /** Who every request acts as, instead of the API key it sends (the local admin socket). */
  viewer?: Viewer;
  /** No GRAPHQL_TIMEOUT_MS: the request runs until it is done or its client goes away (long admin work). */
  noTimeBudget?: boolean;
}

/** A deadline that only the client's going away aborts. */
function untilClosed(): ReturnType<typeof startDeadline> {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    abort: (r) => {
      if (!controller.signal.aborted) controller.abort(r);
    },
    clear: () => undefined,
  };
}

/**
 * Express middleware in front of Apollo: refuses a request without a valid key (401) and one whose
 * document is too large (400) before Apollo parses or validates it, then starts the request's time
 * budget. Leaves `res.locals.viewer` and `res.locals.signal` for the context. When the budget runs
 * out the client gets 503 UNAVAILABLE at once and the signal stops the work (deadline.ts).
 */
export function graphqlRequestGate(services: Services, options: RequestGateOptions = {}): RequestHandler {
  const { limits } = services.config;
  return async (req, res, next) => {
    let viewer = options.viewer ?? null;
    if (!viewer) {
      const key = apiKeyOf(req.headers.authorization, req.headers['x-api-key']);
      viewer = key ? await services.apiKeys.authenticate(key) : null;
    }
    if (!viewer) return refuse(res, new AppError('UNAUTHENTICATED', HTTP_KEY_HINT));

    const query: unknown = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    let document: DocumentNode | undefined;
    if (typeof query === 'string') {
      try {
        checkDocumentNesting(query);
      } catch (err) {
        if (err instanceof AppError) return refuse(res, err);
        throw err;
      }
      try {
        document = parse(query);
      } catch {
        // Apollo reports the syntax error.
      }
    }
    if (document) {
      try {
        checkShape(document, limits);
      } catch (err) {
        if (err instanceof AppError) return refuse(res, err);
        throw err;
      }
    }

    const [ms, variable] =
      document && asksLlm(document) ? [limits.ragTimeoutMs, 'GRAPHQL_RAG_TIMEOUT_MS'] : [limits.timeoutMs, 'GRAPHQL_TIMEOUT_MS'];
    const deadline = options.noTimeBudget ? untilClosed() : startDeadline(ms, () => budgetExceeded(ms, variable));
    deadline.signal.addEventListener('abort', () => {
      if (!res.headersSent && !res.destroyed) refuse(res, deadline.signal.reason as AppError);
    });
    // A client gone before its answer stops the work; after a complete answer there is nothing to stop.
    res.on('close', () => {
      if (res.writableFinished) deadline.clear();
      else deadline.abort(new AppError('UNAVAILABLE', 'the client closed the connection'));
    });
    res.locals.viewer = viewer;
    res.locals.signal = deadline.signal;
    next();
  };
}

/**
 * Wraps Apollo's express handler: after a 503 for a spent budget, Apollo's own (late) answer has
 * nowhere to go, and writing it would throw.
 */
export function answeredOnce(handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await handler(req, res, next);
    } catch (err) {
      if (res.headersSent && (res.locals.signal as AbortSignal | undefined)?.aborted) return;
      throw err;
    }
  };
}

/** The checks after validation (introspection by role, cost) and role-aware "Did you mean" hints, for Apollo. */
export function gatePlugin(services: Services): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async validationDidStart() {
          return async (errors) => {
            if (!errors || mayIntrospect(services, contextValue.viewer)) return;
            for (const e of errors) e.message = withoutSuggestions(e.message);
          };
        },
        async didResolveOperation({ document, request, schema, operation }) {
          if (operation?.operation === 'subscription') {
            throw new GraphQLError(
              'subscriptions (askStream) go over graphql-ws on /graphql, not HTTP POST or GET; over plain HTTP use the `ask` mutation',
              { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
            );
          }
          const op = { document, variables: request.variables ?? {}, operationName: request.operationName ?? undefined };
          const refused = gate(services, schema, contextValue.viewer, op, HTTP_KEY_HINT);
          if (refused) {
            throw new GraphQLError(refused.message, {
              extensions: { code: refused.code, ...refused.details, http: { status: HTTP_STATUS[refused.code] ?? 400 } },
            });
          }
        },
      };
    },
  };
}

/**
 * gate() for graphql-ws (onSubscribe): the errors to send, or nothing to let the operation run. The
 * key is checked before anything else; syntax errors are graphql-ws's to report; validation runs here
 * so that its hints follow the role, as over HTTP.
 */
export function gateSubscription(
  services: Services,
  schema: GraphQLSchema,
  viewer: Viewer | null,
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
): GraphQLError[] | undefined {
  if (!viewer) return [new GraphQLError(WS_KEY_HINT, { extensions: { code: 'UNAUTHENTICATED' } })];
  let document: DocumentNode;
  try {
    checkDocumentNesting(payload.query);
  } catch (err) {
    if (err instanceof AppError) return [new GraphQLError(err.message, { extensions: { code: err.code } })];
    throw err;
  }
  try {
    document = parse(payload.query);
  } catch {
    return undefined;
  }
  const shape = (() => {
    try {
      checkShape(document, services.config.limits);
      return null;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  })();
  if (shape) return [new GraphQLError(shape.message, { extensions: { code: shape.code } })];
  const invalid = validate(schema, document);
  if (invalid.length) {
    if (!mayIntrospect(services, viewer)) for (const e of invalid) e.message = withoutSuggestions(e.message);
    return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  }
  const op = { document, variables: payload.variables ?? {}, operationName: payload.operationName ?? undefined };
  const refused = gate(services, schema, viewer, op, WS_KEY_HINT);
  return refused ? [new GraphQLError(refused.message, { extensions: { code: refused.code } })] : undefined;
}
