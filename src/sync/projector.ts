import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import { AGGREGATE_TYPES, AggregateTablesRepository, type AggregateType } from '../hub/repositories/aggregate-tables.repository';
import { OutboxRepository, type OutboxEventRow, type OutboxPosition } from '../hub/repositories/outbox.repository';
import { ProjectionStateRepository } from '../hub/repositories/projection-state.repository';
import type { Queryable } from '../hub/repositories/queryable';
import type { Logger } from '../shared/logger';
import { backoffMs } from '../shared/backoff';
import type { Projection, ProjectionEvent } from './projection';

export interface ProjectorOptions {
  batchSize: number;
  /** Attempts before an event is parked. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Poll interval right after work or a wake-up; it doubles while nothing happens, up to `idlePollMs`. */
  pollMs: number;
  /**
   * Longest poll interval when idle. A write committed by this process wakes its projector at once;
   * one committed by another process waits for the next poll. Keep it below a third of `leaseMs`.
   */
  idlePollMs: number;
  /**
   * How long a projector holds a projection without renewing (it renews while it works). Another
   * process takes the projection over once a holder has been silent this long (it died).
   */
  leaseMs: number;
  /** How often to look for due retries of failed events besides the ones this process scheduled. */
  retryCheckMs: number;
  /**
   * Events every stored projection has applied are deleted once older than this (null: kept for
   * ever). A volatile projection that falls behind what was deleted rebuilds from the tables.
   */
  retentionMs: number | null;
  /** How often `start` prunes the outbox. */
  pruneEveryMs: number;
}

export const DEFAULT_PROJECTOR_OPTIONS: ProjectorOptions = {
  batchSize: 200,
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  pollMs: 500,
  idlePollMs: 5_000,
  leaseMs: 30_000,
  retryCheckMs: 30_000,
  retentionMs: 60 * 60_000,
  pruneEveryMs: 60_000,
};

/** Events deleted from the outbox per statement when pruning, so one prune never holds the database for long. */
const PRUNE_CHUNK = 5_000;

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
type Cursor = OutboxPosition;

const START: Cursor = { txid: '0', seq: '0' };

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
 * process: its checkpoint lives in memory, and it is built from the tables at start, not from the
 * outbox's history.
 *
 * The outbox is pruned (`prune`): events that every stored projection has applied, older than
 * `retentionMs`. How far it was pruned is kept in `outbox_pruned`; a projection whose checkpoint lies
 * behind that point has missed events for good and is rebuilt from the tables.
 *
 * Idle, a loop costs one statement per stored projection per poll (lease renewal and checkpoint in one
 * UPDATE, then the batch read; one statement for a volatile one), and the poll backs off to
 * `idlePollMs`; a transaction committed through this process's DataSource wakes every loop at once.
 *
 * The statements live in the outbox and projection-state repositories; this class decides when each runs.
 */
export class Projector {
  private readonly loops = new Map<string, Loop>();
  private stopped = true;
  private readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly memory = new Map<string, Cursor>();
  /** Records a volatile projection still has to read from the tables before it follows the outbox. */
  private readonly backfill = new Map<string, ProjectionEvent[]>();
  /** Stored projections whose checkpoint row this process made sure of. */
  private readonly ensured = new Set<string>();
  /** Projections this process held the lease of at its last pass. */
  private readonly held = new Set<string>();
  /** Projections whose last pass in their loop applied events (see Projection.after). */
  private readonly busy = new Set<string>();
  /** When each projection should next look for due retries (0: at the next pass). */
  private readonly retryAt = new Map<string, number>();
  private readonly passMs = new Map<string, number>();
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<unknown> | null = null;
  private readonly wakeOnCommit = { afterTransactionCommit: () => this.wake() };
  private readonly outbox: OutboxRepository;
  private readonly state: ProjectionStateRepository;

