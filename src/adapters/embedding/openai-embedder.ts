import OpenAI from 'openai';
import type { EmbedKind, EmbedOptions, Embedder } from './embedder';
import { EmbeddingError } from './embedding-error';
import { l2Normalize } from './pooling';
import { prepareText } from './text-preparation';

export interface OpenAiEmbedderOptions {
  /** e.g. https://api.openai.com/v1 or a self-hosted OpenAI-compatible server. */
  baseURL: string;
  /** Sent as a bearer token; self-hosted servers that ignore it still need a non-empty value. */
  apiKey: string;
  model: string;
  /** Vector length the model returns; checked on every response. */
  dimensions: number;
  /** Texts per request (OpenAI accepts up to 2048). */
  maxBatchSize?: number;
  /**
   * Characters sent per text. Hosted models reject over-long input instead of truncating it
   * (OpenAI: 8191 tokens); 6000 characters stays under that even for CJK text.
   */
  maxInputChars?: number;
  /** Per-kind text prefixes, for hosted models trained with them (e.g. E5 behind an API). */
  prefixes?: Partial<Record<EmbedKind, string>>;
  timeoutMs?: number;
  maxRetries?: number;
}

/**
 * Embeddings from an OpenAI-compatible `/embeddings` endpoint, for deployments that prefer a
 * hosted model. Vectors are re-normalised because not every compatible server returns unit
 * vectors, and the search index relies on dot product == cosine.
 */
export class OpenAiEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly maxBatchSize: number;
  private readonly maxInputChars: number;
  private closed = false;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    const problems: string[] = [];
    if (!options.baseURL) problems.push('baseURL is required');
    if (!options.apiKey) problems.push('apiKey is required (any non-empty value for servers without auth)');
    if (!options.model) problems.push('model is required');
    if (!Number.isInteger(options.dimensions) || options.dimensions <= 0) problems.push('dimensions must be a positive integer');
    if (problems.length > 0) throw new EmbeddingError('INPUT_INVALID', `OpenAI embedder settings: ${problems.join('; ')}`);
    this.client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
    });
    this.modelId = `openai:${options.model}`;
    this.dimensions = options.dimensions;
    this.maxBatchSize = options.maxBatchSize ?? 256;
    this.maxInputChars = options.maxInputChars ?? 6000;
  }

  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    if (this.closed) throw new EmbeddingError('CLOSED', 'This embedder was closed; create a new one.');
    if (!Array.isArray(texts)) throw new EmbeddingError('INPUT_INVALID', 'texts must be an array of strings');
    if (options?.kind !== 'query' && options?.kind !== 'passage') {
      throw new EmbeddingError('INPUT_INVALID', `kind must be "query" or "passage", got ${JSON.stringify(options?.kind)}`);
    }
    const prefix = this.options.prefixes?.[options.kind] ?? '';
    const inputs = texts.map((t, i) => {
      if (typeof t !== 'string') throw new EmbeddingError('INPUT_INVALID', `texts[${i}] must be a string, got ${typeof t}`);
      const text = prefix + prepareText(t, this.maxInputChars);
      // Hosted APIs reject empty input strings; a single space embeds "nothing" instead.
      return text.trim() === '' ? ' ' : text;
    });
    const out: Float32Array[] = [];
    for (let i = 0; i < inputs.length; i += this.maxBatchSize) {
      out.push(...(await this.request(inputs.slice(i, i + this.maxBatchSize))));
    }
    return out;
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      response = await this.client.embeddings.create({ model: this.options.model, input, encoding_format: 'float' });
    } catch (cause) {
      const status = cause instanceof OpenAI.APIError ? ` (HTTP ${cause.status ?? 'no response'})` : '';
      throw new EmbeddingError('BACKEND_FAILED', `Embedding API at ${this.options.baseURL} failed${status}: ${(cause as Error).message}`, {
        cause,
      });
    }
    const data = response?.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingError(
        'BACKEND_BAD_RESPONSE',
        `Embedding API returned ${Array.isArray(data) ? data.length : 'no'} vectors for ${input.length} inputs`,
      );
    }
    const vectors = new Array<Float32Array>(input.length);
    for (const item of data) {
      const idx = item.index;
      const emb = item.embedding as unknown;
      if (!Number.isInteger(idx) || idx < 0 || idx >= input.length || vectors[idx]) {
        throw new EmbeddingError('BACKEND_BAD_RESPONSE', `Embedding API returned an invalid or repeated index ${String(idx)}`);
      }
      if (!Array.isArray(emb) || emb.length !== this.dimensions || !emb.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new EmbeddingError(
          'BACKEND_BAD_RESPONSE',
          `Embedding API returned a vector that is not ${this.dimensions} finite numbers (check the model and dimensions settings)`,
        );
      }
      vectors[idx] = l2Normalize(Float32Array.from(emb as number[]));
    }
    return vectors;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
