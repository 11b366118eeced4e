/**
 * npm run bench:ingest [-- --candidates 200 --jobs 40 --idle-seconds 15 --seed 7]
 *
 * Ingest throughput and query latency while the projector works, on the embedded defaults (PGlite,
 * the bundled ONNX model, the embedded search index and graph) in a fresh data directory with a cold
 * embedding cache. The O*NET taxonomy is loaded and synced first (reported, not counted); then the
 * demo generator's records go through the write path (WriteService.importStream, as `import` does)
 * while the server (the real HTTP server, same process, as `serve`) runs its projector.
 *
 * Prints records/s per stage: write (import), embed (passage vectors, busy time of the embedder),
 * index (search upserts), graph (graph projection), and when each projection caught up. A probe in a
 * separate process measures p50/p95 of `searchCandidates` and `candidates(first: 20)` and p99 of
 * `/healthz`, while indexing and then idle for `--idle-seconds`. Figures are printed, never asserted.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../src/app/app';
import { createSchema } from '../src/app/schema';
import { startServer } from '../src/app/server';
import { generateDemo } from '../src/demo/demo-generator';
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

type Phase = 'indexing' | 'idle';
interface Sample {
  op: string;
  phase: Phase;
  ms: number;
}

/** Union of the intervals in which at least one call was running: a stage's busy wall time. */
class Busy {
  private active = 0;
  private since = 0;
  ms = 0;
  items = 0;
  calls = 0;

  async time<T>(items: number, run: () => Promise<T>): Promise<T> {
    if (this.active++ === 0) this.since = performance.now();
    try {
      return await run();
    } finally {
      this.calls += 1;
      this.items += items;
      if (--this.active === 0) this.ms += performance.now() - this.since;
    }
  }
}

function wrap<T extends object>(target: T, method: string, busy: Busy, items: (args: unknown[]) => number): void {
  const original = (target as Record<string, unknown>)[method] as (...args: unknown[]) => Promise<unknown>;
  (target as Record<string, unknown>)[method] = (...args: unknown[]) => busy.time(items(args), () => original.apply(target, args));
}

