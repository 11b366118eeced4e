import os from 'node:os';
import path from 'node:path';
import { ROLES, type Role } from './roles';

/**
 * The only reader of `process.env`. Everything is parsed and checked once at start-up;
 * `loadConfig` throws a ConfigError listing every bad variable, so an operator fixes them in one go.
 * `.env.example` documents each variable.
 */
export interface Config {
  http: { host: string; port: number; bodyLimitBytes: number };
  database: {
    url: string | null;
    dataDir: string;
    poolSize: number;
    logSql: boolean;
    /** Embedded only: how often tables with many dead rows are vacuumed (PGlite has no autovacuum); null: never. */
    vacuumEveryMs: number | null;
  };
  search: {
    weaviateUrl: string | null;
    weaviateGrpcPort: number;
    weaviateApiKey: string | null;
    collectionPrefix: string;
    /** Whether the `titles` projection embeds every occupation label (normalizeTitle then ranks by the best label). */
    titleLabels: boolean;
  };
  graph: { neo4jUri: string | null; neo4jUser: string; neo4jPassword: string | null; neo4jGraphName: string };
  embedding: {
    modelDir: string | null;
    threads: number;
    openaiBaseUrl: string | null;
    openaiApiKey: string | null;
    openaiModel: string | null;
    openaiDimensions: number | null;
    /** Folder of the persistent passage-vector cache (null: off); see embedding-cache.ts. */
    cacheDir: string | null;
    cacheMaxBytes: number;
  };
  llm: {
    baseUrl: string | null;
    apiKey: string | null;
    model: string;
    timeoutMs: number;
    maxRetries: number;
    /** USD per million tokens, for the cost each answer reports; 0 when unknown. */
    prices: { inputPerMTok: number; cachedInputPerMTok: number; outputPerMTok: number };
  };
  /** Budgets of one RAG question: plan size, wall clock for the tools, rows per step, input and output size. */
  rag: {
    maxSteps: number;
    timeoutMs: number;
    maxRowsPerStep: number;
    concurrency: number;
    maxQuestionChars: number;
    maxAnswerTokens: number;
  };
  /** What one GraphQL operation may ask for (src/app/limits.ts) and how long it may run. */
  limits: {
    maxDepth: number;
    maxCost: number;
    maxPageSize: number;
    maxRootFields: number;
    maxFields: number;
    /** Time budget of an HTTP request; past it the client gets UNAVAILABLE (503). */
    timeoutMs: number;
    /** The same for operations that ask the LLM (ask, rerunRagStep), which wait on a reasoning model. */
    ragTimeoutMs: number;
    /** Roles whose keys may read the schema (`__schema`, `__type`) and get "Did you mean" hints. */
    introspectionRoles: Role[];
  };
  /** Run the outbox projector inside `serve`; turn off where `matchhub worker` runs it instead. */
  syncInServer: boolean;
  projector: {
    /** Applied outbox events are deleted once older than this; null: kept for ever. */
    outboxRetentionMs: number | null;
    /** Longest poll interval of an idle projector (writes of this process wake it at once). */
    idlePollMs: number;
  };
  /** The stored match scores (match_score, the `bi` views): candidates kept per open job. */
  matchScores: { topK: number };
  seedDemo: boolean;
  demoCandidates: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const str = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const price = (name: string): number => {
    const raw = str(name);
    if (raw === null) return 0;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      problems.push(`${name} must be a non-negative number (USD per million tokens), got "${raw}"`);
      return 0;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = str(name);
    if (raw === null) return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = str(name);
    if (raw === null) return null;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')}, got "${u.protocol}"`);
        return null;
      }
      return raw;
    } catch {
      problems.push(`${name} is not a URL: "${raw}"`);
      return null;
    }
  };
  const roles = (name: string, fallback: Role[]): Role[] => {
    const raw = str(name);
    if (raw === null) return fallback;
    if (raw === 'none') return [];
    const names = raw
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const unknown = names.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length) {
      problems.push(`${name} must list roles out of ${ROLES.join(', ')} (comma-separated) or none, got "${unknown.join(', ')}"`);
      return fallback;
    }
    return names as Role[];
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = str(name);
    if (raw === null) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    problems.push(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return fallback;
  };

  /** A number of minutes (as milliseconds), or `off` (null). */
  const minutesOrOff = (name: string, fallback: number, min: number, max: number): number | null => {
    if (str(name)?.toLowerCase() === 'off') return null;
    return int(name, fallback, min, max) * 60_000;
  };

  const neo4jUri = url('NEO4J_URI', ['bolt:', 'neo4j:', 'bolt+s:', 'neo4j+s:', 'bolt+ssc:', 'neo4j+ssc:']);
  const neo4jPassword = str('NEO4J_PASSWORD');
  if (neo4jUri && !neo4jPassword) problems.push('NEO4J_PASSWORD is required when NEO4J_URI is set');

  const config: Config = {
    http: {
      host: str('HOST') ?? '127.0.0.1',
      port: int('PORT', 4000, 0, 65535),
      bodyLimitBytes: int('HTTP_BODY_LIMIT_BYTES', 1_000_000, 1_000, 100_000_000),
    },
    database: {
      url: url('DATABASE_URL', ['postgres:', 'postgresql:']),
      dataDir: path.resolve(cwd, str('MATCHHUB_DATA_DIR') ?? '.data'),
      poolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
      logSql: bool('DATABASE_LOG_SQL', false),
      vacuumEveryMs: minutesOrOff('EMBEDDED_VACUUM_MINUTES', 5, 1, 10_080),
    },
    search: {
      weaviateUrl: url('WEAVIATE_URL', ['http:', 'https:']),
      weaviateGrpcPort: int('WEAVIATE_GRPC_PORT', 50051, 1, 65535),
      weaviateApiKey: str('WEAVIATE_API_KEY'),
      collectionPrefix: str('WEAVIATE_COLLECTION_PREFIX') ?? 'MatchHub',
      titleLabels: bool('SEARCH_TITLE_LABELS', true),
    },
    graph: {
      neo4jUri,
      neo4jUser: str('NEO4J_USER') ?? 'neo4j',
      neo4jPassword,
      // Namespace of this deployment's nodes inside the Neo4j database (tests use one each).
      neo4jGraphName: str('NEO4J_GRAPH_NAME') ?? 'main',
    },
    embedding: {
      modelDir: str('EMBEDDING_MODEL_DIR'),
      // The model shares the machine with the server: up to 4 cores by default.
      threads: int('EMBEDDING_THREADS', Math.max(1, Math.min(4, os.availableParallelism())), 1, 64),
      openaiBaseUrl: url('EMBEDDING_API_BASE_URL', ['http:', 'https:']),
      openaiApiKey: str('EMBEDDING_API_KEY'),
      openaiModel: str('EMBEDDING_API_MODEL'),
      openaiDimensions: str('EMBEDDING_API_DIMENSIONS') === null ? null : int('EMBEDDING_API_DIMENSIONS', 0, 1, 65_536),
      cacheDir: bool('EMBEDDING_CACHE', true)
        ? path.resolve(cwd, str('EMBEDDING_CACHE_DIR') ?? path.join(str('MATCHHUB_DATA_DIR') ?? '.data', 'embedding-cache'))
        : null,
      cacheMaxBytes: int('EMBEDDING_CACHE_MAX_MB', 1024, 1, 1_048_576) * 1024 ** 2,
    },
    llm: {
      baseUrl: url('LLM_BASE_URL', ['http:', 'https:']),
      apiKey: str('LLM_API_KEY'),
      model: str('LLM_MODEL') ?? 'deepseek-reasoner',
      timeoutMs: int('LLM_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
      maxRetries: int('LLM_MAX_RETRIES', 3, 0, 10),
      prices: {
        inputPerMTok: price('LLM_PRICE_INPUT_PER_MTOK'),
        cachedInputPerMTok: price('LLM_PRICE_CACHED_INPUT_PER_MTOK'),
        outputPerMTok: price('LLM_PRICE_OUTPUT_PER_MTOK'),
      },
    },
    rag: {
      maxSteps: int('RAG_MAX_STEPS', 8, 1, 32),
      timeoutMs: int('RAG_TOOLS_TIMEOUT_MS', 30_000, 1_000, 600_000),
      maxRowsPerStep: int('RAG_MAX_ROWS_PER_STEP', 20, 1, 200),
      concurrency: int('RAG_CONCURRENCY', 4, 1, 16),
      maxQuestionChars: int('RAG_MAX_QUESTION_CHARS', 2_000, 10, 20_000),
      maxAnswerTokens: int('RAG_MAX_ANSWER_TOKENS', 8_000, 256, 64_000),
    },
    limits: {
      maxDepth: int('GRAPHQL_MAX_DEPTH', 10, 2, 50),
      maxCost: int('GRAPHQL_MAX_COST', 20_000, 10, 10_000_000),
      maxPageSize: int('GRAPHQL_MAX_PAGE_SIZE', 1000, 1, 10_000),
      maxRootFields: int('GRAPHQL_MAX_ROOT_FIELDS', 50, 1, 10_000),
      maxFields: int('GRAPHQL_MAX_FIELDS', 2_000, 10, 1_000_000),
      timeoutMs: int('GRAPHQL_TIMEOUT_MS', 30_000, 100, 3_600_000),
      ragTimeoutMs: int('GRAPHQL_RAG_TIMEOUT_MS', 300_000, 100, 3_600_000),
      introspectionRoles: roles('GRAPHQL_INTROSPECTION_ROLES', ['admin', 'consultant', 'analyst']),
    },
    syncInServer: bool('SYNC_IN_SERVER', true),
    projector: {
      outboxRetentionMs: minutesOrOff('OUTBOX_RETENTION_MINUTES', 60, 0, 525_600),
      idlePollMs: int('PROJECTOR_IDLE_POLL_MS', 5_000, 100, 60_000),
    },
    matchScores: { topK: int('MATCH_SCORES_TOP_K', 200, 1, 1000) },
    seedDemo: bool('SEED_DEMO', true),
    demoCandidates: int('DEMO_CANDIDATES', 1000, 0, 10_000_000),
    logLevel: oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
  };
  if (config.embedding.openaiBaseUrl && !config.embedding.openaiModel) {
    problems.push('EMBEDDING_API_MODEL is required when EMBEDDING_API_BASE_URL is set');
  }
  if (config.embedding.openaiBaseUrl && !config.embedding.openaiDimensions) {
    problems.push('EMBEDDING_API_DIMENSIONS (the vector length the model returns) is required when EMBEDDING_API_BASE_URL is set');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
