/**
 * `npm run bench:search` — indexing throughput and query latency of the search adapters on
 * generated candidates, embedded vs Weaviate side by side (Weaviate when `.services/env` names
 * one). Figures are printed, never asserted.
 *
 * Options: --docs 10000[,100000] --queries 200 --dims 384 --data ../shared/data --embed-sample 64
 *
 * Documents are synthetic but shaped like real ones: titles, skills, tasks and descriptions drawn
 * from O*NET (plus TalentCLEF Chinese titles for a third of them), two 384-dimension section
 * vectors clustered around their occupation (so vector search has structure, like model output).
 * The model is not in the loop: index throughput is measured on precomputed vectors, and when the
 * project's embedder exists its own throughput is printed beside it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded-search-index';
import type { SearchDocument, SearchIndex, SearchRequest } from '../src/adapters/search/search-index';
import { WeaviateSearchIndex } from '../src/adapters/search/weaviate-search-index';
import { loadEmbedder, readServicesEnv } from './search-bench-support';
import { uuidFor } from './search-eval-data';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const LOCATIONS = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Singapore', 'London', 'New York', 'Berlin'];
const SENIORITIES = ['JUNIOR', 'MID', 'SENIOR', 'LEAD', 'PRINCIPAL'];

interface Source {
  occupations: Array<{ code: string; title: string; description: string }>;
  skillsByCode: Map<string, string[]>;
  tasksByCode: Map<string, string[]>;
  zhTitles: string[];
}

function loadSource(data: string): Source {
  const rows = (f: string) =>
    fs
      .readFileSync(path.join(data, f), 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => l.split('\t'));
  const group = (f: string, col: number) => {
    const m = new Map<string, string[]>();
    for (const r of rows(f)) {
      if (!m.has(r[0])) m.set(r[0], []);
      m.get(r[0])!.push(r[col]);
    }
    return m;
  };
  return {
    occupations: rows('onet/Occupation Data.txt').map(([code, title, description]) => ({ code, title, description })),
    skillsByCode: group('onet/Technology Skills.txt', 2),
    tasksByCode: group('onet/Task Statements.txt', 2),
    zhTitles: rows('talentclef/zh/corpus_elements').map((r) => r[1]),
  };
}

class Rng {
  private g;
  constructor(seed: number) {
    this.g = xoroshiro128plus(seed);
  }
  float() {
    return uniformFloat64(this.g);
  }
  int(n: number) {
    return Math.floor(this.float() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  gauss() {
    return Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float());
  }
}

function centroids(n: number, dims: number): Float32Array[] {
  const rng = new Rng(7);
  return Array.from({ length: n }, () => Float32Array.from({ length: dims }, () => rng.gauss()));
}

function around(c: Float32Array, rng: Rng, spread: number): number[] {
  return Array.from(c, (x) => x + spread * rng.gauss());
}

function generate(src: Source, n: number, dims: number): { docs: SearchDocument[]; cents: Float32Array[] } {
  const cents = centroids(src.occupations.length, dims);
  const docs: SearchDocument[] = [];
  for (let i = 0; i < n; i++) {
    const rng = new Rng(1000 + i);
    const o = rng.int(src.occupations.length);
    const occ = src.occupations[o];
    const skills = Array.from({ length: 5 }, () => rng.pick(src.skillsByCode.get(occ.code) ?? ['Microsoft Excel']));
    const tasks = src.tasksByCode.get(occ.code) ?? [occ.description];
    const zh = rng.float() < 0.33;
    docs.push({
      id: uuidFor(3, i + 1),
      text: {
        title: zh ? `${rng.pick(src.zhTitles)} ${occ.title}` : occ.title,
        skills: skills.join(', '),
        experience: `${rng.pick(tasks)} ${rng.pick(tasks)}`,
        summary: occ.description,
      },
      vectors: { profile: around(cents[o], rng, 0.6), title: around(cents[o], rng, 0.4) },
      properties: {
        location: rng.pick(LOCATIONS),
        yearsExperience: rng.int(26),
        seniority: rng.pick(SENIORITIES),
        salaryMin: 100_000 + rng.int(90) * 10_000,
        skills,
        languages: zh ? ['zh', 'en'] : ['en'],
      },
    });
  }
  return { docs, cents };
}

function queries(src: Source, cents: Float32Array[], n: number): Array<Omit<SearchRequest, 'alpha'>> {
  const rng = new Rng(99);
  return Array.from({ length: n }, () => {
    const o = rng.int(src.occupations.length);
    const skill = rng.pick(src.skillsByCode.get(src.occupations[o].code) ?? ['Excel']);
    const text = rng.float() < 0.3 ? `${rng.pick(src.zhTitles)} ${skill}` : `${src.occupations[o].title} ${skill}`;
    return { collection: 'candidate' as const, text, vectors: { profile: around(cents[o], rng, 0.5) }, limit: 10 };
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Row {
  engine: string;
  docs: number;
  indexPerSec: number;
  reopenSec?: number;
  latency: Record<string, { p50: number; p95: number }>;
}

async function measure(
  engine: string,
  index: SearchIndex,
  docs: SearchDocument[],
  qs: Array<Omit<SearchRequest, 'alpha'>>,
  reopen?: () => Promise<{ index: SearchIndex; seconds: number }>,
): Promise<Row> {
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += 500) await index.upsert('candidate', docs.slice(i, i + 500));
  const indexPerSec = docs.length / ((performance.now() - t0) / 1000);
  let reopenSec: number | undefined;
  if (reopen) {
    // The restart cost: replaying the log and re-tokenizing every document.
    const reopened = await reopen();
    index = reopened.index;
    reopenSec = reopened.seconds;
  }
  const modes: Record<string, Partial<SearchRequest>> = {
    keyword: { alpha: 0, vectors: undefined },
    vector: { alpha: 1 },
    'hybrid relativeScore': { alpha: 0.5, fusion: 'relativeScore' },
    'hybrid ranked': { alpha: 0.5, fusion: 'ranked' },
    'hybrid + filter': {
      alpha: 0.5,
      filters: {
        op: 'and',
        filters: [
          { op: 'in', field: 'location', values: ['Shanghai', 'Beijing'] },
          { op: 'range', field: 'yearsExperience', gte: 5 },
        ],
      },
    },
  };
  const latency: Row['latency'] = {};
  for (const [mode, patch] of Object.entries(modes)) {
    for (const q of qs.slice(0, 10)) await index.search({ ...q, ...patch } as SearchRequest); // warm-up
    const times: number[] = [];
    for (const q of qs) {
      const s = performance.now();
      await index.search({ ...q, ...patch } as SearchRequest);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    latency[mode] = { p50: pct(times, 50), p95: pct(times, 95) };
  }
  return { engine, docs: docs.length, indexPerSec, reopenSec, latency };
}

async function main() {
  const sizes = arg('docs', '10000').split(',').map(Number);
  const dims = Number(arg('dims', '384'));
  const nq = Number(arg('queries', '200'));
  const data = path.resolve(arg('data', path.join('..', 'shared', 'data')));
  const src = loadSource(data);
  const services = readServicesEnv(path.join(process.cwd(), '.services', 'env'));
  console.log(`# bench:search — ${new Date().toISOString()}, ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log(`vectors: 2 named vectors x ${dims} dims per document; ${nq} queries per mode, limit 10; batches of 500`);
  console.log(services ? `weaviate: ${services.url}` : 'weaviate: not configured (.services/env missing), embedded only');

  const embedder = await loadEmbedder();
  if (embedder) {
    const sample = generate(src, Number(arg('embed-sample', '64')), 8).docs.map((d) => Object.values(d.text).join('\n'));
    const t = performance.now();
    await embedder.embed(sample, { kind: 'passage' });
    const perSec = sample.length / ((performance.now() - t) / 1000);
    console.log(
      `embedder ${embedder.modelId}: ${perSec.toFixed(0)} passages/s (one section per document; five sections cost five times that)`,
    );
    await embedder.close();
  }

  const rows: Row[] = [];
  for (const n of sizes) {
    const { docs, cents } = generate(src, n, dims);
    const qs = queries(src, cents, nq);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-bench-search-'));
    let embedded = new EmbeddedSearchIndex({ dataDir: dir });
    await embedded.ensureSchema();
    rows.push(
      await measure('embedded', embedded, docs, qs, async () => {
        await embedded.close();
        const t = performance.now();
        embedded = new EmbeddedSearchIndex({ dataDir: dir });
        await embedded.ensureSchema();
        return { index: embedded, seconds: (performance.now() - t) / 1000 };
      }),
    );
    const logBytes = fs.statSync(path.join(dir, 'search-v1', 'candidate.log')).size;
    console.log(
      `embedded log at ${n} docs: ${(logBytes / 1e6).toFixed(0)} MB; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
    );
    await embedded.close();
    fs.rmSync(dir, { recursive: true, force: true });

    if (services) {
      const w = new WeaviateSearchIndex({ ...services, collectionPrefix: `Bench${process.pid}` });
      try {
        await w.dropCollections();
        await w.ensureSchema();
        rows.push(await measure('weaviate (jieba)', w, docs, qs));
      } catch (e) {
        console.log(`weaviate: failed: ${(e as Error).message}`);
      } finally {
        await w.dropCollections().catch(() => undefined);
        await w.close();
      }
    }
  }

  const modes = Object.keys(rows[0].latency);
  console.log(`\n| engine | docs | index docs/s | reopen s | ${modes.map((m) => `${m} p50/p95 ms`).join(' | ')} |`);
  console.log(`|---|---:|---:|---:|${modes.map(() => '---:').join('|')}|`);
  for (const r of rows) {
    console.log(
      `| ${r.engine} | ${r.docs} | ${r.indexPerSec.toFixed(0)} | ${r.reopenSec === undefined ? '-' : r.reopenSec.toFixed(1)} | ${modes
        .map((m) => `${r.latency[m].p50.toFixed(1)} / ${r.latency[m].p95.toFixed(1)}`)
        .join(' | ')} |`,
    );
  }
  for (const n of sizes) {
    const e = rows.find((r) => r.engine === 'embedded' && r.docs === n);
    const w = rows.find((r) => r.engine.startsWith('weaviate') && r.docs === n);
    if (e && w) {
      console.log(
        `ratio weaviate/embedded at ${n}: indexing ${(w.indexPerSec / e.indexPerSec).toFixed(2)}x; p50 ${modes
          .map((m) => `${m} ${(w.latency[m].p50 / e.latency[m].p50).toFixed(2)}x`)
          .join(', ')}`,
      );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
