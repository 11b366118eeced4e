/**
 * npm run bench:peer [-- --candidates 10000 --rounds 5 --seconds 15 --connections 10 --profile DIR]
 *
 * MatchHub's GraphQL data hub side by side with PostGraphile 5 (Amber preset) on the same PostgreSQL
 * server and the same data (issue 14), for
 *   Q50: the first 50 candidates by (name, id) with experiences { title company { name } } and
 *        skills { level skill { name } },
 *   Q1:  one candidate by id (1,000 ids in turn), same fields,
 * each written in each server's own dialect. Needs `bash services/up.sh postgres` (DATABASE_URL is taken
 * from the environment or .services/env). The data lives in its own database, matchhub_peer_<candidates>,
 * seeded once with MatchHub's demo generator (seed 1) and reused on a rerun.
 *
 * Each server runs in a child process of its own on this Node (MatchHub with the flags of `npm start`,
 * PostGraphile with GRAPHILE_ENV=production), both with a pool of 10; a third child generates the load
 * (`--connections` keep-alive connections, closed loop). Before timing, both servers must return the same
 * candidates in the same order with the same names, experiences (title, company name, in order) and skills
 * (level and name, as a multiset: MatchHub breaks level ties by skill name, which PostGraphile cannot
 * order by). Then `--rounds` rounds, each timing every query on both servers for `--seconds`, the
 * servers' order alternating. Printed per query and server: req/s (median of the rounds), p50/p99
 * latency over all rounds, the server's CPU ms per request, SQL statements per request, and the ratio
 * MatchHub/PostGraphile of req/s (median and range of the rounds' ratios). Figures are printed, never
 * asserted.
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createServices } from '../src/app/app';
import { loadConfig } from '../src/shared/config';
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';
import { createLogger } from '../src/shared/logger';
import type { LoadJob, LoadResult, ServerReady, ServerSample } from './peer-ipc';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const SEED = 1;

function serverUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const file = path.resolve('.services', 'env');
  const line = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').match(/^DATABASE_URL=(.+)$/m) : null;
  if (!line) throw new Error('no DATABASE_URL: start PostgreSQL with `bash services/up.sh postgres`');
  return line[1].trim();
}

/**
 * The bench's database on that server, seeded with `candidates` demo candidates. A database whose
 * comment does not record a finished seed of that size (an interrupted run) is dropped and seeded anew.
 */
async function seededDatabase(url: string, candidates: number): Promise<string> {
  const name = `matchhub_peer_${candidates}`;
  const mark = `bench:peer seed ${SEED}, ${candidates} candidates`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    const [row] = (await admin.query(`SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1`, [name]))
      .rows;
    const target = new URL(url);
    target.pathname = `/${name}`;
    if (row?.mark === mark) return target.toString();
    if (row) await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const log = createLogger('error');
    const services = await createServices(
      loadConfig({
        ...process.env,
        DATABASE_URL: target.toString(),
        MATCHHUB_DATA_DIR: path.resolve('.data', 'bench-peer'),
        LOG_LEVEL: 'error',
      }),
      log,
    );
    const t = Date.now();
    process.stderr.write(`seeding ${candidates} candidates into ${name}...\n`);
    const report = await services.seeds.seedDemo({ candidates, seed: SEED, taxonomy: loadTaxonomy() });
    await services.close();
    if (report.failed) throw new Error(`seeding failed for ${report.failed} records: ${report.firstErrors.join('; ')}`);
    process.stderr.write(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    await admin.query(`COMMENT ON DATABASE "${name}" IS '${mark}'`);
    return target.toString();
  } finally {
    await admin.end();
  }
}

