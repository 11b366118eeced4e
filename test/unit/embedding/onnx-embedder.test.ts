/** @jest-environment ./test/unit/embedding/onnx-test-environment.js */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Tokenizer } from 'tokenizers';
import { EmbeddingError } from '../../../src/adapters/embedding/embedding-error';
import { AppError } from '../../../src/shared/errors';
import { DEFAULT_MODEL_NAME, readModelManifest, resolveModelDir } from '../../../src/adapters/embedding/model-manifest';
import { OnnxEmbedder } from '../../../src/adapters/embedding/onnx-embedder';
import { WorkerSession } from '../../../src/adapters/embedding/onnx-session-worker';
import { dot } from '../../../src/adapters/embedding/pooling';
import { embedProfile, embedProfiles, type ProfileVectors } from '../../../src/matching/profile-embedding';

// Every bundled model (the default CRE-mini and its untuned base) must keep these properties.
const modelDir = resolveModelDir();
const BUNDLED = [DEFAULT_MODEL_NAME, 'multilingual-e5-small'].map((name) => resolveModelDir(name));

const norm = (v: Float32Array): number => Math.sqrt(dot(v, v));

describe.each(BUNDLED)('bundled model files in %s', (modelDir) => {
  it('tokenize in Node exactly as the Rust tokenizer did at export time', () => {
    const fixture = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'tokenizer-parity.json'), 'utf8')) as {
      text: string;
      ids: number[];
    }[];
    const manifest = readModelManifest(modelDir);
    const tok = Tokenizer.fromFile(path.join(modelDir, manifest.tokenizer));
    tok.setTruncation(manifest.maxTokens);
    return Promise.all(
      fixture.map(async ({ text, ids }) => {
        expect((await tok.encode(text)).getIds()).toEqual(ids);
      }),
    );
  }, 120_000);
});

