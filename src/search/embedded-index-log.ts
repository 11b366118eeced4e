import * as fs from 'node:fs';
import * as path from 'node:path';
import { SearchError } from './search-errors';

/**
 * Durable storage for the embedded index: one append-only JSON Lines log per collection, compacted
 * into a fresh log (written to a temp file, fsynced, then renamed over the old one) when dead
 * entries outnumber live ones.
 *
 * Why a log and not a periodic snapshot: the outbox projector marks an event done once `upsert`
 * returns, so an acknowledged write must already be on disk; a snapshot taken every N seconds
 * would lose acknowledged writes on a crash and leave the index silently behind Postgres. Appending
 * one line per document and fsyncing once per batch costs little. A torn last line (crash
 * mid-append) is dropped on open: its batch was never acknowledged, so the projector retries it.
 */
export type LogEntry =
  | { op: 'upsert'; doc: StoredDocJson }
  | { op: 'delete'; ids: string[] };

export interface StoredDocJson {
  id: string;
  text: Record<string, string>;
  /** Float32 little-endian bytes, base64: a third of the size of JSON number arrays. */
  vectors: Record<string, string>;
  properties: Record<string, unknown>;
}

export class EmbeddedIndexLog {
  private fd: number | undefined;
  private entries = 0;

  constructor(private readonly file: string) {}

  /** Reads every entry, dropping a torn final line. Throws SearchError STORE_CORRUPT on damage elsewhere. */
  open(): LogEntry[] {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const out: LogEntry[] = [];
    if (fs.existsSync(this.file)) {
      const text = fs.readFileSync(this.file, 'utf8');
      const lines = text.split('\n');
      let validBytes = 0;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const isLast = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
        if (line === '') {
          validBytes += 1;
          continue;
        }
        try {
          out.push(JSON.parse(line) as LogEntry);
          validBytes += Buffer.byteLength(line) + 1;
        } catch {
          if (!isLast) {
            throw new SearchError('INTERNAL', 'STORE_CORRUPT', `search index log ${this.file} is damaged at line ${i + 1}; run reindex`);
          }
          fs.truncateSync(this.file, Math.min(validBytes, Buffer.byteLength(text)));
          break;
        }
      }
    }
    this.entries = out.length;
    this.fd = fs.openSync(this.file, 'a');
    return out;
  }

  get entryCount(): number {
    return this.entries;
  }

  /** Appends entries and, when `durable`, fsyncs before returning. */
  append(entries: readonly LogEntry[], durable: boolean): void {
    if (this.fd === undefined) throw new Error('EmbeddedIndexLog.append before open');
    if (entries.length === 0) return;
    const data = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    fs.writeSync(this.fd, data);
    if (durable) fs.fdatasyncSync(this.fd);
    this.entries += entries.length;
  }

  /** Replaces the log with `live` (one upsert per live document), atomically. */
  compact(live: Iterable<StoredDocJson>): void {
    const tmp = `${this.file}.compact`;
    const fd = fs.openSync(tmp, 'w');
    let n = 0;
    try {
      let buffer: string[] = [];
      for (const doc of live) {
        buffer.push(JSON.stringify({ op: 'upsert', doc } satisfies LogEntry));
        n += 1;
        if (buffer.length >= 1000) {
          fs.writeSync(fd, buffer.join('\n') + '\n');
          buffer = [];
        }
      }
      if (buffer.length > 0) fs.writeSync(fd, buffer.join('\n') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (this.fd !== undefined) fs.closeSync(this.fd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.entries = n;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

export function encodeVector(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

export function decodeVector(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Float32Array(copy.buffer);
}