  constructor(
    private readonly ds: DataSource,
    private readonly projections: Projection[],
    private readonly log: Logger,
    private readonly options: ProjectorOptions = DEFAULT_PROJECTOR_OPTIONS,
  ) {
    this.outbox = new OutboxRepository(ds);
    this.state = new ProjectionStateRepository(ds);
  }

  get names(): string[] {
    return this.projections.map((p) => p.name);
  }

  /**
   * One pass over every projection (or only those named in `only`): due retries, then the next batch.
   * Returns events applied.
   */
  async runOnce(only?: readonly string[]): Promise<number> {
    let applied = 0;
    for (const p of this.projections) {
      if (only && !only.includes(p.name)) continue;
      const started = performance.now();
      applied += await this.pass(p);
      this.passMs.set(p.name, (this.passMs.get(p.name) ?? 0) + performance.now() - started);
    }
    return applied;
  }

  /** Seconds this process spent in each projection's passes through `runOnce` (what a `sync` cost, per projection). */
  passSeconds(): Map<string, number> {
    return new Map([...this.passMs].map(([name, ms]) => [name, ms / 1000]));
  }

  /**
   * Brings each projection's stored state in line with this process, before the first pass:
   * - an in-memory projection lost its state with the last process: it is built from the tables;
   * - a projection whose `version` changed since its state was built (a different embedding model, say),
   *   or whose checkpoint lies behind what was pruned from the outbox, is cleared and rebuilt from the
   *   tables, so old and new vectors never mix. A projection that applied events before versions were
   *   recorded counts as changed.
   */
  async reconcile(): Promise<void> {
    for (const p of this.projections) {
      if (p.volatile) {
        await this.state.forgetFailures(p.name);
        // A stored checkpoint left from when this projection was stored would hold pruning back.
        await this.state.deleteCheckpoint(p.name);
        await this.rebuildInMemory(p);
        continue;
      }
      await this.ensureCheckpoint(p);
      const row = await this.state.checkpointAndPruned(p.name);
      const changed = p.version !== undefined && row.version !== p.version;
      const stale = changed && (row.version !== null || row.at.seq !== '0');
      const behind = before(row.at, row.prunedTo);
      if (stale || behind) {
        this.log.info('projection is rebuilt from the tables', {
          projection: p.name,
          why: stale ? 'version changed' : 'behind the pruned outbox',
          from: row.version,
          to: p.version,
        });
        await p.clear?.();
        await this.ds.transaction(async (em) => {
          const state = new ProjectionStateRepository(em);
          await state.forgetFailures(p.name);
          // Queued behind the checkpoint: this projection applies them, and so do the others (idempotent).
          const total = await queueEveryRecord(em);
          // Everything up to the newest event is covered by the events just queued.
          await state.skipToPruned(p.name);
          this.log.info('rebuild queued', { projection: p.name, records: total });
        });
      }
      if (changed) await this.state.setVersion(p.name, p.version);
    }
  }

  /** Runs each projection in its own loop, so a slow one (embedding) never holds up a fast one (graph). */
  start(): void {
    if (!this.stopped || this.projections.length === 0) return;
    this.stopped = false;
    (this.ds.subscribers as unknown[]).push(this.wakeOnCommit);
    // Until its first pass says otherwise, every projection may have work that others wait for.
    for (const p of this.projections) this.busy.add(p.name);
    for (const p of this.projections) {
      const loop: Loop = { timer: null, running: null, delay: this.options.pollMs, woken: false, tick: () => undefined };
      this.loops.set(p.name, loop);
      loop.tick = async () => {
        loop.timer = null;
        if (this.stopped) return;
        loop.woken = false;
        let applied = 0;
        try {
          loop.running = this.pass(p);
          applied = (await loop.running) as number;
        } catch (err) {
          this.log.warn('projector pass failed; will retry', { projection: p.name, err });
        } finally {
          loop.running = null;
        }
        if (this.stopped) return;
        if (applied > 0) this.busy.add(p.name);
        else this.busy.delete(p.name);
        // Busy: go on at once. Idle: back off, doubling, unless a commit woke the loop meanwhile.
        loop.delay = applied > 0 || loop.woken ? this.options.pollMs : Math.min(this.options.idlePollMs, loop.delay * 2);
        loop.timer = setTimeout(loop.tick, applied > 0 || loop.woken ? 0 : loop.delay);
      };
      loop.timer = setTimeout(loop.tick, 0);
    }
    if (this.options.retentionMs !== null) {
      const prune = () => {
        this.pruning = this.prune()
          .catch((err: unknown) => this.log.warn('could not prune the outbox', { err }))
          .finally(() => (this.pruning = null));
      };
      this.pruneTimer = setInterval(prune, this.options.pruneEveryMs);
      this.pruneTimer.unref();
    }
  }

