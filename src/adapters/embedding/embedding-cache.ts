import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EmbedOptions, Embedder } from './embedder';

/**
 * A persistent cache of passage vectors, keyed by model + text, so restarts, reindexes and a switch
 * back to an earlier model re-use what was embedded before instead of paying the model again.
 *
 * On disk: `<dir>/<model key>/*.vec`, one append-only segment per process that wrote, each a header
 * and then fixed-size records (16-byte key, then the vector as little-endian float32). A process
 * only appends to its own segment, so several processes (CLI, workers, test files) can share one
 * folder without locks; each reads the segments that exist when it opens the cache. A crash can
 * leave a torn last record, which the fixed record size makes visible and which is skipped.
 *
 * Only `passage` vectors are kept: documents are embedded again and again (reindex, a candidate
 * edited field by field), while users' queries are not worth keeping on disk.
 *
 * Memory: the index holds 16-byte keys and file offsets (~100 bytes a vector), never the vectors,
 * which are read back from the segment on a hit (the page cache keeps hot ones).
 */
export interface EmbeddingCacheStats {
  hits: number;
  misses: number;
  /** Vectors on disk for this model (all segments). */
  entries: number;
  /** False once the size cap stopped new writes. */
  writing: boolean;
}

const MAGIC = Buffer.from('MHVEC1\n\0', 'latin1');
const HEADER = MAGIC.length + 4; // magic, then dimensions as uint32 LE
const KEY_BYTES = 16;

interface Segment {
  fd: number;
  file: string;
}

export class EmbeddingCacheStore {
  private readonly index = new Map<string, number>();
  private readonly segments: Segment[] = [];
  private own?: { fd: number; size: number; segment: number };
  private readonly recordBytes: number;
  private bytesOnDisk = 0;
  private writing = true;
  hits = 0;
  misses = 0;

  /**
   * @param dir the cache folder shared by every model; this store uses its model's subfolder.
   * @param maxBytes writes stop (reads go on) once the model's segments reach this size.
   */
  constructor(
    dir: string,
    readonly modelId: string,
    readonly dimensions: number,
    private readonly maxBytes = 1024 ** 3,
  ) {
    this.recordBytes = KEY_BYTES + 4 * dimensions;
    const folder = path.join(dir, modelFolder(modelId, dimensions));
    fs.mkdirSync(folder, { recursive: true });
    for (const name of fs.readdirSync(folder).sort()) {
      if (name.endsWith('.vec')) this.load(path.join(folder, name));
    }
    this.folder = folder;
  }

  private readonly folder: string;

