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
export type LogEntry = { op: 'upsert'; doc: StoredDocJson } | { op: 'delete'; ids: string[] };

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
    const out: LogEntry[] = fs.existsSync(this.file) ? this.replay() : [];
    this.entries = out.length;
    this.fd = fs.openSync(this.file, 'a');
    return out;
  }

  /**
   * Reads the log in chunks, line by line: a log of 10^5 documents with their vectors outgrows the
   * longest string V8 can hold, so it is never read as one. A line that does not parse is a torn
   * final append when nothing follows it (the file is truncated there); anywhere else it is damage.
   */
  private replay(): LogEntry[] {
    const out: LogEntry[] = [];
    const fd = fs.openSync(this.file, 'r');
    const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
    let carry: Buffer = Buffer.alloc(0);
    let validBytes = 0;
    let lineNo = 0;
    let bad: { line: number; at: number } | null = null;
    const take = (line: Buffer) => {
      lineNo += 1;
      if (line.length === 0) return;
      if (bad)
        throw new SearchError('INTERNAL', 'STORE_CORRUPT', `search index log ${this.file} is damaged at line ${bad.line}; run reindex`);
      try {
        out.push(JSON.parse(line.toString('utf8')) as LogEntry);
      } catch {
        bad = { line: lineNo, at: validBytes };
      }
    };
    try {
      for (;;) {
        const n = fs.readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let from = 0;
        for (let nl = buf.indexOf(10, from); nl !== -1; nl = buf.indexOf(10, from)) {
          take(buf.subarray(from, nl));
          if (!bad) validBytes += nl - from + 1;
          from = nl + 1;
        }
        carry = Buffer.from(buf.subarray(from));
      }
    } finally {
      fs.closeSync(fd);
    }
    if (carry.length) take(carry);
    if (bad) fs.truncateSync(this.file, (bad as { at: number }).at);
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
