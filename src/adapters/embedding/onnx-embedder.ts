import path from 'node:path';
import { Tokenizer } from 'tokenizers';
import { planBatches, type Batch } from './batch-plan';
import type { EmbedKind, EmbedOptions, Embedder } from './embedder';
import { EmbeddingError } from './embedding-error';
import { readModelManifest, type ModelManifest } from './model-manifest';
import { WorkerSession, type SessionFeed } from './onnx-session-worker';
import { meanPoolNormalized } from './pooling';
import { PriorityLane } from './priority-lane';
import { prepareText } from './text-preparation';

export interface OnnxEmbedderOptions {
  /** Folder holding model.json, the ONNX file and tokenizer.json (see resolveModelDir()). */
  modelDir: string;
  /** onnxruntime intra-op threads of the passage session; 0 lets onnxruntime use every core. */
  intraOpNumThreads?: number;
  /**
   * Interactive queries get a session of their own (one thread, default true), so a search never waits
   * for the passage pass that is running: on 2 cores a 512-token pass takes about 200 ms, a query alone
   * about 10 ms. Costs one more copy of the model in memory (about 400 MB RSS for CRE-mini); false sends
   * them through the passage session, ahead of queued bulk passes but behind the running one.
   */
  querySession?: boolean;
  /**
   * Whether onnxruntime's intra-op threads spin between operators (default false). Spinning wins a
   * little on an otherwise idle machine, but in the server the event loop, the query session and
   * the database share the cores with it, and a spinning pool takes their time.
   */
  allowSpinning?: boolean;
  /** Most texts per forward pass. */
  maxBatchSize?: number;
  /**
   * Most padded tokens per forward pass (default 512). Attention memory grows with batch x
   * length^2, so long texts go in smaller batches while titles still fill whole batches. On our
   * 2-core box 64 resume paragraphs (150-300 tokens) embed at 18.1 texts/s with 2,048 against
   * 13.4 with 16,384: past a few thousand tokens the attention tensors leave the cache. 512 and
   * 2,048 embed at the same rate (48 paragraphs: 10.6-12.5 against 10.9-11.9 texts/s; 192 mixed
   * titles and paragraphs: 94-111 against 95-101), and without a query session a search query waits
   * for the pass that is running: with 512 a bulk pass takes a quarter as long (bench:ingest while
   * indexing: searchCandidates p95 2.6 s -> 0.5 s on a loaded machine).
   */
  maxBatchTokens?: number;
  /** Overrides the manifest's per-kind prefixes ({} turns them off, for pre-prefixed text). */
  prefixes?: Partial<Record<EmbedKind, string>>;
}

/** Characters kept per token of the model window before tokenizing (see prepareText). */
const CHARS_PER_TOKEN_CAP = 16;

/**
 * Runs a sentence-embedding model exported to ONNX: loaded once per process, in one session for
 * passages and (by default) a one-thread session for interactive queries.
 * Texts are tokenized with the model's own tokenizer.json (Hugging Face tokenizers, Rust),
 * truncated to the model window, grouped by length, mean-pooled over the attention mask and
 * L2-normalised, which is what sentence-transformers does for the same model. The session runs in a
 * worker thread (onnx-session-worker.ts), so a forward pass never blocks the event loop. Each length batch is
 * one forward pass through a PriorityLane: bulk work is cut into these batches, and interactive work (a
 * query, a reranker's passages: `priority: 'interactive'`) waits for at most the pass that is running,
 * never for the bulk passes queued behind it.
 */
