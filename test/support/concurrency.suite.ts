import { performance } from 'node:perf_hooks';
import type { TestServer } from './test-server';

/**
 * Many clients at once, as in production: writers create, update and delete candidates while
 * readers read them back by id and by list, and each side keeps a log of what the server
 * acknowledged. Every read must be correct against that log (never another request's row, never
 * an acknowledged record missing, never an older value than one acknowledged before the read
 * began), and after the run the tables must hold exactly the acknowledged writes.
 *
 * The run lasts MATCHHUB_CONCURRENCY_SECONDS (default `seconds`), so the integration suite can
 * run it longer than `npm test` does, and then on until every client has done its share, however
 * slow the machine: every writer has had a create, an update and a delete acknowledged, every reader
 * has checked a record by id and a list. Every request is logged with when it was sent and answered,
 * and the log must show each reader's requests in flight at the same time as some writer's.
 */

type Op = 'create' | 'update' | 'delete' | 'read' | 'list';
/** One request: which client sent it, when (performance.now()), and whether its answer was correct. */
interface Logged {
  client: string;
  op: Op;
  sent: number;
  answered: number;
  ok: boolean;
}
const WRITES: Op[] = ['create', 'update', 'delete'];
const READS: Op[] = ['read', 'list'];

/** What the log lacks: a client that did not do its share, or a reader never in flight beside a write. */
function shortfalls(log: Logged[], writers: string[], readers: string[]): string[] {
  const out: string[] = [];
  const done = (client: string, op: Op) => log.some((l) => l.client === client && l.op === op && l.ok);
  for (const w of writers) for (const op of WRITES) if (!done(w, op)) out.push(`${w}: no ${op} acknowledged`);
  for (const r of readers) for (const op of READS) if (!done(r, op)) out.push(`${r}: no ${op} checked`);
  const writes = log.filter((l) => WRITES.includes(l.op));
  for (const r of readers) {
    const overlapped = log.some((l) => l.client === r && writes.some((w) => l.sent < w.answered && w.sent < l.answered));
    if (!overlapped) out.push(`${r}: no request in flight while a write was`);
  }
  return out;
}

/** How long the run may go on past its seconds for every client to do its share. */
const RUN_GRACE_MS = 300_000;

