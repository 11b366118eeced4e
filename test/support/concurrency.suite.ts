import type { TestServer } from './test-server';

/**
 * Many clients at once, as in production: writers create, update and delete candidates while
 * readers read them back by id and by list, and each side keeps a log of what the server
 * acknowledged. Every read must be correct against that log (never another request's row, never
 * an acknowledged record missing, never an older value than one acknowledged before the read
 * began), and after the run the tables must hold exactly the acknowledged writes.
 *
 * The run lasts MATCHHUB_CONCURRENCY_SECONDS (default `seconds`), so the integration suite can
 * run it longer than `npm test` does.
 */
export function concurrencySuite(start: () => Promise<TestServer>, options: { seconds: number; writers: number; readers: number }) {
  const seconds = Number(process.env.MATCHHUB_CONCURRENCY_SECONDS ?? options.seconds);
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  }, 300_000);
  afterAll(() => s?.close());

  it(`keeps every acknowledged write and answers every read correctly (${options.writers} writers, ${options.readers} readers)`, async () => {
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
    let writes = 0;
    let reads = 0;
    const deadline = Date.now() + seconds * 1000;

    const writer = async (w: number) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const mine = [...known.values()].filter((k) => k.name.startsWith(`W${w} `) && !k.deleted && !k.deleting);
        const roll = n % 10;
        if (roll < 5 || mine.length === 0) {
          const externalId = `${w}-${n}`;
          const name = `W${w} N${n}`;
          const r = await s.gql(`mutation($input: CandidateInput!) { createCandidate(input: $input) { id uuid name headline } }`, {
            input: { source, externalId, name, headline: 'v0', skills: [{ skill: 'Python', level: 3 }] },
          });
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
          const r = await s.gql(
            `mutation($id: ID!, $h: String!) { updateCandidate(id: $id, input: { headline: $h }) { id name headline } }`,
            {
              id: k.id,
              h: `v${version}`,
            },
          );
          const c = r.body.data?.updateCandidate;
          if (r.body.errors || !c) problems.push(`update ${k.name} to v${version}: ${JSON.stringify(r.body.errors)}`);
          else if (c.id !== k.id || c.name !== k.name || c.headline !== `v${version}`)
            problems.push(`update ${k.name} answered ${JSON.stringify(c)}`);
          else k.version = Math.max(k.version, version);
        } else {
          const k = mine[0];
          k.deleting = true;
          const r = await s.gql(`mutation($id: ID!) { deleteCandidate(id: $id) }`, { id: k.id });
          if (r.body.errors) problems.push(`delete ${k.name}: ${JSON.stringify(r.body.errors)}`);
          else k.deleted = true;
        }
        writes += 1;
      }
    };

    const reader = async (r: number) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const live = [...known.values()].filter((k) => !k.deleted && !k.deleting);
        if (n % 4 === 3) {
          // A list over this run's records: never fewer than were acknowledged live before it began.
          const before = live.length;
          const res = await s.gql(`query($s: String!) { candidates(first: 1, filter: { source: $s }) { totalCount } }`, { s: source });
          const total = res.body.data?.candidates?.totalCount;
          const inFlight = [...known.values()].filter((k) => k.deleting).length;
          if (res.body.errors || typeof total !== 'number') problems.push(`list: ${JSON.stringify(res.body.errors)}`);
          else if (total < before - inFlight) problems.push(`list: totalCount ${total}, but ${before} were acknowledged live`);
        } else if (live.length > 0) {
          const k = live[(n * 7 + r) % live.length];
          const floor = k.version;
          const res = await s.gql(`query($id: ID!) { candidate(id: $id) { id name headline skills { skill { name } } } }`, { id: k.id });
          const c = res.body.data?.candidate;
          if (res.body.errors) problems.push(`read ${k.name}: ${JSON.stringify(res.body.errors)}`);
          else if (!c) {
            if (!k.deleting && !k.deleted) problems.push(`read ${k.name}: null for an acknowledged record`);
          } else if (c.id !== k.id || c.name !== k.name) problems.push(`read ${k.name}: got another record ${JSON.stringify(c)}`);
          else if (Number(c.headline.slice(1)) < floor) problems.push(`read ${k.name}: ${c.headline} after v${floor} was acknowledged`);
          else if (c.skills.map((x: any) => x.skill.name).join() !== 'Python')
            problems.push(`read ${k.name}: skills ${JSON.stringify(c.skills)}`);
        }
        reads += 1;
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
    process.stderr.write(`concurrency: ${seconds} s, ${writes} writes, ${reads} reads, ${problems.length} problems\n`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(writes).toBeGreaterThan(options.writers * 5);
    expect(reads).toBeGreaterThan(options.readers * 5);
  }, 600_000);
}
