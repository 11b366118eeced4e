import { aggregateTable, type AggregateType } from './aggregate-tables.repository';
import type { Queryable } from './queryable';

export type OutboxKind = 'UPSERT' | 'DELETE';

/** A position in the outbox in commit order: the writing transaction's id, then the event's `seq` (bigints as strings). */
export interface OutboxPosition {
  txid: string;
  seq: string;
}

export interface OutboxEventRow {
  seq: string;
  txid: string;
  aggregate_type: string;
  aggregate_id: string;
  kind: OutboxKind;
}

/**
 * The statements for `outbox_event` and `outbox_pruned` (how far it was pruned): every write appends
 * its events here in its own transaction (so a record and its event commit together), and the
 * projector reads them in commit order.
 *
 * Commit order: an event's `seq` is taken at insert but the event becomes visible at commit, so the
 * reads take events in (txid, seq) order and only from transactions below the oldest one still
 * running (`pg_snapshot_xmin`): every such transaction has ended, and every later one gets a higher
 * txid, so nothing can appear behind a position once read.
 */
export class OutboxRepository {
  constructor(private readonly db: Queryable) {}

  /** One event per id, in the caller's transaction; nothing for an empty list. */
  async append(type: string, ids: readonly string[], kind: OutboxKind = 'UPSERT'): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") SELECT $1, unnest($2::uuid[]), $3`, [
      type,
      ids,
      kind,
    ]);
  }

  // --- The projector's side: reads in commit order, rebuilds, pruning ---

  /** An UPSERT event for every row of the type's table (a rebuild through the outbox); returns how many. */
  async appendEveryRecord(type: AggregateType): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") SELECT $1, "id", 'UPSERT' FROM "${aggregateTable(type)}" ORDER BY "id" RETURNING "seq"`,
      [type],
    );
    return rows.length;
  }

  /**
   * Up to `limit` committed events after `from`, in commit order, with how far the outbox was pruned
   * read in the same snapshot (so a reader sees whether events it never read were deleted).
   */
  async committedAfter(from: OutboxPosition, limit: number): Promise<{ events: OutboxEventRow[]; prunedTo: OutboxPosition }> {
    const rows: (OutboxEventRow & { pruned_txid: string | null; pruned_seq: string | null })[] = await this.db.query(
      `SELECT e."seq", e."txid", e."aggregate_type", e."aggregate_id", e."kind", h."last_txid" AS "pruned_txid", h."last_seq" AS "pruned_seq"
         FROM "outbox_event" e LEFT JOIN "outbox_pruned" h ON true
        WHERE (e."txid", e."seq") > ($1::bigint, $2::bigint) AND e."txid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        ORDER BY e."txid", e."seq" LIMIT $3`,
      [from.txid, from.seq, limit],
    );
    const prunedTo = { txid: String(rows[0]?.pruned_txid ?? '0'), seq: String(rows[0]?.pruned_seq ?? '0') };
    return { events: rows, prunedTo };
  }

  /** The newest committed position (an event, or the pruning point when it was deleted); null on an empty outbox. */
  async newestCommitted(): Promise<OutboxPosition | null> {
    const [newest] = await this.db.query(
      `SELECT "txid", "seq" FROM (
         SELECT "txid", "seq" FROM "outbox_event" WHERE "txid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
         UNION ALL SELECT "last_txid", "last_seq" FROM "outbox_pruned"
       ) c ORDER BY "txid" DESC, "seq" DESC LIMIT 1`,
    );
    return newest ? { txid: String(newest.txid), seq: String(newest.seq) } : null;
  }

  /** The highest `seq` ever taken, pruned events included (0 for an outbox never written). */
  async headSeq(): Promise<number> {
    const [head] = await this.db.query(
      `SELECT greatest(coalesce(max("seq"), 0), (SELECT coalesce(max("last_seq"), 0) FROM "outbox_pruned"))::bigint AS "seq" FROM "outbox_event"`,
    );
    return Number(head.seq);
  }

  /** Events after `from` (committed or not) and the age of the oldest of them in seconds, 0 when there are none. */
  async backlog(from: OutboxPosition): Promise<{ events: number; oldestSeconds: number }> {
    const [behind] = await this.db.query(
      `SELECT count(*)::bigint AS "lag", coalesce(extract(epoch FROM now() - min("created_at")), 0)::float AS "age"
         FROM "outbox_event" WHERE ("txid", "seq") > ($1::bigint, $2::bigint)`,
      [from.txid, from.seq],
    );
    return { events: Number(behind.lag), oldestSeconds: Number(behind.age) };
  }

  /** Whether any event of this aggregate type lies after `from` (in commit order). */
  async hasPending(from: OutboxPosition, type: AggregateType): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM "outbox_event" WHERE ("txid", "seq") > ($1::bigint, $2::bigint) AND "aggregate_type" = $3 LIMIT 1`,
      [from.txid, from.seq, type],
    );
    return rows.length > 0;
  }

  /**
   * Deletes up to `limit` events that every stored projection has applied (at or behind the lowest
   * checkpoint) and that are older than `retentionMs`, in commit order; keeps the newest event (the head
   * `syncStatus` shows) and those a failure record points at. Moves the pruning point in
   * `outbox_pruned` forward to the last one deleted. Returns how many were deleted.
   */
  async pruneChunk(retentionMs: number, limit: number): Promise<number> {
    const [row] = await this.db.query(
      `WITH "low" AS (
         SELECT "last_txid" AS "txid", "last_seq" AS "seq" FROM "projection_checkpoint" ORDER BY "last_txid", "last_seq" LIMIT 1
       ), "doomed" AS (
         SELECT e."seq" FROM "outbox_event" e, "low"
          WHERE (e."txid", e."seq") <= ("low"."txid", "low"."seq")
            AND e."created_at" < now() - make_interval(secs => $1::float / 1000)
            AND e."seq" < (SELECT max("seq") FROM "outbox_event")
            AND NOT EXISTS (SELECT 1 FROM "projection_failure" f WHERE f."seq" = e."seq")
          ORDER BY e."txid", e."seq" LIMIT $2
       ), "gone" AS (
         DELETE FROM "outbox_event" e USING "doomed" d WHERE e."seq" = d."seq" RETURNING e."txid", e."seq"
       ), "last" AS (
         SELECT "txid", "seq" FROM "gone" ORDER BY "txid" DESC, "seq" DESC LIMIT 1
       ), "moved" AS (
         INSERT INTO "outbox_pruned" ("id", "last_txid", "last_seq", "pruned_at") SELECT 1, "txid", "seq", now() FROM "last"
         ON CONFLICT ("id") DO UPDATE SET "last_txid" = EXCLUDED."last_txid", "last_seq" = EXCLUDED."last_seq", "pruned_at" = now()
          WHERE ("outbox_pruned"."last_txid", "outbox_pruned"."last_seq") < (EXCLUDED."last_txid", EXCLUDED."last_seq")
       )
       SELECT count(*)::int AS "n" FROM "gone"`,
      [retentionMs, limit],
    );
    return row.n;
  }
}
