/**
 * normalizeTitle on the O*NET alternate-title set (every 20th alternate title is a query and is left
 * out of the index; see search-eval-data.ts), through TitleNormalizer over an embedded index built the
 * way the projections build it: occupation documents with their title vector, and one label document
 * per kept alternate title with its own vector. "before" is the ranking main served before label
 * vectors (title vector + BM25 over every occupation field, alpha 0.5, in the index's own fusion).
 * Recall@10 and MRR@10 with bootstrap 95% intervals, and each mode's paired difference to "before".
 */
import type { Embedder, EmbedOptions } from '../src/adapters/embedding/embedder';
import { performance } from 'node:perf_hooks';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded-search-index';
import type { Fusion, SearchHit, SearchIndex, SearchRequest } from '../src/adapters/search/search-index';
import { BiEncoderReranker, RERANK_DEFAULTS } from '../src/matching/bi-encoder-reranker';
import { NORMALIZE_TITLE_DEFAULTS, occupationRerankText, TitleNormalizer } from '../src/matching/title-normalizer';
import { recallAt, reciprocalRank } from '../src/shared/ranking-metrics';
import { indexOccupationLabels, occupationLabels } from '../src/sync/title-label-projection';
import { bootstrapDiff, bootstrapMean, formatInterval } from './bootstrap';
import type { EvalSet } from './search-eval-data';

export interface NormalizeMode {
  label: string;
  alpha: number;
  fusion: Fusion;
  labels: boolean;
  /** Second stage over the top 50 (BiEncoderReranker) with this weight; absent: none. */
  rerankWeight?: number;
}

export function normalizeModes(alphas: number[], rerankWeights: number[] = []): NormalizeMode[] {
  const { alpha, fusion } = NORMALIZE_TITLE_DEFAULTS;
  return [
    ...rerankWeights.map(
      (w): NormalizeMode => ({
        label: `labels, ${fusion} alpha ${alpha}, reranked (top 50, weight ${w})`,
        alpha,
        fusion,
        labels: true,
        rerankWeight: w,
      }),
    ),
    ...alphas.map(
      (alpha): NormalizeMode => ({ label: `labels, relativeScore alpha ${alpha}`, alpha, fusion: 'relativeScore', labels: true }),
    ),
    ...alphas
      .filter((a) => a > 0 && a < 1)
      .map((alpha): NormalizeMode => ({ label: `labels, ranked alpha ${alpha}`, alpha, fusion: 'ranked', labels: true })),
  ];
}

/** Query vectors once per text: every mode embeds the same queries. */
class MemoEmbedder implements Embedder {
  private readonly memo = new Map<string, Float32Array>();
  constructor(private readonly inner: Embedder) {}
  get modelId() {
    return this.inner.modelId;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.memo.has(`${options.kind}:${t}`)))];
    for (let i = 0; i < missing.length; i += 256) {
      const part = missing.slice(i, i + 256);
      const out = await this.inner.embed(part, options);
      part.forEach((t, j) => this.memo.set(`${options.kind}:${t}`, out[j]));
    }
    return texts.map((t) => this.memo.get(`${options.kind}:${t}`)!);
  }
  close() {
    return Promise.resolve();
  }
}

/** The same sub-search for another alpha or fusion is answered once: fusion happens in the normalizer. */
function memoIndex(index: SearchIndex): SearchIndex {
  const memo = new Map<string, Promise<SearchHit[]>>();
  return new Proxy(index, {
    get(target, prop, receiver) {
      if (prop !== 'search') return Reflect.get(target, prop, receiver);
      return (req: SearchRequest) => {
        const vectors = Object.entries(req.vectors ?? {}).map(([n, v]) => [n, Buffer.from(Float32Array.from(v).buffer).toString('base64')]);
        const key = JSON.stringify({ ...req, vectors });
        let hit = memo.get(key);
        if (!hit) memo.set(key, (hit = target.search(req)));
        return hit;
      };
    },
  });
}

/** A search engine the evaluation builds its index in: `open` gives an empty index with its schema. */
export interface NormalizeEngine {
  name: string;
  open(): Promise<SearchIndex>;
  close(index: SearchIndex): Promise<void>;
}

export const EMBEDDED_ENGINE: NormalizeEngine = {
  name: 'embedded',
  open: async () => {
    const index = new EmbeddedSearchIndex();
    await index.ensureSchema();
    return index;
  },
  close: (index) => index.close(),
};

/** The index with the time its upserts took, so the label pass's index writes are told apart from the model's time. */
function timedUpserts(inner: SearchIndex): SearchIndex & { inner: SearchIndex; upserts: { docs: number; ms: number } } {
  const upserts = { docs: 0, ms: 0 };
  return new Proxy(inner as SearchIndex & { inner: SearchIndex; upserts: { docs: number; ms: number } }, {
    get(target, prop, receiver) {
      if (prop === 'inner') return inner;
      if (prop === 'upserts') return upserts;
      if (prop !== 'upsert') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<SearchIndex['upsert']>) => {
        const t = performance.now();
        await target.upsert(...args);
        upserts.ms += performance.now() - t;
        upserts.docs += args[1].length;
      };
    },
  });
}

