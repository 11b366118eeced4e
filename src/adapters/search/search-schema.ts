/**
 * What each searchable collection holds: its text fields (searched with BM25), its named section
 * vectors, and the filterable properties every collection shares. Both adapters derive their
 * storage layout from this one table, so a field added here exists in both or in neither.
 *
 * Bump SEARCH_SCHEMA_VERSION whenever a field, vector, vector index kind or tokenization changes: the Weaviate adapter
 * then creates new versioned collections instead of failing on the old ones, and the embedded
 * adapter starts a fresh log; the projector's `reindex` fills them.
 */
export const SEARCH_SCHEMA_VERSION = 3; // 3: occupationLabel's flat vector index

export const SEARCH_COLLECTIONS = ['candidate', 'job', 'occupation', 'occupationLabel'] as const;
export type SearchCollection = (typeof SEARCH_COLLECTIONS)[number];

export interface CollectionSchema {
  /** Text fields searched by BM25, in the order a human reads them. */
  textFields: readonly string[];
  /** Named vectors, one per section the embedder produces. */
  vectors: readonly string[];
  /**
   * Weaviate's index over those vectors (default `hnsw`). `flat` scans every vector (exact, no graph to
   * build): for a collection written in bulk and searched by one vector with a filter, where building the
   * HNSW graph is what bounds the writes (occupationLabel: 213 against 30 labels/s side by side at load
   * 12-14, see BENCHMARKS.md). The embedded index scans exactly either way.
   */
  vectorIndex?: 'hnsw' | 'flat';
}

export const COLLECTION_SCHEMAS: Readonly<Record<SearchCollection, CollectionSchema>> = {
  candidate: {
    textFields: ['title', 'skills', 'experience', 'summary'],
    vectors: ['profile', 'title', 'skills', 'experience', 'summary'],
  },
  job: {
    textFields: ['title', 'skills', 'description'],
    vectors: ['profile', 'title', 'skills', 'description'],
  },
  occupation: {
    textFields: ['title', 'alternateTitles', 'description'],
    vectors: ['profile', 'title'],
  },
  /**
   * One document per label of an occupation (its title, each alternate title, each ESCO label), each
   * with its own vector, so title normalisation ranks an occupation by its best-matching label
   * (properties: occupationId, occupationCodes, source).
   */
  occupationLabel: {
    textFields: ['label'],
    vectors: ['label'],
    vectorIndex: 'flat',
  },
};

export type FilterFieldType = 'text' | 'number' | 'int' | 'textArray';

/**
 * Filterable properties, shared by all collections (a job simply has no `yearsExperience`).
 * Text values match exactly (`externalId` also by prefix); `skills`, `languages`, `companyIds` and
 * `occupationCodes` are arrays.
 * `skills` is compared case-insensitively (values are lower-cased on write and in filters) because
 * "PyTorch" and "pytorch" are the same skill to a consultant.
 */
export const FILTER_FIELDS = {
  location: 'text',
  yearsExperience: 'number',
  seniority: 'text',
  salaryMin: 'int',
  salaryMax: 'int',
  status: 'text',
  skills: 'textArray',
  companyIds: 'textArray',
  occupationCodes: 'textArray',
  languages: 'textArray',
  /** The system a record came from (`onet`, `esco`, an import's source name) and its id there. */
  source: 'text',
  externalId: 'text',
  /** The occupation record a label belongs to (occupationLabel documents). */
  occupationId: 'text',
} as const satisfies Record<string, FilterFieldType>;

export type FilterField = keyof typeof FILTER_FIELDS;
export const FILTER_FIELD_NAMES = Object.keys(FILTER_FIELDS) as FilterField[];

/** Fields whose values are lower-cased before they are stored or compared. */
export const CASE_INSENSITIVE_FIELDS: ReadonlySet<FilterField> = new Set<FilterField>(['skills']);

export function isSearchCollection(value: string): value is SearchCollection {
  return (SEARCH_COLLECTIONS as readonly string[]).includes(value);
}

export function isFilterField(value: string): value is FilterField {
  return Object.prototype.hasOwnProperty.call(FILTER_FIELDS, value);
}

/** A document's filterable properties, one value (or list) per filter field. */
export type FilterValues = Partial<{
  [K in FilterField]: K extends 'skills' | 'companyIds' | 'occupationCodes' | 'languages'
    ? string[]
    : K extends 'yearsExperience' | 'salaryMin' | 'salaryMax'
      ? number
      : string;
}>;
