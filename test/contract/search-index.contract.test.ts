import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedSearchIndex } from '../../src/search/embedded-search-index';
import { SearchError } from '../../src/search/search-errors';
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
    const log = path.join(dir, 'search-v1', 'candidate.log');
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
      .readFileSync(path.join(dir, 'search-v1', 'candidate.log'), 'utf8')
      .trim()
      .split('\n').length;
    expect(lines).toBeLessThan(1100);

    const reopened = new EmbeddedSearchIndex({ dataDir: dir });
    await reopened.ensureSchema();
    expect(await reopened.count('candidate')).toBe(CANDIDATE_DOCS.length);
    expect((await reopened.search({ collection: 'candidate', text: '税务', alpha: 0 }))[0].id).toBe(IDS.accountant);
    await reopened.close();
  });

  it('refuses a data directory another live process holds', async () => {
    const lockDir = path.join(dir, 'search-v1');
    fs.mkdirSync(lockDir, { recursive: true });
    fs.writeFileSync(path.join(lockDir, 'LOCK'), String(process.ppid));
    const err = await new EmbeddedSearchIndex({ dataDir: dir }).ensureSchema().catch((e) => e);
    expect(err).toBeInstanceOf(SearchError);
    expect(err.code).toBe('UNAVAILABLE');
  });
});
