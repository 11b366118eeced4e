import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createServices, type AppServices } from '../../src/app/app';
import { loadConfig } from '../../src/shared/config';
import type { Role } from '../../src/shared/roles';
import { loadTaxonomy } from '../../src/hub/taxonomy/taxonomy-loader';
import { createLogger } from '../../src/shared/logger';
import { createSchema } from '../../src/app/schema';
import { startServer } from '../../src/app/server';
import { saveLinkModel } from '../../src/network/link-predictor';
import type { LinkModel } from '../../src/network/link-scoring';
import { startScriptedLlm, type ScriptedLlm } from './scripted-llm-server';

export interface GqlResult {
  status: number;
  body: {
    data?: any;
    errors?: { message: string; path?: string[]; extensions?: { code?: string; problems?: { path: string; message: string }[] } }[];
  };
}

export interface TestServer {
  url: string;
  base: string;
  keys: Record<Role, string>;
  gql(query: string, variables?: Record<string, unknown>, role?: Role | null): Promise<GqlResult>;
  statements(): number;
  services: AppServices;
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A real MatchHub server on 127.0.0.1 (random port) with demo data, on embedded PGlite in a temp
 * directory, or on a fresh database created on the PostgreSQL server at `postgresUrl` and dropped after.
 */
export interface TestServerOptions {
  candidates?: number;
  postgresUrl?: string;
  weaviate?: { url: string; grpcPort: number; apiKey: string };
  neo4j?: { uri: string; user: string; password: string };
  /** More environment for loadConfig, e.g. LLM_BASE_URL of a scripted LLM. */
  env?: Record<string, string | undefined>;
  /** A trained link-prediction model in the data directory before the server starts, as `linkpred train` leaves it. */
  linkModel?: LinkModel;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => undefined as void;
  if (options.postgresUrl) {
    const name = `matchhub_test_${process.pid}_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: options.postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(options.postgresUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDatabase = async () => {
      const c = new Client({ connectionString: options.postgresUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({
    MATCHHUB_DATA_DIR: dataDir,
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: 'error',
    EMBEDDING_THREADS: '2',
    // Shared by every server of the run (test/support/global-setup.js): the taxonomy is embedded once.
    EMBEDDING_CACHE_DIR: process.env.MATCHHUB_TEST_EMBEDDING_CACHE,
    WEAVIATE_URL: options.weaviate?.url,
    WEAVIATE_GRPC_PORT: options.weaviate ? String(options.weaviate.grpcPort) : undefined,
    WEAVIATE_API_KEY: options.weaviate?.apiKey,
    // Each run gets its own collections, so tests never see each other's documents.
    WEAVIATE_COLLECTION_PREFIX: `T${process.pid}x${Date.now().toString(36)}`,
    NEO4J_URI: options.neo4j?.uri,
    NEO4J_USER: options.neo4j?.user,
    NEO4J_PASSWORD: options.neo4j?.password,
    NEO4J_GRAPH_NAME: `t${process.pid}x${Date.now().toString(36)}`,
    // 46,000 label embeddings would take minutes per server; tests that need labels project a few themselves.
    SEARCH_TITLE_LABELS: 'false',
    ...options.env,
  });
  if (options.linkModel) saveLinkModel(path.join(dataDir, 'linkpred'), options.linkModel);
  const services = await createServices(config, createLogger('error'));
  await services.seeds.seedDemo({ candidates: options.candidates ?? 80, seed: 7, taxonomy: loadTaxonomy() });
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'consultant', 'analyst', 'bi', 'frontend'] as Role[])
    keys[role] = (await services.apiKeys.create(`test ${role}`, role)).key;
  const server = await startServer(services, await createSchema(), createLogger('error'));
  return {
    url: server.url,
    base: server.url.replace(/\/graphql$/, ''),
    keys,
    async gql(query, variables, role = 'admin') {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(role ? { authorization: `Bearer ${keys[role]}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResult['body'] };
    },
    statements: () => services.db.statementCount(),
    services,
    sql: (text, params) => services.db.dataSource.query(text, params),
    async close() {
      await server.stop();
      await services.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A test server whose `ask` is answered by a scripted OpenAI-compatible LLM. */
export interface ScriptedLlmTestServer extends TestServer {
  /** Queue or script its answers; `requests` records what MatchHub sent it. */
  llm: ScriptedLlm;
}

/**
 * startTestServer with a scripted OpenAI-compatible LLM on 127.0.0.1 (the one stand-in we allow: a paid
 * API) and the LLM settings pointing at it: a test key, deepseek-reasoner, one retry. `options.env`
 * adds to or overrides them. close() stops the server, then the LLM.
 */
export async function startTestServerWithLlm(options: TestServerOptions = {}): Promise<ScriptedLlmTestServer> {
  const llm = await startScriptedLlm();
  try {
    const env = {
      LLM_BASE_URL: llm.baseURL,
      LLM_API_KEY: 'test-key',
      LLM_MODEL: 'deepseek-reasoner',
      LLM_MAX_RETRIES: '1',
      ...options.env,
    };
    const server = await startTestServer({ ...options, env });
    return {
      ...server,
      llm,
      async close() {
        try {
          await server.close();
        } finally {
          await llm.close();
        }
      },
    };
  } catch (err) {
    await llm.close();
    throw err;
  }
}

export const codes = (r: GqlResult) => (r.body.errors ?? []).map((e) => e.extensions?.code);
