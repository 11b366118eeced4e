import type { Embedder } from '../adapters/embedding/embedder';
import { relativeScoreFusion, type ScoredId } from '../adapters/search/hybrid-fusion';

export interface RerankOptions {
  /** Results of the first stage that are re-scored; the rest keep their order below them. */
  depth: number;
  /** Share of the second stage in the final score (0..1), fused with the first stage by relativeScore. */
  weight: number;
  /** Passage vectors kept between queries, by text (an occupation's rich text rarely changes). */
  cacheSize: number;
}

export const RERANK_DEFAULTS: RerankOptions = { depth: 50, weight: 0.5, cacheSize: 4096 };

/**
 * A second stage over the first `depth` results: each is compared with the query by the embedding
 * model over a richer text than the first stage saw (an occupation's title with its description),
 * and that similarity is fused with the first stage's score (min-max normalised over the re-scored
 * results, as relativeScore fusion does). A bi-encoder, not a cross-encoder: no model that reads
 * query and document together ships with MatchHub. Passage vectors are embedded at query time and
 * kept in a bounded cache, so a cold query pays for up to `depth` passages.
 */
export class BiEncoderReranker {
  private readonly cache = new Map<string, Float32Array>();

  constructor(
    private readonly embedder: Embedder,
    /** The text to re-score each id by; ids it leaves out keep their first-stage score only. */
    private readonly texts: (ids: string[]) => Promise<Map<string, string>>,
    private readonly options: RerankOptions = RERANK_DEFAULTS,
  ) {}

  /** `depth` (default the options') may be raised by a caller that pages further than the default depth. */
  async rerank(query: Float32Array, ranked: readonly ScoredId[], depth = this.options.depth): Promise<ScoredId[]> {
    const head = ranked.slice(0, depth);
    if (head.length < 2) return [...ranked];
    const texts = await this.texts(head.map((r) => r.id));
    const vectors = await this.passages([...new Set(texts.values())]);
    const similarity: ScoredId[] = [];
    for (const r of head) {
      const text = texts.get(r.id);
      if (text !== undefined) similarity.push({ id: r.id, score: dot(query, vectors.get(text)!) });
    }
    const { weight } = this.options;
    const fused = relativeScoreFusion([head, similarity], [1 - weight, weight]);
    return [...fused, ...ranked.slice(head.length)];
  }

  private async passages(texts: string[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    const missing: string[] = [];
    for (const t of texts) {
      const v = this.cache.get(t);
      if (v) out.set(t, v);
      else missing.push(t);
    }
    if (missing.length > 0) {
      const embedded = await this.embedder.embed(missing, { kind: 'passage', priority: 'interactive' });
      missing.forEach((t, i) => {
        out.set(t, embedded[i]);
        this.cache.set(t, embedded[i]);
      });
      // Oldest first out: Map keeps insertion order.
      for (const key of this.cache.keys()) {
        if (this.cache.size <= this.options.cacheSize) break;
        this.cache.delete(key);
      }
    }
    return out;
  }

  /** Forgets the cached passage vectors (the benchmark's cold-query latency). */
  clearCache(): void {
    this.cache.clear();
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
