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
}

export const DEFAULT_PROJECTOR_OPTIONS: ProjectorOptions = {
  batchSize: 200,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  pollMs: 500,
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
 * Run one projector per database (in-process by default, or `matchhub worker`).
 */
export class Projector {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

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
    for (const p of this.projections) {
      applied += await this.retryDue(p);
      applied += await this.nextBatch(p);
    }
    return applied;
  }

  /**
   * Brings each projection's stored state in line with this process, before the first pass:
   * - an in-memory projection lost its state with the last process: rewind it to the start of the outbox;
   * - a projection whose `version` changed since its state was built (a different embedding model, say)
   *   is cleared and rewound, so old and new vectors never mix. A projection that applied events before
   *   versions were recorded counts as changed.
   */
  async reconcile(): Promise<void> {
    for (const p of this.projections) {
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
      }
      if (p.volatile || stale) {
        await this.ds.query(`UPDATE "projection_checkpoint" SET "last_seq" = 0, "updated_at" = now() WHERE "projection" = $1`, [p.name]);
        await this.ds.query(`DELETE FROM "projection_failure" WHERE "projection" = $1`, [p.name]);
      }
      if (changed) {
        await this.ds.query(`UPDATE "projection_checkpoint" SET "version" = $2 WHERE "projection" = $1`, [p.name, p.version]);
      }
    }
  }

  start(): void {
    if (!this.stopped || this.projections.length === 0) return;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      let applied = 0;
      try {
        this.running = this.runOnce();
        applied = (await this.running) as number;
      } catch (err) {
        this.log.warn('projector pass failed; will retry', { err });
      } finally {
        this.running = null;
      }
      if (!this.stopped) this.timer = setTimeout(tick, applied > 0 ? 0 : this.options.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
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
      // Only retries are left: wait for their backoff instead of spinning.
      if (applied === 0) await new Promise((r) => setTimeout(r, Math.min(this.options.pollMs, Math.max(0, deadline - Date.now()))));
    }
    const left = statuses.map((s) => `${s.projection}: ${s.lag} events behind, ${s.retrying} retrying`).join('; ');
    throw new Error(`projections did not catch up within ${timeoutMs} ms (${left || 'no pass finished'})`);
  }

  async status(): Promise<ProjectionStatus[]> {
    const [head] = await this.ds.query(`SELECT coalesce(max("seq"), 0)::bigint AS "seq" FROM "outbox_event"`);
    const out: ProjectionStatus[] = [];
    for (const p of this.projections) {
      const lastSeq = await this.checkpoint(p.name);
      const [oldest] = await this.ds.query(
        `SELECT coalesce(extract(epoch FROM now() - min("created_at")), 0)::float AS "age" FROM "outbox_event" WHERE "seq" > $1`,
        [lastSeq],
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
        lastSeq: Number(lastSeq),
        headSeq: Number(head.seq),
        lag: Number(head.seq) - Number(lastSeq),
        lagSeconds: Math.round(Number(oldest.age)),
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

  private async checkpoint(name: string): Promise<string> {
    await this.ds.query(`INSERT INTO "projection_checkpoint" ("projection") VALUES ($1) ON CONFLICT DO NOTHING`, [name]);
    const [row] = await this.ds.query(`SELECT "last_seq" FROM "projection_checkpoint" WHERE "projection" = $1`, [name]);
    return String(row.last_seq);
  }

  private async nextBatch(p: Projection): Promise<number> {
    const from = await this.checkpoint(p.name);
    const events = (
      await this.ds.query(
        `SELECT "seq", "aggregate_type", "aggregate_id", "kind" FROM "outbox_event" WHERE "seq" > $1 ORDER BY "seq" LIMIT $2`,
        [from, this.options.batchSize],
      )
    ).map(toEvent);
    if (events.length === 0) return 0;
    const batch = coalesce(events);
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
    await this.ds.query(`UPDATE "projection_checkpoint" SET "last_seq" = $2, "updated_at" = now() WHERE "projection" = $1`, [
      p.name,
      events[events.length - 1].seq,
    ]);
    return events.length;
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

function toEvent(row: { seq: string; aggregate_type: string; aggregate_id: string; kind: 'UPSERT' | 'DELETE' }): ProjectionEvent {
  return { seq: String(row.seq), type: row.aggregate_type as ProjectionEvent['type'], id: row.aggregate_id, kind: row.kind };
}
