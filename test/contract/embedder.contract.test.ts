/** @jest-environment ./test/unit/embedding/onnx-test-environment.js */
import type { Embedder } from '../../src/adapters/embedding/embedder';
import { resolveModelDir } from '../../src/adapters/embedding/model-manifest';
import { OnnxEmbedder } from '../../src/adapters/embedding/onnx-embedder';
import { OpenAiEmbedder } from '../../src/adapters/embedding/openai-embedder';
import { dot } from '../../src/adapters/embedding/pooling';
import { ScriptedEmbeddingsServer } from '../support/scripted-embeddings-server';

const server = new ScriptedEmbeddingsServer(64);
let onnx: OnnxEmbedder;
let openai: OpenAiEmbedder;
let baseURL: string;

beforeAll(async () => {
  baseURL = await server.start();
  openai = new OpenAiEmbedder({ baseURL, apiKey: 'test-key', model: 'scripted-embed', dimensions: 64, maxBatchSize: 4, maxRetries: 0 });
  onnx = await OnnxEmbedder.create({ modelDir: resolveModelDir(), intraOpNumThreads: 1 });
}, 60_000);

afterAll(async () => {
  await onnx?.close();
  await openai?.close();
  await server.stop();
});

const adapters: [string, () => Embedder][] = [
  ['OnnxEmbedder', () => onnx],
  ['OpenAiEmbedder', () => openai],
];

describe.each(adapters)('Embedder contract: %s', (_name, get) => {
  const isUnit = (v: Float32Array) => Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-4;

  it('declares its vector space', () => {
    expect(get().modelId).toEqual(expect.any(String));
    expect(get().dimensions).toBeGreaterThan(0);
  });

  it('returns one finite unit vector of `dimensions` per text, in order, deterministically', async () => {
    const e = get();
    const texts = ['registered nurse', 'truck driver', 'registered nurse', 'data engineer', 'welder', 'chef'];
    const vectors = await e.embed(texts, { kind: 'passage' });
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(e.dimensions);
      expect(isUnit(v)).toBe(true);
    }
    expect(dot(vectors[0], vectors[2])).toBeCloseTo(1, 5);
    expect(dot(vectors[0], vectors[1])).toBeLessThan(0.99);
  });

  it('handles empty, whitespace, 1 MB, emoji, mixed-script and NUL input without NaN', async () => {
    const e = get();
    const hostile = ['', '  \n ', 'x'.repeat(1_000_000), '🚀👩‍💻', 'Java 开发 Ingénieur ملف', 'nul\u0000byte', '\uDC00'];
    const vectors = await e.embed(hostile, { kind: 'query' });
    expect(vectors).toHaveLength(hostile.length);
    for (const v of vectors) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(isUnit(v)).toBe(true);
    }
  }, 60_000);

  it('answers [] for no texts', async () => {
    expect(await get().embed([], { kind: 'passage' })).toEqual([]);
  });

  it('rejects an unknown kind and non-string texts with INPUT_INVALID / BAD_USER_INPUT', async () => {
    await expect(get().embed(['x'], { kind: 'doc' as 'query' })).rejects.toMatchObject({ reason: 'INPUT_INVALID', code: 'BAD_USER_INPUT' });
    await expect(get().embed([null as unknown as string], { kind: 'query' })).rejects.toMatchObject({ reason: 'INPUT_INVALID' });
  });
});

describe('OpenAiEmbedder against the scripted server', () => {
  it('batches requests, sends the configured model, and never sends an empty string', async () => {
    server.requests.length = 0;
    await openai.embed(['a', '', 'c', 'd', 'e'], { kind: 'query' });
    expect(server.requests.map((r) => r.input.length)).toEqual([4, 1]);
    expect(server.requests[0]).toEqual({ model: 'scripted-embed', input: ['a', ' ', 'c', 'd'] });
  });

  it('applies per-kind prefixes when configured', async () => {
    const e5 = new OpenAiEmbedder({
      baseURL,
      apiKey: 'k',
      model: 'e5',
      dimensions: 64,
      prefixes: { query: 'query: ', passage: 'passage: ' },
    });
    server.requests.length = 0;
    await e5.embed(['nurse'], { kind: 'query' });
    await e5.embed(['nurse'], { kind: 'passage' });
    expect(server.requests.map((r) => r.input[0])).toEqual(['query: nurse', 'passage: nurse']);
  });

  it('reports a server error as BACKEND_FAILED / UNAVAILABLE with the HTTP status', async () => {
    server.failNext = { status: 503 };
    await expect(openai.embed(['x'], { kind: 'query' })).rejects.toMatchObject({
      reason: 'BACKEND_FAILED',
      code: 'UNAVAILABLE',
      message: expect.stringContaining('HTTP 503'),
    });
  });

  it('rejects vectors of the wrong size as BACKEND_BAD_RESPONSE', async () => {
    server.wrongDimensionsNext = true;
    await expect(openai.embed(['x'], { kind: 'query' })).rejects.toMatchObject({
      reason: 'BACKEND_BAD_RESPONSE',
      message: expect.stringContaining('64 finite numbers'),
    });
  });

  it('refuses incomplete settings with a list of what to fix', () => {
    expect(() => new OpenAiEmbedder({ baseURL: '', apiKey: '', model: '', dimensions: 0 })).toThrow(
      /baseURL is required; apiKey is required .*; model is required; dimensions must be a positive integer/,
    );
  });
});