  /**
   * A transaction committed (through this process's DataSource): every idle loop polls now, and polls
   * soon again, since the transaction may not be the oldest one running yet.
   */
  wake(): void {
    for (const loop of this.loops.values()) {
      loop.delay = this.options.pollMs;
      if (loop.running) loop.woken = true;
      else if (loop.timer) {
        clearTimeout(loop.timer);
        loop.timer = setTimeout(loop.tick, 0);
      }
    }
  }

  /** Stops at a batch boundary (the batch under way finishes) and gives up this process's leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    const subscribers = this.ds.subscribers as unknown[];
    if (subscribers.includes(this.wakeOnCommit)) subscribers.splice(subscribers.indexOf(this.wakeOnCommit), 1);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    for (const loop of this.loops.values()) if (loop.timer) clearTimeout(loop.timer);
    await Promise.all([...this.loops.values()].map((l) => l.running?.catch(() => undefined)));
    await this.pruning;
    this.loops.clear();
    this.held.clear();
    this.busy.clear();
    await this.state.releaseLeases(this.owner).catch((err: unknown) => this.log.warn('could not release projection leases', { err }));
  }

  /**
   * Deletes the events every stored projection has applied (at or behind the lowest checkpoint) that are
   * older than `retentionMs`, in chunks; keeps the newest event (the head `syncStatus` shows) and those
   * a failure record points at. Records how far it deleted in `outbox_pruned`. Returns events deleted.
   */
  async prune(retentionMs: number | null = this.options.retentionMs): Promise<number> {
    if (retentionMs === null) return 0;
    let total = 0;
    // A stop ends the pruning of a running projector; a direct call on one that was never started prunes to the end.
    const running = !this.stopped;
    for (;;) {
      const n = await this.outbox.pruneChunk(retentionMs, PRUNE_CHUNK);
      total += n;
      if (n < PRUNE_CHUNK || (running && this.stopped)) break;
    }
    if (total > 0) this.log.debug('outbox pruned', { events: total });
    return total;
  }

