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
    const [q] = await embedder.embed(['senior data engineer'], { kind: 'query', priority: 'interactive' });
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
    await shared.embed(['senior data engineer'], { kind: 'query', priority: 'interactive' });
    order.push('query');
    await bulk;
    expect(order).toEqual(['passages', 'query']);
  }, 120_000);
});

describe('OnnxEmbedder priority', () => {
  jest.setTimeout(60_000);
  // One text per forward pass, so a call of n texts is n passes; one session, so queries queue too.
  let embedder: OnnxEmbedder;
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.create({ modelDir, intraOpNumThreads: 1, maxBatchSize: 1, querySession: false });
    tokenizer = Tokenizer.fromFile(path.join(modelDir, readModelManifest(modelDir).tokenizer));
  }, 60_000);
  afterAll(async () => {
    await embedder?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /**
   * A scripted session: every forward pass is recorded (its first row's token ids) as it starts, and the
   * first one is held until `release`, as a long bulk pass would be, while the test queues more work.
   */
  function scriptSession() {
    const passes: number[][] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstStarted!: () => void;
    const started = new Promise<void>((r) => (firstStarted = r));
    const run = WorkerSession.prototype.run;
    jest.spyOn(WorkerSession.prototype, 'run').mockImplementation(async function (this: WorkerSession, feeds, output) {
      const [ids, mask] = feeds;
      const seqLen = ids.dims[1];
      passes.push(Array.from(ids.data.subarray(0, seqLen), Number).filter((_, t) => mask.data[t] === 1n));
      if (passes.length === 1) {
        firstStarted();
        await held;
      }
      return run.call(this, feeds, output);
    });
    /** The text of each pass in the order they ran, without the model's prefix. */
    const texts = async () =>
      (await Promise.all(passes.map((p) => tokenizer.decode(p, true)))).map((t) => t.replace(/^(passage|query): /, ''));
    return { started, release, texts };
  }

  async function queuedPasses(n: number): Promise<void> {
    while (embedder.queuedPasses < n) await new Promise((r) => setImmediate(r));
  }

  it('runs the passes of a request right after the running bulk pass, ahead of the bulk passes queued before them', async () => {
    const session = scriptSession();
    // Token counts rise along each list, so the length plan keeps input order and each pass is named by its text.
    const bulk = embedder.embed(['bulk one', 'bulk one two', 'bulk one two three'], { kind: 'passage' });
    await session.started;
    await queuedPasses(2);
    const rerank = ['rerank: surgeon who operates', 'rerank: nurse'];
    const interactive = embedder.embed(rerank, { kind: 'passage', priority: 'interactive' });
    await queuedPasses(4);
    session.release();
    const [, vectors] = await Promise.all([bulk, interactive]);
    // All of the request's passes run before the next bulk pass, not one bulk pass between each of its own.
    expect(await session.texts()).toEqual([
      'bulk one',
      'rerank: nurse',
      'rerank: surgeon who operates',
      'bulk one two',
      'bulk one two three',
    ]);
    jest.restoreAllMocks();
    // Each text gets its own vector back, in input order.
    const alone = await Promise.all(rerank.map(async (t) => (await embedder.embed([t], { kind: 'passage' }))[0]));
    expect(dot(vectors[0], alone[0])).toBeGreaterThan(0.9999);
    expect(dot(vectors[1], alone[1])).toBeGreaterThan(0.9999);
  });

  it('queues a query by its priority, not its kind: a bulk query waits behind an interactive passage', async () => {
    const session = scriptSession();
    const first = embedder.embed(['bulk one'], { kind: 'passage' });
    await session.started;
    const bulkQuery = embedder.embed(['evaluation query'], { kind: 'query' });
    await queuedPasses(1);
    const interactive = embedder.embed(['rerank: nurse'], { kind: 'passage', priority: 'interactive' });
    await queuedPasses(2);
    session.release();
    await Promise.all([first, bulkQuery, interactive]);
    expect(await session.texts()).toEqual(['bulk one', 'rerank: nurse', 'evaluation query']);
  });

  it('rejects an unknown priority with INPUT_INVALID', async () => {
    await expect(embedder.embed(['nurse'], { kind: 'passage', priority: 'urgent' as never })).rejects.toMatchObject({
      reason: 'INPUT_INVALID',
    });
  });
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
