import type { SearchFilter } from './search-filter';
import type { FilterField, FilterValues, SearchCollection } from './search-schema';

/**
 * The search port: one hybrid (BM25 + vector) index per searchable type, kept as a projection of
 * the data hub. Adapters: `EmbeddedSearchIndex` (in-process, the default) and `WeaviateSearchIndex`.
 * Both follow Weaviate's definitions of BM25F and of the two fusion formulas, so a ranking does not
 * change when a deployment moves from one to the other.
 */
export interface SearchIndex {
  /** Creates the versioned collections if they are missing; safe to call any number of times. */
  ensureSchema(): Promise<void>;
  /** Inserts or replaces documents by id; replaying the same batch leaves the index unchanged. */
  upsert(collection: SearchCollection, docs: readonly SearchDocument[]): Promise<void>;
  /** Removes documents by id; ids that are not indexed are ignored. */
  delete(collection: SearchCollection, ids: readonly string[]): Promise<void>;
  /** Removes every document the filter matches (e.g. the labels of some occupations); throws BAD_USER_INPUT on a bad filter. */
  deleteWhere(collection: SearchCollection, filter: SearchFilter): Promise<void>;
  /**
   * Empties a collection, forgetting its vector dimensions too, so that a rebuild may bring vectors
   * from a different embedding model.
   */
  clear(collection: SearchCollection): Promise<void>;
  /** Throws SearchError (BAD_USER_INPUT) on invalid requests; see `normalizeSearchRequest`. */
  search(request: SearchRequest): Promise<SearchHit[]>;
  count(collection: SearchCollection): Promise<number>;
  close(): Promise<void>;
}

export interface SearchDocument {
  /** The record's UUID in the data hub. */
  id: string;
  /** Text per field of the collection's schema (see COLLECTION_SCHEMAS); missing fields are empty. */
  text: Record<string, string | undefined>;
  /** Named section vectors; names must belong to the collection's schema. */
  vectors: Record<string, ArrayLike<number> | undefined>;
  properties?: FilterValues;
}

export type Fusion = 'relativeScore' | 'ranked';

export interface PropertyWeight {
  name: string;
  /** Integer boost (Weaviate accepts whole numbers only, `title^2`). */
  weight: number;
}

export interface SearchRequest {
  collection: SearchCollection;
  /** Keyword query. May be empty when `vectors` are given (vector-only search). */
  text?: string;
  /** Query vectors by target name, e.g. `{ profile: q, title: q }`. */
  vectors?: Record<string, ArrayLike<number>>;
  /**
   * Weight per target vector; defaults to equal weights over `vectors`. Weights are normalised to
   * sum 1, and the combined distance is the weighted sum of cosine distances (Weaviate's
   * `manualWeights` join).
   */
  targetVectors?: Record<string, number>;
  /** 0 = keyword only, 1 = vector only. Default 0.75 (Weaviate's default). Ignored (keyword only) when no vectors are given. */
  alpha?: number;
  fusion?: Fusion;
  filters?: SearchFilter;
  /** Default 10, at most 1000. */
  limit?: number;
  offset?: number;
  /** BM25 properties and boosts; default every text field with weight 1. */
  properties?: PropertyWeight[];
  /** Filter properties to return with each hit (`SearchHit.properties`); default none. */
  returnProperties?: FilterField[];
}

export interface VectorMatch {
  name: string;
  /** Cosine similarity of the document's section vector to the query vector for that target. */
  similarity: number;
}

export interface SearchHit {
  id: string;
  /** Fused score: relativeScore in [0, 1], ranked a sum of alpha-weighted 1/(rank + 60). */
  score: number;
  /** Raw BM25F score, null when the document was not in the keyword result set. */
  keywordScore: number | null;
  /** 1 - weighted cosine distance, null when no vectors were queried. */
  vectorScore: number | null;
  explanation: {
    /** Query terms (after tokenization) that occur in the document's searched fields. */
    matchedTerms: string[];
    /** Target vectors, most similar first. */
    matchedVectors: VectorMatch[];
  };
  /** The requested `returnProperties` the document has. */
  properties?: FilterValues;
}

export const SEARCH_DEFAULTS = {
  // Weaviate's documented default for hybrid search; the embedded index uses the same.
  alpha: 0.75,
  fusion: 'relativeScore' as Fusion,
  limit: 10,
  maxLimit: 1000,
  maxOffset: 10_000,
  /** A pasted job description is a few KB; anything past this is almost surely a mistake. */
  maxQueryBytes: 32 * 1024,
  /**
   * Each sub-search (keyword, vector) retrieves at least this many candidates before fusion, as
   * Weaviate's hybrid search does (its `DefaultLimit`), so fusion sees the same candidates.
   */
  fusionCandidates: 100,
};