  get stats(): EmbeddingCacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.index.size, writing: this.writing };
  }

  /** The cached vector of `key`, or undefined. */
  get(key: Buffer): Float32Array | undefined {
    const at = this.index.get(key.toString('base64'));
    if (at === undefined) return undefined;
    const segment = this.segments[Math.floor(at / 2 ** 40)];
    const offset = at % 2 ** 40;
    const bytes = Buffer.allocUnsafe(4 * this.dimensions);
    if (fs.readSync(segment.fd, bytes, 0, bytes.length, offset + KEY_BYTES) !== bytes.length) return undefined;
    const v = new Float32Array(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) v[d] = bytes.readFloatLE(4 * d);
    return v;
  }

  /** Appends vectors to this process's segment; silently stops at the size cap. */
  put(entries: { key: Buffer; vector: Float32Array }[]): void {
    const fresh = entries.filter((e) => !this.index.has(e.key.toString('base64')) && e.vector.length === this.dimensions);
    if (!this.writing || fresh.length === 0) return;
    if (this.bytesOnDisk + fresh.length * this.recordBytes > this.maxBytes) {
      this.writing = false;
      return;
    }
    const own = this.openOwn();
    const buf = Buffer.allocUnsafe(fresh.length * this.recordBytes);
    fresh.forEach((e, i) => {
      const at = i * this.recordBytes;
      e.key.copy(buf, at, 0, KEY_BYTES);
      for (let d = 0; d < this.dimensions; d++) buf.writeFloatLE(e.vector[d], at + KEY_BYTES + 4 * d);
    });
    fs.writeSync(own.fd, buf, 0, buf.length, own.size);
    fresh.forEach((e, i) => this.index.set(e.key.toString('base64'), own.segment * 2 ** 40 + own.size + i * this.recordBytes));
    own.size += buf.length;
    this.bytesOnDisk += buf.length;
  }

  close(): void {
    for (const s of this.segments) fs.closeSync(s.fd);
    this.segments.length = 0;
    this.index.clear();
    this.own = undefined;
  }

  private load(file: string): void {
    const fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const header = Buffer.alloc(HEADER);
    if (size < HEADER || fs.readSync(fd, header, 0, HEADER, 0) !== HEADER || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
      fs.closeSync(fd);
      return;
    }
    if (header.readUInt32LE(MAGIC.length) !== this.dimensions) {
      fs.closeSync(fd);
      return;
    }
    const segment = this.segments.push({ fd, file }) - 1;
    // Whole records only: a torn tail from a crash is ignored.
    const records = Math.floor((size - HEADER) / this.recordBytes);
    const chunk = Buffer.allocUnsafe(this.recordBytes * 4096);
    for (let first = 0; first < records; first += 4096) {
      const count = Math.min(4096, records - first);
      const offset = HEADER + first * this.recordBytes;
      fs.readSync(fd, chunk, 0, count * this.recordBytes, offset);
      for (let i = 0; i < count; i++) {
        const key = chunk.subarray(i * this.recordBytes, i * this.recordBytes + KEY_BYTES).toString('base64');
        this.index.set(key, segment * 2 ** 40 + offset + i * this.recordBytes);
      }
    }
    this.bytesOnDisk += HEADER + records * this.recordBytes;
  }

  private openOwn(): { fd: number; size: number; segment: number } {
    if (this.own) return this.own;
    const file = path.join(this.folder, `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}.vec`);
    const fd = fs.openSync(file, 'wx+');
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header);
    header.writeUInt32LE(this.dimensions, MAGIC.length);
    fs.writeSync(fd, header, 0, HEADER, 0);
    const segment = this.segments.push({ fd, file }) - 1;
    this.own = { fd, size: HEADER, segment };
    this.bytesOnDisk += HEADER;
    return this.own;
  }
}

/** A readable, collision-free folder name per vector space. */
function modelFolder(modelId: string, dimensions: number): string {
  const readable = modelId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  const hash = createHash('sha256').update(`${modelId}\0${dimensions}`).digest('hex').slice(0, 12);
  return `${readable}-${dimensions}-${hash}`;
}

/** The cache key of one text: the text exactly as given (the model applies its own preparation). */
export function cacheKey(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest().subarray(0, KEY_BYTES);
}

/**
 * An Embedder that answers passages from the cache and sends only the misses (each distinct text
 * once) to the model it wraps. Vectors are identical for identical text, whatever the batch-mates,
 * which also makes re-embedding a record deterministic.
 */
export class CachingEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;

  constructor(
    private readonly inner: Embedder,
    readonly store: EmbeddingCacheStore,
  ) {
    this.modelId = inner.modelId;
    this.dimensions = inner.dimensions;
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    if (options?.kind !== 'passage' || !Array.isArray(texts)) return this.inner.embed(texts, options);
    if (texts.some((t) => typeof t !== 'string')) return this.inner.embed(texts, options);
    const out = new Array<Float32Array | undefined>(texts.length);
    const keys = texts.map(cacheKey);
    const missing = new Map<string, number[]>();
    texts.forEach((text, i) => {
      out[i] = this.store.get(keys[i]);
      if (out[i]) this.store.hits += 1;
      else {
        this.store.misses += 1;
        const slots = missing.get(text);
        if (slots) slots.push(i);
        else missing.set(text, [i]);
      }
    });
    if (missing.size > 0) {
      const unique = [...missing.keys()];
      const vectors = await this.inner.embed(unique, options);
      const entries = unique.map((text, j) => {
        const slots = missing.get(text)!;
        for (const i of slots) out[i] = vectors[j];
        return { key: keys[slots[0]], vector: vectors[j] };
      });
      this.store.put(entries);
    }
    return out as Float32Array[];
  }

  async close(): Promise<void> {
    this.store.close();
    await this.inner.close();
  }
}
