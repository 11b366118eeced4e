/**
 * npm run bench:soak [-- --clients 50 --minutes 10 --candidates 300 --creates 1 --gc 0]
 *
 * Many clients for a long time, as in production: starts `matchhub serve` as its own process on a
 * fresh embedded data directory (or DATABASE_URL), waits until the demo data is indexed, then runs
 * `clients` concurrent clients on a mixed workload (nested reads, lists, hybrid search, the relation
 * graph, writes, syncStatus) for `minutes`. Prints errors, latency percentiles per operation and the
 * server's resident memory over time. `--creates 0` turns creates into updates, so the data stops
 * growing and memory should stay flat. Figures are printed, never asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBenchServer } from './bench-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const rssMiB = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

async function main() {
  const clients = arg('clients', 50);
  const minutes = arg('minutes', 10);
  const candidates = arg('candidates', 300);
  const creates = arg('creates', 1) > 0;
  // --gc 1: a full collection before each memory sample, to tell retained memory from garbage (slows the server).
  const gc = arg('gc', 0) > 0;
  const root = path.join(__dirname, '..', '..');
  const probeFile = path.join(os.tmpdir(), `matchhub-soak-probe-${process.pid}.jsonl`);
  const server = await startBenchServer({
    name: 'soak',
    candidates,
    nodeArgs: [...(gc ? ['--expose-gc'] : []), '--require', path.join(root, 'dist', 'bench', 'soak-probe.js')],
    // The soak starts once indexing is done; the occupation-label pass would add minutes before it.
    env: {
      SEARCH_TITLE_LABELS: process.env.SEARCH_TITLE_LABELS ?? 'false',
      SOAK_PROBE_FILE: probeFile,
      ...(gc ? { SOAK_PROBE_GC: '1' } : {}),
    },
  });
  const post = server.post;
  // Indexing the demo data keeps the server busy: a status request that times out is asked again.
  for (;;) {
    const status: { lag: number }[] | null = await post('{ syncStatus { lag } }').then(
      (d) => d.syncStatus,
      () => null,
    );
    if (status?.every((s) => s.lag === 0)) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const ids: string[] = (await post('{ candidates(first: 200) { edges { node { id } } } }')).candidates.edges.map((e: any) => e.node.id);
  const companies: string[] = (await post('{ companies(first: 50) { edges { node { id } } } }')).companies.edges.map((e: any) => e.node.id);
  const queries = ['senior data engineer spark', '高级算法工程师 推荐系统', 'registered nurse', 'product manager fintech'];
  const ops: [string, number, (i: number) => Promise<unknown>][] = [
    [
      'candidate by id',
      30,
      (i) =>
        post(`query($id: ID!) { candidate(id: $id) { name experiences { title company { name } } skills { skill { name } } } }`, {
          id: ids[i % ids.length],
        }),
    ],
    [
      '50 candidates',
      15,
      () => post(`{ candidates(first: 50) { edges { node { name experiences { title } skills { skill { name } } } } } }`),
    ],
    [
      'searchCandidates',
      15,
      (i) =>
        post(`query($q: String!) { searchCandidates(query: $q, first: 10) { edges { node { score candidate { name } } } } }`, {
          q: queries[i % queries.length],
        }),
    ],
    [
      'neighborhood',
      10,
      (i) =>
        post(`query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 50) { nodes { id } edges { type } } }`, { id: ids[i % ids.length] }),
    ],
    [
      'talentFlow',
      5,
      (i) => post(`query($id: ID!) { talentFlow(companyId: $id, direction: OUT) { total } }`, { id: companies[i % companies.length] }),
    ],
    [
      'createCandidate',
      creates ? 10 : 0,
      (i) =>
        post(
          `mutation($n: String!) { createCandidate(input: { name: $n, currentTitle: "Data engineer", skills: [{ skill: "Python", level: 3 }] }) { id } }`,
          { n: `Soak ${i}` },
        ),
    ],
    [
      'updateCandidate',
      creates ? 10 : 20,
      (i) =>
        post(`mutation($id: ID!, $h: String!) { updateCandidate(id: $id, input: { headline: $h }) { id } }`, {
          id: ids[i % ids.length],
          h: `soak ${i}`,
        }),
    ],
    ['syncStatus', 5, () => post('{ syncStatus { lag } }')],
  ];
  const weights = ops.flatMap(([, w], k) => Array<number>(w).fill(k));
  const latencies = new Map<string, number[]>(ops.map(([name]) => [name, []]));
  const errors = new Map<string, number>();
  const rss: number[] = [rssMiB(server.child.pid!)];
  const sampler = setInterval(() => rss.push(rssMiB(server.child.pid!)), 10_000);
  const fromMs = Date.now();
  const deadline = fromMs + minutes * 60_000;
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        const i = n++;
        const [name, , run] = ops[weights[(i * 7919) % weights.length]];
        const t = performance.now();
        try {
          await run(i);
          latencies.get(name)!.push(performance.now() - t);
        } catch (err) {
          const key = `${name}: ${String(err).slice(0, 120)}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  clearInterval(sampler);
  rss.push(rssMiB(server.child.pid!));
  const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(0) : '-');
  const all = [...latencies.values()].flat().sort((a, b) => a - b);
  console.log(
    `soak: ${clients} clients x ${minutes} min, ${candidates} demo candidates, embedded unless DATABASE_URL, Node ${process.version}`,
  );
  console.log(
    `requests ${all.length} ok, ${[...errors.values()].reduce((a, b) => a + b, 0)} errors; all: p50 ${pct(all, 50)} ms, p99 ${pct(all, 99)} ms, max ${pct(all, 100)} ms`,
  );
  for (const [name, xs] of latencies) {
    xs.sort((a, b) => a - b);
    console.log(
      `  ${name.padEnd(18)} ${String(xs.length).padStart(7)}  p50 ${pct(xs, 50).padStart(6)} ms  p99 ${pct(xs, 99).padStart(6)} ms`,
    );
  }
  for (const [key, count] of errors) console.log(`  error x${count}: ${key}`);
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `server RSS MiB: start ${rss[0].toFixed(0)}, first tenth ${mean(rss.slice(0, tenth)).toFixed(0)}, last tenth ${mean(rss.slice(-tenth)).toFixed(0)}, max ${Math.max(...rss).toFixed(0)}`,
  );
  const rssAt = (k: number) => rss[Math.min(rss.length - 1, Math.round(k * (rss.length - 1)))].toFixed(0);
  console.log(`server RSS MiB over the run (every tenth): ${Array.from({ length: 11 }, (_, k) => rssAt(k / 10)).join(' ')}`);
  printProbe(probeFile, fromMs);
  fs.rmSync(probeFile, { force: true });
  await server.stop(async (dataDir) => {
    if (!process.env.DATABASE_URL) await printTables(path.join(dataDir, 'pg'));
  });
}

/** The server's memory by kind (soak-probe.ts), at the load's start and end and its peak. */
function printProbe(file: string, fromMs: number): void {
  if (!fs.existsSync(file)) return;
  type Sample = {
    t: number;
    rss: number;
    heapUsed: number;
    heapTotal: number;
    external: number;
    arrayBuffers: number;
    wasm: number[];
    wasmResident: number;
    mallocResident: number;
  };
  const samples: Sample[] = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Sample)
    .filter((s) => s.t >= fromMs);
  if (samples.length < 2) return;
  const [first, last] = [samples[0], samples[samples.length - 1]];
  const kinds = ['rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers', 'wasmResident', 'mallocResident'] as const;
  console.log('server memory MiB (start -> end, peak):');
  for (const k of kinds) console.log(`  ${k.padEnd(13)} ${first[k]} -> ${last[k]}, peak ${Math.max(...samples.map((s) => s[k]))}`);
  first.wasm.forEach((_, i) =>
    console.log(`  wasm memory ${i}  ${first.wasm[i]} -> ${last.wasm[i]}, peak ${Math.max(...samples.map((s) => s.wasm[i] ?? 0))}`),
  );
}

/** Rows, dead rows and on-disk size of the largest tables, read from the data directory after the server stopped. */
async function printTables(dir: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir: dir });
  try {
    const { rows } = await db.query<{ relname: string; live: number; dead: number; mib: string }>(
      `SELECT relname, n_live_tup::int AS live, n_dead_tup::int AS dead,
              round(pg_total_relation_size(relid) / 1048576.0, 1)::text AS mib
         FROM pg_stat_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 8`,
    );
    const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "outbox_event"`)).rows;
    console.log(`tables after the run (outbox_event: ${n} rows):`);
    for (const r of rows) console.log(`  ${r.relname.padEnd(22)} ${r.mib.padStart(7)} MiB  ${r.live} live, ${r.dead} dead rows`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
