/**
 * `npm run eval:search` — search quality on public data, keyword-only vs vector-only vs hybrid,
 * on the embedded index and (when `.services/env` names a running Weaviate) on Weaviate.
 *
 *   TalentCLEF 2025 task A (en, zh): MAP, nDCG@10, Recall@10 (ranking to --depth, default 100)
 *   O*NET alternate title -> occupation: Recall@10, MRR
 *   normalize-title: the same O*NET queries through TitleNormalizer (label vectors, max-sim), before
 *   and after, per alpha and fusion (bench/eval-normalize-title.ts)
 *
 * Every figure is a mean over queries with a bootstrap 95% interval (1,000 resamples, seeded).
 *
 * Options: --data DIR (default ../shared/data), --sets talentclef-en,talentclef-zh,onet,normalize-title,
 * --cache DIR (keep passage vectors there between runs, as EMBEDDING_CACHE_DIR does),
 * --normalize-alphas 0,0.25,0.5,0.75,0.9,1, --normalize-engines embedded,weaviate (default embedded; Weaviate
 * with the first of --weaviate-tokenizations), --latency-sample 60 (normalize-title's cold reranker latency
 * comparison per engine; 0 leaves it out), --normalize-queries N (normalize-title on N of its queries, spread
 * evenly; default all),
 * --alphas 0.75 (hybrid alphas to report), --depth 100, --weaviate-tokenizations jieba,gse_ch,trigram,
 * --chinese-mode search|precise (jieba mode of the embedded index), --doc-kind query|passage
 * (E5 prefix for the indexed titles; default passage, as in production),
 * --save-per-query FILE (every row's per-query values, as JSON), --compare FILE[,FILE] (files saved so by
 * an earlier run, e.g. with another model: prints this run minus that one per row, paired bootstrap
 * 95% interval over the same queries; a change wins outside the noise when it lies above 0).
 * Numbers are printed, never asserted. Nothing here is tuned per query.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Embedder } from '../src/adapters/embedding/embedder';
import { averagePrecision, ndcgAt, recallAt, reciprocalRank } from '../src/shared/ranking-metrics';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded-search-index';
import { SEARCH_DEFAULTS, type Fusion, type SearchIndex } from '../src/adapters/search/search-index';
import type { ChineseMode } from '../src/adapters/search/text-tokenizer';
import { WeaviateSearchIndex } from '../src/adapters/search/weaviate-search-index';
import { WEAVIATE_TOKENIZATIONS, type WeaviateTokenization } from '../src/adapters/search/weaviate-query-builder';
import { loadEmbedder, readServicesEnv } from './search-bench-support';
import { loadOnetTitles, loadTalentClef, type EvalSet } from './search-eval-data';
import { CachingEmbedder, EmbeddingCacheStore } from '../src/adapters/embedding/embedding-cache';
import { bootstrapDiff, bootstrapMean, formatInterval } from './bootstrap';
import { EMBEDDED_ENGINE, evaluateNormalizeTitle, normalizeModes, type NormalizeEngine } from './eval-normalize-title';
import { readModelManifest, resolveModelDir } from '../src/adapters/embedding/model-manifest';

const modeLabel = (alpha: number, fusion: Fusion) => `hybrid ${fusion} alpha ${alpha}`;
/** The search queries' default (SEARCH_DEFAULTS): every other mode is compared with it, query by query. */
const DEFAULT_MODE = modeLabel(SEARCH_DEFAULTS.alpha, SEARCH_DEFAULTS.fusion);