async function main() {
  const candidates = arg('candidates', 200);
  const jobs = arg('jobs', 40);
  const idleSeconds = arg('idle-seconds', 15);
  const seed = arg('seed', 7);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-ingest-'));
  // Embedded defaults only, whatever the shell points at.
  // The occupation-label pass (46,000 embeddings after the records) is not ingest; SEARCH_TITLE_LABELS=true measures it too.
  const env: NodeJS.ProcessEnv = {
    SEARCH_TITLE_LABELS: 'false',
    ...process.env,
    MATCHHUB_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'error',
  };
  for (const k of ['DATABASE_URL', 'WEAVIATE_URL', 'NEO4J_URI', 'EMBEDDING_API_BASE_URL', 'EMBEDDING_CACHE_DIR', 'EMBEDDING_CACHE'])
    delete env[k];

  const config = loadConfig(env);
  const log = createLogger('error');
  const services = await createServices(config, log);
  const { key } = await services.apiKeys.create('bench', 'admin');
  const server = await startServer(services, await createSchema(), log);

  const embed = new Busy();
  const index = new Busy();
  const passages = { texts: 0 };
  const originalEmbed = services.embedder.embed.bind(services.embedder);
  services.embedder.embed = (texts, options) =>
    options?.kind === 'passage'
      ? embed.time(1, () => ((passages.texts += texts.length), originalEmbed(texts, options)))
      : originalEmbed(texts, options);
  const upserted = new Map<string, number>();
  wrap(services.searchIndex, 'upsert', index, ([collection, docs]) => {
    const n = (docs as unknown[]).length;
    upserted.set(collection as string, (upserted.get(collection as string) ?? 0) + n);
    return n;
  });
  // Each projection's own passes (reads, embedding or graph writes), timed where the projector calls them.
  const applied = new Map<string, Busy>();
  for (const projection of (services.projector as unknown as { projections: { name: string }[] }).projections) {
    applied.set(projection.name, new Busy());
    wrap(projection, 'apply', applied.get(projection.name)!, ([events]) => (events as unknown[]).length);
  }
  const graph = applied.get('graph')!;
  const caughtUp = async (): Promise<Map<string, number>> => {
    const lag = new Map<string, number>();
    for (const s of await services.projector.status()) lag.set(s.projection, s.lag + s.retrying);
    return lag;
  };
  const waitSynced = async (from: number, onEach?: (projection: string, seconds: number) => void): Promise<number> => {
    const done = new Set<string>();
    for (;;) {
      const lag = await caughtUp();
      for (const [p, n] of lag) {
        if (n === 0 && !done.has(p)) {
          done.add(p);
          onEach?.(p, (performance.now() - from) / 1000);
        }
      }
      if (done.size === lag.size) return (performance.now() - from) / 1000;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const taxonomyStart = performance.now();
  const occupations = await services.seeds.ensureTaxonomy(() => loadTaxonomy());
  services.projector.start();
  const taxonomySeconds = await waitSynced(taxonomyStart);
  const reset = () => {
    for (const b of [embed, index, ...applied.values()]) Object.assign(b, { ms: 0, items: 0, calls: 0 });
    passages.texts = 0;
    upserted.clear();
  };
  reset();

  const probe = fork(__filename, ['--probe'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const samples = new Promise<Sample[]>((resolve) => probe.on('message', (m) => resolve(m as Sample[])));
  probe.send({ url: server.url, key, phase: 'indexing' });

  const taxonomy = loadTaxonomy();
  const start = performance.now();
  let line = 0;
  const lines = (function* () {
    for (const value of generateDemo({ seed, candidates, jobs, taxonomy })) yield { line: ++line, value: value as unknown };
  })();
  let written = 0;
  let failed = 0;
  const counts = new Map<string, number>();
  for await (const results of services.writes.importStream(lines, 500)) {
    for (const r of results) {
      if (r.ok) written += 1;
      else failed += 1;
    }
  }
  const writeSeconds = (performance.now() - start) / 1000;
  const caught = new Map<string, number>();
  const syncSeconds = await waitSynced(start, (p, s) => caught.set(p, s));
  probe.send({ phase: 'idle' });
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  probe.send({ phase: 'stop' });
  const all = await samples;
  probe.kill();

  const [{ n: candidateRows }] = await services.db.dataSource.query(`SELECT count(*)::int AS n FROM candidate`);
  counts.set('candidate', candidateRows);
  const profiles = [...upserted.values()].reduce((a, b) => a + b, 0);
  const load = os.loadavg().map((x) => x.toFixed(2));
  const rate = (n: number, ms: number) => (ms > 0 ? (n / (ms / 1000)).toFixed(1) : '-');
  console.log(
    `bench:ingest: ${candidates} candidates, ${jobs} jobs (demo seed ${seed}), embedded defaults, ${os.cpus().length} cores, load ${load.join(' ')}, Node ${process.version}`,
  );
  console.log(`taxonomy: ${occupations} occupations written and synced in ${taxonomySeconds.toFixed(1)} s (not counted below)`);
  console.log(
    `write:  ${written} records (${failed} failed) in ${writeSeconds.toFixed(1)} s = ${rate(written, writeSeconds * 1000)} records/s`,
  );
  console.log(
    `embed:  ${profiles} profiles, ${passages.texts} texts (${(passages.texts / Math.max(1, profiles)).toFixed(1)} a profile) in ${embed.calls} calls, busy ${(embed.ms / 1000).toFixed(1)} s = ${rate(profiles, embed.ms)} profiles/s, ${rate(passages.texts, embed.ms)} texts/s`,
  );
  console.log(
    `index:  ${profiles} documents (${[...upserted].map(([c, n]) => `${c} ${n}`).join(', ')}) in ${index.calls} upserts, busy ${(index.ms / 1000).toFixed(1)} s = ${rate(profiles, index.ms)} documents/s`,
  );
  console.log(
    `graph:  ${graph.items} events in ${graph.calls} passes, busy ${(graph.ms / 1000).toFixed(1)} s = ${rate(graph.items, graph.ms)} records/s`,
  );
  const search = applied.get('search')!;
  console.log(
    `search projection: ${search.items} events in ${search.calls} passes, busy ${(search.ms / 1000).toFixed(1)} s (embed + index + reads)`,
  );
  console.log(
    `caught up after the import started: ${[...caught].map(([p, s]) => `${p} ${s.toFixed(1)} s`).join(', ')}; all ${syncSeconds.toFixed(1)} s`,
  );
  // Peak resident memory of this process, the ONNX worker threads included (not the probe).
  console.log(`memory: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(
    `end to end: ${rate(profiles, syncSeconds * 1000)} profiles/s (${counts.get('candidate')} candidate rows), ${rate(written, syncSeconds * 1000)} records/s`,
  );
  const pct = (xs: number[], p: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(0) : '-');
  for (const op of ['searchCandidates', 'candidates(first: 20)', '/healthz']) {
    const row = (['indexing', 'idle'] as const).map((phase) => {
      const xs = all
        .filter((s) => s.op === op && s.phase === phase)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      return `${phase} n=${xs.length} p50 ${pct(xs, 50)} p95 ${pct(xs, 95)} p99 ${pct(xs, 99)} ms`;
    });
    console.log(`  ${op.padEnd(22)} ${row.join(' | ')}`);
  }
  await server.stop();
  await services.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** The probe: sequential requests per operation, labelled with the phase the parent says it is in. */
function probeMain() {
  let phase: Phase = 'indexing';
  let url = '';
  let key = '';
  let stopped = false;
  const samples: Sample[] = [];
  const queries = ['senior data engineer spark', '高级算法工程师 推荐系统', 'registered nurse', 'product manager fintech'];
  const post = async (query: string, variables?: object) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };
  const loop = async (op: string, pauseMs: number, run: (i: number) => Promise<unknown>) => {
    for (let i = 0; !stopped; i++) {
      const at = phase;
      const t = performance.now();
      try {
        await run(i);
        if (at === phase) samples.push({ op, phase: at, ms: performance.now() - t });
      } catch (err) {
        process.stderr.write(`probe ${op}: ${String(err).slice(0, 200)}\n`);
      }
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: { url?: string; key?: string; phase: Phase | 'stop' }) => {
    if (m.phase === 'stop') {
      stopped = true;
      process.send!(samples, () => process.exit(0));
      return;
    }
    phase = m.phase;
    if (m.url && !url) {
      url = m.url;
      key = m.key!;
      void loop('searchCandidates', 200, (i) =>
        post(`query($q: String!) { searchCandidates(query: $q, first: 10) { edges { node { score candidate { name } } } } }`, {
          q: queries[i % queries.length],
        }),
      );
      void loop('candidates(first: 20)', 200, () => post(`{ candidates(first: 20) { edges { node { id name currentTitle } } } }`));
      void loop('/healthz', 50, () => fetch(url.replace(/\/graphql$/, '/healthz')).then((r) => r.text()));
    }
  });
}

if (process.argv.includes('--probe')) probeMain();
else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
