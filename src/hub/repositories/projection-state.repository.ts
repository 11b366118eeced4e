import type { OutboxKind, OutboxPosition } from './outbox.repository';
import type { Queryable } from './queryable';

export interface FailureRow {
  seq: string;
  attempts: number;
  last_error: string;
  parked_at: Date | null;
  aggregate_type: string;
  aggregate_id: string;
}

export interface DueEventRow {
  seq: string;
  aggregate_type: string;
  aggregate_id: string;
  kind: OutboxKind;
  /** Attempts so far. */
  attempts: number;
}

/**
 * The statements for a projection's state: `projection_checkpoint` (how far it applied the outbox, in
 * commit order, the lease of the one process that may apply it, the version its state was built with)
 * and `projection_failure` (events it failed to apply, waiting for a retry or parked).
 */
export class ProjectionStateRepository {
  constructor(private readonly db: Queryable) {}

  // --- Checkpoints and leases ---

  async ensureCheckpoint(projection: string): Promise<void> {
    await this.db.query(`INSERT INTO "projection_checkpoint" ("projection") VALUES ($1) ON CONFLICT DO NOTHING`, [projection]);
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    await this.db.query(`DELETE FROM "projection_checkpoint" WHERE "projection" = $1`, [projection]);
  }

  /** The checkpoint, or null when the projection has none. */
  async checkpoint(projection: string): Promise<OutboxPosition | null> {
    const [row] = await this.db.query(`SELECT "last_txid", "last_seq" FROM "projection_checkpoint" WHERE "projection" = $1`, [projection]);
    return row ? { txid: String(row.last_txid), seq: String(row.last_seq) } : null;
  }

  /**
   * An existing checkpoint with the version its state was built with, beside how far the outbox was
   * pruned (0 when never), read in one snapshot.
   */
  async checkpointAndPruned(projection: string): Promise<{ at: OutboxPosition; version: string | null; prunedTo: OutboxPosition }> {
    const [row] = await this.db.query(
      `SELECT c."last_txid", c."last_seq", c."version", coalesce(h."last_txid", 0) AS "pruned_txid", coalesce(h."last_seq", 0) AS "pruned_seq"
         FROM "projection_checkpoint" c LEFT JOIN "outbox_pruned" h ON true WHERE c."projection" = $1`,
      [projection],
    );
    return {
      at: { txid: String(row.last_txid), seq: String(row.last_seq) },
      version: row.version,
      prunedTo: { txid: String(row.pruned_txid), seq: String(row.pruned_seq) },
    };
  }

  /** Moves a checkpoint that lies behind the outbox's pruning point up to it. */
  async skipToPruned(projection: string): Promise<void> {
    await this.db.query(
      `UPDATE "projection_checkpoint" c SET "last_txid" = h."last_txid", "last_seq" = h."last_seq", "updated_at" = now()
         FROM "outbox_pruned" h WHERE c."projection" = $1 AND (c."last_txid", c."last_seq") < (h."last_txid", h."last_seq")`,
      [projection],
    );
  }

  async setVersion(projection: string, version: string): Promise<void> {
    await this.db.query(`UPDATE "projection_checkpoint" SET "version" = $2 WHERE "projection" = $1`, [projection, version]);
  }

  /**
   * Takes or renews the lease for `leaseMs` and reads the checkpoint, in one statement: `owner` gets it
   * when nobody holds it, it holds it already, or the holder's lease ran out (it died). Null when
   * another live process holds it.
   */
  async holdLease(projection: string, owner: string, leaseMs: number): Promise<OutboxPosition | null> {
    const [rows]: [{ last_txid: string; last_seq: string }[], number] = await this.db.query(
      `UPDATE "projection_checkpoint" SET "lease_owner" = $2, "lease_until" = now() + make_interval(secs => $3::float / 1000)
        WHERE "projection" = $1 AND ("lease_owner" IS NULL OR "lease_owner" = $2 OR "lease_until" < now())
        RETURNING "last_txid", "last_seq"`,
      [projection, owner, leaseMs],
    );
    return rows.length === 1 ? { txid: String(rows[0].last_txid), seq: String(rows[0].last_seq) } : null;
  }

