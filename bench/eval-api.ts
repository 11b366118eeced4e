/**
 * `npm run eval:api` — evaluation sets measured through the public GraphQL API as a new user would: a
 * `serve` of the build on the embedded defaults in a fresh data directory, `syncStatus` awaited, then
 * every query at the default alpha and at alpha 0 (keyword only: the plain BM25 baseline) and 1
 * (vector only), each mode's difference to the default paired over the same queries, bootstrap 95%
 * intervals. Sets (`--sets`, comma-separated):
 *
 * - `talentclef-en`, `talentclef-zh` (default): eval:search's TalentCLEF task A corpora imported as
 *   jobs with `importRecords` (source `talentclef-en` / `talentclef-zh`, the corpus id as externalId,
 *   title only, one company per source), queries through `searchJobs(query, filter: { source })`.
 *   MAP (to --depth, default 100, as eval:search), nDCG@10, Recall@10.
 * - `normalize-title`: eval:search's O*NET alternate title -> occupation set (every 20th alternate
 *   title is a query). The server never sees the queries: an O*NET release without them is written
 *   to a temporary directory and loaded with `matchhub taxonomy load --dir` into the fresh data
 *   directory before `serve` (which then leaves the occupations alone: `SEED_DEMO=false`, since the
 *   demo seed would load the shipped taxonomy over them), and the `titles` projection (label
 *   vectors) is awaited. Queries through `normalizeTitle(title, first: 10, alpha)`; Recall@10, MRR@10.
 *   `--normalize-queries N` (default 400; 0 = all) spreads N queries over the set, as eval:search's.
 * - `esco-jobs`: the ESCO occupations (`esco/occupations_en.csv`) imported as jobs (title = preferred
 *   label, the ESCO description, source `esco-occupations`, the concept URI as externalId); queries
 *   are ESCO alternative labels (not in the imported text; those equal to a preferred label skipped),
 *   relevant the occupation(s) they label. `searchJobs(query, first: --depth, filter: { source })`;
 *   Recall@10, MRR@10, MAP. `--esco-queries N` (default 500; 0 = all), spread over the labels.
 *   CRE-mini trained on ESCO alternative labels of most occupations, so by default only the labels of
 *   the occupations its training left out are asked (rebuilt from its manifest: 960 of 3,039);
 *   `--esco-all` asks every occupation's labels (vector and hybrid figures then flatter the model).
 *
 * eval:search indexes documents in the index classes directly; this run goes through how a record
 * becomes a search document (sections, section weights, filters, defaults), so a gap between the two
 * shows up here.
 *
 * Options: --data DIR (default ../shared/data), --sets, --depth 100, --batch 500 (records per
 * importRecords request), --candidates 0 (demo candidates seeded at the first start; the imported
 * corpus is what is searched), --save-per-query FILE. Numbers are printed, never asserted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { averagePrecision, ndcgAt, recallAt, reciprocalRank } from '../src/shared/ranking-metrics';
import { resolveModelDir } from '../src/adapters/embedding/model-manifest';
import { startBenchServer, type BenchServer } from './bench-server';
import { bootstrapDiff, bootstrapMean, formatInterval } from './bootstrap';
import {
  escoOccupationsUnseenBy,
  loadEscoAlternativeLabels,
  loadOnetTitles,
  loadTalentClef,
  writeOnetReleaseWithoutHeldOut,
  type EvalSet,
} from './search-eval-data';

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

/** A set whose documents are imported as jobs of one source and searched with searchJobs. */
interface JobSet {
  source: string;
  set: EvalSet;
  /** The job's externalId for a document (hits map back through it). */
  externalId: (docId: string) => string;
  metrics: string[];
}

