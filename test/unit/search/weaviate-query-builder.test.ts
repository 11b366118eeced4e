import { SEARCH_COLLECTIONS } from '../../../src/adapters/search/search-schema';
import { normalizeSearchRequest } from '../../../src/adapters/search/search-request';
import {
  buildCollectionConfig,
  buildHybridCall,
  collectionName,
  parseExplainScore,
} from '../../../src/adapters/search/weaviate-query-builder';

describe('collectionName', () => {
  it('prefixes and versions the collection', () => {
    expect(collectionName('MatchHub', 'candidate')).toBe('MatchHubCandidateV3');
  });
  it('rejects prefixes Weaviate would refuse', () => {
    expect(() => collectionName('matchhub', 'job')).toThrow(/must start with A-Z/);
    expect(() => collectionName('Match-Hub', 'job')).toThrow(/only letters and digits/);
  });
});

describe('buildCollectionConfig', () => {
  const config = buildCollectionConfig('XCandidateV1', 'candidate', 'gse_ch');
  it('makes text fields searchable with the chosen tokenization and filters exact', () => {
    const props = Object.fromEntries((config.properties ?? []).map((p) => [p.name, p]));
    expect(props.title).toMatchObject({ dataType: ['text'], tokenization: 'gse_ch', indexSearchable: true });
    expect(buildCollectionConfig('X', 'job', 'jieba').properties?.find((p) => p.name === 'title')?.tokenization).toBe('whitespace');
    expect(props.location).toMatchObject({ dataType: ['text'], tokenization: 'field', indexSearchable: false, indexFilterable: true });
    expect(props.skills).toMatchObject({ dataType: ['text'], indexSearchable: true });
    expect(props.skillTags).toMatchObject({ dataType: ['text[]'], tokenization: 'field', indexSearchable: false });
    expect(props.salaryMin).toMatchObject({ dataType: ['int'], indexRangeFilters: true });
    expect(config.invertedIndexConfig).toMatchObject({ bm25: { k1: 1.2, b: 0.75 } });
  });
  it('declares one self-provided cosine vector per section', () => {
    const vectors = config.vectorConfig as Record<string, { vectorizer: object; vectorIndexConfig: { distance: string } }>;
    expect(Object.keys(vectors)).toEqual(['profile', 'title', 'skills', 'experience', 'summary']);
    for (const v of Object.values(vectors)) {
      expect(v.vectorizer).toEqual({ none: {} });
      expect(v.vectorIndexConfig.distance).toBe('cosine');
    }
  });
  it('scans label vectors exactly (flat) and builds HNSW graphs for the rest', () => {
    const indexOf = (c: 'occupationLabel' | 'occupation') =>
      Object.values(buildCollectionConfig('X', c, 'jieba').vectorConfig as Record<string, { vectorIndexType: string }>).map(
        (v) => v.vectorIndexType,
      );
    expect(indexOf('occupationLabel')).toEqual(['flat']);
    expect(indexOf('occupation')).toEqual(['hnsw', 'hnsw']);
  });
});

describe('buildHybridCall', () => {
  it('maps a single target to targetVector and the vector itself', () => {
    const call = buildHybridCall(
      normalizeSearchRequest({
        collection: 'candidate',
        text: 'pytorch',
        alpha: 0.3,
        fusion: 'ranked',
        vectors: { title: [1, 2] },
        properties: [
          { name: 'title', weight: 3 },
          { name: 'skills', weight: 1 },
        ],
        limit: 5,
        offset: 10,
        filters: { op: 'eq', field: 'location', value: 'Shanghai' },
      }),
      'trigram',
    );
    expect(call.query).toBe('pytorch');
    expect(call.options).toMatchObject({
      alpha: 0.3,
      fusionType: 'Ranked',
      limit: 5,
      offset: 10,
      queryProperties: ['title^3', 'skills'],
      targetVector: 'title',
      includeVector: ['title'],
      filters: { operator: 'Equal', target: { property: 'location' }, value: 'Shanghai' },
    });
    expect(call.options.vector).toEqual([1, 2]);
  });

  it('maps several targets to a manual-weights join with normalised weights', () => {
    const call = buildHybridCall(
      normalizeSearchRequest({
        collection: 'job',
        text: 'x',
        vectors: { title: [1], skills: [1] },
        targetVectors: { title: 1, skills: 3 },
      }),
      'trigram',
    );
    expect(call.options.targetVector).toEqual({
      combination: 'manual-weights',
      targetVectors: ['title', 'skills'],
      weights: { title: 0.25, skills: 0.75 },
    });
    expect(call.options.vector).toEqual({ title: [1], skills: [1] });
  });

  it('asks for no vector at all in keyword-only search', () => {
    const call = buildHybridCall(normalizeSearchRequest({ collection: 'job', text: 'x' }), 'trigram');
    expect(call.options.alpha).toBe(0);
    expect(call.options.vector).toBeUndefined();
    expect(call.options.includeVector).toBe(false);
  });
});

describe('jieba tokenization for Weaviate', () => {
  it('sends the query as the embedded index tokenizes it', () => {
    const call = buildHybridCall(normalizeSearchRequest({ collection: 'candidate', text: '高级算法工程师, PyTorch!' }), 'jieba');
    expect(call.query).toBe('高级 算法 工程 工程师 pytorch');
  });
});

describe('parseExplainScore', () => {
  it('reads matched BM25F terms and the keyword set original score', () => {
    const explain =
      ', BM25F_pytorch_frequency:1, BM25F_pytorch_propLength:6, BM25F_推荐_frequency:2, BM25F_推荐_propLength:4\n' +
      'Hybrid (Result Set keyword,hybridSearch) Document 1111: original score 2.5306, normalized score: 0.7 - ' +
      'Hybrid (Result Set vector,hybridVector) Document 1111: original score 0.93, normalized score: 0.3';
    expect(parseExplainScore(explain)).toEqual({ matchedTerms: ['pytorch', '推荐'], keywordScore: 2.5306 });
  });
  it('tolerates missing explanations', () => {
    expect(parseExplainScore(undefined)).toEqual({ matchedTerms: [] });
  });
});

describe('search schema', () => {
  it('never gives a text field and a filter property the same name (Weaviate has one namespace)', () => {
    for (const c of SEARCH_COLLECTIONS) {
      const names = (buildCollectionConfig('X', c, 'jieba').properties ?? []).map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});
