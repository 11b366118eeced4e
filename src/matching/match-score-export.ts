import { EXPORT_COLUMNS, MatchScoreRepository, type ExportPosition } from '../hub/repositories/match-score.repository';
import type { Queryable } from '../hub/repositories/queryable';

/** Rows read per statement: memory stays at one batch whatever the export's size. */
const BATCH = 5_000;

function csvField(v: string | number | Date | null): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The stored match scores as CSV (RFC 4180, a header line, the columns and rows of bi.match_scores in rank
 * order per job), one chunk per batch of rows. Reads batch by batch by keyset, so memory does not grow
 * with the export and no transaction is held between batches; rank is counted here as the view counts it.
 */
export async function* matchScoresCsv(db: Queryable, options: { jobId?: string | null } = {}): AsyncGenerator<string> {
  const repo = new MatchScoreRepository(db);
  yield `${EXPORT_COLUMNS.join(',')}\r\n`;
  let after: ExportPosition | null = null;
  let rank = 0;
  for (;;) {
    const rows = await repo.exportBatch(after, BATCH, options.jobId ?? null);
    if (rows.length === 0) return;
    let chunk = '';
    for (const r of rows) {
      rank = after && r.job_id === after.jobId ? rank + 1 : 1;
      after = { jobId: r.job_id as string, score: r.score as number, candidateId: r.candidate_id as string };
      chunk += `${EXPORT_COLUMNS.map((c) => csvField(c === 'rank' ? rank : r[c])).join(',')}\r\n`;
    }
    yield chunk;
    if (rows.length < BATCH) return;
  }
}
