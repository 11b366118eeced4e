import * as fs from 'node:fs';
import * as path from 'node:path';
import { WeaviateSearchIndex } from '../../src/adapters/search/weaviate-search-index';
import { buildCollectionConfig, collectionName } from '../../src/adapters/search/weaviate-query-builder';
import { describeSearchIndexContract } from '../contract/search/search-index-contract';

/**
 * The SearchIndex contract against a real Weaviate started by `bash services/up.sh weaviate`,
 * which writes `.services/env`. This file FAILS (never skips) when that file is missing or
 * Weaviate does not answer: running the integration project means Weaviate must be up.
 */
function weaviateEnv(): { url: string; grpcPort: number; apiKey?: string } {
  const file = path.join(__dirname, '..', '..', '.services', 'env');
  if (!fs.existsSync(file)) {
    throw new Error(`Weaviate is not configured: ${file} does not exist. Start it with \`bash services/up.sh weaviate\`.`);
  }
  const env = Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^\s*(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2].trim().replace(/^['"]|['"]$/g, '')]),
  );
  if (!env.WEAVIATE_URL || !env.WEAVIATE_GRPC_PORT) {
    throw new Error(`${file} has no WEAVIATE_URL / WEAVIATE_GRPC_PORT. Start Weaviate with \`bash services/up.sh weaviate\`.`);
  }
  return { url: env.WEAVIATE_URL, grpcPort: Number(env.WEAVIATE_GRPC_PORT), apiKey: env.WEAVIATE_API_KEY || undefined };
}

jest.setTimeout(60_000);

describeSearchIndexContract('weaviate', async () => {
  const env = weaviateEnv();
  const index = new WeaviateSearchIndex({ ...env, collectionPrefix: `TestSearch${process.pid}x${Date.now() % 100000}` });
  try {
    await index.ensureSchema();
  } catch (e) {
    throw new Error(`Weaviate at ${env.url} is down or refused the schema: ${(e as Error).message}`);
  }
  return {
    index,
    cleanup: async () => {
      await index.dropCollections();
      await index.close();
    },
  };
});

describe('a Weaviate collection made by an older layout', () => {
  it('is refused at start with SCHEMA_MISMATCH naming the index kind and the fix', async () => {
    const env = weaviateEnv();
    const prefix = `TestLayout${process.pid}x${Date.now() % 100000}`;
    const name = collectionName(prefix, 'occupationLabel');
    // Schema v2 kept occupation labels in HNSW; the schema now says flat.
    const old = buildCollectionConfig(name, 'occupationLabel', 'jieba');
    for (const v of Object.values(old.vectorConfig ?? {})) (v as { vectorIndexType: string }).vectorIndexType = 'hnsw';
    const created = await fetch(`${env.url}/v1/schema`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(env.apiKey ? { authorization: `Bearer ${env.apiKey}` } : {}) },
      body: JSON.stringify(old),
    });
    expect(created.status).toBe(200);
    const index = new WeaviateSearchIndex({ ...env, collectionPrefix: prefix });
    try {
      const error = await index.ensureSchema().then(
        () => undefined,
        (e: unknown) => e as { reason?: string; message: string },
      );
      expect(error?.reason).toBe('SCHEMA_MISMATCH');
      expect(error?.message).toContain('has a hnsw index, expected flat');
      expect(error?.message).toContain('Bump SEARCH_SCHEMA_VERSION');
    } finally {
      await index.dropCollections();
      await index.close();
    }
  });
});