export class OnnxEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private closed = false;
  /** Forward passes one at a time, interactive ones ahead of queued bulk ones (see PriorityLane). */
  private readonly lane = new PriorityLane();

  private constructor(
    private readonly session: WorkerSession,
    /** Runs queries beside the passage passes; undefined: queries share `session`. */
    private readonly querySession: WorkerSession | undefined,
    private readonly tokenizer: Tokenizer,
    private readonly manifest: ModelManifest,
    private readonly maxBatchSize: number,
    private readonly maxBatchTokens: number,
  ) {
    this.modelId = manifest.modelId;
    this.dimensions = manifest.dimensions;
  }

  /** Throws EmbeddingError MODEL_NOT_FOUND / MODEL_INVALID when the folder is missing or broken. */
  static async create(options: OnnxEmbedderOptions): Promise<OnnxEmbedder> {
    const manifest = readModelManifest(options.modelDir);
    const intra = options.intraOpNumThreads ?? 0;
    const maxBatchSize = options.maxBatchSize ?? 32;
    const maxBatchTokens = options.maxBatchTokens ?? 512;
    if (!Number.isInteger(intra) || intra < 0) {
      throw new EmbeddingError('INPUT_INVALID', `intraOpNumThreads must be an integer >= 0, got ${intra}`);
    }
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new EmbeddingError('INPUT_INVALID', `maxBatchSize must be an integer >= 1, got ${maxBatchSize}`);
    }
    let tokenizer: Tokenizer;
    const sessions: WorkerSession[] = [];
    try {
      tokenizer = Tokenizer.fromFile(path.join(options.modelDir, manifest.tokenizer));
      tokenizer.setTruncation(manifest.maxTokens);
    } catch (cause) {
      throw new EmbeddingError('MODEL_INVALID', `Cannot load tokenizer from ${options.modelDir}: ${String(cause)}`, { cause });
    }
    const spinning = options.allowSpinning ? '1' : '0';
    const open = (threads: number) =>
      WorkerSession.open(path.join(options.modelDir, manifest.onnx), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: spinning } } },
      });
    try {
      sessions.push(await open(intra));
      if (options.querySession ?? true) sessions.push(await open(1));
    } catch (cause) {
      await Promise.all(sessions.map((s) => s.release()));
      throw new EmbeddingError('MODEL_INVALID', `Cannot load ONNX model from ${options.modelDir}: ${String(cause)}`, { cause });
    }
    const effective = options.prefixes ? { ...manifest, prefixes: options.prefixes } : manifest;
    return new OnnxEmbedder(sessions[0], sessions[1], tokenizer, effective, maxBatchSize, maxBatchTokens);
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    if (this.closed) throw new EmbeddingError('CLOSED', 'This embedder was closed; create a new one.');
    if (!Array.isArray(texts)) throw new EmbeddingError('INPUT_INVALID', 'texts must be an array of strings');
    if (options?.kind !== 'query' && options?.kind !== 'passage') {
      throw new EmbeddingError('INPUT_INVALID', `kind must be "query" or "passage", got ${JSON.stringify(options?.kind)}`);
    }
    const priority = options.priority ?? 'bulk';
    if (priority !== 'interactive' && priority !== 'bulk') {
      throw new EmbeddingError('INPUT_INVALID', `priority must be "interactive" or "bulk", got ${JSON.stringify(priority)}`);
    }
    if (texts.length === 0) return [];
    const prefix = this.manifest.prefixes?.[options.kind] ?? '';
    const maxChars = this.manifest.maxTokens * CHARS_PER_TOKEN_CAP;
    const prepared = texts.map((t, i) => {
      if (typeof t !== 'string') throw new EmbeddingError('INPUT_INVALID', `texts[${i}] must be a string, got ${typeof t}`);
      return prefix + prepareText(t, maxChars);
    });
    const encodings = await this.tokenizer.encodeBatch(prepared);
    const ids = encodings.map((e) => e.getIds());
    const out = new Array<Float32Array>(texts.length);
    const batches = planBatches(
      ids.map((x) => x.length),
      this.maxBatchSize,
      this.maxBatchTokens,
    );
    const place = (batch: Batch, vectors: Float32Array[]) =>
      batch.indices.forEach((inputIndex, j) => {
        out[inputIndex] = vectors[j];
      });
    const rowsOf = (batch: Batch) => batch.indices.map((i) => ids[i]);
    if (options.kind === 'query' && priority === 'interactive' && this.querySession) {
      for (const batch of batches) place(batch, await this.runBatch(this.querySession, rowsOf(batch), batch.length));
      return out;
    }
    // Every pass of this call is queued at once. Queued one after another, each next pass would join the
    // lane only after the previous one returned, and the slot would go meanwhile to the bulk pass
    // waiting there: a 50-passage rerank would wait for one bulk pass per pass of its own.
    let failed = false;
    await Promise.all(
      batches.map(async (batch) => {
        const vectors = await this.lane.run(priority, async () => {
          if (failed) throw new EmbeddingError('BACKEND_FAILED', 'ONNX inference failed on another batch of the same call');
          try {
            return await this.runBatch(this.session, rowsOf(batch), batch.length);
          } catch (err) {
            failed = true;
            throw err;
          }
        });
        place(batch, vectors);
      }),
    );
    return out;
  }

  /** Forward passes waiting for the passage session (not counting the one running). */
  get queuedPasses(): number {
    return this.lane.queued;
  }

  private async runBatch(session: WorkerSession, rows: number[][], seqLen: number): Promise<Float32Array[]> {
    const n = rows.length;
    const inputIds = new BigInt64Array(n * seqLen).fill(BigInt(PAD_ID));
    const mask = new BigInt64Array(n * seqLen);
    rows.forEach((row, b) => {
      for (let t = 0; t < row.length; t++) {
        inputIds[b * seqLen + t] = BigInt(row[t]);
        mask[b * seqLen + t] = 1n;
      }
    });
    const dims = [n, seqLen];
    const feeds: SessionFeed[] = [
      { name: 'input_ids', data: inputIds, dims },
      // The mask is transferred to the worker with the feeds; pooling reads this copy.
      { name: 'attention_mask', data: mask.slice(), dims },
    ];
    if (this.manifest.inputs.includes('token_type_ids')) {
      feeds.push({ name: 'token_type_ids', data: new BigInt64Array(n * seqLen), dims });
    }
    let hidden: Float32Array;
    try {
      hidden = await session.run(feeds, this.manifest.output);
    } catch (cause) {
      throw new EmbeddingError('BACKEND_FAILED', `ONNX inference failed: ${String(cause)}`, { cause });
    }
    return meanPoolNormalized(hidden, mask, n, seqLen, this.dimensions);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.session.release(), this.querySession?.release()]);
  }
}

/**
 * Padding positions are masked out of attention and pooling, so their id never influences a
 * vector; 1 is <pad> in XLM-R vocabularies and a harmless token elsewhere.
 */
const PAD_ID = 1;