describe.each(BUNDLED)('OnnxEmbedder on %s', (modelDir) => {
  // The first passes of a fresh session take seconds on a loaded 2-core machine (seen: over 5 s at load 8).
  jest.setTimeout(60_000);
  // One model load per model (a few seconds); its tests share it.
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.create({ modelDir, intraOpNumThreads: 1 });
  }, 60_000);
  afterAll(async () => {
    await embedder?.close();
  });

  it('returns one unit vector of the declared size per text, in input order', async () => {
    const texts = ['registered nurse', 'truck driver', 'software engineer'];
    const together = await embedder.embed(texts, { kind: 'passage' });
    expect(together).toHaveLength(3);
    for (const v of together) {
      expect(v).toHaveLength(embedder.dimensions);
      expect(norm(v)).toBeCloseTo(1, 4);
    }
    // Batching must not change what a text means. The int8 model quantizes activations with one
    // scale per batch, so batch-mates move a vector slightly, by an amount that depends on the
    // CPU's int8 kernels (MODEL_CARD.md lists the spread per kernel family). The property that
    // protects search: the move is far smaller than the distance to the nearest other job title,
    // so batching never changes which title a vector is nearest to. A bug in padding, masking or
    // reordering moves it as far as another title.
    const alone = await embedder.embed(['truck driver'], { kind: 'passage' });
    const [bus, nurse, engineer] = await embedder.embed(['bus driver', 'registered nurse', 'software engineer'], { kind: 'passage' });
    const drift = 1 - dot(alone[0], together[1]);
    const nearestOther = 1 - Math.max(dot(alone[0], bus), dot(alone[0], nurse), dot(alone[0], engineer));
    expect(drift).toBeLessThan(nearestOther / 4);
    expect(dot(alone[0], together[0])).toBeLessThan(0.95);
  });

  it('places a job title nearer its translation and its synonym than an unrelated job', async () => {
    const [q] = await embedder.embed(['高级算法工程师'], { kind: 'query' });
    const [related, unrelated] = await embedder.embed(['senior algorithm engineer', 'pastry chef'], { kind: 'passage' });
    expect(dot(q, related)).toBeGreaterThan(dot(q, unrelated) + 0.05);
    const [nurse] = await embedder.embed(['nurse'], { kind: 'query' });
    const [rn, welder] = await embedder.embed(['registered nurse', 'welder'], { kind: 'passage' });
    expect(dot(nurse, rn)).toBeGreaterThan(dot(nurse, welder) + 0.05);
  });

  it('applies the model prefix by kind (query and passage vectors differ)', async () => {
    const [q] = await embedder.embed(['data scientist'], { kind: 'query' });
    const [p, other] = await embedder.embed(['data scientist', 'pastry chef'], { kind: 'passage' });
    expect(dot(q, p)).toBeLessThan(0.999);
    // ...yet the query still finds its own text first (absolute cosines differ by model: the
    // tuned model spreads its space wider than the base, whose vectors all sit above ~0.7).
    expect(dot(q, p)).toBeGreaterThan(dot(q, other) + 0.1);
  });

  it('embeds hostile input without crashing or NaN: empty, 1 MB, emoji, mixed scripts, NUL', async () => {
    const megabyte = 'Led ranking and recall for a marketplace. '.repeat(25_000);
    const inputs = ['', '   ', megabyte, '👩‍💻🚀🔥', 'Java 开发 Ingénieur ملف résumé', 'a\u0000b\u0000', '\uD83D'];
    const vectors = await embedder.embed(inputs, { kind: 'passage' });
    for (const v of vectors) {
      expect(v.every(Number.isFinite)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 4);
    }
    // A 1 MB text reads as its first window (so it costs one window, not 1 MB of attention): same vector as its first 8 KB (each embedded alone,
    // so both see the same batch).
    const [whole] = await embedder.embed([megabyte], { kind: 'passage' });
    const [head] = await embedder.embed([megabyte.slice(0, 8192)], { kind: 'passage' });
    expect(dot(head, whole)).toBeGreaterThan(0.9999);
    // NUL bytes are dropped rather than turned into unknown tokens.
    const [ab] = await embedder.embed(['ab'], { kind: 'passage' });
    const [withNul] = await embedder.embed(['a\u0000b\u0000'], { kind: 'passage' });
    expect(dot(ab, withNul)).toBeGreaterThan(0.9999);
  }, 60_000);

  it('answers an empty list with an empty list', async () => {
    expect(await embedder.embed([], { kind: 'query' })).toEqual([]);
  });

  it('rejects non-string texts and unknown kinds with INPUT_INVALID', async () => {
    await expect(embedder.embed([42 as unknown as string], { kind: 'query' })).rejects.toMatchObject({
      reason: 'INPUT_INVALID',
      code: 'BAD_USER_INPUT',
    });
    await expect(embedder.embed(['x'], { kind: 'document' as 'query' })).rejects.toBeInstanceOf(EmbeddingError);
  });

  it('embeds a profile by section and fuses it towards the matching job', async () => {
    const candidate = await embedProfile(embedder, {
      title: 'Senior algorithm engineer',
      skills: ['PyTorch', 'recommendation systems', 'Spark'],
      experiences: [{ title: 'Ranking engineer', company: 'Shop Inc', description: 'built CTR models for search ads' }],
      summary: 'Eight years in search and recommendation.',
    });
    expect(Object.keys(candidate.sections).sort()).toEqual(['experience', 'skills', 'summary', 'title']);
    expect(norm(candidate.profile!)).toBeCloseTo(1, 4);
    const [mlJob, nurseJob] = await embedder.embed(
      ['Recommendation algorithm engineer (PyTorch, ranking)', 'Intensive care registered nurse'],
      { kind: 'query' },
    );
    expect(dot(candidate.profile!, mlJob)).toBeGreaterThan(dot(candidate.profile!, nurseJob) + 0.05);
  });

  it('gives each profile of a batch its own vector, as embedded alone, up to batch-mate noise', async () => {
    const profiles = [
      { title: 'Senior algorithm engineer', skills: ['PyTorch', 'Spark'], summary: 'Search and recommendation.' },
      { title: 'Intensive care nurse', skills: ['patient care'], experiences: [{ title: 'Nurse', company: 'City Hospital' }] },
      { title: 'Truck driver', skills: ['long haul'] },
    ];
    const together = await embedProfiles(embedder, profiles);
    const alone: ProfileVectors[] = [];
    for (const p of profiles) alone.push(await embedProfile(embedder, p));
    // Batch-mates move a vector slightly (MODEL_CARD.md); far less than the distance to another profile.
    together.forEach((v, i) => {
      const moved = 1 - dot(v.profile!, alone[i].profile!);
      for (let j = 0; j < profiles.length; j++) {
        if (j !== i) expect(moved * 4).toBeLessThan(1 - dot(v.profile!, alone[j].profile!));
      }
    });
  });
});

