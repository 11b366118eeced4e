/**
 * npm run bench:embed -- [--python PATH] [--reference DIR] [--threads N] [--quick]
 *
 * Throughput of the bundled ONNX embedder against the Python reference (sentence-transformers on
 * the fp32 model the ONNX file was exported from), same texts, same thread count, one run.
 * Prints sentences/s for each side, their ratio, and the cosine between the two sides' vectors.
 * The reference needs the venv from models/MODELS.md; without it only our figures are printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { OnnxEmbedder } from '../src/adapters/embedding/onnx-embedder';
import { readModelManifest, resolveModelDir } from '../src/adapters/embedding/model-manifest';
import { dot } from '../src/adapters/embedding/pooling';
import { benchParagraphs, benchTitles, defaultDataDir, findRepoRoot } from './embed-inputs';

interface Case {
  name: string;
  texts: string[];
  batch: number;
  repeat: number;
}

interface Measured {
  seconds: number;
  sentences: number;
  vectors: Float32Array[];
}

const REPO = findRepoRoot(__dirname);
const CACHE = path.join(os.homedir(), '.cache', 'matchhub');

async function runOurs(embedder: OnnxEmbedder, c: Case): Promise<Measured> {
  let vectors: Float32Array[] = [];
  const start = process.hrtime.bigint();
  for (let r = 0; r < c.repeat; r++) {
    vectors = [];
    for (let i = 0; i < c.texts.length; i += c.batch) {
      // Texts already carry the model prefix so that both sides embed identical strings;
      // the manifest prefix is therefore disabled for the bench (see below).
      vectors.push(...(await embedder.embed(c.texts.slice(i, i + c.batch), { kind: 'passage' })));
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, sentences: c.texts.length * c.repeat, vectors };
}

function runReference(python: string, reference: string, threads: number, cases: Case[]): Measured[] | string {
  if (!existsSync(python)) return `no Python at ${python} (create the venv described in models/MODELS.md)`;
  if (!existsSync(reference)) return `no reference model at ${reference} (run the export script in models/scripts/)`;
  const job = JSON.stringify({ model: reference, threads, cases });
  const res = spawnSync(python, [path.join(REPO, 'bench', 'embed_reference.py')], {
    input: job,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (res.status !== 0) return `reference failed: ${res.stderr.slice(-2000)}`;
  const out = JSON.parse(res.stdout) as { cases: { seconds: number; sentences: number; vectors: number[][] }[] };
  return out.cases.map((c) => ({ seconds: c.seconds, sentences: c.sentences, vectors: c.vectors.map((v) => Float32Array.from(v)) }));
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--python <path>', 'Python with sentence-transformers', path.join(CACHE, 'venv', 'bin', 'python'))
    .option('--reference <dir>', 'fp32 sentence-transformers model folder (default: the one the model was exported from)')
    .option('--model-dir <dir>', 'ONNX model folder (default: the bundled model)')
    .option('--data <dir>', 'shared data folder', defaultDataDir(REPO))
    .option('--threads <n>', 'threads for both sides', String(os.availableParallelism()))
    .option('--quick', 'fewer texts (smoke run)', false)
    .parse();
  const opts = program.opts<{ python: string; reference?: string; modelDir?: string; data: string; threads: string; quick: boolean }>();
  const threads = Number(opts.threads);
  const modelDir = opts.modelDir ?? resolveModelDir();
  const manifest = readModelManifest(modelDir);
  const exportedFrom = manifest.export?.reference ?? 'reference-st';
  const referenceDir = opts.reference ?? path.join(CACHE, 'export-e5', exportedFrom);
  const passagePrefix = manifest.prefixes?.passage ?? '';
  const scale = opts.quick ? 0.25 : 1;
  const titles = benchTitles(opts.data, Math.ceil(256 * scale)).map((t) => passagePrefix + t);
  const paragraphs = benchParagraphs(opts.data, Math.ceil(64 * scale)).map((t) => passagePrefix + t);
  const cases: Case[] = [
    { name: 'short, batch 1', texts: titles.slice(0, Math.ceil(128 * scale)), batch: 1, repeat: 1 },
    { name: 'short, batch 32', texts: titles, batch: 32, repeat: 1 },
    { name: 'long, batch 1', texts: paragraphs.slice(0, Math.ceil(32 * scale)), batch: 1, repeat: 1 },
    { name: 'long, batch 32', texts: paragraphs, batch: 32, repeat: 1 },
  ];

  console.log(`embedding bench: model ${manifest.modelId}, ${threads} threads, ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log(`inputs: ${titles.length} O*NET titles, ${paragraphs.length} O*NET task paragraphs (prefix "${passagePrefix}")`);

  console.log(`reference: sentence-transformers on ${referenceDir}`);
  const reference = runReference(opts.python, referenceDir, threads, cases);

  // The texts carry the prefix already, so the embedder must not add it again.
  const embedder = await OnnxEmbedder.create({ modelDir, intraOpNumThreads: threads, prefixes: {} });
  await embedder.embed(['warm up'], { kind: 'passage' });
  const ours: Measured[] = [];
  for (const c of cases) ours.push(await runOurs(embedder, c));
  await embedder.close();

  const rows = cases.map((c, i) => {
    const o = ours[i];
    const row: Record<string, string> = { case: c.name, 'ours sent/s': (o.sentences / o.seconds).toFixed(1) };
    if (typeof reference !== 'string') {
      const r = reference[i];
      const cos = o.vectors.map((v, j) => dot(v, r.vectors[j]));
      row['python sent/s'] = (r.sentences / r.seconds).toFixed(1);
      row.ratio = `${(r.seconds / r.sentences / (o.seconds / o.sentences)).toFixed(2)}x`;
      row['cosine min'] = Math.min(...cos).toFixed(4);
      row['cosine mean'] = (cos.reduce((a, b) => a + b, 0) / cos.length).toFixed(4);
    }
    return row;
  });
  console.table(rows);
  if (typeof reference === 'string') console.log(`python reference skipped: ${reference}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
