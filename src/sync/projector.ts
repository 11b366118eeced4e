import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import type { Projection, ProjectionEvent } from './projection';
import { AGGREGATE_TYPES } from './projection';

export interface ProjectorOptions {
  batchSize: number;
  /** Attempts before an event is parked. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  pollMs: number;
  /**
   * How long a projector holds a projection without renewing (it renews while it works). Another
   * process takes the projection over once a holder has been silent this long (it died).
   */
  leaseMs: number;
}

export const DEFAULT_PROJECTOR_OPTIONS: ProjectorOptions = {
  batchSize: 200,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  pollMs: 500,
  leaseMs: 30_000,
};

export interface ProjectionStatus {
  projection: string;
  lastSeq: number;
  headSeq: number;
  /** Outbox events not yet applied. */
  lag: number;
  /** Age of the oldest event not yet applied, 0 when caught up. */
  lagSeconds: number;
  retrying: number;
  parked: number;
  lastErrors: { seq: number; type: string; id: string; attempts: number; error: string; parked: boolean }[];
}

/** A position in the outbox, in commit order. */
interface Cursor {
  txid: string;
  seq: string;
}

const START: Cursor = { txid: '0', seq: '0' };

/** Delay before attempt `attempts + 1`: exponential, capped, with ±20% jitter so retries spread out. */
export function backoffMs(attempts: number, o: Pick<ProjectorOptions, 'baseDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const raw = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** Keeps only the newest event per record: projections read current state, so older ones add nothing. */
export function coalesce(events: ProjectionEvent[]): ProjectionEvent[] {
  const latest = new Map<string, ProjectionEvent>();
  for (const e of events) latest.set(e.id, e);
  return [...latest.values()].sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)));
}

/**
 * Applies the outbox to each projection independently: a checkpoint per projection, batch first, then
 * event by event when a batch fails; failures retried with backoff and parked after `maxAttempts`.
 *
 * Commit order: an event's `seq` is taken at insert but the event becomes visible at commit, so reading
 * `seq > checkpoint` would skip an event whose transaction took a lower `seq` and committed after a
 * higher one was read. Events are read in (txid, seq) order and only from transactions below the
 * oldest one still running (`pg_snapshot_xmin`): every such transaction has ended, and every later
 * one gets a higher txid, so nothing can appear behind the checkpoint. The cost is one trigger per
 * outbox insert and that a long transaction holds back what commits after it.
 *
 * One projector per projection: a stored projection is applied by the process that holds its lease
 * (renewed while it works, taken over when its holder has been silent for `leaseMs`), so several
 * servers and workers can run on one database. An in-memory (volatile) projection belongs to its
 * process: its checkpoint lives in memory and every process applies it for itself.
 */
export class Projector {
  private readonly loops = new Map<string, { timer: NodeJS.Timeout | null; running: Promise<unknown> | null }>();
  private stopped = true;
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly memory = new Map<string, Cursor>();

  constructor(
    private readonly ds: DataSource,
    private readonly projections: Projection[],
    private readonly log: Logger,
    private readonly options: ProjectorOptions = DEFAULT_PROJECTOR_OPTIONS,
  ) {}

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /** One pass over every projection: due retries, then the next batch. Returns events applied. */
  async runOnce(): Promise<number> {
    let applied = 0;
    for (const p of this.projections) applied += await this.pass(p);
    return applied;
  }

