/** @jest-environment ./test/unit/embedding/onnx-test-environment.js */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Embedder } from '../../src/embedding/embedder';
import { resolveModelDir } from '../../src/embedding/model-manifest';
import { OnnxEmbedder } from '../../src/embedding/onnx-embedder';
import { OpenAiEmbedder } from '../../src/embedding/openai-embedder';
import { dot } from '../../src/embedding/pooling';

/**
 * A scripted OpenAI-compatible embeddings server (the one stand-in we allow: it replaces a paid
 * hosted API). Vectors are a deterministic function of the input text, deliberately not unit
 * length; like the real API it rejects empty strings.
 */
class ScriptedEmbeddingsServer {
  readonly requests: { model: string; input: string[] }[] = [];
  failNext: { status: number } | null = null;
  wrongDimensionsNext = false;
  private server = http.createServer((req, res) => this.handle(req, res));

  constructor(readonly dimensions: number) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: { message: 'not found' } });
      if (this.failNext) {
        const { status } = this.failNext;
        this.failNext = null;
        return send(status, { error: { message: 'scripted failure', type: 'server_error' } });
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string | string[] };
      const inputs = Array.isArray(input) ? input : [input];
      this.requests.push({ model, input: inputs });
      if (inputs.some((t) => t === '')) {
        return send(400, { error: { message: "'$.input' is invalid: empty string", type: 'invalid_request_error' } });
      }
      const dims = this.wrongDimensionsNext ? this.dimensions - 1 : this.dimensions;
      this.wrongDimensionsNext = false;
      send(200, {
        object: 'list',
        model,
        data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: vectorFor(t, dims) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    });
  }
}

function vectorFor(text: string, dims: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < dims; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out.push(((h % 2000) - 1000) / 300);
  }
  return out;
}

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
