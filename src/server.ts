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

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, QUERY_TOO_COMPLEX: 400, BAD_USER_INPUT: 400 };

/** The API key from `Authorization: Bearer <key>` or `x-api-key` (HTTP), or the same names in graphql-ws connection params. */
function apiKeyOf(authorization: unknown, apiKey: unknown): string | undefined {
  const header = typeof authorization === 'string' ? authorization : '';
  if (header.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  return typeof apiKey === 'string' && apiKey.trim() ? apiKey.trim() : undefined;
}

/** The same gate as gatePlugin, for operations over WebSocket: returns the errors to send, or nothing. */
function gateSubscription(
  services: Services,
  schema: GraphQLSchema,
  viewer: Viewer | null,
  query: string,
  variables: Record<string, unknown>,
  operationName?: string,
) {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined; // graphql-ws reports the syntax error itself
  }
  try {
    if (!viewer) {
      throw new AppError('UNAUTHENTICATED', 'send an API key in the connection params as { "authorization": "Bearer <key>" }');
    }
    enforceLimits(schema, document, variables, services.config.limits, operationName);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return [new GraphQLError(err.message, { extensions: { code: err.code } })];
  }
  return undefined;
}

/** Refuses anonymous and over-limit operations once per request, before any resolver runs. */
function gatePlugin(services: Services): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, request, schema }) {
          try {
            if (!contextValue.viewer) {
              throw new AppError(
                'UNAUTHENTICATED',
                'send an API key as "Authorization: Bearer <key>"; `npm run cli -- apikey create --role analyst` makes one',
              );
            }
            enforceLimits(schema, document, request.variables ?? {}, services.config.limits, request.operationName ?? undefined);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            throw new GraphQLError(err.message, { extensions: { code: err.code, http: { status: HTTP_STATUS[err.code] ?? 400 } } });
          }
        },
      };
    },
  };
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
    ],
    formatError: (formatted, error) => formatError(formatted, error, log),
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await services.db.dataSource.query('SELECT 1');
      res.json({ status: 'ready', database: services.db.kind });
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
      onSubscribe: (ctx, _id, payload) =>
        gateSubscription(
          services,
          schema,
          ctx.extra.viewer ?? null,
          payload.query,
          payload.variables ?? {},
          payload.operationName ?? undefined,
        ),
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
