import { EmbeddedSearchIndex } from '../../../src/adapters/search/embedded-search-index';
import { SearchError } from '../../../src/adapters/search/search-errors';
import type { SearchRequest } from '../../../src/adapters/search/search-index';
import { normalizeBatch, normalizeSearchRequest } from '../../../src/adapters/search/search-request';

const ID = '0b5f4c1e-58a4-4c84-9a44-6a4c9d1f2a01';

async function rejection(p: Promise<unknown>): Promise<SearchError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SearchError) return e;
    throw e;
  }
  throw new Error('expected a SearchError');
}

describe('normalizeSearchRequest', () => {
  const base: SearchRequest = { collection: 'candidate', text: 'pytorch' };

  it('applies defaults', () => {
    const q = normalizeSearchRequest({ ...base, vectors: { title: [1, 0] } });
    expect(q).toMatchObject({ alpha: 0.75, fusion: 'relativeScore', limit: 10, offset: 0 });
    expect(q.properties.map((p) => p.name)).toEqual(['title', 'skills', 'experience', 'summary']);
    expect([...q.targetWeights]).toEqual([['title', 1]]);
  });

  it('falls back to keyword-only when no vectors are given', () => {
    expect(normalizeSearchRequest({ ...base, alpha: 0.7 }).alpha).toBe(0);
  });

  it('normalises target weights to sum 1', () => {
    const q = normalizeSearchRequest({ ...base, vectors: { title: [1, 0], skills: [0, 1] }, targetVectors: { title: 3, skills: 1 } });
    expect(q.targetWeights.get('title')).toBeCloseTo(0.75);
    expect(q.targetWeights.get('skills')).toBeCloseTo(0.25);
  });

  it.each<[string, Partial<SearchRequest>, string]>([
    ['empty query', { text: '   ' }, 'the query is empty'],
    ['alpha above 1', { alpha: 1.5, vectors: { title: [1] } }, 'alpha: expected a number from 0'],
    ['alpha below 0', { alpha: -0.1 }, 'alpha: expected a number from 0'],
    ['alpha 1 without vectors', { alpha: 1 }, 'no query vectors'],
    ['limit above 1000', { limit: 1001 }, 'limit: expected a whole number from 1 to 1000'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['negative offset', { offset: -1 }, 'offset'],
    ['unknown fusion', { fusion: 'rrf' as never }, 'fusion'],
    ['unknown vector', { vectors: { face: [1] } }, 'vectors.face: unknown vector'],
    ['zero vector', { vectors: { title: [0, 0] } }, 'all zeros'],
    ['NaN in vector', { vectors: { title: [1, NaN] } }, 'finite number'],
    ['unknown property', { properties: [{ name: 'name', weight: 1 }] }, 'unknown text field'],
    ['fractional boost', { properties: [{ name: 'title', weight: 1.5 }] }, 'whole number'],
    ['unknown collection', { collection: 'person' as never }, 'unknown collection'],
    ['unknown filter field', { filters: { op: 'eq', field: 'age' as never, value: 3 } }, 'unknown field "age"'],
  ])('rejects %s with BAD_USER_INPUT', (_name, patch, message) => {
    let error: unknown;
    try {
      normalizeSearchRequest({ ...base, ...patch });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SearchError);
    expect((error as SearchError).code).toBe('BAD_USER_INPUT');
    expect((error as SearchError).message).toContain(message);
  });

  it('rejects a 100 KB query and says the limit', () => {
    expect(() => normalizeSearchRequest({ ...base, text: 'python '.repeat(15_000) })).toThrow(/105000 bytes; the maximum is 32768/);
  });
});

describe('normalizeBatch', () => {
  it('rejects the whole batch when one document is bad', () => {
    expect(() =>
      normalizeBatch('candidate', [
        { id: ID, text: { title: 'ok' }, vectors: {} },
        { id: 'not-a-uuid', text: {}, vectors: {} },
      ]),
    ).toThrow(/docs.1.id: expected the record's UUID/);
  });

  it('keeps the last version of a duplicated id', () => {
    const out = normalizeBatch('candidate', [
      { id: ID, text: { title: 'first' }, vectors: {} },
      { id: ID.toUpperCase(), text: { title: 'second' }, vectors: {} },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0].text.title).toBe('second');
  });

  it('rejects unknown properties and wrong types', () => {
    expect(() => normalizeBatch('job', [{ id: ID, text: {}, vectors: {}, properties: { colour: 'x' } as never }])).toThrow(
      /unknown property/,
    );
    expect(() => normalizeBatch('job', [{ id: ID, text: {}, vectors: {}, properties: { salaryMin: 'high' } as never }])).toThrow(
      /whole number/,
    );
  });
});

describe('EmbeddedSearchIndex with odd queries', () => {
  let index: EmbeddedSearchIndex;
  beforeAll(async () => {
    index = new EmbeddedSearchIndex();
    await index.ensureSchema();
    await index.upsert('candidate', [{ id: ID, text: { title: 'Senior PyTorch engineer 高级算法工程师' }, vectors: { title: [1, 0, 0] } }]);
  });
  afterAll(() => index.close());

  it('answers a punctuation- or emoji-only query with no hits, not an error', async () => {
    await expect(index.search({ collection: 'candidate', text: '🙂🚀!!!，。' })).resolves.toEqual([]);
  });

  it('still searches by vector when the text has no words', async () => {
    const hits = await index.search({ collection: 'candidate', text: '🙂', vectors: { title: [1, 0, 0] } });
    expect(hits.map((h) => h.id)).toEqual([ID]);
    expect(hits[0].keywordScore).toBeNull();
  });

  it('rejects a query vector of the wrong dimension', async () => {
    const e = await rejection(index.search({ collection: 'candidate', vectors: { title: [1, 0] } }));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.message).toContain('expected 3 dimensions');
  });

  it('rejects a document vector of the wrong dimension without writing any of the batch', async () => {
    const other = '0b5f4c1e-58a4-4c84-9a44-6a4c9d1f2a02';
    const e = await rejection(
      index.upsert('candidate', [
        { id: other, text: { title: 'x' }, vectors: { title: [0, 1, 0] } },
        { id: '0b5f4c1e-58a4-4c84-9a44-6a4c9d1f2a03', text: { title: 'y' }, vectors: { title: [0, 1] } },
      ]),
    );
    expect(e.message).toContain('docs.1.vectors.title');
    expect(await index.count('candidate')).toBe(1);
  });

  it('finds a document by a 10 KB pasted description', async () => {
    const text = 'We need a senior engineer with PyTorch experience. '.repeat(200);
    const hits = await index.search({ collection: 'candidate', text });
    expect(hits.map((h) => h.id)).toEqual([ID]);
  });
});
