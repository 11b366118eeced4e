import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireDataDirLock, LOCK_FILE } from '../../src/shared/data-dir-lock';
import { EmbeddedSearchIndex } from '../../src/adapters/search/embedded-search-index';
import { SearchError } from '../../src/adapters/search/search-errors';
import { SEARCH_SCHEMA_VERSION } from '../../src/adapters/search/search-schema';
import { describeSearchIndexContract } from './search/search-index-contract';
import { CANDIDATE_DOCS, IDS } from './search/search-fixtures';

// The Weaviate run of the same suite lives in test/integration/weaviate-search-index.test.ts.
describeSearchIndexContract('embedded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-search-'));
  const index = new EmbeddedSearchIndex({ dataDir: dir });
  return {
    index,
    cleanup: async () => {
      await index.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** A pid that ran and exited: what a crashed holder leaves in its lock. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('EmbeddedSearchIndex persistence', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-search-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const query = {
    collection: 'candidate' as const,
    text: 'PyTorch 推荐系统',
    alpha: 0.5,
    vectors: { profile: CANDIDATE_DOCS[0].vectors.profile! },
  };

  it('answers the same after a restart, including deletes', async () => {
    const first = new EmbeddedSearchIndex({ dataDir: dir });
    await first.ensureSchema();
    await first.upsert('candidate', CANDIDATE_DOCS);
    await first.delete('candidate', [IDS.nanny]);
    const before = await first.search(query);
    await first.close();

    const second = new EmbeddedSearchIndex({ dataDir: dir });
    await second.ensureSchema();
    expect(await second.count('candidate')).toBe(CANDIDATE_DOCS.length - 1);
    const after = await second.search(query);
    expect(after.map((h) => h.id)).toEqual(before.map((h) => h.id));
    after.forEach((h, i) => expect(h.score).toBeCloseTo(before[i].score, 9));
    await second.close();
  });

  it('stays empty after a restart when a collection was cleared', async () => {
    const first = new EmbeddedSearchIndex({ dataDir: dir });
    await first.ensureSchema();
    await first.upsert('candidate', CANDIDATE_DOCS);
    await first.upsert('job', [{ id: CANDIDATE_DOCS[0].id, text: { title: 'Zebra Keeper' }, vectors: CANDIDATE_DOCS[0].vectors }]);
    await first.clear('candidate');
    await first.close();

    const second = new EmbeddedSearchIndex({ dataDir: dir });
    await second.ensureSchema();
    expect(await second.count('candidate')).toBe(0);
    expect(await second.count('job')).toBe(1);
    await second.close();
  });

  it('drops a torn last line from a crash mid-append and keeps the rest', async () => {
    const first = new EmbeddedSearchIndex({ dataDir: dir });
    await first.ensureSchema();
    await first.upsert('candidate', CANDIDATE_DOCS.slice(0, 3));
    await first.close();
    const log = path.join(dir, `search-v${SEARCH_SCHEMA_VERSION}`, 'candidate.log');
    fs.appendFileSync(log, '{"op":"upsert","doc":{"id":"11111111-1111-4111-8111-00000000000');

    const second = new EmbeddedSearchIndex({ dataDir: dir });
    await second.ensureSchema();
    expect(await second.count('candidate')).toBe(3);
    await second.upsert('candidate', CANDIDATE_DOCS.slice(3, 4));
    await second.close();

    const third = new EmbeddedSearchIndex({ dataDir: dir });
    await third.ensureSchema();
    expect(await third.count('candidate')).toBe(4);
    await third.close();
  });

  it('compacts the log once dead entries dominate, without losing documents', async () => {
    const index = new EmbeddedSearchIndex({ dataDir: dir, durable: false });
    await index.ensureSchema();
    for (let i = 0; i < 150; i++) await index.upsert('candidate', CANDIDATE_DOCS);
    await index.close();
    const lines = fs
      .readFileSync(path.join(dir, `search-v${SEARCH_SCHEMA_VERSION}`, 'candidate.log'), 'utf8')
      .trim()
      .split('\n').length;
    expect(lines).toBeLessThan(1100);

    const reopened = new EmbeddedSearchIndex({ dataDir: dir });
    await reopened.ensureSchema();
    expect(await reopened.count('candidate')).toBe(CANDIDATE_DOCS.length);
    expect((await reopened.search({ collection: 'candidate', text: '税务', alpha: 0 }))[0].id).toBe(IDS.accountant);
    await reopened.close();
  });

  it('takes over the lock of a process that died with the index open, and finds its documents', async () => {
    const first = new EmbeddedSearchIndex({ dataDir: dir });
    await first.ensureSchema();
    await first.upsert('candidate', CANDIDATE_DOCS);
    const before = await first.search(query);
    await first.close();
    // What a crash leaves: the fsynced logs and a lock naming a pid that no longer runs.
    const lockFile = path.join(dir, LOCK_FILE);
    fs.writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), command: 'serve', since: '', start: null, token: 'crashed' }));

    const second = new EmbeddedSearchIndex({ dataDir: dir });
    await second.ensureSchema();
    expect((await second.search(query)).map((h) => h.id)).toEqual(before.map((h) => h.id));
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid });
    await second.close();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('refuses a data directory another live process holds, and touches nothing', async () => {
    const lockFile = path.join(dir, LOCK_FILE);
    const live = JSON.stringify({ pid: process.ppid, command: 'worker', since: '', start: null, token: 'other' });
    fs.writeFileSync(lockFile, live);
    const err = await new EmbeddedSearchIndex({ dataDir: dir }).ensureSchema().catch((e) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect(err.code).toBe('UNAVAILABLE');
    expect(err.message).toContain(`in use by process ${process.ppid} (worker)`);
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(live);
  });

  it('refuses a second index on the same directory in this process until the first is closed', async () => {
    const first = new EmbeddedSearchIndex({ dataDir: dir });
    await first.ensureSchema();
    await first.upsert('candidate', CANDIDATE_DOCS.slice(0, 2));
    const second = new EmbeddedSearchIndex({ dataDir: dir });
    const err = await second.ensureSchema().catch((e) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect(err.code).toBe('UNAVAILABLE');
    await first.close();
    await second.ensureSchema();
    expect(await second.count('candidate')).toBe(2);
    await second.close();
  });

  it('takes no lock of its own where the caller holds the data-dir lock around it', async () => {
    const outer = await acquireDataDirLock(dir, 'serve');
    try {
      const indexDir = path.join(dir, 'search');
      const index = new EmbeddedSearchIndex({ dataDir: indexDir, lock: 'caller' });
      await index.ensureSchema();
      await index.upsert('candidate', CANDIDATE_DOCS.slice(0, 1));
      expect(fs.existsSync(path.join(indexDir, LOCK_FILE))).toBe(false);
      await index.close();
      expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    } finally {
      outer.release();
    }
  });
});
