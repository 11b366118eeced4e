/**
 * The LLM port: a chat model behind an OpenAI-compatible API. llm-client.ts is its adapter; the
 * RAG service plans and answers through it.
 */
import { AppError } from '../../shared/errors';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  /** The final content only: reasoning is never sent back (see llm-client.ts for the rule). */
  content: string;
}

export interface LlmRequest {
  messages: LlmMessage[];
  /** Upper bound on completion tokens (reasoning included for R1). */
  maxTokens?: number;
  /** Ask for a JSON object as content (`response_format: json_object` where the server supports it). */
  json?: boolean;
  signal?: AbortSignal;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  /** Tokens the model spent reasoning, when the server reports them. */
  reasoningTokens: number;
  /** Prompt tokens served from the server's context cache, when reported (DeepSeek). */
  cachedPromptTokens: number;
  /** Estimated cost in USD from the configured per-million-token prices; 0 when none are set. */
  costUsd: number;
  /** Requests made, retries included. */
  requests: number;
}

/** One piece of a streamed completion: reasoning and content arrive separately and in order. */
export type LlmDelta = { kind: 'reasoning'; text: string } | { kind: 'content'; text: string };

export interface LlmCompletion {
  content: string;
  reasoning: string;
  usage: LlmUsage;
  model: string;
  /** Server's finish reason, e.g. `stop` or `length`. */
  finishReason: string | null;
}

/**
 * A chat model behind an OpenAI-compatible API (DeepSeek, or a local R1 distill). Throws
 * LlmError (an AppError: UNAVAILABLE for transport, rate limits and 5xx after retries; BAD_USER_INPUT
 * when the server rejects the request as invalid; the abort reason when `signal` aborts).
 */
export interface LlmClient {
  readonly model: string;
  /** Streams when `onDelta` is given; resolves with the whole completion either way. */
  complete(request: LlmRequest, onDelta?: (delta: LlmDelta) => void): Promise<LlmCompletion>;
}

export function llmNotConfigured(): AppError {
  return new AppError(
    'UNAVAILABLE',
    'No LLM is configured: set LLM_BASE_URL (e.g. https://api.deepseek.com), LLM_API_KEY and optionally LLM_MODEL ' +
      '(default deepseek-reasoner), or point LLM_BASE_URL at a local OpenAI-compatible server such as vLLM or Ollama.',
  );
}
