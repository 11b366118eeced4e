/**
 * `npm run eval:api` — the TalentCLEF task A sets of `eval:search`, measured through the public GraphQL
 * API as a new user would: a `serve` of the build on the embedded defaults in a fresh data directory,
 * each corpus imported as jobs with `importRecords` (source `talentclef-en` / `talentclef-zh`, the
 * corpus id as externalId, one company per source), the search projection awaited (`syncStatus`),
 * then every query through `searchJobs(query, filter: { source })` at the default alpha and at alpha
 * 0 and 1. Hits map back to corpus ids by externalId. MAP (to --depth, default 100, as eval:search),
 * nDCG@10 and Recall@10 with bootstrap 95% intervals, in eval:search's table shape; the difference of
 * each mode to the default is paired over the same queries.
 *
 * eval:search indexes title-only documents in the index classes directly; this run goes through how
 * a job record becomes a search document (sections, section weights, filters, defaults), so a gap
 * between the two shows up here.
 *
 * Options: --data DIR (default ../shared/data), --sets talentclef-en,talentclef-zh, --depth 100,
 * --batch 500 (records per importRecords request), --candidates 0 (demo candidates seeded at the
 * first start; the imported corpus is what is searched), --save-per-query FILE.
 * Numbers are printed, never asserted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { averagePrecision, ndcgAt, recallAt } from '../src/shared/ranking-metrics';
import { startBenchServer, type BenchServer } from './bench-server';
import { bootstrapDiff, bootstrapMean, formatInterval } from './bootstrap';
import { loadTalentClef, uuidFor, type EvalSet } from './search-eval-data';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/**
 * A request retried after a dropped connection: while the server embeds, a kept-alive socket it has
 * timed out can reset under the next request (ECONNRESET); GraphQL errors are not retried.
 */
