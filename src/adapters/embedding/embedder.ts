/**
 * The embedding port. Search, matching and RAG depend on this interface only; the composition
 * root picks an adapter (the bundled ONNX model by default, or an OpenAI-compatible API).
 */
export type EmbedKind = 'query' | 'passage';

/**
 * Who is waiting for the vectors: `interactive` when a request is (a search query, a reranker's
 * passages, a record's profile matched on demand), `bulk` for background indexing (the projector,
 * imports, evaluations). Independent of the kind: a request may embed passages, and bulk work may
 * embed queries.
 */
export type EmbedPriority = 'interactive' | 'bulk';

export interface EmbedOptions {
  /**
   * Asymmetric models (E5) encode a search query and an indexed document differently; the
   * adapter applies the model's own convention. Symmetric models ignore it.
   */
  kind: EmbedKind;
  /**
   * Default `bulk`. An adapter that runs one forward pass at a time (ONNX) starts interactive passes
   * before every waiting bulk pass; one that sends requests to a service (OpenAI) sends them as they come.
   */
  priority?: EmbedPriority;
}

export interface Embedder {
  /** Identifies the vector space: vectors from different `modelId`s must never be compared. */
  readonly modelId: string;
  readonly dimensions: number;
  /**
   * One unit-length vector per input text, in input order. Any string is accepted: empty or
   * whitespace-only text yields the model's vector for an empty input, over-long text is
   * truncated to the model's window, NUL and other control characters are dropped.
   * Throws EmbeddingError `UNAVAILABLE` when the backend cannot answer.
   */
  embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]>;
  /** Releases native or network resources; the embedder must not be used afterwards. */
  close(): Promise<void>;
}
