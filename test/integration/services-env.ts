import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Connection settings for the engines the integration tests run against, read from the file
 * `bash services/up.sh` (npm run services:up) writes. To test against your own servers, write
 * the same variables into that file yourself.
 *
 * Integration tests call this in `beforeAll`, so a missing file or variable FAILS every test of
 * the suite with a message saying what to run, instead of skipping silently.
 */
export const SERVICES_ENV_FILE = join(__dirname, '..', '..', '.services', 'env');

export interface ServicesEnv {
  databaseUrl: string;
  neo4j: { uri: string; user: string; password: string };
  weaviate: { url: string; host: string; httpPort: number; grpcPort: number; apiKey: string };
}

export type Engine = 'postgres' | 'neo4j' | 'weaviate';

const REQUIRED: Record<Engine, string[]> = {
  postgres: ['DATABASE_URL'],
  neo4j: ['NEO4J_URI', 'NEO4J_USER', 'NEO4J_PASSWORD'],
  weaviate: ['WEAVIATE_URL', 'WEAVIATE_GRPC_PORT', 'WEAVIATE_API_KEY'],
};

export class ServicesEnvError extends Error {
  readonly code = 'SERVICES_ENV';
  constructor(message: string) {
    super(message);
    this.name = 'ServicesEnvError';
  }
}

/** Throws ServicesEnvError when the file or any variable the named engine needs is missing. */
export function loadServicesEnv(engine: Engine, file: string = SERVICES_ENV_FILE): ServicesEnv {
  const startHint = `Start it with \`npm run services:up -- ${engine}\` (bash services/up.sh ${engine}).`;
  if (!existsSync(file)) {
    throw new ServicesEnvError(`${engine} is not configured: ${file} does not exist. ${startHint}`);
  }
  const vars = parseEnv(readFileSync(file, 'utf8'));
  const missing = REQUIRED[engine].filter((name) => !vars[name]);
  if (missing.length > 0) {
    throw new ServicesEnvError(`${file} lacks ${missing.join(', ')}. ${startHint}`);
  }
  const weaviateUrl = vars.WEAVIATE_URL ? new URL(vars.WEAVIATE_URL) : null;
  return {
    databaseUrl: vars.DATABASE_URL ?? '',
    neo4j: { uri: vars.NEO4J_URI ?? '', user: vars.NEO4J_USER ?? '', password: vars.NEO4J_PASSWORD ?? '' },
    weaviate: {
      url: vars.WEAVIATE_URL ?? '',
      host: weaviateUrl?.hostname ?? '',
      httpPort: weaviateUrl ? Number(weaviateUrl.port || (weaviateUrl.protocol === 'https:' ? 443 : 80)) : 0,
      grpcPort: Number(vars.WEAVIATE_GRPC_PORT ?? 0),
      apiKey: vars.WEAVIATE_API_KEY ?? '',
    },
  };
}

/** A name no other test run uses, for schemas, labels and collections. */
export function uniqueName(prefix: string): string {
  return `${prefix}${process.pid}x${Date.now().toString(36)}`;
}
