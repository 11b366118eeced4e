import fs from 'node:fs';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { LOCAL_ADMIN, listenOnAdminSocket } from './admin-socket';
import { OccupationRepository } from '../hub/repositories/occupation.repository';
import type { Viewer } from '../hub/api-key.service';
import { selectionPlugin } from '../api/selection';
import { createContext, type Context, type Services } from '../api/context';
import { formatError } from '../api/graphql-errors';
import { answeredOnce, apiKeyOf, gatePlugin, gateSubscription, graphqlRequestGate } from './graphql-gate';
import type { Logger } from '../shared/logger';
import { personalDataAuditPlugin } from './personal-data-audit.plugin';
import { mountExplorer } from './explorer-routes';
import { exportRouter } from './export.routes';

export interface RunningServer {
  url: string;
  port: number;
  /** The local admin socket's path, when one was asked for. */
  adminSocket?: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Also serve the schema on this Unix socket (admin-socket.ts): every request there acts as the local
   * admin, without an API key, and runs without GRAPHQL_TIMEOUT_MS (training, reindex); the shape and
   * cost limits still apply. Only for the owner of an embedded data directory.
   */
  adminSocket?: string;
}

export async function startServer(
  services: Services,
  schema: GraphQLSchema,
  log: Logger,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const { config } = services;
  const app = express();
  const httpServer = http.createServer(app);
  const adminApp = options.adminSocket ? express() : undefined;
  const adminServer = adminApp ? http.createServer(adminApp) : undefined;
  const apollo = new ApolloServer<Context>({
    schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(adminServer ? [ApolloServerPluginDrainHttpServer({ httpServer: adminServer })] : []),
      // The cache-control plugin hooks every field and we set no cache hints: measured ~40% of throughput.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      gatePlugin(services),
      selectionPlugin(),
      personalDataAuditPlugin(services.db.dataSource, log),
    ],
    formatError: (formatted, error) => formatError(formatted, error, log),
    includeStacktraceInErrorResponses: false,
    // The caller shuts down on SIGINT/SIGTERM (closing the database, releasing the data directory); Apollo's
    // own handler would stop only itself, then re-raise the signal and kill the process mid-shutdown.
    stopOnTerminationSignals: false,
    // Allowed by role in gatePlugin (GRAPHQL_INTROSPECTION_ROLES), whatever NODE_ENV says.
    introspection: true,
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      // Title normalisation and the occupation search need the O*NET taxonomy: serve and migrate load it.
      const n = await new OccupationRepository(services.db.dataSource).count();
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
  const graphqlHandler = answeredOnce(
    expressMiddleware(apollo, {
      context: async ({ res }) => createContext(services, res.locals.viewer as Viewer, res.locals.signal as AbortSignal),
    }),
  );
  mountExplorer(app);
  app.use('/graphql', express.json({ limit: config.http.bodyLimitBytes }), graphqlRequestGate(services), graphqlHandler);
  app.use(exportRouter(services, log));
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
  if (adminApp) {
    adminApp.disable('x-powered-by');
    adminApp.use(
      '/graphql',
      express.json({ limit: config.http.bodyLimitBytes }),
      graphqlRequestGate(services, { viewer: LOCAL_ADMIN, noTimeBudget: true }),
      graphqlHandler,
    );
    adminApp.use(bodyErrors);
  }

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
  let adminSocket: string | undefined;
  if (adminServer && options.adminSocket) {
    try {
      await listenOnAdminSocket(adminServer, options.adminSocket);
      adminSocket = options.adminSocket;
    } catch (err) {
      // A convenience, not a reason to stay down: without it the CLI refuses beside the server, as before.
      log.warn('could not open the local admin socket; CLI commands refuse while this server runs', { file: options.adminSocket, err });
    }
  }
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  return {
    url: `http://${config.http.host}:${port}/graphql`,
    port,
    adminSocket,
    stop: async () => {
      await ws.dispose();
      // Drains both servers: requests in flight are answered, then the listeners close (the socket file goes with its listener).
      await apollo.stop();
      if (adminSocket) fs.rmSync(adminSocket, { force: true });
    },
  };
}
