import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Viewer } from './datahub/api-key.service';
import { createContext, type Context, type Services } from './context';
import { AppError } from './errors';
import { formatError } from './graphql-errors';
import { enforceLimits } from './limits';
import type { Logger } from './logger';
import { personalDataAuditPlugin } from './personal-data-audit.plugin';

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, QUERY_TOO_COMPLEX: 400, BAD_USER_INPUT: 400 };

/** The API key from `Authorization: Bearer <key>` or `x-api-key` (HTTP), or the same names in graphql-ws connection params. */
function apiKeyOf(authorization: unknown, apiKey: unknown): string | undefined {
  const header = typeof authorization === 'string' ? authorization : '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : undefined;
}

/**
 * The gate every operation passes once, before any resolver runs: an API key, then the depth and
 * cost limits. Returns the refusal (null when the operation may run), for HTTP (gatePlugin) and
 * WebSocket (graphql-ws onSubscribe) alike.
 */
function gate(
  services: Services,
  schema: GraphQLSchema,
  viewer: Viewer | null,
  op: { document: DocumentNode; variables: Record<string, unknown>; operationName?: string },
  keyHint: string,
): AppError | null {
  try {
    if (!viewer) throw new AppError('UNAUTHENTICATED', keyHint);
    enforceLimits(schema, op.document, op.variables, services.config.limits, op.operationName);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

const HTTP_KEY_HINT = 'send an API key as "Authorization: Bearer <key>"; `npm run cli -- apikey create --role analyst` makes one';
const WS_KEY_HINT = 'send an API key in the connection params as { "authorization": "Bearer <key>" }';

function gatePlugin(services: Services): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, request, schema }) {
          const op = { document, variables: request.variables ?? {}, operationName: request.operationName ?? undefined };
          const refused = gate(services, schema, contextValue.viewer, op, HTTP_KEY_HINT);
          if (refused) {
            throw new GraphQLError(refused.message, {
              extensions: { code: refused.code, http: { status: HTTP_STATUS[refused.code] ?? 400 } },
            });
          }
        },
      };
    },
  };
}

/** gate() for graphql-ws: the errors to send, or nothing to let the operation run (syntax errors are graphql-ws's to report). */
function gateSubscription(
  services: Services,
  schema: GraphQLSchema,
  viewer: Viewer | null,
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
): GraphQLError[] | undefined {
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch {
    return undefined;
  }
  const op = { document, variables: payload.variables ?? {}, operationName: payload.operationName ?? undefined };
  const refused = gate(services, schema, viewer, op, WS_KEY_HINT);
  return refused ? [new GraphQLError(refused.message, { extensions: { code: refused.code } })] : undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startServer(services: Services, schema: GraphQLSchema, log: Logger): Promise<RunningServer> {
  const { config } = services;
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The cache-control plugin hooks every field and we set no cache hints: measured ~40% of throughput.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      gatePlugin(services),
      personalDataAuditPlugin(services.db.dataSource, log),
    ],
    formatError: (formatted, error) => formatError(formatted, error, log),
    includeStacktraceInErrorResponses: false,
    // The caller shuts down on SIGINT/SIGTERM (closing the database, releasing the data directory); Apollo's
    // own handler would stop only itself, then re-raise the signal and kill the process mid-shutdown.
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      // Title normalisation and the occupation search need the O*NET taxonomy: serve and migrate load it.
      const [{ n }] = await services.db.dataSource.query(`SELECT count(*)::int AS "n" FROM "occupation"`);
      if (n === 0) {
        res.status(503).json({
          status: 'not ready',
          database: services.db.kind,
          taxonomy: {
            occupations: 0,
            problem:
              'the O*NET taxonomy is not loaded: restart the server (it loads the taxonomy into an empty table), or on PostgreSQL run `matchhub taxonomy load`',
          },
        });
        return;
      }
      res.json({ status: 'ready', database: services.db.kind, taxonomy: { occupations: n } });
    } catch (err) {
      log.warn('readiness check failed', { err });
      res.status(503).json({ status: 'unavailable', database: services.db.kind });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: config.http.bodyLimitBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const key = apiKeyOf(req.headers.authorization, req.headers['x-api-key']);
        const viewer = key ? await services.apiKeys.authenticate(key) : null;
        return createContext(services, viewer);
      },
    }),
  );
  const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
    const status = (err as { status?: number }).status;
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({
        errors: [
          {
            message: `request body exceeds ${config.http.bodyLimitBytes} bytes; send smaller batches`,
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
    } else if (type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
    } else if (status && status < 500) {
      res.status(status).json({ errors: [{ message: String((err as Error).message), extensions: { code: 'BAD_USER_INPUT' } }] });
    } else {
      log.error('unexpected HTTP error', { err });
      next(err);
    }
  };
  app.use(bodyErrors);

  // Subscriptions (askStream) over graphql-ws on the same port and path.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.http.bodyLimitBytes });
  const ws = useServer<Record<string, unknown> | undefined, { viewer?: Viewer | null }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const key = apiKeyOf(params.authorization ?? params.Authorization, params.apiKey ?? params['x-api-key']);
        ctx.extra.viewer = key ? await services.apiKeys.authenticate(key) : null;
        return true;
      },
      context: (ctx) => createContext(services, ctx.extra.viewer ?? null),
      onSubscribe: (ctx, _id, payload) => gateSubscription(services, schema, ctx.extra.viewer ?? null, payload),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e, log)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e, log)) } : undefined,
    },
    wsServer,
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.http.port, config.http.host, resolve);
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  return {
    url: `http://${config.http.host}:${port}/graphql`,
    port,
    stop: async () => {
      await ws.dispose();
      await apollo.stop();
    },
  };
}