  /** Moves the checkpoint if `owner` still holds the lease; false (and nothing moved) when it lost it. */
  async advance(projection: string, to: OutboxPosition, owner: string): Promise<boolean> {
    const [, updated]: [unknown[], number] = await this.db.query(
      `UPDATE "projection_checkpoint" SET "last_txid" = $2, "last_seq" = $3, "updated_at" = now()
        WHERE "projection" = $1 AND "lease_owner" = $4`,
      [projection, to.txid, to.seq, owner],
    );
    return updated === 1;
  }

  /** Gives up every lease `owner` holds. */
  async releaseLeases(owner: string): Promise<void> {
    await this.db.query(`UPDATE "projection_checkpoint" SET "lease_owner" = NULL, "lease_until" = NULL WHERE "lease_owner" = $1`, [owner]);
  }

  // --- Failed events ---

  /** A projection's failed events, retrying and parked, newest first, with the record each is about. */
  async failures(projection: string): Promise<FailureRow[]> {
    return this.db.query(
      `SELECT f."seq", f."attempts", f."last_error", f."parked_at", e."aggregate_type", e."aggregate_id"
         FROM "projection_failure" f JOIN "outbox_event" e ON e."seq" = f."seq" WHERE f."projection" = $1 ORDER BY f."seq" DESC`,
      [projection],
    );
  }

  /** Up to `limit` failed events whose retry is due (parked ones aside), in outbox order. */
  async due(projection: string, limit: number): Promise<DueEventRow[]> {
    return this.db.query(
      `SELECT e."seq", e."aggregate_type", e."aggregate_id", e."kind", f."attempts" FROM "projection_failure" f
       JOIN "outbox_event" e ON e."seq" = f."seq"
       WHERE f."projection" = $1 AND f."parked_at" IS NULL AND f."next_attempt_at" <= now() ORDER BY f."seq" LIMIT $2`,
      [projection, limit],
    );
  }

  /**
   * Records a failed attempt (the `attempts`-th): due again `delayMs` from now, or parked (retried only
   * on request) when `parked`.
   */
  async recordFailure(f: {
    projection: string;
    seq: string;
    attempts: number;
    delayMs: number;
    error: string;
    parked: boolean;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO "projection_failure" ("projection", "seq", "attempts", "next_attempt_at", "last_error", "parked_at")
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::float / 1000), $5, CASE WHEN $6 THEN now() END)
       ON CONFLICT ("projection", "seq") DO UPDATE SET "attempts" = EXCLUDED."attempts", "next_attempt_at" = EXCLUDED."next_attempt_at",
         "last_error" = EXCLUDED."last_error", "parked_at" = EXCLUDED."parked_at"`,
      [f.projection, f.seq, f.attempts, f.delayMs, f.error, f.parked],
    );
  }

  /** Puts the parked events of a projection (or of all, when null) back in line for an immediate retry; returns how many. */
  async unpark(projection: string | null): Promise<number> {
    const rows = await this.db.query(
      `UPDATE "projection_failure" SET "parked_at" = NULL, "attempts" = 0, "next_attempt_at" = now()
       WHERE "parked_at" IS NOT NULL AND ($1::text IS NULL OR "projection" = $1) RETURNING "seq"`,
      [projection],
    );
    return (rows[0] as unknown[] | undefined)?.length ?? 0;
  }

  async forgetFailure(projection: string, seq: string): Promise<void> {
    await this.db.query(`DELETE FROM "projection_failure" WHERE "projection" = $1 AND "seq" = $2`, [projection, seq]);
  }

  /** Forgets a projection's failures (before it is rebuilt). */
  async forgetFailures(projection: string): Promise<void> {
    await this.db.query(`DELETE FROM "projection_failure" WHERE "projection" = $1`, [projection]);
  }

  /** Forgets every projection's failures (before a reindex). */
  async forgetAllFailures(): Promise<void> {
    await this.db.query(`DELETE FROM "projection_failure"`);
  }
}
