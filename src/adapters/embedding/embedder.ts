/**
 * The embedding port. Search, matching and RAG depend on this interface only; the composition
 * root picks an adapter (the bundled ONNX model by default, or an OpenAI-compatible API).
 */
export type EmbedKind = 'query' | 'passage';

export interface EmbedOptions {
  /**
   * Asymmetric models (E5) encode a search query and an indexed document differently; the
   * adapter applies the model's own convention. Symmetric models ignore it.
   */
  kind: EmbedKind;
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
