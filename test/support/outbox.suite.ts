import { Client } from 'pg';
import type { Database } from '../../src/hub/database';
import { createLogger } from '../../src/shared/logger';
import type { Projection, ProjectionEvent } from '../../src/sync/projection';
import { DEFAULT_PROJECTOR_OPTIONS, Projector } from '../../src/sync/projector';

/** A stored projection that records what reached it; `hold` makes apply wait until released. */
export class RecordingProjection implements Projection {
  readonly applied: string[] = [];
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  entered = 0;
  constructor(readonly name: string) {}
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
  }
  release(): void {
    this.gate = null;
    this.open();
  }
  async apply(events: ProjectionEvent[]): Promise<void> {
    this.entered += 1;
    if (this.gate) await this.gate;
    this.applied.push(...events.map((e) => e.id));
  }
}

const quiet = createLogger('error');
const options = { ...DEFAULT_PROJECTOR_OPTIONS, leaseMs: 600, pollMs: 50, baseDelayMs: 10 };

export async function writeEvents(db: Database, n: number): Promise<string[]> {
  const rows: { aggregate_id: string }[] = await db.dataSource.query(
    `INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind")
     SELECT 'candidate', gen_random_uuid(), 'UPSERT' FROM generate_series(1, $1::int) RETURNING "aggregate_id"`,
    [n],
  );
  return rows.map((r) => r.aggregate_id);
}

