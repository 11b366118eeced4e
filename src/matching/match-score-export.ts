import type { BasicType } from 'hyparquet-writer' with { 'resolution-mode': 'import' };
import {
  EXPORT_COLUMNS,
  MatchScoreRepository,
  type ExportPosition,
  type MatchScoreExportRow,
} from '../hub/repositories/match-score.repository';
import type { Queryable } from '../hub/repositories/queryable';

// hyparquet-writer ships ES modules only; Node 22 loads them with require (as the compiled CommonJS does).
const parquet = require('hyparquet-writer') as typeof import('hyparquet-writer', { with: { 'resolution-mode': 'import' } });

/** Rows read per statement: memory stays at one batch whatever the export's size. */
const BATCH = 5_000;
/** Rows per Parquet row group (ten batches): what a reader skips or reads at once, and what the writer holds. */
export const ROW_GROUP_ROWS = 50_000;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** The Parquet type of every exported column (the view's SQL types); a column added to the export must say its type here. */
const PARQUET_TYPES: Record<ExportColumn, BasicType> = {
  job_id: 'STRING',
  candidate_id: 'STRING',
  rank: 'INT32',
  score: 'DOUBLE',
  keyword: 'DOUBLE',
  vector: 'DOUBLE',
  vector_profile: 'DOUBLE',
  vector_title: 'DOUBLE',
  vector_skills: 'DOUBLE',
  skills_required: 'DOUBLE',
  skills_preferred: 'DOUBLE',
  seniority_fit: 'DOUBLE',
  location_fit: 'DOUBLE',
  talent_flow: 'INT32',
  warm_path: 'INT32',
  model_version: 'STRING',
  computed_at: 'TIMESTAMP',
  link_prediction: 'DOUBLE',
};

export type MatchScoreExportFormat = 'csv' | 'parquet';
export const EXPORT_FORMATS: readonly MatchScoreExportFormat[] = ['csv', 'parquet'];

/**
 * The rows of bi.match_scores (every open job, or one) in rank order per job, one array per batch. Reads
 * batch by batch by keyset, so memory does not grow with the export and no transaction is held between
 * batches; rank is counted here as the view counts it.
 */
async function* exportBatches(db: Queryable, jobId: string | null): AsyncGenerator<MatchScoreExportRow[]> {
  const repo = new MatchScoreRepository(db);
  let after: ExportPosition | null = null;
  let rank = 0;
  for (;;) {
    const rows = await repo.exportBatch(after, BATCH, jobId);
    if (rows.length === 0) return;
    for (const r of rows) {
      rank = after && r.job_id === after.jobId ? rank + 1 : 1;
      after = { jobId: r.job_id as string, score: r.score as number, candidateId: r.candidate_id as string };
      r.rank = rank;
    }
    yield rows;
    if (rows.length < BATCH) return;
  }
}

function csvField(v: string | number | Date | null): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The stored match scores as CSV (RFC 4180, a header line, the columns of bi.match_scores), one chunk per batch. */
export async function* matchScoresCsv(db: Queryable, options: { jobId?: string | null } = {}): AsyncGenerator<string> {
  yield `${EXPORT_COLUMNS.join(',')}\r\n`;
  for await (const rows of exportBatches(db, options.jobId ?? null)) {
    let chunk = '';
    for (const r of rows) chunk += `${EXPORT_COLUMNS.map((c) => csvField(r[c])).join(',')}\r\n`;
    yield chunk;
  }
}

/**
 * The same rows as one Parquet file (snappy, the view's column names and types, nullable columns where the
 * view has nulls), one chunk per row group of up to 50,000 rows and the footer last. The writer holds one row
 * group; what it has written is handed on and dropped, so memory stays flat whatever the export's size.
 */
export async function* matchScoresParquet(
  db: Queryable,
  options: { jobId?: string | null; rowGroupRows?: number } = {},
): AsyncGenerator<Uint8Array> {
  const groupRows = options.rowGroupRows ?? ROW_GROUP_ROWS;
  const out = new parquet.ByteWriter();
  const schema = parquet.schemaFromColumnData({
    columnData: EXPORT_COLUMNS.map((name) => ({ name, data: [], type: PARQUET_TYPES[name] })),
  });
  const writer = new parquet.ParquetWriter({ writer: out, schema, createdBy: 'matchhub' });
  // Take what the writer has produced; `offset` (the file position the footer records) keeps counting.
  const drain = (): Uint8Array => {
    const bytes = out.getBytes().slice();
    out.index = 0;
    return bytes;
  };
  let group: MatchScoreExportRow[] = [];
  const flush = () => {
    const rows = group.splice(0, groupRows);
    writer.write({ columnData: EXPORT_COLUMNS.map((name) => ({ name, data: rows.map((r) => r[name]) })), rowGroupSize: rows.length });
    return drain();
  };
  for await (const rows of exportBatches(db, options.jobId ?? null)) {
    for (const r of rows) group.push(r);
    while (group.length >= groupRows) yield flush();
  }
  if (group.length > 0) yield flush();
  writer.finish();
  yield drain();
}
