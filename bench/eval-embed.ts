/**
 * npm run eval:embed -- [--model-dir DIR ...] [--data DIR] [--onet-queries N] [--threads N] [--doc-kinds passage,query]
 *
 * Vector-only retrieval quality of embedding models on public data, side by side on the same
 * queries (default: every bundled model under models/; nothing here is tuned to these sets;
 * figures are printed, never asserted):
 *   TalentCLEF 2025 task A, en and zh: each query title ranks the whole corpus; MAP over the full
 *     ranking, nDCG@10, Recall@10 (qrels graded as given).
 *   O*NET: an alternate title ranks the 1,016 occupations; Recall@10 and MRR. Queries are every
 *     k-th row of Alternate Titles.tsv (deterministic; --onet-queries, default 2000). When a
 *     compared model was fine-tuned (its model.json lists `training.onetOccupations`, the
 *     occupations training held out), queries come only from those occupations, for every model.
 * Each set is run twice: documents embedded as "passage" (asymmetric search, the production
 * setting) and as "query" (E5's advice for symmetric tasks such as title-to-title matching).
 * With several models, each later model's difference to the first on the same queries is printed
 * with a paired bootstrap 95% interval (a change wins outside the noise when it lies above 0).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import type { EmbedKind, Embedder } from '../src/adapters/embedding/embedder';
import { DEFAULT_MODEL_NAME, readModelManifest } from '../src/adapters/embedding/model-manifest';
import { OnnxEmbedder } from '../src/adapters/embedding/onnx-embedder';
import { dot } from '../src/adapters/embedding/pooling';
import { bootstrapDiff, formatInterval } from './bootstrap';
import { averagePrecision, mean, ndcgAt, parseQrels, recallAt, reciprocalRank, type Relevance } from '../src/shared/ranking-metrics';
import { defaultDataDir, findRepoRoot, readTsv } from './embed-inputs';

interface RetrievalSet {
  name: string;
  queries: { id: string; text: string }[];
  docs: { id: string; text: string }[];
  relevant: Map<string, Relevance>;
  metrics: ('map' | 'ndcg@10' | 'recall@10' | 'mrr')[];
}

function talentClef(dataDir: string, lang: 'en' | 'zh'): RetrievalSet {
  const dir = path.join(dataDir, 'talentclef', lang);
  return {
    name: `TalentCLEF ${lang}`,
    queries: readTsv(path.join(dir, 'queries')).map((r) => ({ id: r.q_id, text: r.jobtitle })),
    docs: readTsv(path.join(dir, 'corpus_elements')).map((r) => ({ id: r.c_id, text: r.jobtitle })),
    relevant: parseQrels(readFileSync(path.join(dir, 'qrels.tsv'), 'utf8')),
    metrics: ['map', 'ndcg@10', 'recall@10'],
  };
}

function onetTitles(dataDir: string, count: number, heldOut: Set<string> | null): RetrievalSet {
  const occupations = readTsv(path.join(dataDir, 'onet', 'Occupation Data.txt'));
  const alternates = readTsv(path.join(dataDir, 'onet', 'Alternate Titles.tsv')).filter(
    (r) => heldOut === null || heldOut.has(r['O*NET-SOC Code']),
  );
  const step = Math.max(1, Math.floor(alternates.length / count));
  const sample = alternates.filter((_, i) => i % step === 0).slice(0, count);
  const scope = heldOut === null ? '' : `, ${heldOut.size} held-out occupations`;
  return {
    name: `O*NET alt title -> occupation (${sample.length} queries${scope})`,
    queries: sample.map((r, i) => ({ id: `q${i}`, text: r['Alternate Title'] })),
    docs: occupations.map((r) => ({ id: r['O*NET-SOC Code'], text: r.Title })),
    relevant: new Map(sample.map((r, i) => [`q${i}`, new Map([[r['O*NET-SOC Code'], 1]])])),
    metrics: ['recall@10', 'mrr'],
  };
}

/** Per-query values of each metric, in query order. */
async function evaluate(embedder: Embedder, set: RetrievalSet, docKind: EmbedKind): Promise<Record<string, number[]>> {
  const docVectors = await embedder.embed(
    set.docs.map((d) => d.text),
    { kind: docKind },
  );
  const queryVectors = await embedder.embed(
    set.queries.map((q) => q.text),
    { kind: 'query' },
  );
  const scores: Record<string, number[]> = {};
  set.queries.forEach((q, qi) => {
    const relevant = set.relevant.get(q.id);
    if (!relevant || relevant.size === 0) return;
    const ranked = set.docs
      .map((d, di) => ({ id: d.id, s: dot(queryVectors[qi], docVectors[di]) }))
      .sort((a, b) => b.s - a.s)
      .map((x) => x.id);
    const add = (k: string, v: number) => (scores[k] ??= []).push(v);
    for (const m of set.metrics) {
      if (m === 'map') add(m, averagePrecision(ranked, relevant));
      if (m === 'ndcg@10') add(m, ndcgAt(ranked, relevant, 10));
      if (m === 'recall@10') add(m, recallAt(ranked, relevant, 10));
      if (m === 'mrr') add(m, reciprocalRank(ranked, relevant));
    }
  });
  return scores;
}

