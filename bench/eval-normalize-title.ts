/**
 * normalizeTitle on the O*NET alternate-title set (every 20th alternate title is a query and is left
 * out of the index; see search-eval-data.ts), through TitleNormalizer over an embedded index built the
 * way the projections build it: occupation documents with their title vector, and one label document
 * per kept alternate title with its own vector. "before" is the ranking main served before label
 * vectors (title vector + BM25 over every occupation field, alpha 0.5, in the index's own fusion).
 * Recall@10 and MRR@10 with bootstrap 95% intervals, and each mode's paired difference to "before".
 */
import type { Embedder, EmbedOptions } from '../src/adapters/embedding/embedder';
import { EmbeddedSearchIndex } from '../src/adapters/search/embedded-search-index';
import type { Fusion, SearchHit, SearchIndex, SearchRequest } from '../src/adapters/search/search-index';
import { TitleNormalizer } from '../src/matching/title-normalizer';
import { recallAt, reciprocalRank } from '../src/shared/ranking-metrics';
import { occupationLabels } from '../src/sync/title-label-projection';
import { bootstrapDiff, bootstrapMean, formatInterval } from './bootstrap';
import type { EvalSet } from './search-eval-data';

export interface NormalizeMode {
  label: string;
  alpha: number;
  fusion: Fusion;
  labels: boolean;
}

export function normalizeModes(alphas: number[]): NormalizeMode[] {
  return [
    { label: 'title vectors only (fallback), alpha 0.75', alpha: 0.75, fusion: 'relativeScore', labels: false },
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

/**
 * `heldOut`: O*NET codes the embedding model was not fine-tuned on (its manifest's hold-out); the
 * table is printed again for the queries of those occupations only, since the model has seen the
 * other occupations' alternate titles in training.
 */
export async function evaluateNormalizeTitle(set: EvalSet, base: Embedder, modes: NormalizeMode[], heldOut?: Set<string>): Promise<void> {
  const embedder = new MemoEmbedder(base);
  const index = new EmbeddedSearchIndex();
  await index.ensureSchema();
  const t0 = Date.now();
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
  const labels = set.docs.flatMap((d) =>
    occupationLabels({ id: d.id, code: d.code!, source: 'onet', title: d.title, alternate_titles: d.labels ?? [] }),
  );
  for (let i = 0; i < labels.length; i += 1024) {
    const chunk = labels.slice(i, i + 1024);
    const vectors = await base.embed(
      chunk.map((l) => l.label),
      { kind: 'passage' },
    );
    await index.upsert(
      'occupationLabel',
      chunk.map((l, j) => ({
        id: l.id,
        text: { label: l.label },
        vectors: { label: vectors[j] },
        properties: { occupationId: l.occupation.id, occupationCodes: [l.occupation.code], source: 'onet' },
      })),
    );
    process.stderr.write(`\r  labels embedded: ${Math.min(i + 1024, labels.length)} / ${labels.length}`);
  }
  const queryVectors = await embedder.embed(
    set.queries.map((q) => q.text),
    { kind: 'query' },
  );
  console.error(
    `\n  normalizeTitle index: ${set.docs.length} occupations, ${labels.length} labels, ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );

  const normalizer = new TitleNormalizer(memoIndex(index), embedder);
  const queries = set.queries.filter((q) => set.qrels.get(q.id)?.size);
  const score = (ranked: string[], rel: Map<string, number>) => ({ r10: recallAt(ranked, rel, 10), rr: reciprocalRank(ranked, rel) });
  const results: Array<{ label: string; r10: number[]; rr: number[]; ms: number }> = [];

  let started = Date.now();
  const before = { label: 'before: title vector + BM25 over all fields, alpha 0.5 (main)', r10: [] as number[], rr: [] as number[], ms: 0 };
  for (const q of queries) {
    const qi = set.queries.indexOf(q);
    const hits = await index.search({
      collection: 'occupation',
      text: q.text,
      vectors: { title: queryVectors[qi] },
      alpha: 0.5,
      fusion: 'relativeScore',
      limit: 10,
    });
    const s = score(
      hits.map((h) => h.id),
      set.qrels.get(q.id)!,
    );
    before.r10.push(s.r10);
    before.rr.push(s.rr);
  }
  before.ms = (Date.now() - started) / queries.length;
  results.push(before);

  for (const mode of modes) {
    started = Date.now();
    const r = { label: mode.label, r10: [] as number[], rr: [] as number[], ms: 0 };
    for (const q of queries) {
      const hits = await normalizer.normalize({
        title: q.text,
        taxonomy: 'onet',
        alpha: mode.alpha,
        fusion: mode.fusion,
        labels: mode.labels,
        first: 10,
      });
      const s = score(
        hits.map((h) => h.id),
        set.qrels.get(q.id)!,
      );
      r.r10.push(s.r10);
      r.rr.push(s.rr);
    }
    r.ms = (Date.now() - started) / queries.length;
    results.push(r);
  }
  await index.close();

  const codeOf = new Map(set.docs.map((d) => [d.id, d.code!]));
  const table = (title: string, keep: boolean[]) => {
    const n = keep.filter(Boolean).length;
    const pick = (values: number[]) => values.filter((_, i) => keep[i]);
    console.log(`\n### normalizeTitle: ${title} (${set.docs.length} occupations, ${labels.length} labels, ${n} queries)\n`);
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
  table(
    set.name,
    queries.map(() => true),
  );
  if (heldOut) {
    const keep = queries.map((q) => [...set.qrels.get(q.id)!.keys()].some((id) => heldOut.has(codeOf.get(id)!)));
    table(`${set.name}, queries of the ${heldOut.size} occupations the model was not fine-tuned on`, keep);
  }
}
