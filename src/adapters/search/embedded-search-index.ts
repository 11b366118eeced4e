import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireDataDirLock, DataDirInUseError, type DataDirLock } from '../../shared/data-dir-lock';
import { decodeVector, EmbeddedIndexLog, encodeVector, type LogEntry, type StoredDocJson } from './embedded-index-log';
import { rankedFusion, relativeScoreFusion, type ScoredId } from './hybrid-fusion';
import { badSearchInput, SearchError } from './search-errors';
import { matchesFilter, normalizeFilter, type SearchFilter } from './search-filter';
import { SEARCH_DEFAULTS, type SearchDocument, type SearchHit, type SearchIndex, type SearchRequest } from './search-index';
import { type FilterField, type FilterValues } from './search-schema';
import { normalizeBatch, normalizeIds, normalizeSearchRequest, type NormalizedSearch } from './search-request';
import { COLLECTION_SCHEMAS, SEARCH_COLLECTIONS, SEARCH_SCHEMA_VERSION, type SearchCollection } from './search-schema';
import { tokenize, type ChineseMode } from './text-tokenizer';
import { topK } from './top-k';

export interface EmbeddedSearchIndexOptions {
  /** Directory for the logs; omit for a purely in-memory index (tests, benchmarks). */
  dataDir?: string;
  /**
   * What keeps a second process out of `dataDir` (its appends would interleave with ours and corrupt
   * the log). `own` (default): the index takes the data-dir lock (shared/data-dir-lock.ts) on
   * `dataDir` while it is open, and a second index there gets UNAVAILABLE. `caller`: the caller holds
   * that lock on a directory containing `dataDir`, as the embedded data hub does on the whole data
   * directory before anything opens it.
   */
  lock?: 'own' | 'caller';
  /** The CLI command opening the index, named to a process that `own` locking refuses. */
  command?: string;
  /** fsync every batch before `upsert`/`delete` return. Default true. */
  durable?: boolean;
  chineseMode?: ChineseMode;
  /** BM25 parameters; Weaviate's defaults. */
  k1?: number;
  b?: number;
}

interface IndexedDoc {
  id: string;
  /** Row of this document in the vector columns and field-length arrays. */
  slot: number;
  text: Record<string, string>;
  props: FilterValues;
  /** field -> distinct terms, to unindex the document on replace or delete. */
  terms: Map<string, string[]>;
}

/** One named vector for every document: unit-length rows in one contiguous Float32Array. */
class VectorColumn {
  data: Float32Array;
  present: Uint8Array;

  constructor(readonly dim: number) {
    this.data = new Float32Array(1024 * dim);
    this.present = new Uint8Array(1024);
  }

  set(slot: number, v: Float32Array): void {
    if (slot >= this.present.length) {
      const capacity = Math.max(slot + 1, this.present.length * 2);
      const data = new Float32Array(capacity * this.dim);
      data.set(this.data);
      const present = new Uint8Array(capacity);
      present.set(this.present);
      this.data = data;
      this.present = present;
    }
    this.data.set(v, slot * this.dim);
    this.present[slot] = 1;
  }

  has(slot: number): boolean {
    return slot < this.present.length && this.present[slot] === 1;
  }

  get(slot: number): Float32Array {
    return this.data.subarray(slot * this.dim, (slot + 1) * this.dim);
  }

  clear(slot: number): void {
    if (slot < this.present.length) this.present[slot] = 0;
  }
}

class CollectionState {
  readonly docs = new Map<string, IndexedDoc>();
  readonly bySlot: Array<IndexedDoc | undefined> = [];
  readonly freeSlots: number[] = [];
  /** field -> term -> slot -> term frequency. */
  readonly postings = new Map<string, Map<string, Map<number, number>>>();
  /** field -> slot -> token count. */
  readonly fieldLengths = new Map<string, number[]>();
  /** field -> total tokens and number of documents with the field. */
  readonly fieldStats = new Map<string, { sum: number; count: number }>();
  readonly vectors = new Map<string, VectorColumn>();
  log?: EmbeddedIndexLog;
}

