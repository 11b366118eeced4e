import weaviate, { type Collection, type WeaviateClient } from 'weaviate-client';
import { rankedFusion, relativeScoreFusion } from './hybrid-fusion';
import { SearchError } from './search-errors';
import { SEARCH_DEFAULTS, type SearchDocument, type SearchHit, type SearchIndex, type SearchRequest } from './search-index';
import { normalizeBatch, normalizeIds, normalizeSearchRequest } from './search-request';
import { COLLECTION_SCHEMAS, SEARCH_COLLECTIONS, type FilterField, type FilterValues, type SearchCollection } from './search-schema';
import { normalizeFilter, type SearchFilter } from './search-filter';
import { toWeaviateFilter, weaviateFilterProperty } from './weaviate-filter-builder';
import {
  buildCollectionConfig,
  buildHybridCall,
  collectionName,
  parseExplainScore,
  weaviateText,
  weaviateTokenization,
  type WeaviateTokenization,
} from './weaviate-query-builder';

export interface WeaviateSearchIndexOptions {
  /** REST endpoint, e.g. http://127.0.0.1:58080 (WEAVIATE_URL). */
  url: string;
  /** gRPC port on the same host (WEAVIATE_GRPC_PORT). */
  grpcPort: number;
  apiKey?: string;
  /** Prepended to every collection name so deployments and tests never share collections. Default "MatchHub". */
  collectionPrefix?: string;
  /** How searched text is tokenized; see WeaviateTokenization. Default "jieba" (same terms as the embedded index). */
  tokenization?: WeaviateTokenization;
  /** Request timeout in seconds for queries and inserts. Default 30. */
  timeoutSeconds?: number;
}

/**
 * SearchIndex on Weaviate (weaviate-client v3 over gRPC): one collection per searchable type,
 * self-provided named vectors (cosine, HNSW), `hybrid` with alpha and both fusion types.
 *
 * Each search runs the hybrid query and, in parallel, the plain BM25 query over the same
 * candidate pool Weaviate's hybrid uses (at least 100), so a hit carries its raw BM25 score and
 * the terms `explainScore` reports. Vector scores are recomputed from the returned section
 * vectors, which gives per-section similarities Weaviate does not report. Throws SearchError
 * UNAVAILABLE when Weaviate cannot be reached.
 */
export class WeaviateSearchIndex implements SearchIndex {
  private clientPromise?: Promise<WeaviateClient>;
  private readonly prefix: string;
  private readonly tokenization: WeaviateTokenization;

  constructor(private readonly options: WeaviateSearchIndexOptions) {
    this.prefix = options.collectionPrefix ?? 'MatchHub';
    this.tokenization = options.tokenization ?? 'jieba';
    for (const c of SEARCH_COLLECTIONS) collectionName(this.prefix, c);
  }

  async ensureSchema(): Promise<void> {
    for (const c of SEARCH_COLLECTIONS) await this.ensureCollection(c);
  }

  /** Dropping and re-creating is the one way Weaviate forgets a named vector's dimensions. */
  async clear(collection: SearchCollection): Promise<void> {
    await this.collection(collection); // rejects unknown names
    await this.dropCollection(collection);
    await this.ensureCollection(collection);
  }

  private async ensureCollection(c: SearchCollection): Promise<void> {
    const client = await this.client();
    const name = collectionName(this.prefix, c);
    await this.call(`create collection ${name}`, async () => {
      if (!(await client.collections.exists(name))) {
        try {
          await client.collections.createFromSchema(buildCollectionConfig(name, c, this.tokenization));
        } catch (e) {
          // Another process may have created it between the check and the create.
          if (!(await client.collections.exists(name))) throw e;
        }
      }
      await this.verifySchema(client, name, c);
    });
  }

  private async dropCollection(c: SearchCollection): Promise<void> {
    const client = await this.client();
    const name = collectionName(this.prefix, c);
    await this.call('drop collection', async () => {
      if (await client.collections.exists(name)) await client.collections.delete(name);
    });
  }

  async upsert(collection: SearchCollection, docs: readonly SearchDocument[]): Promise<void> {
    const batch = normalizeBatch(collection, docs);
    if (batch.length === 0) return;
    const col = await this.collection(collection);
    const objects = batch.map((d) => ({
      id: d.id,
      properties: {
        ...Object.fromEntries(Object.entries(d.text).map(([f, v]) => [f, weaviateText(this.tokenization, v ?? '')])),
        ...Object.fromEntries(Object.entries(d.properties ?? {}).map(([f, v]) => [weaviateFilterProperty(f as FilterField), v])),
      } as Record<string, unknown>,
      vectors: d.vectors as Record<string, number[]>,
    }));
    const result = await this.call('upsert', () => col.data.insertMany(objects as never));
    if (result.hasErrors) {
      const first = Object.values(result.errors)[0];
      throw new SearchError(
        'UNAVAILABLE',
        'ENGINE_UNAVAILABLE',
        `Weaviate rejected ${Object.keys(result.errors).length} of ${batch.length} documents: ${first?.message ?? 'unknown error'}`,
      );
    }
  }