  /**
   * Runs passes until every projection has caught up and no failed event waits for a retry (parked ones
   * aside), or `timeoutMs` passes.
   */
  async drain(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let statuses: ProjectionStatus[] = [];
    while (Date.now() < deadline) {
      for (const p of this.projections) this.retryAt.set(p.name, 0);
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
    const headSeq = await this.outbox.headSeq();
    const out: ProjectionStatus[] = [];
    for (const p of this.projections) {
      const cursor = await this.cursor(p);
      const behind = await this.outbox.backlog(cursor);
      const failures = await this.state.failures(p.name);
      out.push({
        projection: p.name,
        lastSeq: Number(cursor.seq),
        headSeq,
        lag: behind.events + (this.backfill.get(p.name)?.length ?? 0),
        lagSeconds: Math.round(behind.oldestSeconds),
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

  /**
   * Whether the projection named `name` has applied every event of `type` written so far (and has no
   * rebuild from the tables left); true when this projector does not run such a projection.
   */
  async caughtUp(name: string, type: AggregateType): Promise<boolean> {
    const p = this.projections.find((x) => x.name === name);
    if (!p) return true;
    if (this.backfill.get(p.name)?.length) return false;
    return !(await this.outbox.hasPending(await this.cursor(p), type));
  }

  /** Puts parked events of a projection (or all) back in line for an immediate retry. */
  async retryParked(projection?: string): Promise<number> {
    const unparked = await this.state.unpark(projection ?? null);
    for (const p of this.projections) if (!projection || p.name === projection) this.retryAt.set(p.name, 0);
    this.wake();
    return unparked;
  }

  /**
   * Rebuilds every projection from Postgres: clears them, then appends an UPSERT event for every record
   * to the outbox (so a rebuild and live writes share one path) and forgets old failures.
   */
  async reindex(): Promise<number> {
    for (const p of this.projections) await p.clear?.();
    return this.ds.transaction(async (em) => {
      const total = await queueEveryRecord(em);
      await new ProjectionStateRepository(em).forgetAllFailures();
      return total;
    });
  }

  /** Due retries, then the next batch, if this process holds the projection. */
  private async pass(p: Projection): Promise<number> {
    if (p.after?.some((name) => this.busy.has(name))) return 0;
    const from = await this.holdLease(p);
    if (!from) return 0;
    const pending = this.backfill.get(p.name);
    if (pending?.length) return this.applyBackfill(p, pending);
    return (await this.retryDue(p)) + (await this.nextBatch(p, from));
  }

  /**
   * Takes or renews the lease and reads the checkpoint, in one statement; null when another live process
   * holds the projection. Volatile projections need no lease: their checkpoint is in memory.
   */
  private async holdLease(p: Projection): Promise<Cursor | null> {
    if (p.volatile) return this.memory.get(p.name) ?? START;
    if (!this.ensured.has(p.name)) await this.ensureCheckpoint(p);
    const at = await this.state.holdLease(p.name, this.owner, this.options.leaseMs);
    if (!at) {
      this.held.delete(p.name);
      return null;
    }
    // Just taken over: the previous holder's failures may be due.
    if (!this.held.has(p.name)) this.retryAt.set(p.name, 0);
    this.held.add(p.name);
    return at;
  }

  private async ensureCheckpoint(p: Projection): Promise<void> {
    await this.state.ensureCheckpoint(p.name);
    this.ensured.add(p.name);
  }

  private async cursor(p: Projection): Promise<Cursor> {
    if (p.volatile) return this.memory.get(p.name) ?? START;
    return (await this.state.checkpoint(p.name)) ?? START;
  }

  /** How far the projection named `name` has applied the outbox; null when this projector does not run it. */
  private async followedCursor(name: string): Promise<Cursor | null> {
    const followed = this.projections.find((x) => x.name === name);
    return followed ? this.cursor(followed) : null;
  }

  /** Moves the checkpoint; false (and nothing moved) when this process lost the lease meanwhile. */
  private async advance(p: Projection, to: Cursor): Promise<boolean> {
    if (p.volatile) {
      this.memory.set(p.name, to);
      return true;
    }
    return this.state.advance(p.name, to, this.owner);
  }

  /**
   * Starts an in-memory projection over from the tables: its checkpoint goes to the newest committed
   * event first, then every record is read (a later snapshot, so it sees at least what that event
   * announced); events after the checkpoint follow once the records are applied.
   */
  private async rebuildInMemory(p: Projection): Promise<void> {
    const newest = await this.outbox.newestCommitted();
    await p.clear?.();
    this.memory.set(p.name, newest ?? START);
    const records: ProjectionEvent[] = [];
    const tables = new AggregateTablesRepository(this.ds);
    for (const type of AGGREGATE_TYPES) {
      for (const id of await tables.ids(type)) records.push({ seq: '0', type, id, kind: 'UPSERT' });
    }
    this.backfill.set(p.name, records);
  }

  /** The next records of a volatile projection's rebuild; a failure stops the rebuild until the next pass. */
  private async applyBackfill(p: Projection, pending: ProjectionEvent[]): Promise<number> {
    const batch = pending.slice(0, Math.min(p.batchSize ?? Infinity, this.options.batchSize));
    await p.apply(batch);
    pending.splice(0, batch.length);
    if (pending.length === 0) this.backfill.delete(p.name);
    return batch.length;
  }

  private async nextBatch(p: Projection, from: Cursor): Promise<number> {
    // The pruning point comes in the same snapshot as the events: if events this projection never
    // read were deleted, the point lies beyond its checkpoint.
    const { events: rows, prunedTo } = await this.outbox.committedAfter(from, Math.min(p.batchSize ?? Infinity, this.options.batchSize));
    if (rows.length === 0) return 0;
    if (p.volatile && before(from, prunedTo)) {
      this.log.warn('in-memory projection fell behind the pruned outbox; rebuilding it from the tables', { projection: p.name });
      await this.rebuildInMemory(p);
      return 1;
    }
    const upTo = p.follows ? await this.followedCursor(p.follows) : null;
    if (upTo) {
      const ready = rows.findIndex((r) => before(upTo, { txid: String(r.txid), seq: String(r.seq) }));
      if (ready === 0) return 0;
      if (ready > 0) rows.splice(ready);
    }
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

  /**
   * Applies failed events whose retry is due. Looks only when one may be: at a retry this process
   * scheduled, after taking the lease over, after retryParked, and every `retryCheckMs` in case another
   * process scheduled one.
   */
  private async retryDue(p: Projection): Promise<number> {
    const now = Date.now();
    if (now < (this.retryAt.get(p.name) ?? 0)) return 0;
    this.retryAt.set(p.name, now + this.options.retryCheckMs);
    const due = await this.state.due(p.name, this.options.batchSize);
    let applied = 0;
    for (const row of due) {
      const e = toEvent(row);
      try {
        await p.apply([e]);
        await this.state.forgetFailure(p.name, e.seq);
        applied += 1;
      } catch (err) {
        await this.recordFailure(p.name, e.seq, err, row.attempts);
      }
    }
    // More may be due than one batch holds: look again at the next pass.
    if (due.length === this.options.batchSize) this.retryAt.set(p.name, 0);
    return applied;
  }

  private async recordFailure(projection: string, seq: string, err: unknown, previousAttempts: number): Promise<void> {
    const attempts = previousAttempts + 1;
    const parked = attempts >= this.options.maxAttempts;
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    const delay = backoffMs(attempts, { baseMs: this.options.baseDelayMs, maxMs: this.options.maxDelayMs, jitter: [0.8, 1.2] });
    await this.state.recordFailure({ projection, seq, attempts, delayMs: delay, error: message, parked });
    if (parked) this.log.error('projection event parked after repeated failures', { projection, seq, error: message });
    else this.retryAt.set(projection, Math.min(this.retryAt.get(projection) ?? Infinity, Date.now() + delay));
  }
}

interface Loop {
  timer: NodeJS.Timeout | null;
  running: Promise<unknown> | null;
  /** The next idle poll's delay. */
  delay: number;
  /** A commit came while the pass ran: poll again right after it. */
  woken: boolean;
  tick: () => void;
}

/** Whether cursor `a` lies before `b` in commit order. */
function before(a: Cursor, b: Cursor): boolean {
  return BigInt(a.txid) < BigInt(b.txid) || (a.txid === b.txid && BigInt(a.seq) < BigInt(b.seq));
}

/** Appends an UPSERT event for every record (a rebuild through the outbox), in the caller's transaction; returns how many. */
async function queueEveryRecord(tx: Queryable): Promise<number> {
  const outbox = new OutboxRepository(tx);
  let total = 0;
  for (const type of AGGREGATE_TYPES) total += await outbox.appendEveryRecord(type);
  return total;
}

function toEvent(row: Pick<OutboxEventRow, 'seq' | 'aggregate_type' | 'aggregate_id' | 'kind'>): ProjectionEvent {
  return { seq: String(row.seq), type: row.aggregate_type as ProjectionEvent['type'], id: row.aggregate_id, kind: row.kind };
}