describe('OnnxEmbedder query session', () => {
  // One pass over long texts: with 16k padded tokens per pass, 24 texts of ~500 tokens are a single
  // forward pass of several seconds on 2 cores, which no query may wait for.
  const longTexts = Array.from({ length: 24 }, (_, i) => `Role ${i}: ` + 'Led ranking and recall for a marketplace. '.repeat(80));
  let embedder: OnnxEmbedder;
  let shared: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.create({ modelDir, intraOpNumThreads: 1, maxBatchTokens: 16_384 });
    shared = await OnnxEmbedder.create({ modelDir, intraOpNumThreads: 1, maxBatchTokens: 16_384, querySession: false });
  }, 60_000);
  afterAll(async () => {
    await embedder?.close();
    await shared?.close();
  });

  /** Resolves once a forward pass has been handed to a session's worker: from then on it is running. */
  function nextPassStarted(): Promise<void> {
    const run = WorkerSession.prototype.run;
    return new Promise((resolve) => {
      jest.spyOn(WorkerSession.prototype, 'run').mockImplementationOnce(function (this: WorkerSession, ...args) {
        resolve();
        return run.apply(this, args);
      });
    });
  }
  afterEach(() => jest.restoreAllMocks());

  it('answers a search query while a passage pass is running, not after it', async () => {
    const order: string[] = [];
    const started = nextPassStarted();
    const bulk = embedder.embed(longTexts, { kind: 'passage' }).then(() => order.push('passages'));
    await started;
    const [q] = await embedder.embed(['senior data engineer'], { kind: 'query' });
    order.push('query');
    await bulk;
    expect(order).toEqual(['query', 'passages']);
    // The same vector as through the passage session (up to the float noise of a thread count).
    const [same] = await shared.embed(['senior data engineer'], { kind: 'query' });
    expect(dot(q, same)).toBeGreaterThan(0.9999);
  }, 120_000);

  it('without its own session, a query waits for the running pass', async () => {
    const order: string[] = [];
    const started = nextPassStarted();
    const bulk = shared.embed(longTexts, { kind: 'passage' }).then(() => order.push('passages'));
    await started;
    await shared.embed(['senior data engineer'], { kind: 'query' });
    order.push('query');
    await bulk;
    expect(order).toEqual(['passages', 'query']);
  }, 120_000);
});

describe('OnnxEmbedder.create', () => {
  it('fails with MODEL_NOT_FOUND and a fixable message when the folder has no model', async () => {
    const failure = OnnxEmbedder.create({ modelDir: __dirname });
    await expect(failure).rejects.toMatchObject({
      reason: 'MODEL_NOT_FOUND',
      code: 'UNAVAILABLE',
      message: expect.stringContaining('model.json'),
    });
    // An AppError, so the GraphQL layer reports its code instead of masking it as INTERNAL.
    await expect(failure).rejects.toBeInstanceOf(AppError);
  });

  it('rejects a negative thread count', async () => {
    await expect(OnnxEmbedder.create({ modelDir, intraOpNumThreads: -1 })).rejects.toMatchObject({ reason: 'INPUT_INVALID' });
  });
});
