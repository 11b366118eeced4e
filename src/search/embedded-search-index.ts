import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeVector, EmbeddedIndexLog, encodeVector, type LogEntry, type StoredDocJson } from './embedded-index-log';
import { rankedFusion, relativeScoreFusion, type ScoredId } from './hybrid-fusion';
import { badSearchInput, SearchError } from './search-errors';
import { matchesFilter } from './search-filter';
import { SEARCH_DEFAULTS, type FilterValues, type SearchDocument, type SearchHit, type SearchIndex, type SearchRequest } from './search-index';
import { normalizeBatch, normalizeIds, normalizeSearchRequest, type NormalizedSearch } from './search-request';
import { COLLECTION_SCHEMAS, SEARCH_COLLECTIONS, SEARCH_SCHEMA_VERSION, type SearchCollection } from './search-schema';
import { tokenize, type ChineseMode } from './text-tokenizer';
import { topK } from './top-k';

export interface EmbeddedSearchIndexOptions {
  /** Directory for the logs; omit for a purely in-memory index (tests, benchmarks). */
  dataDir?: string;
  /** fsync every batch before `upsert`/`delete` return. Default true. */
  durable?: boolean;
  chineseMode?: ChineseMode;
  /** BM25 parameters; Weaviate's defaults. */
  k1?: number;
  b?: number;
}

interface IndexedDoc {
  id: string;
  text: Record<string, string>;
  props: FilterValues;
  /** Unit-length section vectors, so cosine similarity is a dot product. */
  vectors: Map<string, Float32Array>;
  termFreqs: Map<string, Map<string, number>>;
  lengths: Map<string, number>;
}

class CollectionState {
  readonly docs = new Map<string, IndexedDoc>();
  /** field -> term -> ids of documents whose field contains the term. */
  readonly postings = new Map<string, Map<string, Set<string>>>();
  /** field -> total tokens and number of documents with the field. */
  readonly fieldStats = new Map<string, { sum: number; count: number }>();
  readonly dims = new Map<string, number>();
  log?: EmbeddedIndexLog;
}

