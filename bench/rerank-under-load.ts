/**
 * `npm run bench:rerank` — a reranked normalizeTitle (cold reranker cache: it embeds its 50 title +
 * description passages) while the `titles` projection embeds occupation labels in the background, the
 * way the server runs both on one OnnxEmbedder. The bulk side embeds the O*NET alternate titles in chunks
 * of 256 passages (the projection's chunk) without pause; the reranked calls run meanwhile, one at a time.
 *
 * With --before DIST (the dist/ folder of an earlier commit's build, e.g. `git archive <commit> | tar -x
 * -C /tmp/before`, link node_modules, `npx tsc -p tsconfig.build.json` there), that build's OnnxEmbedder,
 * TitleNormalizer and BiEncoderReranker run the same queries, interleaved with this build's round by round
 * (the order alternates), so the machine's load falls on both alike. Both rank over one embedded index of
 * the 1,016 O*NET occupations (title vectors; labels not read, as during the label pass).
 *
 * Options: --data DIR (default ../shared/data), --before DIST, --rounds 2, --queries 8 (per variant and
 * round, under load), --idle 3 (the same without the bulk work, per variant and round). Latencies are
 * printed, never asserted, with `uptime`'s load at start and end.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Embedder } from '../src/adapters/embedding/embedder';
import { resolveModelDir } from '../src/adapters/embedding/model-manifest';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded-search-index';
import type { SearchIndex } from '../src/adapters/search/search-index';
import { occupationRerankText } from '../src/matching/title-normalizer';
import { indexOccupationTitles } from './eval-normalize-title';
import { loadOnetTitles } from './search-eval-data';

type EmbedderModule = typeof import('../src/adapters/embedding/onnx-embedder');
type NormalizerModule = typeof import('../src/matching/title-normalizer');
type RerankerModule = typeof import('../src/matching/bi-encoder-reranker');

interface Variant {
  name: string;
  embedder: Embedder;
  normalizer: InstanceType<NormalizerModule['TitleNormalizer']>;
  reranker: InstanceType<RerankerModule['BiEncoderReranker']>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The three classes from one build's dist/ folder (this build's is the folder above this file). */
async function variant(
  name: string,
  dist: string,
  modelDir: string,
  index: SearchIndex,
  texts: (ids: string[]) => Promise<Map<string, string>>,
): Promise<Variant> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OnnxEmbedder } = require(path.join(dist, 'src/adapters/embedding/onnx-embedder.js')) as EmbedderModule;
  const { TitleNormalizer } = require(path.join(dist, 'src/matching/title-normalizer.js')) as NormalizerModule;
  const { BiEncoderReranker } = require(path.join(dist, 'src/matching/bi-encoder-reranker.js')) as RerankerModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // The server's settings (app.ts): every core for passages, a one-thread session for queries.
  const embedder = await OnnxEmbedder.create({ modelDir });
  const reranker = new BiEncoderReranker(embedder, texts);
  // Labels not read, as while the label pass runs.
  const normalizer = new TitleNormalizer(index, embedder, reranker, () => Promise.resolve(false));
  return { name, embedder, normalizer, reranker };
}

/** Embeds `labels` in chunks of 256 passages, round and round, until stopped; returns labels/s. */
function bulkWork(embedder: Embedder, labels: string[]): { stop: () => Promise<number> } {
  let stopped = false;
  let done = 0;
  const started = performance.now();
  const loop = (async () => {
    for (let i = 0; !stopped; i = (i + 256) % labels.length) {
      await embedder.embed(labels.slice(i, i + 256), { kind: 'passage' });
      done += Math.min(256, labels.length - i);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return done / ((performance.now() - started) / 1000);
    },
  };
}

async function timeQueries(v: Variant, titles: string[]): Promise<number[]> {
  const ms: number[] = [];
  for (const title of titles) {
    v.reranker.clearCache();
    const t = performance.now();
    await v.normalizer.normalize({ title, taxonomy: 'onet', rerank: true, first: 10 });
    ms.push(performance.now() - t);
  }
  return ms;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

async function main() {
  const data = path.resolve(arg('data', path.join('..', 'shared', 'data')));
  const rounds = Number(arg('rounds', '2'));
  const perRound = Number(arg('queries', '8'));
  const idlePerRound = Number(arg('idle', '3'));
  const before = arg('before', '');
  const modelDir = resolveModelDir();
  const set = loadOnetTitles(data);
  console.log(`# bench:rerank — ${new Date().toISOString()}, load average ${load()}`);

  const index = new EmbeddedSearchIndex();
  await index.ensureSchema();
  const textOf = new Map(set.docs.map((d) => [d.id, occupationRerankText(d)]));
  const texts = (ids: string[]) => Promise.resolve(new Map(ids.flatMap((id) => (textOf.has(id) ? [[id, textOf.get(id)!] as const] : []))));
  const variants = [await variant('this build', path.join(__dirname, '..'), modelDir, index, texts)];
  if (before) variants.push(await variant(`before (${before})`, path.resolve(before), modelDir, index, texts));

  await indexOccupationTitles(index, variants[0].embedder, set);
  const labels = set.docs.flatMap((d) => d.labels ?? []);
  // Held-out alternate titles as the queries, spread over the set; each variant gets the same ones.
  const queries = set.queries.map((q) => q.text);
  const step = Math.max(1, Math.floor(queries.length / (rounds * (perRound + idlePerRound))));
  const pick = (from: number, n: number) => Array.from({ length: n }, (_, k) => queries[((from + k) * step) % queries.length]);
  // Warm-up: the first passes of a fresh session are slow.
  for (const v of variants) await timeQueries(v, pick(0, 1));

  const loaded = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const idle = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  let next = 1;
  for (let r = 0; r < rounds; r++) {
    const underLoad = pick(next, perRound);
    const quiet = pick(next + perRound, idlePerRound);
    next += perRound + idlePerRound;
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) {
      idle.get(v.name)!.push(...(await timeQueries(v, quiet)));
      const bulk = bulkWork(v.embedder, labels);
      // Let the bulk side fill the lane before the first request arrives.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      loaded.get(v.name)!.push(...(await timeQueries(v, underLoad)));
      rates.get(v.name)!.push(await bulk.stop());
      console.error(`  round ${r + 1}, ${v.name}: done, load average ${load()}`);
    }
  }

  const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))];
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`\n### reranked normalizeTitle (cold reranker cache), ${rounds} rounds interleaved\n`);
  console.log('| build | bulk label embedding | calls | p50 s | p95 s | max s | bulk labels/s while measured |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const i = idle.get(v.name)!;
    const l = loaded.get(v.name)!;
    const rate = rates.get(v.name)!;
    console.log(`| ${v.name} | none | ${i.length} | ${s(pct(i, 0.5))} | ${s(pct(i, 0.95))} | ${s(Math.max(...i))} | |`);
    console.log(
      `| ${v.name} | running | ${l.length} | ${s(pct(l, 0.5))} | ${s(pct(l, 0.95))} | ${s(Math.max(...l))} | ${(
        rate.reduce((a, b) => a + b, 0) / rate.length
      ).toFixed(0)} |`,
    );
  }
  console.log(`\nload average at the end: ${load()}`);
  for (const v of variants) await v.embedder.close();
  await index.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