const MATCHHUB_FIELDS = `id name experiences { title company { name } } skills { level skill { name } }`;
const MATCHHUB = {
  q50: `{ candidates(first: 50, sort: { field: NAME }) { edges { node { ${MATCHHUB_FIELDS} } } } }`,
  q1: `query($id: ID!) { candidate(id: $id) { ${MATCHHUB_FIELDS} } }`,
};
/** `check` adds the columns the comparison needs and the timed query does not ask for. */
const postgraphileFields = (check: boolean) =>
  `id name${check ? ' rowId' : ''} experiencesByCandidateId { nodes { title${check ? ' position' : ''} companyByCompanyId { name } } } candidateSkillsByCandidateId { nodes { level skillBySkillId { name } } }`;
const POSTGRAPHILE = {
  q50: (check = false) => `{ allCandidates(first: 50, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { ${postgraphileFields(check)} } } }`,
  q1: (check = false) => `query($id: UUID!) { candidateByRowId(rowId: $id) { ${postgraphileFields(check)} } }`,
};

interface Named {
  name: string;
}
interface MatchHubCandidate {
  id: string;
  name: string;
  experiences: { title: string; company: Named | null }[];
  skills: { level: number | null; skill: Named }[];
}
interface PostGraphileCandidate {
  rowId: string;
  name: string;
  experiencesByCandidateId: { nodes: { title: string; position: number; companyByCompanyId: Named | null }[] };
  candidateSkillsByCandidateId: { nodes: { level: number | null; skillBySkillId: Named }[] };
}

/** What both servers must agree on, one candidate: experiences in order, skills as a sorted multiset. */
const sortedSkills = (skills: [number | null, string][]) =>
  skills.sort((a, b) => (b[0] ?? -1) - (a[0] ?? -1) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
interface Compared {
  id: string;
  name: string;
  experiences: [string, string | null][];
  skills: [number | null, string][];
}
const fromMatchHub = (c: MatchHubCandidate): Compared => ({
  id: Buffer.from(c.id, 'base64url')
    .toString()
    .replace(/^Candidate:/, ''),
  name: c.name,
  experiences: c.experiences.map((e): [string, string | null] => [e.title, e.company?.name ?? null]),
  skills: sortedSkills(c.skills.map((s): [number | null, string] => [s.level, s.skill.name])),
});
const fromPostGraphile = (c: PostGraphileCandidate): Compared => ({
  id: c.rowId,
  name: c.name,
  experiences: [...c.experiencesByCandidateId.nodes]
    .sort((a, b) => a.position - b.position)
    .map((e): [string, string | null] => [e.title, e.companyByCompanyId?.name ?? null]),
  skills: sortedSkills(c.candidateSkillsByCandidateId.nodes.map((s): [number | null, string] => [s.level, s.skillBySkillId.name])),
});

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  headers: Record<string, string>;
}

/** The next message of `type` from `child`; rejects if the child exits first. */
function message<T>(child: ChildProcess, type: string, name: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== type) return;
      done();
      resolve(m as T);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`${name} exited (code ${code}) while the bench waited for '${type}'`));
    };
    const done = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function startServerChild(name: string, file: string, env: NodeJS.ProcessEnv, execArgv: string[]): Promise<Server> {
  const child = fork(path.join(__dirname, file), [], { env, execArgv });
  const ready = await message<ServerReady>(child, 'ready', name);
  return { name, child, url: ready.url, headers: ready.headers };
}

async function sample(server: Server): Promise<ServerSample> {
  const reply = message<ServerSample>(server.child, 'sample', server.name);
  server.child.send({ type: 'sample' });
  return reply;
}