const waitFor = async (what: string, ok: () => boolean, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * The outbox as projectors see it, on one database: every event applied, none skipped, one projector
 * per projection at a time. `openDb` opens the database under test (a second call, a second "process"
 * on real PostgreSQL); `postgresUrl` enables the cases that need two live transactions at once, which
 * the embedded database (one session) cannot have.
 */
export function outboxSuite(openDb: () => Promise<Database>, postgresUrl?: () => string) {
  let db: Database;
  beforeAll(async () => {
    db = await openDb();
  }, 120_000);
  afterAll(() => db?.close());

  it('applies every event once per pass in commit order, and reports lag 0 only when everything is applied', async () => {
    const p = new RecordingProjection(`rec-${Date.now()}`);
    const projector = new Projector(db.dataSource, [p], quiet, options);
    await projector.reconcile();
    const ids = await writeEvents(db, 450);
    await projector.drain(60_000);
    expect(p.applied.slice(-450)).toEqual(ids);
    const [status] = await projector.status();
    expect(status.lag).toBe(0);
    await projector.stop();
  });

  it('passes only the projections named (a search-only sync) and counts the time spent in each', async () => {
    const asked = new RecordingProjection(`asked-${Date.now()}`);
    const other = new RecordingProjection(`other-${Date.now()}`);
    const projector = new Projector(db.dataSource, [asked, other], quiet, options);
    await projector.reconcile();
    const ids = await writeEvents(db, 30);
    while ((await projector.runOnce([asked.name])) > 0);
    expect(asked.applied.slice(-30)).toEqual(ids);
    expect(other.applied).toEqual([]);
    const lag = new Map((await projector.status()).map((x) => [x.projection, x.lag]));
    expect(lag.get(asked.name)).toBe(0);
    expect(lag.get(other.name)).toBeGreaterThanOrEqual(30);
    expect([...projector.passSeconds().keys()]).toEqual([asked.name]);
    await projector.stop();
  });

  it('prunes what every projection applied and keeps what a lagging one still needs', async () => {
    const ahead = new RecordingProjection(`ahead-${Date.now()}`);
    const behind = new RecordingProjection(`behind-${Date.now()}`);
    const fast = new Projector(db.dataSource, [ahead], quiet, options);
    const slow = new Projector(db.dataSource, [behind], quiet, options);
    // Only these two follow the outbox here (earlier cases left their checkpoints behind).
    await db.dataSource.query(`DELETE FROM "projection_checkpoint" WHERE "projection" NOT IN ($1, $2)`, [ahead.name, behind.name]);
    await fast.reconcile();
    await slow.reconcile();
    const old = await writeEvents(db, 20);
    await fast.drain(60_000);
    await slow.drain(60_000);
    const recent = await writeEvents(db, 20);
    await fast.drain(60_000);
    const left = async () =>
      ((await db.dataSource.query(`SELECT "aggregate_id" FROM "outbox_event"`)) as { aggregate_id: string }[]).map((r) => r.aggregate_id);

    // Inside the retention window nothing goes, applied or not.
    expect(await fast.prune(60 * 60_000)).toBe(0);
    expect(await left()).toEqual(expect.arrayContaining([...old, ...recent]));

    await fast.prune(0);
    const kept = await left();
    expect(kept.filter((id) => old.includes(id))).toEqual([]);
    expect(kept).toEqual(expect.arrayContaining(recent));
    // The lagging projection still gets every event it had not applied.
    await slow.drain(60_000);
    expect(behind.applied.slice(-20)).toEqual(recent);

    // Now both applied everything: all goes but the newest event (the head syncStatus reports).
    await slow.prune(0);
    expect(await left()).toEqual([recent[19]]);
    const [status] = await slow.status();
    expect(status.lag).toBe(0);
    expect(status.headSeq).toBe(status.lastSeq);
    await fast.stop();
    await slow.stop();
  });

  it('keeps events a failure record points at, so a parked event can still be retried', async () => {
    const failing = new RecordingProjection(`failing-${Date.now()}`);
    const [poisoned] = await writeEvents(db, 1);
    failing.apply = async (events) => {
      if (events.some((e) => e.id === poisoned)) throw new Error('poisoned');
      failing.applied.push(...events.map((e) => e.id));
    };
    const projector = new Projector(db.dataSource, [failing], quiet, { ...options, maxAttempts: 1 });
    await db.dataSource.query(`DELETE FROM "projection_checkpoint" WHERE "projection" <> $1`, [failing.name]);
    await projector.reconcile();
    await writeEvents(db, 2);
    await projector.drain(60_000);
    expect((await projector.status())[0].parked).toBe(1);
    await projector.prune(0);
    const [status] = await projector.status();
    expect(status.parked).toBe(1);
    expect(status.lastErrors[0].id).toBe(poisoned);
    await projector.stop();
  });

  it('costs few statements when idle, backs off, and a commit of this process wakes it at once', async () => {
    const stored = new RecordingProjection(`idle-${Date.now()}`);
    const memory = Object.assign(new RecordingProjection(`idle-memory-${Date.now()}`), { volatile: true });
    const projector = new Projector(db.dataSource, [stored, memory], quiet, { ...options, pollMs: 50, idlePollMs: 400 });
    await projector.reconcile();
    await projector.drain(60_000);

    // One idle pass: the lease renewal reads the checkpoint, then one batch read each.
    let before = db.statementCount();
    expect(await projector.runOnce()).toBe(0);
    expect(db.statementCount() - before).toBeLessThanOrEqual(3);

    // Idle in the background: polls back off to one per idlePollMs, so at most that many passes.
    projector.start();
    await new Promise((r) => setTimeout(r, 500));
    before = db.statementCount();
    const windowMs = 4_000;
    await new Promise((r) => setTimeout(r, windowMs));
    const passes = windowMs / 400 + 2;
    expect(db.statementCount() - before).toBeLessThanOrEqual(passes * 3);

    // A transaction committed here wakes the loops: no need to wait for the next poll.
    await projector.stop();
    const sleepy = new Projector(db.dataSource, [stored], quiet, { ...options, pollMs: 60_000, idlePollMs: 60_000 });
    sleepy.start();
    // Let its first pass find nothing: the next poll is a minute away.
    await new Promise((r) => setTimeout(r, 1_000));
    const [id] = await db.dataSource.transaction(async (em) =>
      (
        (await em.query(
          `INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") VALUES ('candidate', gen_random_uuid(), 'UPSERT') RETURNING "aggregate_id"`,
        )) as { aggregate_id: string }[]
      ).map((r) => r.aggregate_id),
    );
    await waitFor('the woken projector to apply the write', () => stored.applied.includes(id), 30_000);
    await sleepy.stop();
  }, 60_000);

  if (postgresUrl) {
    it('never skips a transaction that took a lower seq and committed after a higher one was read', async () => {
      const p = new RecordingProjection(`late-${Date.now()}`);
      const projector = new Projector(db.dataSource, [p], quiet, options);
      await projector.reconcile();
      await projector.drain(60_000);
      const slow = new Client({ connectionString: postgresUrl() });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        const [late] = (
          await slow.query(
            `INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") VALUES ('candidate', gen_random_uuid(), 'UPSERT') RETURNING "seq", "aggregate_id"`,
          )
        ).rows;
        const [early] = await writeEvents(db, 1);
        const [{ seq: earlySeq }] = await db.dataSource.query(`SELECT "seq" FROM "outbox_event" WHERE "aggregate_id" = $1`, [early]);
        expect(BigInt(earlySeq)).toBeGreaterThan(BigInt(late.seq));
        // The later seq committed first: it waits behind the open transaction instead of moving past it.
        await projector.runOnce();
        expect(p.applied).not.toContain(early);
        await slow.query('COMMIT');
        await projector.drain(60_000);
        expect(p.applied).toContain(late.aggregate_id);
        expect(p.applied).toContain(early);
      } finally {
        await slow.end();
        await projector.stop();
      }
    });

    it('lets one projector hold a projection; another takes over when the holder dies mid-batch', async () => {
      const name = `lease-${Date.now()}`;
      const first = new RecordingProjection(name);
      const second = new RecordingProjection(name);
      const holderDb = await openDb();
      // A lease long enough that the holder's renewals (every third of it) land in time on a machine
      // at load 10; the takeover still waits for it to lapse, which is what is tested.
      const leased = { ...options, leaseMs: 5_000 };
      const holder = new Projector(holderDb.dataSource, [first], quiet, leased);
      const other = new Projector(db.dataSource, [second], quiet, leased);
      await holder.reconcile();
      await other.reconcile();
      const ids = await writeEvents(db, 30);
      first.hold();
      const stuck = holder.runOnce().catch(() => 'died');
      await waitFor('the holder to start its batch', () => first.entered > 0);
      // A live holder renews its lease while it works: the other projector keeps off.
      await new Promise((r) => setTimeout(r, leased.leaseMs * 2));
      expect(await other.runOnce()).toBe(0);
      expect(second.applied).toEqual([]);
      // The holder dies (its connections are gone, as after kill -9): the other takes over once the lease lapses.
      await holderDb.close();
      await other.drain(60_000);
      expect(second.applied).toEqual(expect.arrayContaining(ids));
      first.release();
      expect(await stuck).toBe('died');
      const [status] = await other.status();
      expect(status.lag).toBe(0);
      await other.stop();
    }, 120_000);
  }
}
