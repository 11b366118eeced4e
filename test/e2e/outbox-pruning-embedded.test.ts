import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type AppServices } from '../../src/app/app';
import { loadConfig } from '../../src/shared/config';
import { loadTaxonomy } from '../../src/hub/taxonomy/taxonomy-loader';
import { createLogger } from '../../src/shared/logger';
import { checkProjections } from '../../src/sync/sync-check';

/**
 * Once applied events are pruned from the outbox, it no longer holds the history of every record:
 * the in-memory graph is built from the tables at each start, and a stored projection whose
 * checkpoint lies behind what was pruned is rebuilt from the tables too. Same data directory
 * throughout, as across restarts.
 */
describe('a pruned outbox', () => {
  let dataDir: string;
  let services: AppServices | undefined;

  const start = async () => {
    const config = loadConfig({
      MATCHHUB_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'error',
      EMBEDDING_THREADS: '2',
      EMBEDDING_CACHE_DIR: process.env.MATCHHUB_TEST_EMBEDDING_CACHE,
      SEARCH_TITLE_LABELS: 'false',
    });
    services = await createServices(config, createLogger('error'));
    return services;
  };
  const stop = async () => {
    await services?.close();
    services = undefined;
  };
  const outboxRows = async (s: AppServices) => Number((await s.db.dataSource.query(`SELECT count(*) AS "n" FROM "outbox_event"`))[0].n);
  const mismatches = async (s: AppServices) =>
    (await checkProjections(s.db.dataSource, s.searchIndex, s.graph)).filter((c) => c.inTable !== c.inProjection);

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-pruned-'));
  });
  afterAll(async () => {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuilds the in-memory graph and a stored projection left behind from the tables, not from history', async () => {
    let s = await start();
    await s.seeds.seedDemo({ candidates: 6, seed: 11, taxonomy: loadTaxonomy() });
    await s.projector.drain(180_000);
    const candidates = await s.searchIndex.count('candidate');
    expect(candidates).toBeGreaterThan(0);
    expect(await s.projector.prune(0)).toBeGreaterThan(candidates);
    expect(await outboxRows(s)).toBe(1);
    await stop();

    // The graph lives in memory: a new process has only the tables to build it from.
    s = await start();
    await s.projector.drain(180_000);
    expect(await mismatches(s)).toEqual([]);
    expect((await s.graph.countByLabel()).Candidate).toBe(candidates);

    // A stored projection behind what was pruned (restored from an old backup, say) starts over.
    await s.db.dataSource.query(`UPDATE "projection_checkpoint" SET "last_txid" = 0, "last_seq" = 0 WHERE "projection" = 'search'`);
    await stop();
    s = await start();
    expect(await s.searchIndex.count('candidate')).toBe(0);
    await s.projector.drain(180_000);
    expect(await mismatches(s)).toEqual([]);
    await stop();
  }, 600_000);
});