async function importCorpus(server: BenchServer, { set, source, externalId }: JobSet, batch: number): Promise<number> {
  const company = { source, externalId: 'corpus' };
  const records: object[] = [{ type: 'company', ...company, name: `${set.name} corpus` }];
  for (const d of set.docs) {
    const description = d.description ? { description: d.description } : {};
    records.push({ type: 'job', source, externalId: externalId(d.id), company, title: d.title, ...description, status: 'OPEN' });
  }
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

/** Until the named projections (`search`; `titles` for the label vectors) have applied the outbox (lag 0), or `timeoutMs`. */
async function awaitProjections(server: BenchServer, names: string[], timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const { syncStatus } = (await post(server, '{ syncStatus { projection lag parked } }')) as {
      syncStatus: Array<{ projection: string; lag: number; parked: number }>;
    };
    const behind: string[] = [];
    for (const name of names) {
      const p = syncStatus.find((s) => s.projection === name);
      if (!p) throw new Error(`no ${name} projection in syncStatus: ${JSON.stringify(syncStatus)}`);
      if (p.parked > 0) throw new Error(`${name} projection parked ${p.parked} events`);
      if (p.lag > 0) behind.push(`${name} ${p.lag}`);
    }
    if (behind.length === 0) return (Date.now() - t0) / 1000;
    if (Date.now() - t0 > timeoutMs) throw new Error(`projections still behind after ${timeoutMs / 1000} s: ${behind.join(', ')}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** At most `n` of the judged queries, spread evenly over the set (as eval:search's --normalize-queries); 0: all. */
function spread(set: EvalSet, n: number): EvalSet['queries'] {
  const judged = set.queries.filter((q) => set.qrels.get(q.id)?.size);
  const stride = n > 0 ? judged.length / n : 1;
  return stride > 1 ? Array.from({ length: n }, (_, i) => judged[Math.floor(i * stride)]) : judged;
}

interface Mode {
  label: string;
  alpha?: number;
}

type Metric = number[] | number;

/** Every query ranked by `rank` (document ids, best first), scored against its judgements, timed. */
async function score(
  set: EvalSet,
  queries: EvalSet['queries'],
  rank: (text: string) => Promise<string[]>,
): Promise<Record<string, Metric>> {
  const m = { MAP: [] as number[], 'nDCG@10': [] as number[], 'Recall@10': [] as number[], 'MRR@10': [] as number[] };
  const started = Date.now();
  for (const q of queries) {
    const rel = set.qrels.get(q.id);
    if (!rel || rel.size === 0) continue;
    const ranked = await rank(q.text);
    m.MAP.push(averagePrecision(ranked, rel));
    m['nDCG@10'].push(ndcgAt(ranked, rel, 10));
    m['Recall@10'].push(recallAt(ranked, rel, 10));
    m['MRR@10'].push(reciprocalRank(ranked.slice(0, 10), rel));
  }
  return { ...m, 'ms/query': (Date.now() - started) / Math.max(1, m.MAP.length) };
}

function searchJobs(server: BenchServer, job: JobSet, mode: Mode, depth: number) {
  const docOf = new Map(job.set.docs.map((d) => [job.externalId(d.id), d.id]));
  return async (text: string) => {
    const data = (await post(
      server,
      'query($q: String!, $first: Int, $alpha: Float, $source: String) { searchJobs(query: $q, first: $first, alpha: $alpha, filter: { source: $source }) { edges { node { job { externalId } } } } }',
      { q: text, first: depth, alpha: mode.alpha, source: job.source },
    )) as { searchJobs: { edges: Array<{ node: { job: { externalId: string } } }> } };
    return data.searchJobs.edges.map((e) => docOf.get(e.node.job.externalId) ?? `unknown:${e.node.job.externalId}`);
  };
}

function normalizeTitle(server: BenchServer, set: EvalSet, mode: Mode) {
  const docOf = new Map(set.docs.map((d) => [d.code!, d.id]));
  return async (text: string) => {
    const data = (await post(
      server,
      'query($t: String!, $alpha: Float) { normalizeTitle(title: $t, first: 10, alpha: $alpha) { occupation { code } } }',
      { t: text, alpha: mode.alpha },
    )) as { normalizeTitle: Array<{ occupation: { code: string } }> };
    return data.normalizeTitle.map((m) => docOf.get(m.occupation.code) ?? `unknown:${m.occupation.code}`);
  };
}

/**
 * The O*NET occupations the server holds, checked against the reduced release: how many alternate
 * titles it lists, and how many held-out (occupation, title) pairs it lists that no kept row gives
 * that occupation (a leak of the queries: should be 0).
 */
async function checkHeldOut(server: BenchServer, set: EvalSet, queries: EvalSet['queries']): Promise<{ titles: number; leaked: number }> {
  const served = new Map<string, Set<string>>();
  for (let after: string | null = null; ; ) {
    const { occupations } = (await post(
      server,
      'query($after: String) { occupations(first: 200, after: $after) { edges { node { source code alternateTitles } } pageInfo { hasNextPage endCursor } } }',
      { after },
    )) as {
      occupations: {
        edges: Array<{ node: { source: string; code: string; alternateTitles: string[] } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    for (const { node } of occupations.edges) if (node.source === 'onet') served.set(node.code, new Set(node.alternateTitles));
    if (!occupations.pageInfo.hasNextPage) break;
    after = occupations.pageInfo.endCursor;
  }
  const codeOf = new Map(set.docs.map((d) => [d.id, d.code!]));
  const kept = new Map(set.docs.map((d) => [d.code!, new Set(d.labels ?? [])]));
  let leaked = 0;
  for (const q of queries) {
    for (const id of set.qrels.get(q.id)!.keys()) {
      const code = codeOf.get(id)!;
      if (served.get(code)?.has(q.text) && !kept.get(code)?.has(q.text)) leaked += 1;
    }
  }
  return { titles: [...served.values()].reduce((n, t) => n + t.size, 0), leaked };
}

function printTable(
  title: string,
  engine: string,
  rows: Array<{ mode: string; m: Record<string, Metric> }>,
  metrics: string[],
  baseline: string,
) {
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
    console.log(`| ${engine} | ${r.mode} | ${cells.join(' | ')} |`);
  }
}

async function main() {
  const data = path.resolve(arg('data', path.join('..', 'shared', 'data')));
  if (!fs.existsSync(data)) throw new Error(`evaluation data not found at ${data}; pass --data DIR`);
  const sets = arg('sets', 'talentclef-en,talentclef-zh').split(',');
  const known = ['talentclef-en', 'talentclef-zh', 'normalize-title', 'esco-jobs'];
  const unknown = sets.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new Error(`unknown set(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const depth = Number(arg('depth', '100'));
  const batch = Number(arg('batch', '500'));
  console.log(`# eval:api — ${new Date().toISOString()}`);

  const jobSets: JobSet[] = sets.flatMap((name): JobSet[] => {
    if (name.startsWith('talentclef-'))
      return [
        {
          source: name,
          set: loadTalentClef(data, name.endsWith('zh') ? 'zh' : 'en'),
          externalId: corpusId,
          metrics: ['MAP', 'nDCG@10', 'Recall@10', 'ms/query'],
        },
      ];
    if (name === 'esco-jobs') {
      const all = loadEscoAlternativeLabels(data);
      const unseen = process.argv.includes('--esco-all') ? null : escoOccupationsUnseenBy(resolveModelDir(), data);
      const set = unseen
        ? {
            ...all,
            name: `${all.name}, the ${unseen.size} occupations the embedding model never trained on`,
            queries: all.queries.filter((q) => [...all.qrels.get(q.id)!.keys()].every((uri) => unseen.has(uri))),
          }
        : all;
      const queries = spread(set, Number(arg('esco-queries', '500')));
      return [
        {
          source: 'esco-occupations',
          set: { ...set, queries },
          externalId: (id) => id,
          metrics: ['Recall@10', 'MRR@10', 'MAP', 'ms/query'],
        },
      ];
    }
    return [];
  });
  let onet: { set: EvalSet; queries: EvalSet['queries']; dir: string } | undefined;
  if (sets.includes('normalize-title')) {
    const set = loadOnetTitles(data);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-eval-api-onet-'));
    const rows = writeOnetReleaseWithoutHeldOut(data, dir);
    console.log(
      `normalize-title: O*NET release without the ${rows.heldOut} held-out alternate titles (${rows.kept} kept) loaded with \`matchhub taxonomy load --dir\` before serve; SEED_DEMO=false`,
    );
    onet = { set, queries: spread(set, Number(arg('normalize-queries', '400'))), dir };
  }

  const t0 = Date.now();
  const server = await startBenchServer({
    name: 'eval-api',
    candidates: Number(arg('candidates', '0')),
    embedded: true,
    ...(onet ? { before: [['taxonomy', 'load', '--dir', onet.dir]], env: { SEED_DEMO: 'false' } } : {}),
  });
  console.log(`server: ${server.url} (embedded defaults, fresh data directory), ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const perQuery: Record<string, number[]> = {};
  const modes: Mode[] = [
    { label: 'default (no alpha)' },
    { label: 'keyword (alpha 0)', alpha: 0 },
    { label: 'vector (alpha 1)', alpha: 1 },
  ];
  try {
    for (const job of jobSets) {
      const t1 = Date.now();
      const written = await importCorpus(server, job, batch);
      console.log(`${job.set.name}: importRecords wrote ${written} records in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    }
    const projections = onet ? ['search', 'titles'] : ['search'];
    const waited = await awaitProjections(server, projections, 2 * 60 * 60_000);
    console.log(`${projections.join(' and ')} caught up (syncStatus lag 0) ${waited.toFixed(1)} s after the last import`);

    if (onet) {
      const { titles, leaked } = await checkHeldOut(server, onet.set, onet.queries);
      console.log(`normalize-title: the server lists ${titles} O*NET alternate titles; held-out query titles among them: ${leaked}`);
      const rows: Array<{ mode: string; m: Record<string, Metric> }> = [];
      for (const mode of modes)
        rows.push({ mode: mode.label, m: await score(onet.set, onet.queries, normalizeTitle(server, onet.set, mode)) });
      printTable(
        `${onet.set.name} through normalizeTitle(first: 10) (${onet.set.docs.length} occupations, ${onet.queries.length} of ${onet.set.queries.length} held-out queries)`,
        'API normalizeTitle',
        rows,
        ['Recall@10', 'MRR@10', 'ms/query'],
        modes[0].label,
      );
      for (const r of rows)
        for (const [k, v] of Object.entries(r.m)) if (Array.isArray(v)) perQuery[`${onet.set.name}|API|${r.mode}|${k}`] = v;
    }
    for (const job of jobSets) {
      const rows: Array<{ mode: string; m: Record<string, Metric> }> = [];
      for (const mode of modes)
        rows.push({ mode: mode.label, m: await score(job.set, job.set.queries, searchJobs(server, job, mode, depth)) });
      printTable(
        `${job.set.name} through searchJobs, filter { source: "${job.source}" } (${job.set.docs.length} jobs, ${job.set.queries.length} queries)`,
        'API searchJobs',
        rows,
        job.metrics,
        modes[0].label,
      );
      for (const r of rows)
        for (const [k, v] of Object.entries(r.m)) if (Array.isArray(v)) perQuery[`${job.set.name}|API|${r.mode}|${k}`] = v;
    }
  } finally {
    await server.stop();
    if (onet) fs.rmSync(onet.dir, { recursive: true, force: true });
  }
  const save = arg('save-per-query', '');
  if (save) fs.writeFileSync(save, JSON.stringify({ perQuery }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