async function post(server: BenchServer, query: string, variables?: object): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await server.post(query, variables);
    } catch (e) {
      if (!(e instanceof TypeError) || attempt >= 5 || server.child.exitCode !== null) throw e;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

/** The corpus id an EvalSet document id (uuidFor(1, id)) was made from. */
const corpusId = (docId: string) => String(parseInt(docId.slice(-12), 16));

async function importCorpus(server: BenchServer, set: EvalSet, source: string, batch: number): Promise<number> {
  const company = { source, externalId: 'corpus' };
  const records: object[] = [{ type: 'company', ...company, name: `${set.name} corpus` }];
  for (const d of set.docs) records.push({ type: 'job', source, externalId: corpusId(d.id), company, title: d.title, status: 'OPEN' });
  let written = 0;
  for (let i = 0; i < records.length; i += batch) {
    const r = (await post(server, 'mutation($r: [JSONObject!]!) { importRecords(records: $r) { written failed results { ok message } } }', {
      r: records.slice(i, i + batch),
    })) as { importRecords: { written: number; failed: number; results: Array<{ ok: boolean; message?: string }> } };
    if (r.importRecords.failed > 0)
      throw new Error(`importRecords failed ${r.importRecords.failed}: ${r.importRecords.results.find((x) => !x.ok)?.message}`);
    written += r.importRecords.written;
  }
  return written;
}

/** Until every projection the API searches has applied the outbox (lag 0), or `timeoutMs`. */
async function awaitSearchProjection(server: BenchServer, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const { syncStatus } = (await post(server, '{ syncStatus { projection lag parked } }')) as {
      syncStatus: Array<{ projection: string; lag: number; parked: number }>;
    };
    const search = syncStatus.find((s) => s.projection === 'search');
    if (!search) throw new Error(`no search projection in syncStatus: ${JSON.stringify(syncStatus)}`);
    if (search.parked > 0) throw new Error(`search projection parked ${search.parked} events`);
    if (search.lag === 0) return (Date.now() - t0) / 1000;
    if (Date.now() - t0 > timeoutMs) throw new Error(`search projection still ${search.lag} behind after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

interface Mode {
  label: string;
  alpha?: number;
}

type Metric = number[] | number;

async function evaluate(server: BenchServer, set: EvalSet, source: string, mode: Mode, depth: number): Promise<Record<string, Metric>> {
  const ap: number[] = [];
  const ndcg: number[] = [];
  const r10: number[] = [];
  const started = Date.now();
  for (const q of set.queries) {
    const rel = set.qrels.get(q.id);
    if (!rel || rel.size === 0) continue;
    const data = (await post(
      server,
      'query($q: String!, $first: Int, $alpha: Float, $source: String) { searchJobs(query: $q, first: $first, alpha: $alpha, filter: { source: $source }) { edges { node { job { externalId } } } } }',
      { q: q.text, first: depth, alpha: mode.alpha, source },
    )) as { searchJobs: { edges: Array<{ node: { job: { externalId: string } } }> } };
    const ranked = data.searchJobs.edges.map((e) => uuidFor(1, Number(e.node.job.externalId)));
    ap.push(averagePrecision(ranked, rel));
    ndcg.push(ndcgAt(ranked, rel, 10));
    r10.push(recallAt(ranked, rel, 10));
  }
  return { MAP: ap, 'nDCG@10': ndcg, 'Recall@10': r10, 'ms/query': (Date.now() - started) / Math.max(1, ap.length) };
}

function printTable(title: string, rows: Array<{ mode: string; m: Record<string, Metric> }>, metrics: string[], baseline: string) {
  const paired = metrics.filter((k) => rows.some((r) => Array.isArray(r.m[k])));
  console.log(`\n### ${title}\n`);
  console.log(`| engine | mode | ${[...metrics, ...paired.map((k) => `${k} vs ${baseline}`)].join(' | ')} |`);
  console.log(`|---|---|${[...metrics, ...paired].map(() => '---:').join('|')}|`);
  const base = rows.find((r) => r.mode === baseline);
  for (const r of rows) {
    const cells = metrics.map((k) => {
      const v = r.m[k];
      return typeof v === 'number' ? v.toFixed(1) : formatInterval(bootstrapMean(v));
    });
    for (const k of paired) {
      const a = base?.m[k];
      const b = r.m[k];
      cells.push(base && base !== r && Array.isArray(a) && Array.isArray(b) ? formatInterval(bootstrapDiff(a, b)) : '');
    }
    console.log(`| API searchJobs | ${r.mode} | ${cells.join(' | ')} |`);
  }
}

async function main() {
  const data = path.resolve(arg('data', path.join('..', 'shared', 'data')));
  if (!fs.existsSync(data)) throw new Error(`evaluation data not found at ${data}; pass --data DIR`);
  const sets = arg('sets', 'talentclef-en,talentclef-zh').split(',');
  const depth = Number(arg('depth', '100'));
  const batch = Number(arg('batch', '500'));
  console.log(`# eval:api — ${new Date().toISOString()}`);
  const t0 = Date.now();
  const server = await startBenchServer({ name: 'eval-api', candidates: Number(arg('candidates', '0')), embedded: true });
  console.log(`server: ${server.url} (embedded defaults, fresh data directory), ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const perQuery: Record<string, number[]> = {};
  try {
    const loaded = sets.map((name) => ({ name, set: loadTalentClef(data, name.endsWith('zh') ? 'zh' : 'en') }));
    for (const { name, set } of loaded) {
      const t1 = Date.now();
      const written = await importCorpus(server, set, name, batch);
      console.log(`${set.name}: importRecords wrote ${written} records in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    }
    const waited = await awaitSearchProjection(server, 60 * 60_000);
    console.log(`search projection caught up (syncStatus lag 0) ${waited.toFixed(1)} s after the last import`);
    const modes: Mode[] = [
      { label: 'default (no alpha)' },
      { label: 'keyword (alpha 0)', alpha: 0 },
      { label: 'vector (alpha 1)', alpha: 1 },
    ];
    for (const { name, set } of loaded) {
      const rows: Array<{ mode: string; m: Record<string, Metric> }> = [];
      for (const mode of modes) rows.push({ mode: mode.label, m: await evaluate(server, set, name, mode, depth) });
      printTable(
        `${set.name} through searchJobs, filter { source: "${name}" } (${set.docs.length} jobs, ${set.queries.length} queries)`,
        rows,
        ['MAP', 'nDCG@10', 'Recall@10', 'ms/query'],
        modes[0].label,
      );
      for (const r of rows) for (const [k, v] of Object.entries(r.m)) if (Array.isArray(v)) perQuery[`${set.name}|API|${r.mode}|${k}`] = v;
    }
  } finally {
    await server.stop();
  }
  const save = arg('save-per-query', '');
  if (save) fs.writeFileSync(save, JSON.stringify({ perQuery }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
