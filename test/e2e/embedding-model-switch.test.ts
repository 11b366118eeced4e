import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type AppServices } from '../../src/app/app';
import { loadConfig } from '../../src/shared/config';
import { CachingEmbedder } from '../../src/adapters/embedding/embedding-cache';
import { loadTaxonomy } from '../../src/hub/taxonomy/taxonomy-loader';
import { SEARCH_SCHEMA_VERSION } from '../../src/adapters/search/search-schema';
import { createLogger } from '../../src/shared/logger';
import { ScriptedEmbeddingsServer } from '../support/scripted-embeddings-server';

/**
 * Changing the embedding model (a new default, or a hosted API) must not leave the search index
 * holding vectors of the old model: at start the search projection sees the model changed, empties
 * the index and rebuilds it from the data hub. Same data directory throughout, as after an upgrade.
 */
describe('switching the embedding model rebuilds the search index', () => {
  const api = new ScriptedEmbeddingsServer(24);
  let apiUrl: string;
  let dataDir: string;
  let services: AppServices | undefined;

  const start = async (env: Record<string, string | undefined> = {}) => {
    const config = loadConfig({
      MATCHHUB_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'error',
      EMBEDDING_THREADS: '2',
      EMBEDDING_CACHE_DIR: process.env.MATCHHUB_TEST_EMBEDDING_CACHE,
      SEARCH_TITLE_LABELS: 'false',
      ...env,
    });
    services = await createServices(config, createLogger('error'));
    return services;
  };
  const stop = async () => {
    await services?.close();
    services = undefined;
  };
  const checkpoint = async (s: AppServices) =>
    (await s.db.dataSource.query(`SELECT "last_seq", "version" FROM "projection_checkpoint" WHERE "projection" = 'search'`))[0];
  const maxSeq = async (s: AppServices) => String((await s.db.dataSource.query(`SELECT max("seq") AS "m" FROM "outbox_event"`))[0].m);
  const searchLag = async (s: AppServices) => (await s.projector.status()).find((x) => x.projection === 'search')!.lag;
  const candidateCount = async (s: AppServices) => Number((await s.db.dataSource.query(`SELECT count(*) AS "n" FROM "candidate"`))[0].n);
  const hostedEnv = () => ({
    EMBEDDING_API_BASE_URL: apiUrl,
    EMBEDDING_API_MODEL: 'scripted-embed',
    EMBEDDING_API_DIMENSIONS: '24',
  });

  beforeAll(async () => {
    apiUrl = await api.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-model-switch-'));
  }, 30_000);
  afterAll(async () => {
    await stop();
    await api.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('indexes with the bundled model, then rebuilds once for a hosted model, then not again', async () => {
    let s = await start();
    await s.seeds.seedDemo({ candidates: 6, seed: 11, taxonomy: loadTaxonomy() });
    await s.projector.drain(180_000);
    const candidates = await candidateCount(s);
    expect(await s.searchIndex.count('candidate')).toBe(candidates);
    const bundled = await checkpoint(s);
    expect(bundled.version).toBe(`embedding:${s.embedder.modelId}/384;schema:${SEARCH_SCHEMA_VERSION}`);
    const headline: string = (await s.db.dataSource.query(`SELECT "headline" FROM "candidate" ORDER BY "id" LIMIT 1`))[0].headline;
    await stop();

    s = await start(hostedEnv());
    const switched = await checkpoint(s);
    expect(switched.version).toBe(`embedding:${s.embedder.modelId}/24;schema:${SEARCH_SCHEMA_VERSION}`);
    expect(s.embedder.modelId).toContain('scripted-embed');
    // The rebuild is queued: an event for every record, behind the search checkpoint.
    expect(await searchLag(s)).toBeGreaterThanOrEqual(candidates);
    expect(await s.searchIndex.count('candidate')).toBe(0);
    await s.projector.drain(180_000);
    expect(await s.searchIndex.count('candidate')).toBe(candidates);
    // Vector-only search now runs on 24-dimension vectors end to end; with old 384-dimension
    // documents left in the index it would be refused.
    const page = await s.search.search('candidate', { text: headline, alpha: 1, first: 5 });
    expect(page.hits.length).toBeGreaterThan(0);
    expect(api.requests.length).toBeGreaterThan(0);
    await stop();

    s = await start(hostedEnv());
    const unchanged = await checkpoint(s);
    expect(String(unchanged.last_seq)).toBe(await maxSeq(s));
    expect(await s.searchIndex.count('candidate')).toBe(candidates);
    await stop();

    // Back to the bundled model: the index is rebuilt again, from the cached vectors of the first
    // phase; the model itself is not asked for a single passage.
    s = await start();
    expect(await searchLag(s)).toBeGreaterThanOrEqual(candidates);
    await s.projector.drain(180_000);
    expect(await s.searchIndex.count('candidate')).toBe(candidates);
    expect(s.embedder).toBeInstanceOf(CachingEmbedder);
    const stats = (s.embedder as CachingEmbedder).store.stats;
    expect(stats.hits).toBeGreaterThan(candidates);
    expect(stats.misses).toBe(0);
    await stop();
  }, 600_000);
});
