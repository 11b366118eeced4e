import type { FilterValue, WeaviateClass } from 'weaviate-client';
import { badSearchInput } from './search-errors';
import type { NormalizedSearch } from './search-request';
import { COLLECTION_SCHEMAS, FILTER_FIELDS, SEARCH_SCHEMA_VERSION, type FilterField, type SearchCollection } from './search-schema';
import { tokenize } from './text-tokenizer';
import { toWeaviateFilter, weaviateFilterProperty } from './weaviate-filter-builder';

/**
 * Pure builders for the Weaviate adapter: collection names and definitions, hybrid query options,
 * and the parser for `explainScore`. No I/O here, so all of it is unit-tested without a server.
 */

/**
 * How searched text is tokenized in Weaviate:
 * - `jieba`: the text is tokenized here, by the same tokenizer as the embedded index (jieba for
 *   Chinese, word rules for English), and stored space-joined in a `whitespace` property; queries
 *   are tokenized the same way. Both adapters then see identical terms and lengths, so BM25 agrees.
 * - `gse_ch`: Weaviate's gse tokenizer with its Chinese dictionary (ENABLE_TOKENIZER_GSE_CH=true).
 *   It splits Latin words it does not know into single letters ("PyTorch" -> p, y, t, ...).
 * - `gse`: gse with its Japanese dictionary (ENABLE_TOKENIZER_GSE=true).
 * - `trigram`: overlapping 3-character windows; no dictionary, but a two-character Chinese word
 *   such as 算法 yields no trigram and cannot be found on its own.
 * BENCHMARKS.md ("Search") has the measurement behind the default, `jieba`.
 */
export type WeaviateTokenization = 'jieba' | 'gse_ch' | 'gse' | 'trigram';
export const WEAVIATE_TOKENIZATIONS: readonly WeaviateTokenization[] = ['jieba', 'gse_ch', 'gse', 'trigram'];

/** The Weaviate tokenization of the searched text properties for a choice above. */
export function weaviateTokenization(t: WeaviateTokenization): 'whitespace' | 'gse_ch' | 'gse' | 'trigram' {
  return t === 'jieba' ? 'whitespace' : t;
}

/** Text as stored in (and queried against) Weaviate for a tokenization choice. */
export function weaviateText(t: WeaviateTokenization, text: string): string {
  return t === 'jieba' ? tokenize(text).join(' ') : text;
}

type WeaviateProperty = NonNullable<WeaviateClass['properties']>[number];

const PREFIX = /^[A-Z][A-Za-z0-9]{0,40}$/;

export function collectionName(prefix: string, collection: SearchCollection): string {
  if (!PREFIX.test(prefix)) {
    throw badSearchInput(
      'BAD_QUERY',
      `collection prefix ${JSON.stringify(prefix)} must start with A-Z and contain only letters and digits`,
    );
  }
  return `${prefix}${collection[0].toUpperCase()}${collection.slice(1)}V${SEARCH_SCHEMA_VERSION}`;
}

/**
 * The collection definition in Weaviate's REST schema format (for `collections.createFromSchema`):
 * plain data, so it is checked in unit tests without loading the client.
 */
export function buildCollectionConfig(name: string, collection: SearchCollection, tokenization: WeaviateTokenization): WeaviateClass {
  const schema = COLLECTION_SCHEMAS[collection];
  const filterProperty = (field: string, type: string): WeaviateProperty => {
    switch (type) {
      case 'text':
        return { name: field, dataType: ['text'], tokenization: 'field', indexSearchable: false, indexFilterable: true };
      case 'textArray':
        return { name: field, dataType: ['text[]'], tokenization: 'field', indexSearchable: false, indexFilterable: true };
      case 'int':
        return { name: field, dataType: ['int'], indexFilterable: true, indexRangeFilters: true };
      default:
        return { name: field, dataType: ['number'], indexFilterable: true, indexRangeFilters: true };
    }
  };
  return {
    class: name,
    description: `MatchHub ${collection} search projection, schema v${SEARCH_SCHEMA_VERSION}`,
    properties: [
      ...schema.textFields.map(
        (field): WeaviateProperty => ({
          name: field,
          dataType: ['text'],
          tokenization: weaviateTokenization(tokenization),
          indexSearchable: true,
          indexFilterable: false,
        }),
      ),
      ...Object.entries(FILTER_FIELDS).map(([field, type]) => filterProperty(weaviateFilterProperty(field as FilterField), type)),
    ],
    // Weaviate's defaults, stated so the embedded index and this one agree by construction.
    invertedIndexConfig: { bm25: { k1: 1.2, b: 0.75 }, stopwords: { preset: 'none' } },
    vectorConfig: Object.fromEntries(
      schema.vectors.map((v) => [
        v,
        { vectorizer: { none: {} }, vectorIndexType: schema.vectorIndex ?? 'hnsw', vectorIndexConfig: { distance: 'cosine' } },
      ]),
    ),
  };
}

export interface HybridCall {
  query: string;
  options: {
    alpha: number;
    fusionType: 'Ranked' | 'RelativeScore';
    limit: number;
    offset: number;
    queryProperties: string[];
    filters?: FilterValue;
    vector?: number[] | Record<string, number[]>;
    targetVector?: string | { combination: 'manual-weights'; targetVectors: string[]; weights: Record<string, number> };
    includeVector: string[] | false;
    returnMetadata: Array<'score' | 'explainScore'>;
    returnProperties: string[];
  };
}

export function buildHybridCall(q: NormalizedSearch, tokenization: WeaviateTokenization): HybridCall {
  const names = [...q.targetWeights.keys()];
  const options: HybridCall['options'] = {
    alpha: q.alpha,
    fusionType: q.fusion === 'ranked' ? 'Ranked' : 'RelativeScore',
    limit: q.limit,
    offset: q.offset,
    queryProperties: q.properties.map((p) => (p.weight === 1 ? p.name : `${p.name}^${p.weight}`)),
    filters: q.filter ? toWeaviateFilter(q.filter) : undefined,
    includeVector: names.length > 0 ? names : false,
    returnMetadata: ['score', 'explainScore'],
    returnProperties: q.returnProperties.map(weaviateFilterProperty),
  };
  if (names.length === 1) {
    options.vector = Array.from(q.vectors.get(names[0])!);
    options.targetVector = names[0];
  } else if (names.length > 1) {
    options.vector = Object.fromEntries(names.map((n) => [n, Array.from(q.vectors.get(n)!)]));
    options.targetVector = { combination: 'manual-weights', targetVectors: names, weights: Object.fromEntries(q.targetWeights) };
  }
  return { query: weaviateText(tokenization, q.text), options };
}

/**
 * Reads what Weaviate's `explainScore` says about the keyword side of a hit: the BM25F terms it
 * matched (`BM25F_<term>_frequency`) and, with relativeScore fusion, the keyword set's original
 * score (`Result Set keyword ... original score <x>`). Ranked fusion reports only rank
 * contributions, so `keywordScore` is then undefined.
 */
export function parseExplainScore(explain: string | undefined): { matchedTerms: string[]; keywordScore?: number } {
  if (!explain) return { matchedTerms: [] };
  const terms = new Set<string>();
  for (const m of explain.matchAll(/BM25F_([^\s,:]+?)_frequency/g)) terms.add(m[1]);
  const kw = /Result Set keyword[^)]*\) Document [^:]+: original score ([-+0-9.eE]+)/.exec(explain);
  return { matchedTerms: [...terms], keywordScore: kw ? Number(kw[1]) : undefined };
}
