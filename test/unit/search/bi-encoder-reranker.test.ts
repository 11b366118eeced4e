import type { EmbedOptions, Embedder } from '../../../src/adapters/embedding/embedder';
import { BiEncoderReranker, RERANK_DEFAULTS } from '../../../src/matching/bi-encoder-reranker';

/** Texts naming "nurse" point one way, every other text the other way; counts what it embeds. */
class TopicEmbedder implements Embedder {
  readonly modelId = 'topic';
  readonly dimensions = 2;
  readonly embedded: string[] = [];
  readonly options: EmbedOptions[] = [];
  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    this.options.push(options);
    return texts.map((t) => (/nurse/i.test(t) ? Float32Array.of(1, 0) : Float32Array.of(0, 1)));
  }
  async close(): Promise<void> {}
}

const nurseQuery = Float32Array.of(1, 0);
const texts: Record<string, string> = {
  a: 'Clerk: files records',
  b: 'Registered Nurses: assess patients',
  c: 'Cashier: takes payments',
};
const lookup = (ids: string[]) => Promise.resolve(new Map(ids.filter((id) => texts[id]).map((id) => [id, texts[id]])));

describe('BiEncoderReranker', () => {
  it('moves up the result whose richer text matches the query, and keeps results past the depth below, in order', async () => {
    const reranker = new BiEncoderReranker(new TopicEmbedder(), lookup, { ...RERANK_DEFAULTS, depth: 3, weight: 0.7 });
    const first = [
      { id: 'a', score: 0.9 },
      { id: 'c', score: 0.8 },
      { id: 'b', score: 0.7 },
      { id: 'x', score: 0.6 },
      { id: 'y', score: 0.5 },
    ];
    const out = await reranker.rerank(nurseQuery, first);
    expect(out.map((r) => r.id)).toEqual(['b', 'a', 'c', 'x', 'y']);
  });

  it('with weight 0 leaves the first stage order as it was', async () => {
    const reranker = new BiEncoderReranker(new TopicEmbedder(), lookup, { ...RERANK_DEFAULTS, weight: 0 });
    const first = [
      { id: 'a', score: 0.9 },
      { id: 'c', score: 0.8 },
      { id: 'b', score: 0.7 },
    ];
    expect((await reranker.rerank(nurseQuery, first)).map((r) => r.id)).toEqual(['a', 'c', 'b']);
  });

  it('embeds each text once across queries until its cache is cleared', async () => {
    const embedder = new TopicEmbedder();
    const reranker = new BiEncoderReranker(embedder, lookup);
    const first = ['a', 'b', 'c'].map((id, i) => ({ id, score: 1 - i / 10 }));
    await reranker.rerank(nurseQuery, first);
    await reranker.rerank(Float32Array.of(0, 1), first);
    expect(embedder.embedded.sort()).toEqual(Object.values(texts).sort());
    reranker.clearCache();
    await reranker.rerank(nurseQuery, first);
    expect(embedder.embedded).toHaveLength(6);
  });

  it('embeds its passages as interactive work, ahead of the bulk passes the projector queued', async () => {
    const embedder = new TopicEmbedder();
    await new BiEncoderReranker(embedder, lookup).rerank(nurseQuery, [
      { id: 'a', score: 0.9 },
      { id: 'b', score: 0.8 },
    ]);
    expect(embedder.options).toEqual([{ kind: 'passage', priority: 'interactive' }]);
  });
});