/**
 * The in-process SearchIndex adapter, the default when no Weaviate is configured.
 *
 * Keyword search is BM25F as Weaviate computes it: per query term, frequencies are summed over the
 * searched fields (each multiplied by its boost), as are the lengths of the fields containing the
 * term; tf = f / (f + k1 * (1 - b + b * len / avgLen)) with avgLen the mean of the searched fields'
 * mean lengths; idf = ln(1 + (N - n + 0.5) / (n + 0.5)) times the term's count in the query; the
 * score is the sum of tf * idf. Vector search is an exact scan of unit vectors in contiguous
 * Float32Arrays, linear in the number of documents: 6.6 ms p50 at 10^4 documents of 384
 * dimensions on the shared 2-core box (`npm run bench:search`), so about ten times that at 10^5;
 * an ANN index would pay off only beyond that, where Weaviate is the answer. Fusion and filters
 * are shared with the Weaviate adapter.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  private readonly collections = new Map<SearchCollection, CollectionState>();
  private readonly k1: number;
  private readonly b: number;
  private readonly mode: ChineseMode;
  private readonly durable: boolean;
  private lock?: DataDirLock;
  private opening?: Promise<void>;
  private opened = false;

  constructor(private readonly options: EmbeddedSearchIndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.mode = options.chineseMode ?? 'search';
    this.durable = options.durable ?? true;
  }

  /**
   * Opens (or creates) the versioned logs and replays them. Idempotent, also when called again before
   * the first call resolved. Throws UNAVAILABLE while another open index owns `dataDir`.
   */
  ensureSchema(): Promise<void> {
    this.opening ??= this.open().catch((err) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async open(): Promise<void> {
    const { dataDir } = this.options;
    if (dataDir && (this.options.lock ?? 'own') === 'own') this.lock = await lockIndexDir(dataDir, this.options.command);
    try {
      const dir = dataDir ? path.join(dataDir, `search-v${SEARCH_SCHEMA_VERSION}`) : undefined;
      if (dir) fs.mkdirSync(dir, { recursive: true });
      for (const name of SEARCH_COLLECTIONS) {
        const state = new CollectionState();
        if (dir) {
          state.log = new EmbeddedIndexLog(path.join(dir, `${name}.log`));
          for (const entry of state.log.open()) this.apply(state, name, entry);
        }
        this.collections.set(name, state);
      }
    } catch (err) {
      await this.close();
      throw err;
    }
    this.opened = true;
  }

  async upsert(collection: SearchCollection, docs: readonly SearchDocument[]): Promise<void> {
    const state = this.state(collection);
    const batch = normalizeBatch(collection, docs);
    const entries: LogEntry[] = batch.map((d) => ({ op: 'upsert', doc: toStored(d) }));
    // Check dimensions for the whole batch before anything is written or indexed.
    const dims = new Map([...state.vectors].map(([n, c]) => [n, c.dim]));
    batch.forEach((d, i) => {
      for (const [name, v] of Object.entries(d.vectors)) {
        const want = dims.get(name) ?? v!.length;
        if (v!.length !== want) {
          throw badSearchInput(
            'BAD_DOCUMENT',
            `docs.${i}.vectors.${name}: expected ${want} dimensions like the indexed documents, got ${v!.length}`,
          );
        }
        dims.set(name, want);
      }
    });
    state.log?.append(entries, this.durable);
    for (const e of entries) this.apply(state, collection, e);
    this.maybeCompact(state);
  }

  async delete(collection: SearchCollection, ids: readonly string[]): Promise<void> {
    const state = this.state(collection);
    const clean = normalizeIds(ids).filter((id) => state.docs.has(id));
    if (clean.length === 0) return;
    const entry: LogEntry = { op: 'delete', ids: clean };
    state.log?.append([entry], this.durable);
    this.apply(state, collection, entry);
    this.maybeCompact(state);
  }

  async deleteWhere(collection: SearchCollection, filter: SearchFilter): Promise<void> {
    const state = this.state(collection);
    const f = normalizeFilter(filter);
    await this.delete(
      collection,
      [...state.docs.values()].filter((d) => matchesFilter(f, d.props)).map((d) => d.id),
    );
  }

  async clear(collection: SearchCollection): Promise<void> {
    const old = this.state(collection);
    const fresh = new CollectionState();
    fresh.log = old.log;
    fresh.log?.compact([]);
    this.collections.set(collection, fresh);
  }

  async count(collection: SearchCollection): Promise<number> {
    return this.state(collection).docs.size;
  }

  async search(request: SearchRequest): Promise<SearchHit[]> {
    const q = normalizeSearchRequest(request);
    const state = this.state(q.collection);
    for (const [name, v] of q.vectors) {
      const dim = state.vectors.get(name)?.dim;
      if (dim !== undefined && dim !== v.length) {
        throw badSearchInput('BAD_QUERY', `vectors.${name}: expected ${dim} dimensions like the indexed documents, got ${v.length}`);
      }
    }
    const allowed = this.allowedSlots(state, q);
    const want = Math.max(SEARCH_DEFAULTS.fusionCandidates, q.offset + q.limit);
    const terms = countTerms(tokenize(q.text, this.mode));

    const sets: ScoredId[][] = [];
    const weights: number[] = [];
    // Only the keyword candidates that entered fusion report a keyword score, as with Weaviate.
    let keyword = new Map<string, number>();
    if (q.alpha < 1 && terms.size > 0) {
      const set = this.bm25(state, q, terms, allowed, want);
      keyword = new Map(set.map((r) => [r.id, r.score]));
      sets.push(set);
      weights.push(1 - q.alpha);
    }
    const targets = [...q.targetWeights].map(([name, w]) => ({
      name,
      w,
      query: unit(q.vectors.get(name)!),
      column: state.vectors.get(name),
    }));
    if (q.alpha > 0) {
      sets.push(this.vectorSearch(state, targets, allowed, want));
      weights.push(q.alpha);
    }
    const fused = q.fusion === 'ranked' ? rankedFusion(sets, weights) : relativeScoreFusion(sets, weights);

    return fused.slice(q.offset, q.offset + q.limit).map(({ id, score }) => {
      const doc = state.docs.get(id)!;
      const matchedVectors = targets
        .filter((t) => t.column?.has(doc.slot))
        .map((t) => ({ name: t.name, similarity: dot(t.column!.get(doc.slot), t.query) }))
        .sort((a, b) => b.similarity - a.similarity);
      const vectorScore =
        targets.length > 0 && matchedVectors.length === targets.length
          ? 1 - matchedVectors.reduce((acc, m) => acc + q.targetWeights.get(m.name)! * (1 - m.similarity), 0)
          : null;
      return {
        id,
        score,
        keywordScore: keyword.get(id) ?? null,
        vectorScore,
        explanation: {
          matchedTerms: [...terms.keys()].filter((t) => q.properties.some((p) => state.postings.get(p.name)?.get(t)?.has(doc.slot))),
          matchedVectors,
        },
        ...(q.returnProperties.length > 0 ? { properties: pick(doc.props, q.returnProperties) } : {}),
      };
    });
  }

  async close(): Promise<void> {
    for (const s of this.collections.values()) s.log?.close();
    this.collections.clear();
    this.lock?.release();
    this.lock = undefined;
    this.opening = undefined;
    this.opened = false;
  }

  /** Per-query filter cache by slot: evaluated at most once per document. */
  private allowedSlots(state: CollectionState, q: NormalizedSearch): (slot: number) => boolean {
    if (!q.filter) return () => true;
    const filter = q.filter;
    const cache = new Int8Array(state.bySlot.length);
    return (slot) => {
      if (cache[slot] === 0) cache[slot] = matchesFilter(filter, state.bySlot[slot]!.props) ? 1 : 2;
      return cache[slot] === 1;
    };
  }

  private bm25(
    state: CollectionState,
    q: NormalizedSearch,
    terms: Map<string, number>,
    allowed: (slot: number) => boolean,
    want: number,
  ): ScoredId[] {
    const N = state.docs.size;
    let avgLen = 0;
    for (const p of q.properties) {
      const st = state.fieldStats.get(p.name);
      avgLen += st && st.count > 0 ? st.sum / st.count : 0;
    }
    avgLen = avgLen / q.properties.length || 1;
    const scores = new Float64Array(state.bySlot.length);
    const touched: number[] = [];
    // Scratch arrays indexed by slot, reset after each term: cheaper than per-term Maps.
    const freq = new Float64Array(state.bySlot.length);
    const length = new Float64Array(state.bySlot.length);
    const seen: number[] = [];
    for (const [term, dup] of terms) {
      for (const p of q.properties) {
        const posting = state.postings.get(p.name)?.get(term);
        if (!posting) continue;
        const lengths = state.fieldLengths.get(p.name)!;
        for (const [slot, tf] of posting) {
          if (freq[slot] === 0) seen.push(slot);
          freq[slot] += tf * p.weight;
          length[slot] += lengths[slot];
        }
      }
      if (seen.length === 0) continue;
      // n counts filtered-out documents too, as Weaviate does, so a filter does not change idf.
      const idf = Math.log(1 + (N - seen.length + 0.5) / (seen.length + 0.5)) * dup;
      for (const slot of seen) {
        const f = freq[slot];
        const len = length[slot];
        freq[slot] = 0;
        length[slot] = 0;
        if (!allowed(slot)) continue;
        const tf = f / (f + this.k1 * (1 - this.b + (this.b * len) / avgLen));
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] += tf * idf;
      }
      seen.length = 0;
    }
    const best = topK(want);
    for (const slot of touched) best.push(state.bySlot[slot]!.id, scores[slot]);
    return best.result();
  }

  /** Exact scan: 1 - weighted cosine distance over the target vectors, as Weaviate's manualWeights join. */
  private vectorSearch(
    state: CollectionState,
    targets: Array<{ w: number; query: Float32Array; column?: VectorColumn }>,
    allowed: (slot: number) => boolean,
    want: number,
  ): ScoredId[] {
    const best = topK(want);
    if (targets.some((t) => !t.column)) return best.result();
    const cols = targets as Array<{ w: number; query: Float32Array; column: VectorColumn }>;
    for (let slot = 0; slot < state.bySlot.length; slot++) {
      const doc = state.bySlot[slot];
      if (!doc || !allowed(slot)) continue;
      let distance = 0;
      let complete = true;
      for (const t of cols) {
        if (!t.column.has(slot)) {
          complete = false;
          break;
        }
        distance += t.w * (1 - dotAt(t.column.data, slot * t.column.dim, t.query));
      }
      if (complete) best.push(doc.id, 1 - distance);
    }
    return best.result();
  }

  private apply(state: CollectionState, collection: SearchCollection, entry: LogEntry): void {
    if (entry.op === 'delete') {
      for (const id of entry.ids) this.remove(state, id);
      return;
    }
    const stored = entry.doc;
    this.remove(state, stored.id);
    const slot = state.freeSlots.pop() ?? state.bySlot.length;
    const doc: IndexedDoc = { id: stored.id, slot, text: stored.text, props: stored.properties as FilterValues, terms: new Map() };
    for (const field of COLLECTION_SCHEMAS[collection].textFields) {
      const value = stored.text[field];
      if (!value) continue;
      const tokens = tokenize(value, this.mode);
      const tf = countTerms(tokens);
      doc.terms.set(field, [...tf.keys()]);
      let lengths = state.fieldLengths.get(field);
      if (!lengths) state.fieldLengths.set(field, (lengths = []));
      lengths[slot] = tokens.length;
      const st = state.fieldStats.get(field) ?? { sum: 0, count: 0 };
      st.sum += tokens.length;
      st.count += 1;
      state.fieldStats.set(field, st);
      let byTerm = state.postings.get(field);
      if (!byTerm) state.postings.set(field, (byTerm = new Map()));
      for (const [term, n] of tf) {
        let posting = byTerm.get(term);
        if (!posting) byTerm.set(term, (posting = new Map()));
        posting.set(slot, n);
      }
    }
    for (const [name, encoded] of Object.entries(stored.vectors)) {
      const v = decodeVector(encoded);
      let column = state.vectors.get(name);
      if (!column) state.vectors.set(name, (column = new VectorColumn(v.length)));
      column.set(slot, v);
    }
    state.bySlot[slot] = doc;
    state.docs.set(doc.id, doc);
  }

  private remove(state: CollectionState, id: string): void {
    const doc = state.docs.get(id);
    if (!doc) return;
    for (const [field, terms] of doc.terms) {
      const byTerm = state.postings.get(field)!;
      for (const term of terms) {
        const posting = byTerm.get(term)!;
        posting.delete(doc.slot);
        if (posting.size === 0) byTerm.delete(term);
      }
      const st = state.fieldStats.get(field)!;
      st.sum -= state.fieldLengths.get(field)![doc.slot];
      st.count -= 1;
      state.fieldLengths.get(field)![doc.slot] = 0;
    }
    for (const column of state.vectors.values()) column.clear(doc.slot);
    state.docs.delete(id);
    state.bySlot[doc.slot] = undefined;
    state.freeSlots.push(doc.slot);
  }

  private maybeCompact(state: CollectionState): void {
    if (!state.log || state.log.entryCount < 2 * state.docs.size + 1000) return;
    state.log.compact(
      (function* () {
        for (const d of state.docs.values()) {
          yield {
            id: d.id,
            text: d.text,
            properties: d.props as Record<string, unknown>,
            vectors: Object.fromEntries(
              [...state.vectors].filter(([, c]) => c.has(d.slot)).map(([n, c]) => [n, encodeVector(c.get(d.slot))]),
            ),
          };
        }
      })(),
    );
  }

  private state(collection: SearchCollection): CollectionState {
    if (!this.opened)
      throw new SearchError('UNAVAILABLE', 'ENGINE_UNAVAILABLE', 'the embedded search index is not open; call ensureSchema() first');
    const s = this.collections.get(collection);
    if (!s) {
      throw badSearchInput(
        'UNKNOWN_COLLECTION',
        `collection: unknown collection ${JSON.stringify(collection)}; use one of ${SEARCH_COLLECTIONS.join(', ')}`,
      );
    }
    return s;
  }
}