  async delete(collection: SearchCollection, ids: readonly string[]): Promise<void> {
    const clean = normalizeIds(ids);
    if (clean.length === 0) return;
    const col = await this.collection(collection);
    await this.call('delete', () => col.data.deleteMany(col.filter.byId().containsAny(clean)));
  }

  async deleteWhere(collection: SearchCollection, filter: SearchFilter): Promise<void> {
    const where = toWeaviateFilter(normalizeFilter(filter));
    const col = await this.collection(collection);
    await this.call('delete', () => col.data.deleteMany(where as never));
  }

  async count(collection: SearchCollection): Promise<number> {
    const col = await this.collection(collection);
    const agg = await this.call('count', () => col.aggregate.overAll());
    return agg.totalCount;
  }

  async search(request: SearchRequest): Promise<SearchHit[]> {
    const q = normalizeSearchRequest(request);
    const col = await this.collection(q.collection);
    const { query, options } = buildHybridCall(q, this.tokenization);
    const pool = Math.max(SEARCH_DEFAULTS.fusionCandidates, q.offset + q.limit);
    // A query of only punctuation or emoji tokenizes to nothing, and Weaviate's BM25 rejects an empty query.
    const wantKeyword = q.alpha < 1 && query.trim() !== '';
    const keywordCall = () =>
      this.call('keyword search', () =>
        col.query.bm25(query, {
          queryProperties: options.queryProperties,
          filters: options.filters,
          limit: pool,
          returnMetadata: ['score', 'explainScore'],
          returnProperties: q.returnProperties.map(weaviateFilterProperty),
        } as never),
      );
    if (q.targetWeights.size === 0) {
      // Weaviate's hybrid insists on a target vector when a collection has several, even at
      // alpha 0, so keyword-only search fuses the BM25 pool here with the same formula.
      if (query.trim() === '') return [];
      const keyword = await keywordCall();
      const set = keyword.objects.map((o) => ({ id: o.uuid, score: o.metadata?.score ?? 0 }));
      const fused = q.fusion === 'ranked' ? rankedFusion([set], [1]) : relativeScoreFusion([set], [1]);
      const byId = new Map(keyword.objects.map((o) => [o.uuid, o]));
      return fused.slice(q.offset, q.offset + q.limit).map(({ id, score }) => ({
        id,
        score,
        keywordScore: byId.get(id)!.metadata?.score ?? 0,
        vectorScore: null,
        explanation: { matchedTerms: parseExplainScore(byId.get(id)!.metadata?.explainScore).matchedTerms, matchedVectors: [] },
        ...returned(q.returnProperties, byId.get(id)!.properties),
      }));
    }
    const [hybrid, keyword] = await Promise.all([
      this.call('hybrid search', () => col.query.hybrid(query, options as never)),
      wantKeyword ? keywordCall() : Promise.resolve(undefined),
    ]);
    const kw = new Map<string, { score: number; terms: string[] }>();
    for (const o of keyword?.objects ?? []) {
      kw.set(o.uuid, { score: o.metadata?.score ?? 0, terms: parseExplainScore(o.metadata?.explainScore).matchedTerms });
    }
    const unitQuery = new Map([...q.vectors].map(([n, v]) => [n, unit(Array.from(v))]));
    return hybrid.objects.map((o) => {
      const vectors = (o.vectors ?? {}) as Record<string, number[]>;
      const matchedVectors = [...q.targetWeights.keys()]
        .filter((n) => Array.isArray(vectors[n]))
        .map((n) => ({ name: n, similarity: dot(unit(vectors[n]), unitQuery.get(n)!) }))
        .sort((a, b) => b.similarity - a.similarity);
      let vectorScore: number | null = null;
      if (q.targetWeights.size > 0 && matchedVectors.length === q.targetWeights.size) {
        vectorScore = 1 - matchedVectors.reduce((acc, m) => acc + q.targetWeights.get(m.name)! * (1 - m.similarity), 0);
      }
      const explained = parseExplainScore(o.metadata?.explainScore);
      const k = kw.get(o.uuid);
      return {
        id: o.uuid,
        score: o.metadata?.score ?? 0,
        keywordScore: k?.score ?? explained.keywordScore ?? null,
        vectorScore,
        explanation: { matchedTerms: k?.terms ?? explained.matchedTerms, matchedVectors },
        ...returned(q.returnProperties, o.properties),
      };
    });
  }