/** Bundled model folders (models/<name>/model.json), the default model first. */
function bundledModels(repo: string): string[] {
  const root = path.join(repo, 'models');
  const names = readdirSync(root).filter((n) => existsSync(path.join(root, n, 'model.json')));
  const first = (n: string) => Number(n === DEFAULT_MODEL_NAME);
  return names.sort((a, b) => first(b) - first(a) || a.localeCompare(b)).map((n) => path.join(root, n));
}

/** Occupations held out of any compared model's fine-tuning (null when none was tuned). */
function heldOutOccupations(modelDirs: string[]): Set<string> | null {
  const lists = modelDirs.map((dir) => readModelManifest(dir).training?.onetOccupations).filter((l): l is string[] => Array.isArray(l));
  if (lists.length === 0) return null;
  // Queries must be unseen by every tuned model: the intersection of their hold-outs.
  return new Set(lists[0].filter((code) => lists.every((l) => l.includes(code))));
}

async function main(): Promise<void> {
  const repo = findRepoRoot(__dirname);
  const opts = new Command()
    .option('--model-dir <dir...>', 'ONNX model folders to compare (default: every bundled model)')
    .option('--data <dir>', 'shared data folder', defaultDataDir(repo))
    .option('--onet-queries <n>', 'O*NET alternate titles to sample', '2000')
    .option('--threads <n>', 'onnxruntime threads', String(os.availableParallelism()))
    .option('--doc-kinds <kinds>', 'how documents are embedded, comma-separated', 'passage,query')
    .parse()
    .opts<{ modelDir?: string[]; data: string; onetQueries: string; threads: string; docKinds: string }>();
  const docKinds = opts.docKinds.split(',').filter((k): k is EmbedKind => k === 'passage' || k === 'query');
  const modelDirs = opts.modelDir ?? bundledModels(repo);
  const sets = [
    talentClef(opts.data, 'en'),
    talentClef(opts.data, 'zh'),
    onetTitles(opts.data, Number(opts.onetQueries), heldOutOccupations(modelDirs)),
  ];
  const rows: Record<string, string>[] = [];
  const perQuery = new Map<string, Record<string, number[]>>(); // `${set}|${docs}` of the first model
  const diffs: Record<string, string>[] = [];
  for (const [mi, modelDir] of modelDirs.entries()) {
    const embedder = await OnnxEmbedder.create({ modelDir, intraOpNumThreads: Number(opts.threads) });
    console.log(`embedding eval: model ${embedder.modelId}`);
    for (const set of sets) {
      for (const docKind of docKinds) {
        const started = Date.now();
        const result = await evaluate(embedder, set, docKind);
        const row = {
          model: path.basename(modelDir),
          set: set.name,
          docs: docKind,
          ...Object.fromEntries(Object.entries(result).map(([k, v]) => [k, mean(v).toFixed(4)])),
          seconds: ((Date.now() - started) / 1000).toFixed(1),
        };
        console.log(JSON.stringify(row));
        rows.push(row);
        const key = `${set.name}|${docKind}`;
        if (mi === 0) perQuery.set(key, result);
        else {
          const first = perQuery.get(key)!;
          const diff = {
            model: `${path.basename(modelDir)} - ${path.basename(modelDirs[0])}`,
            set: set.name,
            docs: docKind,
            ...Object.fromEntries(Object.entries(result).map(([k, v]) => [k, formatInterval(bootstrapDiff(first[k], v), 4)])),
          };
          console.log(JSON.stringify(diff));
          diffs.push(diff);
        }
      }
    }
    await embedder.close();
  }
  console.table(rows);
  if (diffs.length > 0) console.table(diffs);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