/**
 * The in-process SearchIndex adapter, the default when no Weaviate is configured.
 *
 * Keyword search is BM25F as Weaviate computes it: per query term, frequencies are summed over the
 * searched fields (each multiplied by its boost), as are the lengths of the fields containing the
 * term; tf = f / (f + k1 * (1 - b + b * len / avgLen)) with avgLen the mean of the searched fields'
 * mean lengths; idf = ln(1 + (N - n + 0.5) / (n + 0.5)) times the term's count in the query; the
 * score is the sum of tf * idf. Vector search is exact (a scan of unit vectors: about 10 ms per
 * 10^5 documents of 384 dimensions on one core, see `npm run bench:search`; an ANN index would pay
 * off only well past that). Fusion and filters are shared with the Weaviate adapter.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  private readonly collections = new Map<SearchCollection, CollectionState>();
  private readonly k1: number;
  private readonly b: number;
  private readonly mode: ChineseMode;
  private readonly durable: boolean;
  private lockFile?: string;
  private opened = false;

  constructor(private readonly options: EmbeddedSearchIndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.mode = options.chineseMode ?? 'search';
    this.durable = options.durable ?? true;
  }

  /** Opens (or creates) the versioned logs and replays them. Idempotent. */
  async ensureSchema(): Promise<void> {
    if (this.opened) return;
    const dir = this.options.dataDir ? path.join(this.options.dataDir, `search-v${SEARCH_SCHEMA_VERSION}`) : undefined;
    if (dir) {
      fs.mkdirSync(dir, { recursive: true });
      this.acquireLock(dir);
    }
    for (const name of SEARCH_COLLECTIONS) {
      const state = new CollectionState();
      if (dir) {
        state.log = new EmbeddedIndexLog(path.join(dir, `${name}.log`));
        for (const entry of state.log.open()) this.apply(state, name, entry);
      }
      this.collections.set(name, state);
    }
    this.opened = true;
  }

  async upsert(collection: SearchCollection, docs: readonly SearchDocument[]): Promise<void> {
    const state = this.state(collection);
    const batch = normalizeBatch(collection, docs);
    const entries: LogEntry[] = batch.map((d) => ({ op: 'upsert', doc: toStored(d) }));
    // Check dimensions for the whole batch before anything is written or indexed.
    const dims = new Map(state.dims);
    batch.forEach((d, i) => {
      for (const [name, v] of Object.entries(d.vectors)) {
        const want = dims.get(name) ?? v!.length;
        if (v!.length !== want) {
          throw badSearchInput('BAD_DOCUMENT', `docs.${i}.vectors.${name}: expected ${want} dimensions like the indexed documents, got ${v!.length}`);
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

  async count(collection: SearchCollection): Promise<number> {
    return this.state(collection).docs.size;
  }

  async search(request: SearchRequest): Promise<SearchHit[]> {
    const q = normalizeSearchRequest(request);
    const state = this.state(q.collection);
    for (const [name, v] of q.vectors) {
      const dim = state.dims.get(name);
      if (dim !== undefined && dim !== v.length) {
        throw badSearchInput('BAD_QUERY', `vectors.${name}: expected ${dim} dimensions like the indexed documents, got ${v.length}`);
      }
    }
    const allowed = q.filter ? (d: IndexedDoc) => matchesFilter(q.filter!, d.props) : () => true;
    const want = Math.max(SEARCH_DEFAULTS.fusionCandidates, q.offset + q.limit);
    const terms = countTerms(tokenize(q.text, this.mode));

    const sets: ScoredId[][] = [];
    const weights: number[] = [];
    // Only the keyword candidates that entered fusion report a keyword score, as with Weaviate.
    let keyword = new Map<string, number>();
    if (q.alpha < 1 && terms.size > 0) {
      const best = topK(want);
      for (const [id, s] of this.bm25(state, q, terms, allowed)) best.push(id, s);
      const set = best.result();
      keyword = new Map(set.map((r) => [r.id, r.score]));
      sets.push(set);
      weights.push(1 - q.alpha);
    }
    const unitQuery = new Map([...q.vectors].map(([name, v]) => [name, unit(v)]));
    if (q.alpha > 0) {
      const best = topK(want);
      for (const doc of state.docs.values()) {
        if (!allowed(doc)) continue;
        const s = vectorScore(doc, unitQuery, q.targetWeights);
        if (s !== null) best.push(doc.id, s);
      }
      sets.push(best.result());
      weights.push(q.alpha);
    }
    const fused = q.fusion === 'ranked' ? rankedFusion(sets, weights) : relativeScoreFusion(sets, weights);

    return fused.slice(q.offset, q.offset + q.limit).map(({ id, score }) => {
      const doc = state.docs.get(id)!;
      const matchedVectors = [...q.targetWeights.keys()]
        .filter((name) => doc.vectors.has(name))
        .map((name) => ({ name, similarity: dot(doc.vectors.get(name)!, unitQuery.get(name)!) }))
        .sort((a, b) => b.similarity - a.similarity);
      return {
        id,
        score,
        keywordScore: keyword.get(id) ?? null,
        vectorScore: q.vectors.size > 0 ? vectorScore(doc, unitQuery, q.targetWeights) : null,
        explanation: {
          matchedTerms: [...terms.keys()].filter((t) => q.properties.some((p) => (doc.termFreqs.get(p.name)?.get(t) ?? 0) > 0)),
          matchedVectors,
        },
      };
    });
  }

  async close(): Promise<void> {
    for (const s of this.collections.values()) s.log?.close();
    this.collections.clear();
    if (this.lockFile) fs.rmSync(this.lockFile, { force: true });
    this.lockFile = undefined;
    this.opened = false;
  }

  private bm25(state: CollectionState, q: NormalizedSearch, terms: Map<string, number>, allowed: (d: IndexedDoc) => boolean) {
    const N = state.docs.size;
    let avgLen = 0;
    for (const p of q.properties) {
      const st = state.fieldStats.get(p.name);
      avgLen += st && st.count > 0 ? st.sum / st.count : 0;
    }
    avgLen = avgLen / q.properties.length || 1;
    const scores = new Map<string, number>();
    for (const [term, dup] of terms) {
      const containing = new Set<string>();
      for (const p of q.properties) for (const id of state.postings.get(p.name)?.get(term) ?? []) containing.add(id);
      if (containing.size === 0) continue;
      // n counts filtered-out documents too, as Weaviate does, so a filter does not change idf.
      const idf = Math.log(1 + (N - containing.size + 0.5) / (containing.size + 0.5)) * dup;
      for (const id of containing) {
        const doc = state.docs.get(id)!;
        if (!allowed(doc)) continue;
        let f = 0;
        let len = 0;
        for (const p of q.properties) {
          const tf = doc.termFreqs.get(p.name)?.get(term);
          if (tf) {
            f += tf * p.weight;
            len += doc.lengths.get(p.name) ?? 0;
          }
        }
        const tf = f / (f + this.k1 * (1 - this.b + (this.b * len) / avgLen));
        scores.set(id, (scores.get(id) ?? 0) + tf * idf);
      }
    }
    return scores;
  }

  private apply(state: CollectionState, collection: SearchCollection, entry: LogEntry): void {
    if (entry.op === 'delete') {
      for (const id of entry.ids) this.remove(state, id);
      return;
    }
    const stored = entry.doc;
    this.remove(state, stored.id);
    const doc: IndexedDoc = {
      id: stored.id,
      text: stored.text,
      props: stored.properties as FilterValues,
      vectors: new Map(Object.entries(stored.vectors).map(([n, v]) => [n, decodeVector(v)])),
      termFreqs: new Map(),
      lengths: new Map(),
    };
    for (const field of COLLECTION_SCHEMAS[collection].textFields) {
      const value = stored.text[field];
      if (!value) continue;
      const tokens = tokenize(value, this.mode);
      const tf = countTerms(tokens);
      doc.termFreqs.set(field, tf);
      doc.lengths.set(field, tokens.length);
      const st = state.fieldStats.get(field) ?? { sum: 0, count: 0 };
      st.sum += tokens.length;
      st.count += 1;
      state.fieldStats.set(field, st);
      let byTerm = state.postings.get(field);
      if (!byTerm) state.postings.set(field, (byTerm = new Map()));
      for (const term of tf.keys()) {
        let ids = byTerm.get(term);
        if (!ids) byTerm.set(term, (ids = new Set()));
        ids.add(doc.id);
      }
    }
    for (const [name, v] of doc.vectors) if (!state.dims.has(name)) state.dims.set(name, v.length);
    state.docs.set(doc.id, doc);
  }

  private remove(state: CollectionState, id: string): void {
    const doc = state.docs.get(id);
    if (!doc) return;
    for (const [field, tf] of doc.termFreqs) {
      const byTerm = state.postings.get(field)!;
      for (const term of tf.keys()) {
        const ids = byTerm.get(term)!;
        ids.delete(id);
        if (ids.size === 0) byTerm.delete(term);
      }
      const st = state.fieldStats.get(field)!;
      st.sum -= doc.lengths.get(field) ?? 0;
      st.count -= 1;
    }
    state.docs.delete(id);
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
            vectors: Object.fromEntries([...d.vectors].map(([n, v]) => [n, encodeVector(v)])),
          };
        }
      })(),
    );
  }

  private state(collection: SearchCollection): CollectionState {
    if (!this.opened) throw new SearchError('UNAVAILABLE', 'ENGINE_UNAVAILABLE', 'the embedded search index is not open; call ensureSchema() first');
    const s = this.collections.get(collection);
    if (!s) {
      throw badSearchInput('UNKNOWN_COLLECTION', `collection: unknown collection ${JSON.stringify(collection)}; use one of ${SEARCH_COLLECTIONS.join(', ')}`);
    }
    return s;
  }

  /** One process owns a data directory; a second one would interleave appends and corrupt the log. */
  private acquireLock(dir: string): void {
    const file = path.join(dir, 'LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        this.lockFile = file;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const pid = Number(fs.readFileSync(file, 'utf8'));
        if (pid && pid !== process.pid && isAlive(pid)) {
          throw new SearchError('UNAVAILABLE', 'ENGINE_UNAVAILABLE', `search data directory ${dir} is in use by process ${pid}`);
        }
        fs.rmSync(file, { force: true });
      }
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
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

/**
 * 1 - sum of weighted cosine distances (Weaviate's `manualWeights` join with cosine distance).
 * A document missing one of the target vectors is left out of the vector results (null).
 */
function vectorScore(doc: IndexedDoc, query: Map<string, Float32Array>, weights: Map<string, number>): number | null {
  let distance = 0;
  for (const [name, w] of weights) {
    const v = doc.vectors.get(name);
    if (!v) return null;
    distance += w * (1 - dot(v, query.get(name)!));
  }
  return 1 - distance;
}