export function concurrencySuite(start: () => Promise<TestServer>, options: { seconds: number; writers: number; readers: number }) {
  const seconds = Number(process.env.MATCHHUB_CONCURRENCY_SECONDS ?? options.seconds);
  const timeout = seconds * 1000 + RUN_GRACE_MS + 600_000;
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  }, 300_000);
  afterAll(() => s?.close());

  it(
    `keeps every acknowledged write and answers every read correctly (${options.writers} writers, ${options.readers} readers)`,
    async () => {
      const source = `conc-${Date.now().toString(36)}`;
      /** Acknowledged state per record, as the clients know it. */
      interface Known {
        id: string;
        uuid: string;
        name: string;
        version: number;
        /** Highest version whose update was sent (acknowledged or not yet). */
        sentVersion: number;
        deleted: boolean;
        deleting: boolean;
      }
      const known = new Map<string, Known>();
      const failedCreates: string[] = [];
      const problems: string[] = [];
      const log: Logged[] = [];
      const writerNames = Array.from({ length: options.writers }, (_, w) => `writer W${w}`);
      const readerNames = Array.from({ length: options.readers }, (_, r) => `reader R${r}`);
      /** Sends one request and logs it; `check` says whether it was acknowledged (writes) or checked correct (reads). */
      const logged = async <T>(client: string, op: Op, send: () => Promise<T>, check: (answer: T) => boolean): Promise<T> => {
        const sent = performance.now();
        const answer = await send();
        log.push({ client, op, sent, answered: performance.now(), ok: check(answer) });
        return answer;
      };
      const minimumEnd = Date.now() + seconds * 1000;
      // Not a speed requirement: only a machine that cannot do a few dozen requests in minutes fails here.
      const hardEnd = minimumEnd + RUN_GRACE_MS;
      const running = () => Date.now() < hardEnd && (Date.now() < minimumEnd || shortfalls(log, writerNames, readerNames).length > 0);

      const writer = async (w: number) => {
        const me = writerNames[w];
        for (let n = 0; running(); n++) {
          const mine = [...known.values()].filter((k) => k.name.startsWith(`W${w} `) && !k.deleted && !k.deleting);
          const roll = n % 10;
          if (roll < 5 || mine.length === 0) {
            const externalId = `${w}-${n}`;
            const name = `W${w} N${n}`;
            const r = await logged(
              me,
              'create',
              () =>
                s.gql(`mutation($input: CandidateInput!) { createCandidate(input: $input) { id uuid name headline } }`, {
                  input: { source, externalId, name, headline: 'v0', skills: [{ skill: 'Python', level: 3 }] },
                }),
              (r) => !r.body.errors && !!r.body.data?.createCandidate,
            );
            const c = r.body.data?.createCandidate;
            if (r.body.errors || !c) {
              failedCreates.push(externalId);
              problems.push(`create ${externalId}: ${JSON.stringify(r.body.errors)}`);
            } else {
              if (c.name !== name || c.headline !== 'v0') problems.push(`create ${externalId} answered ${JSON.stringify(c)}`);
              known.set(c.id, { id: c.id, uuid: c.uuid, name, version: 0, sentVersion: 0, deleted: false, deleting: false });
            }
          } else if (roll < 9) {
            const k = mine[n % mine.length];
            const version = k.sentVersion + 1;
            k.sentVersion = version;
            const r = await logged(
              me,
              'update',
              () =>
                s.gql(`mutation($id: ID!, $h: String!) { updateCandidate(id: $id, input: { headline: $h }) { id name headline } }`, {
                  id: k.id,
                  h: `v${version}`,
                }),
              (r) => !r.body.errors && !!r.body.data?.updateCandidate,
            );
            const c = r.body.data?.updateCandidate;
            if (r.body.errors || !c) problems.push(`update ${k.name} to v${version}: ${JSON.stringify(r.body.errors)}`);
            else if (c.id !== k.id || c.name !== k.name || c.headline !== `v${version}`)
              problems.push(`update ${k.name} answered ${JSON.stringify(c)}`);
            else k.version = Math.max(k.version, version);
          } else {
            const k = mine[0];
            k.deleting = true;
            const r = await logged(
              me,
              'delete',
              () => s.gql(`mutation($id: ID!) { deleteCandidate(id: $id) }`, { id: k.id }),
              (r) => !r.body.errors,
            );
            if (r.body.errors) problems.push(`delete ${k.name}: ${JSON.stringify(r.body.errors)}`);
            else k.deleted = true;
          }
        }
      };

      const reader = async (r: number) => {
        const me = readerNames[r];
        for (let n = 0; running(); n++) {
          const live = [...known.values()].filter((k) => !k.deleted && !k.deleting);
          if (n % 4 === 3) {
            // A list over this run's records: never fewer than were acknowledged live before it began.
            const before = live.length;
            let problem: string | null = null;
            await logged(
              me,
              'list',
              () => s.gql(`query($s: String!) { candidates(first: 1, filter: { source: $s }) { totalCount } }`, { s: source }),
              (res) => {
                const total = res.body.data?.candidates?.totalCount;
                const inFlight = [...known.values()].filter((k) => k.deleting).length;
                if (res.body.errors || typeof total !== 'number') problem = `list: ${JSON.stringify(res.body.errors)}`;
                else if (total < before - inFlight) problem = `list: totalCount ${total}, but ${before} were acknowledged live`;
                return problem === null;
              },
            );
            if (problem) problems.push(problem);
          } else if (live.length > 0) {
            const k = live[(n * 7 + r) % live.length];
            const floor = k.version;
            let problem: string | null = null;
            await logged(
              me,
              'read',
              () => s.gql(`query($id: ID!) { candidate(id: $id) { id name headline skills { skill { name } } } }`, { id: k.id }),
              (res) => {
                const c = res.body.data?.candidate;
                if (res.body.errors) problem = `read ${k.name}: ${JSON.stringify(res.body.errors)}`;
                else if (!c) {
                  if (!k.deleting && !k.deleted) problem = `read ${k.name}: null for an acknowledged record`;
                  return false; // a record deleted meanwhile: correct, but nothing was checked
                } else if (c.id !== k.id || c.name !== k.name) problem = `read ${k.name}: got another record ${JSON.stringify(c)}`;
                else if (Number(c.headline.slice(1)) < floor) problem = `read ${k.name}: ${c.headline} after v${floor} was acknowledged`;
                else if (c.skills.map((x: any) => x.skill.name).join() !== 'Python')
                  problem = `read ${k.name}: skills ${JSON.stringify(c.skills)}`;
                return problem === null;
              },
            );
            if (problem) problems.push(problem);
          } else {
            await new Promise((resolve) => setTimeout(resolve, 10)); // nothing acknowledged yet to read
          }
        }
      };

      await Promise.all([
        ...Array.from({ length: options.writers }, (_, w) => writer(w)),
        ...Array.from({ length: options.readers }, (_, r) => reader(r)),
      ]);

      // The tables hold exactly what was acknowledged.
      const rows: { id: string; name: string; headline: string }[] = await s.sql(
        `SELECT id, name, headline FROM candidate WHERE source = $1`,
        [source],
      );
      const stored = new Map(rows.map((row) => [row.id, row]));
      for (const k of known.values()) {
        const row = stored.get(k.uuid);
        if (k.deleted && row) problems.push(`after: ${k.name} was deleted but is stored`);
        if (!k.deleted && !row) problems.push(`after: ${k.name} was acknowledged but is missing`);
        if (row && row.headline !== `v${k.version}`) problems.push(`after: ${k.name} stored ${row.headline}, acknowledged v${k.version}`);
      }
      const live = [...known.values()].filter((k) => !k.deleted).length;
      if (rows.length !== live) problems.push(`after: ${rows.length} rows stored, ${live} acknowledged live`);
      for (const externalId of failedCreates) {
        const [row] = await s.sql(`SELECT 1 FROM candidate WHERE source = $1 AND external_id = $2`, [source, externalId]);
        if (row) problems.push(`after: failed create ${externalId} is stored`);
      }
      // The projections catch up to exactly the tables: every live record found, every deleted one gone.
      await s.services.projector.drain(600_000);
      const [{ n }] = await s.sql(`SELECT count(*)::int AS n FROM candidate`);
      const indexed = await s.services.searchIndex.count('candidate');
      if (indexed !== n) problems.push(`after drain: ${indexed} candidates indexed, ${n} in the table`);
      for (const k of known.values()) {
        const inGraph = await s.services.graph.neighborhood({ id: k.uuid, depth: 1, limit: 1 }).then(
          () => true,
          () => false,
        );
        if (inGraph === k.deleted) problems.push(`after drain: ${k.name} ${k.deleted ? 'deleted but still' : 'missing'} in the graph`);
      }
      const writes = log.filter((l) => WRITES.includes(l.op));
      const reads = log.filter((l) => READS.includes(l.op));
      const overlapping = reads.filter((r) => writes.some((w) => r.sent < w.answered && w.sent < r.answered)).length;
      const ranFor = (Math.max(...log.map((l) => l.answered)) - Math.min(...log.map((l) => l.sent))) / 1000;
      process.stderr.write(
        `concurrency: ${ranFor.toFixed(1)} s, ${writes.length} writes, ${reads.length} reads (${overlapping} while a write was in flight), ${problems.length} problems\n`,
      );
      expect(problems.slice(0, 20)).toEqual([]);
      // Every client did its share, and the log's timestamps show reads and writes in flight together.
      expect(shortfalls(log, writerNames, readerNames)).toEqual([]);
    },
    timeout,
  );
}