async function post<T>(server: Server, query: string, variables?: object): Promise<T> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`${server.name}: ${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Throws, naming the first difference, unless both servers return the same candidates for Q50 and some Q1s. */
async function checkSameData(matchhub: Server, postgraphile: Server, uuids: string[]) {
  const mh = await post<{ candidates: { edges: { node: MatchHubCandidate }[] } }>(matchhub, MATCHHUB.q50);
  const pg = await post<{ allCandidates: { nodes: PostGraphileCandidate[] } }>(postgraphile, POSTGRAPHILE.q50(true));
  const pairs: [string, Compared[], Compared[]][] = [
    ['Q50', mh.candidates.edges.map((e) => fromMatchHub(e.node)), pg.allCandidates.nodes.map(fromPostGraphile)],
  ];
  for (const uuid of uuids.slice(0, 25)) {
    const one = await post<{ candidate: MatchHubCandidate }>(matchhub, MATCHHUB.q1, { id: globalId(uuid) });
    const other = await post<{ candidateByRowId: PostGraphileCandidate }>(postgraphile, POSTGRAPHILE.q1(true), { id: uuid });
    pairs.push([`Q1 ${uuid}`, [fromMatchHub(one.candidate)], [fromPostGraphile(other.candidateByRowId)]]);
  }
  for (const [what, a, b] of pairs) {
    const left = JSON.stringify(a);
    const right = JSON.stringify(b);
    if (left === right) continue;
    let i = 0;
    while (left[i] === right[i]) i++;
    const around = (s: string) => s.slice(Math.max(0, i - 80), i + 80);
    throw new Error(`${what}: the servers disagree at\n  MatchHub:     ...${around(left)}\n  PostGraphile: ...${around(right)}`);
  }
  const all = pairs.flatMap(([, a]) => a);
  if (pairs[0][1].length !== 50 || !all.some((c) => c.experiences.length) || !all.some((c) => c.skills.length)) {
    throw new Error(`Q50 returned ${pairs[0][1].length} candidates, or none with experiences or skills: nothing to compare`);
  }
}

const globalId = (uuid: string) => Buffer.from(`Candidate:${uuid}`).toString('base64url');

interface Tally {
  rates: number[];
  latencies: number[];
  requests: number;
  errors: number;
  firstError?: string;
  cpuMicros: number;
  statements: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const candidates = arg('candidates', 10_000);
  const rounds = arg('rounds', 5);
  const seconds = arg('seconds', 15);
  const profileAt = process.argv.indexOf('--profile');
  const profileDir = profileAt > 0 ? path.resolve(process.argv[profileAt + 1]) : undefined;
  const connections = arg('connections', 10);
  const adminUrl = serverUrl();
  const url = await seededDatabase(adminUrl, candidates);

  const db = new Client({ connectionString: url });
  await db.connect();
  const [{ server_version: pgVersion }] = (await db.query('SHOW server_version')).rows;
  const uuids: string[] = (await db.query('SELECT id FROM candidate ORDER BY id LIMIT 1000')).rows.map((r: { id: string }) => r.id);
  await db.end();

  const env = { ...process.env, DATABASE_URL: url };
  // Started one after the other, so neither start-up competes with the other for the CPU.
  // --profile DIR: each server writes a V8 CPU profile there (matchhub-*.cpuprofile, postgraphile-*.cpuprofile).
  const profile = (name: string) =>
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}-\${pid}.cpuprofile`] : [];
  const matchhub = await startServerChild('MatchHub', 'peer-matchhub.js', env, ['--max-semi-space-size=64', ...profile('matchhub')]);
  const postgraphile = await startServerChild(
    'PostGraphile',
    'peer-postgraphile.js',
    { ...env, GRAPHILE_ENV: 'production' },
    profile('postgraphile'),
  );
  const load = fork(path.join(__dirname, 'peer-load.js'), [], { execArgv: [] });
  const stop = () => {
    for (const s of [matchhub, postgraphile]) if (s.child.connected) s.child.send({ type: 'stop' });
    if (load.connected) load.disconnect();
  };
  try {
    await checkSameData(matchhub, postgraphile, uuids);
    const version = JSON.parse(fs.readFileSync(path.resolve('node_modules', 'postgraphile', 'package.json'), 'utf8')).version;
    console.log(
      `MatchHub vs PostGraphile ${version} (Amber preset), ${candidates} candidates (seed ${SEED}) on PostgreSQL ${pgVersion}, Node ${process.version}, ` +
        `${rounds} rounds x ${seconds} s per query and server, ${connections} connections; both return the same data (Q50 and 25 Q1)`,
    );
    console.log(
      `load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );

    const bodies = {
      Q50: { MatchHub: [JSON.stringify({ query: MATCHHUB.q50 })], PostGraphile: [JSON.stringify({ query: POSTGRAPHILE.q50() })] },
      Q1: {
        MatchHub: uuids.map((id) => JSON.stringify({ query: MATCHHUB.q1, variables: { id: globalId(id) } })),
        PostGraphile: uuids.map((id) => JSON.stringify({ query: POSTGRAPHILE.q1(), variables: { id } })),
      },
    };
    const runLoad = (server: Server, query: 'Q50' | 'Q1', secs: number) => {
      const result = message<LoadResult>(load, 'result', 'the load generator');
      const job: LoadJob = {
        type: 'load',
        url: server.url,
        headers: server.headers,
        bodies: bodies[query][server.name as 'MatchHub'],
        connections,
        seconds: secs,
      };
      load.send(job);
      return result;
    };

    const servers = [matchhub, postgraphile];
    const queries = ['Q50', 'Q1'] as const;
    for (const query of queries) for (const server of servers) await runLoad(server, query, Math.min(3, seconds)); // warm-up
    const tallies = new Map<string, Tally>();
    for (let round = 1; round <= rounds; round++) {
      for (const query of queries) {
        for (const server of round % 2 ? servers : [...servers].reverse()) {
          const before = await sample(server);
          const result = await runLoad(server, query, seconds);
          const after = await sample(server);
          const key = `${query} ${server.name}`;
          const t = tallies.get(key) ?? { rates: [], latencies: [], requests: 0, errors: 0, cpuMicros: 0, statements: 0 };
          t.rates.push(result.requests / (result.elapsedMs / 1000));
          for (const l of result.latencies) t.latencies.push(l);
          t.requests += result.requests;
          t.errors += result.errors;
          t.firstError ??= result.firstError;
          t.cpuMicros += after.cpuMicros - before.cpuMicros;
          t.statements += after.statements - before.statements;
          tallies.set(key, t);
          console.log(`  round ${round} ${key.padEnd(17)} ${t.rates.at(-1)!.toFixed(1).padStart(7)} req/s`);
        }
      }
    }

    console.log(
      `\n${'query'.padEnd(6)}${'server'.padEnd(14)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'CPU ms/req'.padStart(12)}${'SQL/req'.padStart(9)}${'errors'.padStart(8)}`,
    );
    for (const query of queries) {
      for (const server of servers) {
        const t = tallies.get(`${query} ${server.name}`)!;
        t.latencies.sort((a, b) => a - b);
        const pct = (p: number) =>
          t.latencies.length ? t.latencies[Math.min(t.latencies.length - 1, Math.floor((p / 100) * t.latencies.length))].toFixed(1) : '-';
        const sent = t.requests + t.errors;
        console.log(
          `${query.padEnd(6)}${server.name.padEnd(14)}${median(t.rates).toFixed(1).padStart(8)}${pct(50).padStart(9)}${pct(99).padStart(9)}` +
            `${(t.cpuMicros / 1000 / Math.max(1, sent)).toFixed(2).padStart(12)}${(t.statements / Math.max(1, sent)).toFixed(2).padStart(9)}${String(t.errors).padStart(8)}`,
        );
        if (t.firstError) console.log(`      first error: ${t.firstError}`);
      }
      const mh = tallies.get(`${query} MatchHub`)!.rates;
      const pg = tallies.get(`${query} PostGraphile`)!.rates;
      const ratios = mh.map((r, i) => r / pg[i]);
      console.log(
        `${query.padEnd(6)}MatchHub/PostGraphile req/s ${(median(mh) / median(pg)).toFixed(2)} (rounds ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
      );
    }
    console.log(
      `load average at end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