/** The data-dir lock on `dir`, or UNAVAILABLE naming the process that holds it. */
async function lockIndexDir(dir: string, command?: string): Promise<DataDirLock> {
  try {
    return await acquireDataDirLock(dir, command);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    const { pid, command: holder } = err.holder;
    throw new SearchError(
      'UNAVAILABLE',
      'ENGINE_UNAVAILABLE',
      `the search index in ${err.dataDir} is in use by ${pid === process.pid ? 'another index in this process' : `process ${pid} (${holder})`}. ` +
        'One process owns an embedded search index; with WEAVIATE_URL several processes share one index.',
      { pid, command: holder },
    );
  }
}

function toStored(d: SearchDocument): StoredDocJson {
  return {
    id: d.id,
    text: d.text as Record<string, string>,
    properties: (d.properties ?? {}) as Record<string, unknown>,
    vectors: Object.fromEntries(Object.entries(d.vectors).map(([n, v]) => [n, encodeVector(unit(Float32Array.from(v!)))])),
  };
}

function pick(props: FilterValues, fields: readonly FilterField[]): FilterValues {
  return Object.fromEntries(fields.filter((f) => props[f] !== undefined).map((f) => [f, props[f]])) as FilterValues;
}

function countTerms(tokens: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Dot product of `q` with the row of `data` starting at `base`; unrolled by four for the JIT. */
function dotAt(data: Float32Array, base: number, q: Float32Array): number {
  const n = q.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += data[base + i] * q[i];
    s1 += data[base + i + 1] * q[i + 1];
    s2 += data[base + i + 2] * q[i + 2];
    s3 += data[base + i + 3] * q[i + 3];
  }
  for (; i < n; i++) s0 += data[base + i] * q[i];
  return s0 + s1 + s2 + s3;
}