  /**
   * Brings each projection's stored state in line with this process, before the first pass:
   * - an in-memory projection lost its state with the last process: it starts from the beginning;
   * - a projection whose `version` changed since its state was built (a different embedding model, say)
   *   is cleared and rewound, so old and new vectors never mix. A projection that applied events before
   *   versions were recorded counts as changed.
   */
  async reconcile(): Promise<void> {
    for (const p of this.projections) {
      if (p.volatile) {
        this.memory.set(p.name, START);
        await this.ds.query(`DELETE FROM "projection_failure" WHERE "projection" = $1`, [p.name]);
        continue;
      }
      await this.ds.query(`INSERT INTO "projection_checkpoint" ("projection") VALUES ($1) ON CONFLICT DO NOTHING`, [p.name]);
      const [row] = await this.ds.query(`SELECT "last_seq", "version" FROM "projection_checkpoint" WHERE "projection" = $1`, [p.name]);
      const changed = p.version !== undefined && row.version !== p.version;
      const stale = changed && (row.version !== null || String(row.last_seq) !== '0');
      if (stale) {
        this.log.info('projection version changed; rebuilding it from the outbox', {
          projection: p.name,
          from: row.version,
          to: p.version,
        });
        await p.clear?.();
        await this.ds.query(
          `UPDATE "projection_checkpoint" SET "last_seq" = 0, "last_txid" = 0, "updated_at" = now() WHERE "projection" = $1`,
          [p.name],
        );
        await this.ds.query(`DELETE FROM "projection_failure" WHERE "projection" = $1`, [p.name]);
      }
      if (changed) {
        await this.ds.query(`UPDATE "projection_checkpoint" SET "version" = $2 WHERE "projection" = $1`, [p.name, p.version]);
      }
    }
  }

  /** Runs each projection in its own loop, so a slow one (embedding) never holds up a fast one (graph). */
  start(): void {
    if (!this.stopped || this.projections.length === 0) return;
    this.stopped = false;
    for (const p of this.projections) {
      const loop = { timer: null as NodeJS.Timeout | null, running: null as Promise<unknown> | null };
      this.loops.set(p.name, loop);
      const tick = async () => {
        if (this.stopped) return;
        let applied = 0;
        try {
          loop.running = this.pass(p);
          applied = (await loop.running) as number;
        } catch (err) {
          this.log.warn('projector pass failed; will retry', { projection: p.name, err });
        } finally {
          loop.running = null;
        }
        if (!this.stopped) loop.timer = setTimeout(tick, applied > 0 ? 0 : this.options.pollMs);
      };
      loop.timer = setTimeout(tick, 0);
    }
  }