  /** Deletes this adapter's collections (tests, or a rebuild from scratch before `reindex`). */
  async dropCollections(): Promise<void> {
    for (const c of SEARCH_COLLECTIONS) await this.dropCollection(c);
  }

  async close(): Promise<void> {
    const p = this.clientPromise;
    this.clientPromise = undefined;
    if (p) await (await p.catch(() => undefined))?.close();
  }

  private async collection(c: SearchCollection): Promise<Collection> {
    if (!(SEARCH_COLLECTIONS as readonly string[]).includes(c)) {
      throw new SearchError(
        'BAD_USER_INPUT',
        'UNKNOWN_COLLECTION',
        `collection: unknown collection ${JSON.stringify(c)}; use one of ${SEARCH_COLLECTIONS.join(', ')}`,
      );
    }
    return (await this.client()).collections.use(collectionName(this.prefix, c));
  }

  private client(): Promise<WeaviateClient> {
    if (!this.clientPromise) {
      const url = new URL(this.options.url);
      const secure = url.protocol === 'https:';
      const timeout = this.options.timeoutSeconds ?? 30;
      this.clientPromise = weaviate
        .connectToCustom({
          httpHost: url.hostname,
          httpPort: Number(url.port || (secure ? 443 : 80)),
          httpSecure: secure,
          grpcHost: url.hostname,
          grpcPort: this.options.grpcPort,
          grpcSecure: secure,
          authCredentials: this.options.apiKey ? new weaviate.ApiKey(this.options.apiKey) : undefined,
          timeout: { init: 5, query: timeout, insert: timeout },
        })
        .catch((e: unknown) => {
          this.clientPromise = undefined;
          throw unavailable(this.options.url, e);
        });
    }
    return this.clientPromise;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof SearchError) throw e;
      if (isConnectionError(e)) this.dropClient();
      throw unavailable(this.options.url, e, what);
    }
  }

  /**
   * Forgets a client whose connection failed. A gRPC channel that saw its server go away backs off its
   * reconnects for up to two minutes, so after an outage a fresh client answers long before the old one would.
   */
  private dropClient(): void {
    const p = this.clientPromise;
    this.clientPromise = undefined;
    p?.then((c) => c.close()).catch(() => undefined);
  }

  private async verifySchema(client: WeaviateClient, name: string, c: SearchCollection): Promise<void> {
    const config = await client.collections.use(name).config.get();
    const props = new Map(config.properties.map((p) => [p.name, p]));
    const problems: string[] = [];
    for (const f of COLLECTION_SCHEMAS[c].textFields) {
      const p = props.get(f);
      if (!p) problems.push(`missing text property ${f}`);
      else if (p.tokenization !== weaviateTokenization(this.tokenization)) {
        problems.push(`${f} is tokenized with ${p.tokenization}, expected ${weaviateTokenization(this.tokenization)}`);
      }
    }
    const vectorizers = config.vectorizers ?? {};
    const indexType = COLLECTION_SCHEMAS[c].vectorIndex ?? 'hnsw';
    for (const v of COLLECTION_SCHEMAS[c].vectors) {
      const found = vectorizers[v];
      if (!found) problems.push(`missing named vector ${v}`);
      else if (found.indexType !== indexType) problems.push(`named vector ${v} has a ${found.indexType} index, expected ${indexType}`);
    }
    if (problems.length > 0) {
      throw new SearchError(
        'INTERNAL',
        'SCHEMA_MISMATCH',
        `Weaviate collection ${name} does not match search schema: ${problems.join('; ')}. Bump SEARCH_SCHEMA_VERSION (a new collection is created and reindex fills it) or drop the collection`,
      );
    }
  }
}

/** The requested filter properties of a returned object, under their port names. */
function returned(fields: readonly FilterField[], props: unknown): { properties?: FilterValues } {
  if (fields.length === 0) return {};
  const p = (props ?? {}) as Record<string, unknown>;
  return {
    properties: Object.fromEntries(
      fields.filter((f) => p[weaviateFilterProperty(f)] != null).map((f) => [f, p[weaviateFilterProperty(f)]]),
    ) as FilterValues,
  };
}

/** gRPC UNAVAILABLE (code 14) or a refused/failed HTTP connection. */
function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (err?.code === 14) return true;
  const text = `${String(err?.message ?? e)} ${String(err?.cause?.code ?? '')}`;
  return /UNAVAILABLE|ECONNREFUSED|ECONNRESET|fetch failed|socket hang up/i.test(text);
}

function unavailable(url: string, e: unknown, what?: string): SearchError {
  const message = e instanceof Error ? e.message : String(e);
  return new SearchError('UNAVAILABLE', 'ENGINE_UNAVAILABLE', `Weaviate at ${url} failed${what ? ` during ${what}` : ''}: ${message}`);
}

function unit(v: number[]): Float64Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return Float64Array.from(v, (x) => x / n);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
