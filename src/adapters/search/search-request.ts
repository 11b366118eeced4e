import { badSearchInput } from './search-errors';
import { normalizeFilter, normalizeFilterText, type SearchFilter } from './search-filter';
import { SEARCH_DEFAULTS, type Fusion, type SearchDocument, type SearchRequest } from './search-index';
import { type FilterField, type FilterValues } from './search-schema';
import {
  COLLECTION_SCHEMAS,
  FILTER_FIELDS,
  FILTER_FIELD_NAMES,
  SEARCH_COLLECTIONS,
  isFilterField,
  isSearchCollection,
  type SearchCollection,
} from './search-schema';

/** A validated request with every default applied; both adapters work only from this. */
export interface NormalizedSearch {
  collection: SearchCollection;
  text: string;
  /** Query vector per target name. */
  vectors: Map<string, Float32Array>;
  /** Target weights, summing to 1; empty when no vectors were given. */
  targetWeights: Map<string, number>;
  /** Effective alpha: 0 when no vectors were given. */
  alpha: number;
  fusion: Fusion;
  filter?: SearchFilter;
  limit: number;
  offset: number;
  properties: Array<{ name: string; weight: number }>;
  returnProperties: FilterField[];
}

/**
 * Validates a search request. Throws SearchError BAD_USER_INPUT (reason BAD_QUERY,
 * UNKNOWN_COLLECTION, UNKNOWN_FILTER_FIELD or BAD_FILTER) with a message that says what to change.
 * A text with no searchable characters (only punctuation or emoji) is not an error: it matches no
 * keywords, so the result is empty unless vectors are given.
 */
export function normalizeSearchRequest(req: SearchRequest): NormalizedSearch {
  if (!isSearchCollection(req.collection)) {
    throw badSearchInput(
      'UNKNOWN_COLLECTION',
      `collection: unknown collection ${JSON.stringify(req.collection)}; use one of ${SEARCH_COLLECTIONS.join(', ')}`,
    );
  }
  const schema = COLLECTION_SCHEMAS[req.collection];
  const text = req.text ?? '';
  if (typeof text !== 'string') throw badSearchInput('BAD_QUERY', 'text: expected a string');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > SEARCH_DEFAULTS.maxQueryBytes) {
    throw badSearchInput(
      'BAD_QUERY',
      `text: the query is ${bytes} bytes; the maximum is ${SEARCH_DEFAULTS.maxQueryBytes}. Search with the key requirements, not the whole document`,
    );
  }

  const vectors = new Map<string, Float32Array>();
  for (const [name, v] of Object.entries(req.vectors ?? {})) {
    if (!schema.vectors.includes(name)) {
      throw badSearchInput('BAD_QUERY', `vectors.${name}: unknown vector; ${req.collection} has ${schema.vectors.join(', ')}`);
    }
    vectors.set(name, checkVector(v, `vectors.${name}`));
  }

  const targetWeights = new Map<string, number>();
  if (req.targetVectors) {
    for (const [name, w] of Object.entries(req.targetVectors)) {
      if (!vectors.has(name)) throw badSearchInput('BAD_QUERY', `targetVectors.${name}: no query vector given for "${name}"`);
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
        throw badSearchInput('BAD_QUERY', `targetVectors.${name}: expected a weight >= 0`);
      }
      if (w > 0) targetWeights.set(name, w);
    }
    if (targetWeights.size === 0 && vectors.size > 0) throw badSearchInput('BAD_QUERY', 'targetVectors: at least one weight must be > 0');
  } else {
    for (const name of vectors.keys()) targetWeights.set(name, 1);
  }
  const total = [...targetWeights.values()].reduce((a, b) => a + b, 0);
  for (const [name, w] of targetWeights) targetWeights.set(name, w / total);

  const alphaIn = req.alpha ?? SEARCH_DEFAULTS.alpha;
  if (typeof alphaIn !== 'number' || !Number.isFinite(alphaIn) || alphaIn < 0 || alphaIn > 1) {
    throw badSearchInput('BAD_QUERY', `alpha: expected a number from 0 (keyword only) to 1 (vector only), got ${String(alphaIn)}`);
  }
  if (vectors.size === 0 && alphaIn === 1) {
    throw badSearchInput('BAD_QUERY', 'alpha: 1 means vector-only search, but no query vectors were given');
  }
  if (vectors.size === 0 && text.trim() === '') {
    throw badSearchInput('BAD_QUERY', 'text: the query is empty; give search text or query vectors');
  }
  const alpha = vectors.size === 0 ? 0 : alphaIn;

  const fusion = req.fusion ?? SEARCH_DEFAULTS.fusion;
  if (fusion !== 'relativeScore' && fusion !== 'ranked') {
    throw badSearchInput('BAD_QUERY', `fusion: expected "relativeScore" or "ranked", got ${JSON.stringify(fusion)}`);
  }

  const limit = req.limit ?? SEARCH_DEFAULTS.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_DEFAULTS.maxLimit) {
    throw badSearchInput('BAD_QUERY', `limit: expected a whole number from 1 to ${SEARCH_DEFAULTS.maxLimit}, got ${String(limit)}`);
  }
  const offset = req.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > SEARCH_DEFAULTS.maxOffset) {
    throw badSearchInput('BAD_QUERY', `offset: expected a whole number from 0 to ${SEARCH_DEFAULTS.maxOffset}, got ${String(offset)}`);
  }

  let properties = schema.textFields.map((name) => ({ name, weight: 1 }));
  if (req.properties !== undefined) {
    if (!Array.isArray(req.properties) || req.properties.length === 0) {
      throw badSearchInput('BAD_QUERY', `properties: expected a non-empty list of { name, weight } from ${schema.textFields.join(', ')}`);
    }
    const seen = new Set<string>();
    properties = req.properties.map((p, i) => {
      if (!schema.textFields.includes(p?.name)) {
        throw badSearchInput(
          'BAD_QUERY',
          `properties.${i}.name: unknown text field ${JSON.stringify(p?.name)}; use ${schema.textFields.join(', ')}`,
        );
      }
      if (seen.has(p.name)) throw badSearchInput('BAD_QUERY', `properties.${i}.name: "${p.name}" is listed twice`);
      seen.add(p.name);
      const weight = p.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
        throw badSearchInput('BAD_QUERY', `properties.${i}.weight: expected a whole number from 1 to 100, got ${String(weight)}`);
      }
      return { name: p.name, weight };
    });
  }

  const returnProperties = req.returnProperties ?? [];
  if (!Array.isArray(returnProperties) || returnProperties.some((p) => !isFilterField(p))) {
    throw badSearchInput('BAD_QUERY', `returnProperties: expected filter fields from ${FILTER_FIELD_NAMES.join(', ')}`);
  }

  const filter = req.filters === undefined || req.filters === null ? undefined : normalizeFilter(req.filters);
  return { collection: req.collection, text, vectors, targetWeights, alpha, fusion, filter, limit, offset, properties, returnProperties };
}