interface Mode {
  label: string;
  alpha: number;
  fusion: Fusion;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function embedAll(embedder: Embedder | undefined, texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[] | undefined> {
  if (!embedder) return undefined;
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 256) out.push(...(await embedder.embed(texts.slice(i, i + 256), { kind })));
  return out;
}

interface PreparedSet {
  set: EvalSet;
  docVectors?: Float32Array[];
  queryVectors?: Float32Array[];
}

async function prepare(set: EvalSet, embedder: Embedder | undefined): Promise<PreparedSet> {
  const t0 = Date.now();
  const docTexts = set.docs.map((d) => [d.title, d.alternateTitles].filter(Boolean).join('; '));
  // Indexed records are embedded as passages, as the projector does in production. (E5's card
  // suggests "query:" on both sides for symmetric tasks; --doc-kind query measures that.)
  const docVectors = await embedAll(embedder, docTexts, arg('doc-kind', 'passage') === 'query' ? 'query' : 'passage');
  const queryVectors = await embedAll(
    embedder,
    set.queries.map((q) => q.text),
    'query',
  );
  if (embedder)
    console.error(`  embedded ${set.docs.length} docs + ${set.queries.length} queries in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { set, docVectors, queryVectors };
}

async function evaluate(index: SearchIndex, p: PreparedSet, modes: Mode[], limit: number): Promise<Map<string, Record<string, Metric>>> {
  const { set, docVectors, queryVectors } = p;
  for (let i = 0; i < set.docs.length; i += 500) {
    await index.upsert(
      'occupation',
      set.docs.slice(i, i + 500).map((d, j) => ({
        id: d.id,
        text: { title: d.title, alternateTitles: d.alternateTitles, description: d.description },
        vectors: docVectors ? { profile: docVectors[i + j] } : {},
      })),
    );
  }
  const results = new Map<string, Record<string, Metric>>();
  for (const mode of modes) {
    if (mode.alpha > 0 && !queryVectors) continue;
    const ap: number[] = [];
    const ndcg: number[] = [];
    const r10: number[] = [];
    const rr: number[] = [];
    const started = Date.now();
    for (const [qi, q] of set.queries.entries()) {
      const rel = set.qrels.get(q.id);
      if (!rel || rel.size === 0) continue;
      const hits = await index.search({
        collection: 'occupation',
        text: q.text,
        vectors: queryVectors ? { profile: queryVectors[qi] } : undefined,
        alpha: mode.alpha,
        fusion: mode.fusion,
        limit,
      });
      const ranked = hits.map((h) => h.id);
      ap.push(averagePrecision(ranked, rel));
      ndcg.push(ndcgAt(ranked, rel, 10));
      r10.push(recallAt(ranked, rel, 10));
      rr.push(reciprocalRank(ranked, rel));
    }
    results.set(mode.label, {
      MAP: ap,
      'nDCG@10': ndcg,
      'Recall@10': r10,
      MRR: rr,
      'ms/query': (Date.now() - started) / Math.max(1, ap.length),
    });
  }
  return results;
}

/** Per-query values (a mean with its bootstrap interval is printed) or one number. */
type Metric = number[] | number;

/**
 * One row per engine and mode; with `baseline` (a mode label), each metric also gets its paired
 * difference to that mode on the same engine (bootstrap 95% interval over the same queries).
 */
function printTable(
  title: string,
  rows: Array<{ engine: string; mode: string; m: Record<string, Metric> }>,
  metrics: string[],
  baseline?: string,
) {
  const paired = metrics.filter((k) => rows.some((r) => Array.isArray(r.m[k])));
  const diffs = baseline ? paired : [];
  console.log(`\n### ${title}\n`);
  console.log(`| engine | mode | ${[...metrics, ...diffs.map((k) => `${k} vs ${baseline}`)].join(' | ')} |`);
  console.log(`|---|---|${[...metrics, ...diffs].map(() => '---:').join('|')}|`);
  for (const r of rows) {
    const base = rows.find((b) => b.engine === r.engine && b.mode === baseline);
    const cells = metrics.map((k) => {
      const v = r.m[k];
      return typeof v === 'number' ? v.toFixed(1) : formatInterval(bootstrapMean(v));
    });
    for (const k of diffs) {
      const a = base?.m[k];
      const b = r.m[k];
      cells.push(base && base !== r && Array.isArray(a) && Array.isArray(b) ? formatInterval(bootstrapDiff(a, b)) : '');
    }
    console.log(`| ${r.engine} | ${r.mode} | ${cells.join(' | ')} |`);
  }
}

/** This run minus an earlier one (`--compare`), row by row on the same queries. */
function printComparison(
  earlier: { modelId: string | null; perQuery: Record<string, number[]> },
  modelId: string | null,
  now: Record<string, number[]>,
) {
  console.log(`\n### ${modelId} minus ${earlier.modelId}: paired difference [bootstrap 95% interval]\n`);
  console.log('| set | engine / table | mode | metric | earlier | this run | difference |');
  console.log('|---|---|---|---|---:|---:|---:|');
  for (const [key, values] of Object.entries(now)) {
    const before = earlier.perQuery[key];
    if (!before || before.length !== values.length) continue;
    const parts = key.split('|');
    const [set, engine] = parts.length === 4 ? parts : ['', parts[0]];
    const [mode, metric] = parts.slice(-2);
    const mean = (v: number[]) => (v.reduce((a, b) => a + b, 0) / Math.max(1, v.length)).toFixed(3);
    console.log(
      `| ${set} | ${engine} | ${mode} | ${metric} | ${mean(before)} | ${mean(values)} | ${formatInterval(bootstrapDiff(before, values))} |`,
    );
  }
}

/** Weaviate for the normalize-title set: collections of this process only, dropped after. */
function weaviateEngine(services: { url: string; grpcPort: number; apiKey?: string }, tokenization: WeaviateTokenization): NormalizeEngine {
  return {
    name: `weaviate ${tokenization}`,
    open: async () => {
      const index = new WeaviateSearchIndex({ ...services, tokenization, collectionPrefix: `EvalNormalize${process.pid}` });
      await index.dropCollections();
      await index.ensureSchema();
      return index;
    },
    close: async (index) => {
      await (index as WeaviateSearchIndex).dropCollections().catch(() => undefined);
      await index.close();
    },
  };
}

async function main() {
  const data = path.resolve(arg('data', path.join('..', 'shared', 'data')));
  if (!fs.existsSync(data)) throw new Error(`evaluation data not found at ${data}; pass --data DIR`);
  const sets = arg('sets', 'talentclef-en,talentclef-zh,onet,normalize-title').split(',');
  const alphas = [...new Set([SEARCH_DEFAULTS.alpha, ...arg('alphas', String(SEARCH_DEFAULTS.alpha)).split(',').map(Number)])].sort(
    (a, b) => a - b,
  );
  const tokenizations = arg('weaviate-tokenizations', 'jieba,gse_ch,trigram')
    .split(',')
    .filter((t): t is WeaviateTokenization => (WEAVIATE_TOKENIZATIONS as readonly string[]).includes(t));

  const model = await loadEmbedder();
  const cache = arg('cache', '');
  const embedder = model && cache ? new CachingEmbedder(model, new EmbeddingCacheStore(cache, model.modelId, model.dimensions)) : model;
  console.log(`# eval:search — ${new Date().toISOString()}`);
  console.log(
    embedder
      ? `embedder: ${embedder.modelId} (${embedder.dimensions} dims)`
      : 'embedder: none found in src/adapters/embedding; keyword-only figures',
  );
  const modes: Mode[] = [
    { label: 'keyword (alpha 0)', alpha: 0, fusion: 'relativeScore' },
    { label: 'vector (alpha 1)', alpha: 1, fusion: 'relativeScore' },
    ...alphas.flatMap((a): Mode[] => [
      { label: modeLabel(a, 'relativeScore'), alpha: a, fusion: 'relativeScore' },
      { label: modeLabel(a, 'ranked'), alpha: a, fusion: 'ranked' },
    ]),
  ];
  const services = readServicesEnv(path.join(process.cwd(), '.services', 'env'));
  console.log(
    services
      ? `weaviate: ${services.url} (tokenizations ${tokenizations.join(', ')})`
      : 'weaviate: not configured (.services/env missing), embedded only',
  );

  const perQuery: Record<string, number[]> = {};
  const training = embedder ? (readModelManifest(resolveModelDir()).training as { onetOccupations?: string[] } | undefined) : undefined;
  const heldOut = Array.isArray(training?.onetOccupations) ? new Set(training.onetOccupations) : undefined;
  for (const name of sets) {
    if (name === 'normalize-title') {
      if (!embedder) {
        console.log('normalize-title: needs the embedding model; skipped');
        continue;
      }
      const alphasN = arg('normalize-alphas', '0,0.25,0.5,0.75,0.9,1').split(',').map(Number);
      const states = arg('label-states', '1').split(',').map(Number);
      const rerankWeights = arg('rerank-weights', '0.5')
        .split(',')
        .filter((w) => w !== 'none')
        .map(Number);
      const engines: NormalizeEngine[] = [];
      for (const e of arg('normalize-engines', 'embedded').split(',')) {
        if (e === 'embedded') engines.push(EMBEDDED_ENGINE);
        else if (e === 'weaviate' && services) engines.push(weaviateEngine(services, tokenizations[0] ?? 'jieba'));
        else console.log(`normalize-title: engine ${e} ${e === 'weaviate' ? 'is not configured (.services/env)' : 'is unknown'}; skipped`);
      }
      await evaluateNormalizeTitle(
        loadOnetTitles(data),
        embedder,
        normalizeModes(alphasN, rerankWeights),
        heldOut,
        states,
        model,
        engines,
        Number(arg('latency-sample', '60')),
        Number(arg('normalize-queries', '0')),
      );
      continue;
    }
    const set = name === 'onet' ? loadOnetTitles(data) : loadTalentClef(data, name.endsWith('zh') ? 'zh' : 'en');
    console.error(`${set.name}: ${set.docs.length} docs, ${set.queries.length} queries`);
    const prepared = await prepare(set, embedder);
    // Every engine ranks to the same depth, so MAP is MAP@depth (default 100; a relevant title
    // past rank 100 adds under 1/100 of its weight to AP).
    const limit = Number(arg('depth', '100'));
    const rows: Array<{ engine: string; mode: string; m: Record<string, Metric> }> = [];

    const embedded = new EmbeddedSearchIndex({ chineseMode: arg('chinese-mode', 'search') as ChineseMode });
    await embedded.ensureSchema();
    for (const [mode, m] of await evaluate(embedded, prepared, modes, limit)) rows.push({ engine: 'embedded', mode, m });
    await embedded.close();

    if (services && tokenizations.length > 0) {
      for (const tokenization of tokenizations) {
        const index = new WeaviateSearchIndex({
          ...services,
          tokenization,
          collectionPrefix: `Eval${tokenization.replace(/[^a-z]/g, '').replace(/^./, (c) => c.toUpperCase())}${process.pid}`,
        });
        try {
          await index.dropCollections();
          await index.ensureSchema();
          for (const [mode, m] of await evaluate(index, prepared, modes, limit)) rows.push({ engine: `weaviate ${tokenization}`, mode, m });
        } catch (e) {
          console.log(`weaviate ${tokenization}: failed: ${(e as Error).message}`);
        } finally {
          await index.dropCollections().catch(() => undefined);
          await index.close();
        }
      }
    }
    const metrics = name === 'onet' ? ['Recall@10', 'MRR', 'ms/query'] : ['MAP', 'nDCG@10', 'Recall@10', 'ms/query'];
    printTable(`${set.name} (${set.docs.length} docs, ${set.queries.length} queries)`, rows, metrics, DEFAULT_MODE);
    for (const r of rows)
      for (const [k, v] of Object.entries(r.m)) if (Array.isArray(v)) perQuery[`${set.name}|${r.engine}|${r.mode}|${k}`] = v;
    if (name === 'onet' && heldOut) {
      // The same rows on the queries of the occupations the model was not fine-tuned on.
      const codeOf = new Map(set.docs.map((d) => [d.id, d.code!]));
      const keep = set.queries
        .filter((q) => set.qrels.get(q.id)?.size)
        .map((q) => [...set.qrels.get(q.id)!.keys()].some((id) => heldOut.has(codeOf.get(id)!)));
      for (const r of rows)
        for (const [k, v] of Object.entries(r.m))
          if (Array.isArray(v)) perQuery[`${set.name}, held-out occupations|${r.engine}|${r.mode}|${k}`] = v.filter((_, i) => keep[i]);
    }
  }
  await embedder?.close();
  const save = arg('save-per-query', '');
  if (save) fs.writeFileSync(save, JSON.stringify({ modelId: embedder?.modelId ?? null, perQuery }));
  const compare = arg('compare', '');
  if (compare) {
    // Several files (comma-separated) of one earlier model are merged.
    const earlier = compare
      .split(',')
      .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { modelId: string | null; perQuery: Record<string, number[]> });
    printComparison(
      { modelId: earlier[0].modelId, perQuery: Object.assign({}, ...earlier.map((e) => e.perQuery)) },
      embedder?.modelId ?? null,
      perQuery,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