/**
 * `heldOut`: O*NET codes the embedding model was not fine-tuned on (its manifest's hold-out); the
 * table is printed again for the queries of those occupations only, since the model has seen the
 * other occupations' alternate titles in training.
 */
/** The O*NET occupations as the occupation collection holds them: text fields and the title's vector. */
export async function indexOccupationTitles(index: SearchIndex, embedder: Embedder, set: EvalSet): Promise<void> {
  const titleVectors = await embedder.embed(
    set.docs.map((d) => d.title),
    { kind: 'passage' },
  );
  await index.upsert(
    'occupation',
    set.docs.map((d, i) => ({
      id: d.id,
      text: { title: d.title, alternateTitles: (d.labels ?? []).join(' | '), description: d.description },
      vectors: { title: titleVectors[i], profile: titleVectors[i] },
      properties: { occupationCodes: [d.code!], source: 'onet', externalId: d.code },
    })),
  );
}

export async function evaluateNormalizeTitle(
  set: EvalSet,
  base: Embedder,
  modes: NormalizeMode[],
  heldOut?: Set<string>,
  states: number[] = [1],
  /** The model without an embedding cache, for the reranker's cold latency; default `base`. */
  uncached: Embedder = base,
  /** The indexes to rank with, one after another on the same queries; default the embedded one. */
  engines: NormalizeEngine[] = [EMBEDDED_ENGINE],
  /** Queries of the reranker's cold-latency comparison per engine; 0 leaves it out. */
  latencySample = 60,
  /** At most this many queries, spread evenly over the set (every engine gets the same ones); 0: all. */
  querySample = 0,
): Promise<void> {
  const embedder = new MemoEmbedder(base);
  for (const engine of engines) {
    const index = timedUpserts(await engine.open());
    try {
      const t0 = Date.now();
      await indexOccupationTitles(index, embedder, set);
      const labelsOf = set.docs.map((d) =>
        occupationLabels({ id: d.id, code: d.code!, source: 'onet', title: d.title, alternate_titles: d.labels ?? [] }),
      );
      const labelCount = labelsOf.reduce((n, l) => n + l.length, 0);
      const queryVectors = await embedder.embed(
        set.queries.map((q) => q.text),
        { kind: 'query' },
      );
      console.error(
        `  normalizeTitle index: ${set.docs.length} occupations, ${labelCount} labels, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );

      const judged = set.queries.filter((q) => set.qrels.get(q.id)?.size);
      const stride = querySample > 0 ? Math.max(1, judged.length / querySample) : 1;
      const queries = stride > 1 ? Array.from({ length: querySample }, (_, i) => judged[Math.floor(i * stride)]) : judged;
      const textOf = new Map(set.docs.map((d) => [d.id, occupationRerankText(d)]));
      const rerankTexts = (ids: string[]) =>
        Promise.resolve(new Map(ids.flatMap((id) => (textOf.has(id) ? [[id, textOf.get(id)!] as const] : []))));
      type Row = { label: string; r10: number[]; rr: number[]; ms: number };

      /** Every query ranked by `rank`, scored against its judgements, timed. */
      const run = async (label: string, rank: (q: (typeof queries)[number]) => Promise<SearchHit[]>): Promise<Row> => {
        const started = Date.now();
        const r: Row = { label, r10: [], rr: [], ms: 0 };
        for (const q of queries) {
          const ranked = (await rank(q)).map((h) => h.id);
          const rel = set.qrels.get(q.id)!;
          r.r10.push(recallAt(ranked, rel, 10));
          r.rr.push(reciprocalRank(ranked, rel));
        }
        r.ms = (Date.now() - started) / queries.length;
        return r;
      };
      const vectorOf = new Map(set.queries.map((q, i) => [q.id, queryVectors[i]]));
      const before = await run('before: title vector + BM25 over all fields, alpha 0.5 (main)', (q) =>
        index.search({
          collection: 'occupation',
          text: q.text,
          vectors: { title: vectorOf.get(q.id)! },
          alpha: 0.5,
          fusion: 'relativeScore',
          limit: 10,
        }),
      );

      const codeOf = new Map(set.docs.map((d) => [d.id, d.code!]));
      const table = (title: string, results: Row[], keep: boolean[], labelled: number) => {
        const n = keep.filter(Boolean).length;
        const pick = (values: number[]) => values.filter((_, i) => keep[i]);
        console.log(
          `\n### normalizeTitle on ${engine.name}: ${title} (${set.docs.length} occupations, ${labelled} of ${labelCount} labels embedded, ${n} queries)\n`,
        );
        console.log('Mean [bootstrap 95% interval, 1,000 resamples of the queries]; "vs before" is the paired difference.\n');
        console.log('| mode | Recall@10 | MRR@10 | Recall@10 vs before | MRR@10 vs before | ms/query (cached sub-searches) |');
        console.log('|---|---:|---:|---:|---:|---:|');
        for (const r of results) {
          const same = r === before;
          console.log(
            `| ${r.label} | ${formatInterval(bootstrapMean(pick(r.r10)))} | ${formatInterval(bootstrapMean(pick(r.rr)))} | ${
              same ? '' : formatInterval(bootstrapDiff(pick(before.r10), pick(r.r10)))
            } | ${same ? '' : formatInterval(bootstrapDiff(pick(before.rr), pick(r.rr)))} | ${r.ms.toFixed(1)} |`,
          );
        }
      };

      // States of the `titles` projection: the share of occupations whose labels it has embedded, in the
      // order it reaches them (the occupations' import order). 0 is a fresh start, 1 the finished pass.
      let labelled = 0;
      let upTo = 0;
      for (const state of [...states].sort((a, b) => a - b)) {
        const target = Math.round(state * set.docs.length);
        const pending = labelsOf.slice(upTo, target).flat();
        const started = performance.now();
        const written = { ...index.upserts };
        await indexOccupationLabels(index, base, pending, {
          chunk: 1024,
          onChunk: (done) => process.stderr.write(`\r  labels embedded: ${labelled + done} / ${labelCount}`),
        });
        if (pending.length > 0) {
          const seconds = (performance.now() - started) / 1000;
          const writes = (index.upserts.ms - written.ms) / 1000;
          console.log(
            `\n${engine.name}: ${pending.length} labels embedded and indexed in ${seconds.toFixed(1)} s, index writes ${writes.toFixed(1)} s (${(pending.length / writes).toFixed(0)} labels/s), chunks of 1,024`,
          );
        }
        labelled += pending.length;
        upTo = Math.max(upTo, target);
        const memo = memoIndex(index);
        const results: Row[] = [before];
        for (const mode of modes) {
          const reranker =
            mode.rerankWeight === undefined
              ? undefined
              : new BiEncoderReranker(base, rerankTexts, { ...RERANK_DEFAULTS, weight: mode.rerankWeight });
          // Labels are read once every occupation has them, as the titles projection's state tells the server.
          const normalizer = new TitleNormalizer(memo, embedder, reranker, () => Promise.resolve(upTo >= set.docs.length));
          results.push(
            await run(mode.label, (q) =>
              normalizer.normalize({
                title: q.text,
                taxonomy: 'onet',
                alpha: mode.alpha,
                fusion: mode.fusion,
                labels: mode.labels,
                rerank: reranker !== undefined,
                first: 10,
              }),
            ),
          );
        }
        const name = `${set.name}, labels of ${upTo} of ${set.docs.length} occupations embedded`;
        table(
          name,
          results,
          queries.map(() => true),
          labelled,
        );
        if (heldOut) {
          const keep = queries.map((q) => [...set.qrels.get(q.id)!.keys()].some((id) => heldOut.has(codeOf.get(id)!)));
          table(`${name}; queries of the ${heldOut.size} occupations the model was not fine-tuned on`, results, keep, labelled);
        }
      }
      if (latencySample > 0 && modes.some((m) => m.rerankWeight !== undefined))
        await rerankLatency(
          engine.name,
          index,
          uncached,
          queries.map((q) => q.text),
          rerankTexts,
          latencySample,
        );
    } finally {
      await engine.close(index.inner);
    }
  }
}