function checkVector(v: ArrayLike<number>, path: string): Float32Array {
  if (!v || typeof v.length !== 'number' || v.length === 0)
    throw badSearchInput('BAD_QUERY', `${path}: expected a non-empty array of numbers`);
  const out = Float32Array.from(v);
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw badSearchInput('BAD_QUERY', `${path}.${i}: expected a finite number`);
    norm += out[i] * out[i];
  }
  if (norm === 0) throw badSearchInput('BAD_QUERY', `${path}: the vector is all zeros, so it has no direction to compare`);
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates a document before any of a batch is written (a bad document rejects the whole batch,
 * so no partial writes). Returns a copy with filter values normalised the way filters compare them.
 */
export function normalizeDocument(collection: SearchCollection, doc: SearchDocument, path: string): SearchDocument {
  if (!isSearchCollection(collection)) {
    throw badSearchInput('UNKNOWN_COLLECTION', `collection: unknown collection ${JSON.stringify(collection)}`);
  }
  const schema = COLLECTION_SCHEMAS[collection];
  if (typeof doc?.id !== 'string' || !UUID.test(doc.id)) {
    throw badSearchInput('BAD_DOCUMENT', `${path}.id: expected the record's UUID, got ${JSON.stringify(doc?.id)}`);
  }
  const text: Record<string, string> = {};
  for (const [field, value] of Object.entries(doc.text ?? {})) {
    if (!schema.textFields.includes(field)) {
      throw badSearchInput('BAD_DOCUMENT', `${path}.text.${field}: unknown text field; ${collection} has ${schema.textFields.join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badSearchInput('BAD_DOCUMENT', `${path}.text.${field}: expected a string`);
    text[field] = value;
  }
  const vectors: Record<string, number[]> = {};
  for (const [name, v] of Object.entries(doc.vectors ?? {})) {
    if (!schema.vectors.includes(name)) {
      throw badSearchInput('BAD_DOCUMENT', `${path}.vectors.${name}: unknown vector; ${collection} has ${schema.vectors.join(', ')}`);
    }
    if (v === undefined || v === null) continue;
    vectors[name] = Array.from(checkVector(v, `${path}.vectors.${name}`));
  }
  const properties: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc.properties ?? {})) {
    if (!isFilterField(field)) {
      throw badSearchInput('UNKNOWN_FILTER_FIELD', `${path}.properties.${field}: unknown property; use ${FILTER_FIELD_NAMES.join(', ')}`);
    }
    if (value === undefined || value === null) continue;
    const type = FILTER_FIELDS[field];
    const at = `${path}.properties.${field}`;
    if (type === 'textArray') {
      if (!Array.isArray(value) || value.some((x) => typeof x !== 'string'))
        throw badSearchInput('BAD_DOCUMENT', `${at}: expected an array of strings`);
      properties[field] = [...new Set(value.map((x: string) => normalizeFilterText(field, x)).filter((x) => x !== ''))];
    } else if (type === 'text') {
      if (typeof value !== 'string') throw badSearchInput('BAD_DOCUMENT', `${at}: expected a string`);
      properties[field] = normalizeFilterText(field, value);
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value) || (type === 'int' && !Number.isInteger(value))) {
        throw badSearchInput('BAD_DOCUMENT', `${at}: expected ${type === 'int' ? 'a whole number' : 'a finite number'}`);
      }
      properties[field] = value;
    }
  }
  return { id: doc.id.toLowerCase(), text, vectors, properties: properties as FilterValues };
}

/** Validates a whole batch up front; duplicate ids keep the last version, as replaying upserts would. */
export function normalizeBatch(collection: SearchCollection, docs: readonly SearchDocument[]): SearchDocument[] {
  if (!Array.isArray(docs)) throw badSearchInput('BAD_DOCUMENT', 'docs: expected an array of documents');
  const byId = new Map<string, SearchDocument>();
  docs.forEach((d, i) => {
    const n = normalizeDocument(collection, d, `docs.${i}`);
    byId.delete(n.id);
    byId.set(n.id, n);
  });
  return [...byId.values()];
}

export function normalizeIds(ids: readonly string[]): string[] {
  if (!Array.isArray(ids)) throw badSearchInput('BAD_DOCUMENT', 'ids: expected an array of UUIDs');
  return ids.map((id, i) => {
    if (typeof id !== 'string' || !UUID.test(id))
      throw badSearchInput('BAD_DOCUMENT', `ids.${i}: expected a UUID, got ${JSON.stringify(id)}`);
    return id.toLowerCase();
  });
}
