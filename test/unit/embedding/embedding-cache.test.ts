import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmbedOptions, Embedder } from '../../../src/adapters/embedding/embedder';
import { CachingEmbedder, EmbeddingCacheStore } from '../../../src/adapters/embedding/embedding-cache';

/** A model stand-in that records what reached it; its vectors depend on the text only. */
class CountingModel implements Embedder {
  readonly dimensions = 8;
  calls: string[][] = [];
  constructor(readonly modelId = 'test-model') {}
  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    return texts.map((t) => {
      const v = new Float32Array(this.dimensions);
      for (let i = 0; i < t.length; i++) v[i % this.dimensions] += t.charCodeAt(i) / 1000;
      v[0] += options.kind === 'query' ? 1 : 0;
      return v;
    });
  }
  async close() {}
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (model: CountingModel, maxBytes?: number) =>
  new CachingEmbedder(model, new EmbeddingCacheStore(dir, model.modelId, model.dimensions, maxBytes));

describe('CachingEmbedder', () => {
  it('sends each distinct passage to the model once and answers repeats from the cache, in input order', async () => {
    const model = new CountingModel();
    const cached = open(model);
    const first = await cached.embed(['nurse', 'welder', 'nurse'], { kind: 'passage' });
    expect(model.calls).toEqual([['nurse', 'welder']]);
    expect(first[0]).toEqual(first[2]);
    const again = await cached.embed(['welder', 'chef', 'nurse'], { kind: 'passage' });
    expect(model.calls).toEqual([['nurse', 'welder'], ['chef']]);
    expect(again[0]).toEqual(first[1]);
    expect(again[2]).toEqual(first[0]);
    expect(cached.store.stats).toMatchObject({ hits: 2, entries: 3 });
  });

  it('keeps vectors across restarts, per model: another model id never gets them', async () => {
    const a = open(new CountingModel());
    const before = await a.embed(['data engineer'], { kind: 'passage' });
    await a.close();
    const model = new CountingModel();
    const restarted = open(model);
    expect(await restarted.embed(['data engineer'], { kind: 'passage' })).toEqual(before);
    expect(model.calls).toEqual([]);
    const other = new CountingModel('other-model');
    await open(other).embed(['data engineer'], { kind: 'passage' });
    expect(other.calls).toEqual([['data engineer']]);
  });

  it('lets several writers share one folder: a later reader sees every writer', async () => {
    const one = open(new CountingModel());
    const two = open(new CountingModel());
    await Promise.all([one.embed(['a', 'b'], { kind: 'passage' }), two.embed(['c', 'b'], { kind: 'passage' })]);
    const model = new CountingModel();
    await open(model).embed(['a', 'b', 'c'], { kind: 'passage' });
    expect(model.calls).toEqual([]);
  });

  it('skips a torn last record left by a crash and keeps the whole ones', async () => {
    const cached = open(new CountingModel());
    await cached.embed(['first', 'second'], { kind: 'passage' });
    const [folder] = fs.readdirSync(dir);
    const [segment] = fs.readdirSync(path.join(dir, folder));
    const file = path.join(dir, folder, segment);
    fs.truncateSync(file, fs.statSync(file).size - 5);
    const model = new CountingModel();
    const vectors = await open(model).embed(['first', 'second'], { kind: 'passage' });
    expect(model.calls).toEqual([['second']]);
    expect(vectors[1]).toEqual((await new CountingModel().embed(['second'], { kind: 'passage' }))[0]);
  });

  it('never stores queries', async () => {
    const model = new CountingModel();
    const cached = open(model);
    await cached.embed(['python'], { kind: 'query' });
    await cached.embed(['python'], { kind: 'query' });
    expect(model.calls).toHaveLength(2);
    expect(cached.store.stats.entries).toBe(0);
  });

  it('stops writing at the size cap and still answers from what it has', async () => {
    const model = new CountingModel();
    const cached = open(model, 200);
    await cached.embed(['x'], { kind: 'passage' });
    await cached.embed(['y', 'z', 'w', 'v'], { kind: 'passage' });
    expect(cached.store.stats.writing).toBe(false);
    await cached.embed(['x', 'y'], { kind: 'passage' });
    expect(model.calls.at(-1)).toEqual(['y']);
  });
});