  /** Stops at a batch boundary (the batch under way finishes) and gives up this process's leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const loop of this.loops.values()) if (loop.timer) clearTimeout(loop.timer);
    await Promise.all([...this.loops.values()].map((l) => l.running?.catch(() => undefined)));
    this.loops.clear();
    await this.ds
      .query(`UPDATE "projection_checkpoint" SET "lease_owner" = NULL, "lease_until" = NULL WHERE "lease_owner" = $1`, [this.owner])
      .catch((err: unknown) => this.log.warn('could not release projection leases', { err }));
  }

  /**
   * Runs passes until every projection has caught up and no failed event waits for a retry (parked ones
   * aside), or `timeoutMs` passes.
   */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let statuses: ProjectionStatus[] = [];
    while (Date.now() < deadline) {
      const applied = await this.runOnce();
      statuses = await this.status();
      if (statuses.every((s) => s.lag === 0 && s.retrying === 0)) return;
      // Only retries are left (or another process holds a lease): wait instead of spinning.
      if (applied === 0) await new Promise((r) => setTimeout(r, Math.min(this.options.pollMs, Math.max(0, deadline - Date.now()))));
    }
    const left = statuses.map((s) => `${s.projection}: ${s.lag} events behind, ${s.retrying} retrying`).join('; ');
    throw new Error(`projections did not catch up within ${timeoutMs} ms (${left || 'no pass finished'})`);
  }

  async status(): Promise<ProjectionStatus[]> {
    const [head] = await this.ds.query(`SELECT coalesce(max("seq"), 0)::bigint AS "seq" FROM "outbox_event"`);
    const out: ProjectionStatus[] = [];
    for (const p of this.projections) {
      const cursor = await this.cursor(p);
      const [behind] = await this.ds.query(
        `SELECT count(*)::bigint AS "lag", coalesce(extract(epoch FROM now() - min("created_at")), 0)::float AS "age"
           FROM "outbox_event" WHERE ("txid", "seq") > ($1::bigint, $2::bigint)`,
        [cursor.txid, cursor.seq],
      );
      const failures: {
        seq: string;
        attempts: number;
        last_error: string;
        parked_at: Date | null;
        aggregate_type: string;
        aggregate_id: string;
      }[] = await this.ds.query(
        `SELECT f."seq", f."attempts", f."last_error", f."parked_at", e."aggregate_type", e."aggregate_id"
           FROM "projection_failure" f JOIN "outbox_event" e ON e."seq" = f."seq" WHERE f."projection" = $1 ORDER BY f."seq" DESC`,
        [p.name],
      );
      out.push({
        projection: p.name,
        lastSeq: Number(cursor.seq),
        headSeq: Number(head.seq),
        lag: Number(behind.lag),
        lagSeconds: Math.round(Number(behind.age)),
        retrying: failures.filter((f) => !f.parked_at).length,
        parked: failures.filter((f) => f.parked_at).length,
        lastErrors: failures.slice(0, 20).map((f) => ({
          seq: Number(f.seq),
          type: f.aggregate_type,
          id: f.aggregate_id,
          attempts: f.attempts,
          error: f.last_error,
          parked: Boolean(f.parked_at),
        })),
      });
    }
    return out;
  }

  /** Puts parked events of a projection (or all) back in line for an immediate retry. */
  async retryParked(projection?: string): Promise<number> {
    const rows = await this.ds.query(
      `UPDATE "projection_failure" SET "parked_at" = NULL, "attempts" = 0, "next_attempt_at" = now()
       WHERE "parked_at" IS NOT NULL AND ($1::text IS NULL OR "projection" = $1) RETURNING "seq"`,
      [projection ?? null],
    );
    return (rows[0] as unknown[] | undefined)?.length ?? 0;
  }

  /**
   * Rebuilds every projection from Postgres: clears them, then appends an UPSERT event for every record
   * to the outbox (so a rebuild and live writes share one path) and forgets old failures.
   */
  async reindex(): Promise<number> {
    for (const p of this.projections) await p.clear?.();
    return this.ds.transaction(async (em) => {
      let total = 0;
      for (const type of AGGREGATE_TYPES) {
        const rows = await em.query(
          `INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") SELECT $1, "id", 'UPSERT' FROM "${type}" ORDER BY "id" RETURNING "seq"`,
          [type],
        );
        total += (rows as unknown[]).length;
      }
      await em.query(`DELETE FROM "projection_failure"`);
      return total;
    });
  }

  /** Due retries, then the next batch, if this process holds the projection. */
  private async pass(p: Projection): Promise<number> {
    if (!(await this.holdLease(p))) return 0;
    return (await this.retryDue(p)) + (await this.nextBatch(p));
  }

  /** Takes or renews the lease; false when another live process holds it. Volatile projections need none. */
  private async holdLease(p: Projection): Promise<boolean> {
    if (p.volatile) return true;
    await this.ds.query(`INSERT INTO "projection_checkpoint" ("projection") VALUES ($1) ON CONFLICT DO NOTHING`, [p.name]);
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [, updated]: [unknown[], number] = await this.ds.query(
      `UPDATE "projection_checkpoint" SET "lease_owner" = $2, "lease_until" = now() + make_interval(secs => $3::float / 1000)
        WHERE "projection" = $1 AND ("lease_owner" IS NULL OR "lease_owner" = $2 OR "lease_until" < now())`,
      [p.name, this.owner, this.options.leaseMs],
    );
    return updated === 1;
  }

  private async cursor(p: Projection): Promise<Cursor> {
    if (p.volatile) return this.memory.get(p.name) ?? START;
    const [row] = await this.ds.query(`SELECT "last_txid", "last_seq" FROM "projection_checkpoint" WHERE "projection" = $1`, [p.name]);
    return row ? { txid: String(row.last_txid), seq: String(row.last_seq) } : START;
  }

  /** Moves the checkpoint; false (and nothing moved) when this process lost the lease meanwhile. */
  private async advance(p: Projection, to: Cursor): Promise<boolean> {
    if (p.volatile) {
      this.memory.set(p.name, to);
      return true;
    }
    const [, updated]: [unknown[], number] = await this.ds.query(
      `UPDATE "projection_checkpoint" SET "last_txid" = $2, "last_seq" = $3, "updated_at" = now()
        WHERE "projection" = $1 AND "lease_owner" = $4`,
      [p.name, to.txid, to.seq, this.owner],
    );
    return updated === 1;
  }

  private async nextBatch(p: Projection): Promise<number> {
    const from = await this.cursor(p);
    const rows: (EventRow & { txid: string })[] = await this.ds.query(
      `SELECT "seq", "txid", "aggregate_type", "aggregate_id", "kind" FROM "outbox_event"
        WHERE ("txid", "seq") > ($1::bigint, $2::bigint) AND "txid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
        ORDER BY "txid", "seq" LIMIT $3`,
      [from.txid, from.seq, this.options.batchSize],
    );
    if (rows.length === 0) return 0;
    const events = rows.map(toEvent);
    const batch = coalesce(events);
    await this.whileRenewing(p, async () => {
      try {
        await p.apply(batch);
      } catch (batchError) {
        this.log.warn('projection batch failed; applying events one by one', { projection: p.name, err: batchError });
        for (const e of batch) {
          try {
            await p.apply([e]);
          } catch (err) {
            await this.recordFailure(p.name, e.seq, err, 0);
          }
        }
      }
    });
    const last = rows[rows.length - 1];
    if (!(await this.advance(p, { txid: String(last.txid), seq: String(last.seq) }))) {
      // Another process took over while this batch ran; it applies the batch again (apply is idempotent).
      this.log.warn('projection lease lost during a batch; another projector continues', { projection: p.name });
      return 0;
    }
    return events.length;
  }

  /** Renews the lease every third of its length while `work` runs, so a long batch keeps it. */
  private async whileRenewing<T>(p: Projection, work: () => Promise<T>): Promise<T> {
    if (p.volatile) return work();
    const timer = setInterval(
      () => void this.holdLease(p).catch((err: unknown) => this.log.warn('could not renew a projection lease', { err })),
      Math.max(100, Math.floor(this.options.leaseMs / 3)),
    );
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private async retryDue(p: Projection): Promise<number> {
    const due = await this.ds.query(
      `SELECT e."seq", e."aggregate_type", e."aggregate_id", e."kind", f."attempts" FROM "projection_failure" f
       JOIN "outbox_event" e ON e."seq" = f."seq"
       WHERE f."projection" = $1 AND f."parked_at" IS NULL AND f."next_attempt_at" <= now() ORDER BY f."seq" LIMIT $2`,
      [p.name, this.options.batchSize],
    );
    let applied = 0;
    for (const row of due) {
      const e = toEvent(row);
      try {
        await p.apply([e]);
        await this.ds.query(`DELETE FROM "projection_failure" WHERE "projection" = $1 AND "seq" = $2`, [p.name, e.seq]);
        applied += 1;
      } catch (err) {
        await this.recordFailure(p.name, e.seq, err, row.attempts);
      }
    }
    return applied;
  }

  private async recordFailure(projection: string, seq: string, err: unknown, previousAttempts: number): Promise<void> {
    const attempts = previousAttempts + 1;
    const parked = attempts >= this.options.maxAttempts;
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    await this.ds.query(
      `INSERT INTO "projection_failure" ("projection", "seq", "attempts", "next_attempt_at", "last_error", "parked_at")
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::float / 1000), $5, CASE WHEN $6 THEN now() END)
       ON CONFLICT ("projection", "seq") DO UPDATE SET "attempts" = EXCLUDED."attempts", "next_attempt_at" = EXCLUDED."next_attempt_at",
         "last_error" = EXCLUDED."last_error", "parked_at" = EXCLUDED."parked_at"`,
      [projection, seq, attempts, backoffMs(attempts, this.options), message, parked],
    );
    if (parked) this.log.error('projection event parked after repeated failures', { projection, seq, error: message });
  }
}

type EventRow = { seq: string; aggregate_type: string; aggregate_id: string; kind: 'UPSERT' | 'DELETE' };

function toEvent(row: EventRow): ProjectionEvent {
  return { seq: String(row.seq), type: row.aggregate_type as ProjectionEvent['type'], id: row.aggregate_id, kind: row.kind };
}