/**
 * Latency per normalizeTitle call at the defaults, without and with the second stage, interleaved
 * query by query on the same index (no cached sub-searches; query vectors embedded each time). The
 * reranker's passage cache is emptied before each query and the model is asked directly (no embedding
 * cache): every reranked call embeds its 50 passages, the worst case.
 */
async function rerankLatency(
  engine: string,
  index: SearchIndex,
  embedder: Embedder,
  texts: string[],
  rerankTexts: (ids: string[]) => Promise<Map<string, string>>,
  sample: number,
): Promise<void> {
  const reranker = new BiEncoderReranker(embedder, rerankTexts);
  const normalizer = new TitleNormalizer(index, embedder, reranker);
  const step = Math.max(1, Math.floor(texts.length / sample));
  const plain: number[] = [];
  const reranked: number[] = [];
  for (let i = 0; i < texts.length && plain.length < sample; i += step) {
    for (const rerank of i % 2 === 0 ? [false, true] : [true, false]) {
      reranker.clearCache();
      const t = performance.now();
      await normalizer.normalize({ title: texts[i], taxonomy: 'onet', rerank, first: 10 });
      (rerank ? reranked : plain).push(performance.now() - t);
    }
  }
  const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))].toFixed(0);
  console.log(`\n### normalizeTitle latency on ${engine}, ${plain.length} queries interleaved, ms p50 / p95 (cold reranker cache)\n`);
  console.log('| mode | p50 | p95 |');
  console.log('|---|---:|---:|');
  console.log(`| defaults | ${pct(plain, 0.5)} | ${pct(plain, 0.95)} |`);
  console.log(`| defaults + rerank (top ${RERANK_DEFAULTS.depth}) | ${pct(reranked, 0.5)} | ${pct(reranked, 0.95)} |`);
}
