/**
 * The LlmClient port over an OpenAI-compatible chat API: hosted DeepSeek (`deepseek-reasoner`) or a
 * local R1 distill behind vLLM, Ollama or llama.cpp.
 *
 * DeepSeek reasoner rules this client follows (api-docs.deepseek.com, "Reasoning Model
 * (deepseek-reasoner)"):
 * - Multi-round input must not contain `reasoning_content`: "if the reasoning_content field is
 *   included in the sequence of input messages, the API will return a 400 error". LlmMessage only
 *   has role and content, and {@link toWireMessages} copies exactly those two fields.
 * - `temperature`, `top_p`, `presence_penalty` and `frequency_penalty` are accepted but have no
 *   effect; `logprobs` and `top_logprobs` are rejected with an error. The client sends none of
 *   them, for any model: the port has no sampling settings, and this keeps one request shape.
 * - `max_tokens` bounds reasoning and answer together.
 *
 * JSON mode: the English guide for deepseek-reasoner listed "Json Output" under "Not Supported
 * Features" (early 2025); the current Chinese guide lists it as supported, and some proxies still
 * reject `response_format` for reasoner models. Since support varies by date and by server,
 * `json: true` sends `response_format: { type: 'json_object' }` only for models that do not look
 * like reasoners (name contains "reasoner" or "r1"); for reasoners the prompt must ask for JSON
 * and the caller must parse leniently. `jsonResponseFormat` overrides the guess.
 *
 * Errors are AppErrors except cancellation, which rejects with the signal's reason (for
 * `controller.abort()` a DOMException named 'AbortError'), as the port documents.
 */
import OpenAI from 'openai';
import type { Config } from '../../shared/config';
import { backoffMs } from '../../shared/backoff';
import { AppError, type ErrorCode } from '../../shared/errors';
import { type InlineThinkMode, ThinkSplitter } from './think-splitter';
import type { LlmClient, LlmCompletion, LlmDelta, LlmMessage, LlmRequest, LlmUsage } from './llm';

/** USD per million tokens; DeepSeek bills reasoning tokens as output. */
export interface LlmPrices {
  inputPerMTok: number;
  /** Prompt tokens served from the context cache (DeepSeek `prompt_cache_hit_tokens`). */
  cachedInputPerMTok: number;
  outputPerMTok: number;
}

export interface OpenAiLlmClientOptions {
  /** e.g. https://api.deepseek.com or http://127.0.0.1:8000/v1 */
  baseURL: string;
  /** Bearer token; null or empty for local servers without auth. */
  apiKey?: string | null;
  model: string;
  /**
   * Per attempt. Non-streaming: the whole request. Streaming: the longest silence between chunks,
   * so a reasoner that thinks for minutes but keeps streaming is not cut off.
   */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** First backoff delay (default 500 ms); doubles per retry, with jitter. */
  baseDelayMs?: number;
  /** Cap on one wait between attempts, `retry-after` included (default 30 s). */
  maxDelayMs?: number;
  prices?: LlmPrices;
  /** How inline `<think>` text is split; default `hold` for reasoner-like names, else `content`. */
  inlineThink?: InlineThinkMode;
  /** Send `response_format: json_object` for `json: true`; default: only for non-reasoner names. */
  jsonResponseFormat?: boolean;
}

/** True for model names that reason before answering (DeepSeek reasoner, R1 and its distills). */
export function isReasonerModel(model: string): boolean {
  return /reasoner|r1/i.test(model);
}

export class OpenAiLlmClient implements LlmClient {
  readonly model: string;
  private readonly sdk: OpenAI;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly inlineThink: InlineThinkMode;
  private readonly jsonResponseFormat: boolean;

  constructor(private readonly options: OpenAiLlmClientOptions) {
    if (!options.baseURL) throw new AppError('INTERNAL', 'OpenAiLlmClient needs a baseURL');
    if (!options.model) throw new AppError('INTERNAL', 'OpenAiLlmClient needs a model');
    this.model = options.model;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    const reasoner = isReasonerModel(options.model);
    this.inlineThink = options.inlineThink ?? (reasoner ? 'hold' : 'content');
    this.jsonResponseFormat = options.jsonResponseFormat ?? !reasoner;
    this.sdk = new OpenAI({
      baseURL: options.baseURL,
      // The SDK refuses an empty key; servers without auth ignore the header.
      apiKey: options.apiKey || 'no-key',
      // Retries and timeouts are ours (see complete()); a margin lets our watchdog fire first.
      maxRetries: 0,
      timeout: this.timeoutMs + 1_000,
      // Every failure reaches the caller as an AppError; the SDK's console logging would duplicate it.
      logLevel: 'off',
    });
  }

  async complete(request: LlmRequest, onDelta?: (delta: LlmDelta) => void): Promise<LlmCompletion> {
    const { signal } = request;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw abortError(signal);
      const output = new Output(onDelta);
      try {
        const completion = await this.attempt(request, output);
        completion.usage.requests = attempt;
        return completion;
      } catch (error) {
        if (signal?.aborted) throw abortError(signal);
        const failure = classify(error);
        if (failure.kind === 'passthrough') throw failure.error;
        // Once text was shown, a retry would show it again (or different text): fail instead.
        if (!failure.retryable || output.delivered || attempt > this.maxRetries) {
          throw this.toAppError(failure, attempt, output.delivered);
        }
        await sleep(this.retryDelay(attempt, failure.retryAfterMs), signal);
      }
    }
  }

  /** One request with a watchdog that aborts it on timeout or on the caller's signal. */
  private async attempt(request: LlmRequest, output: Output): Promise<LlmCompletion> {
    const watchdog = new Watchdog(this.timeoutMs, request.signal);
    try {
      const work = output.streaming ? this.streamOnce(request, output, watchdog) : this.fetchOnce(request, output, watchdog);
      work.catch(() => undefined); // the race below may leave it behind
      // The race makes an abort reject at once, whatever the SDK does with a stream in flight.
      return await Promise.race([work, watchdog.fired]);
    } finally {
      watchdog.dispose();
    }
  }

  private async fetchOnce(request: LlmRequest, output: Output, watchdog: Watchdog): Promise<LlmCompletion> {
    const response = await this.sdk.chat.completions.create(
      { ...this.body(request), stream: false },
      { signal: watchdog.signal, maxRetries: 0 },
    );
    watchdog.check();
    const choice = response?.choices?.[0];
    if (!choice?.message) throw new BadResponse('the response has no choices');
    const message = choice.message as typeof choice.message & ReasoningFields;
    output.reasoningField(reasoningOf(message));
    output.content(message.content ?? '', this.inlineThink);
    return output.finish(response.model || this.model, choice.finish_reason ?? null, this.usage(response.usage));
  }

  private async streamOnce(request: LlmRequest, output: Output, watchdog: Watchdog): Promise<LlmCompletion> {
    const stream = await this.sdk.chat.completions.create(
      { ...this.body(request), stream: true, stream_options: { include_usage: true } },
      { signal: watchdog.signal, maxRetries: 0 },
    );
    let model = '';
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      watchdog.touch();
      model ||= chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = (choice.delta ?? {}) as typeof choice.delta & ReasoningFields;
      output.reasoningField(reasoningOf(delta));
      if (delta.content) output.content(delta.content, this.inlineThink);
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    // The SDK ends the loop quietly when the request is aborted; that is not a finished answer.
    watchdog.check();
    if (finishReason === null) throw new BadResponse('the stream ended before the completion finished');
    return output.finish(model || this.model, finishReason, this.usage(usage));
  }

  /** The request body: model, role+content messages, max_tokens, and JSON mode where supported. */
  private body(request: LlmRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
    const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = { model: this.model, messages: toWireMessages(request.messages) };
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    if (request.json && this.jsonResponseFormat) body.response_format = { type: 'json_object' };
    return body;
  }

  private usage(wire: (OpenAI.CompletionUsage & DeepSeekUsage) | undefined | null): LlmUsage {
    const promptTokens = wire?.prompt_tokens ?? 0;
    const completionTokens = wire?.completion_tokens ?? 0;
    const cachedPromptTokens = Math.min(promptTokens, wire?.prompt_cache_hit_tokens ?? wire?.prompt_tokens_details?.cached_tokens ?? 0);
    const prices = this.options.prices;
    const costUsd = prices
      ? ((promptTokens - cachedPromptTokens) * prices.inputPerMTok +
          cachedPromptTokens * prices.cachedInputPerMTok +
          completionTokens * prices.outputPerMTok) /
        1e6
      : 0;
    return {
      promptTokens,
      completionTokens,
      reasoningTokens: wire?.completion_tokens_details?.reasoning_tokens ?? 0,
      cachedPromptTokens,
      costUsd,
      requests: 1,
    };
  }

  /** Exponential backoff with jitter (50–100% of the step), or the server's `retry-after`; capped. */
  private retryDelay(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.maxDelayMs);
    return backoffMs(attempt, { baseMs: this.baseDelayMs, maxMs: this.maxDelayMs, jitter: [0.5, 1] });
  }

  private toAppError(failure: Exclude<Failure, { kind: 'passthrough' }>, attempts: number, delivered: boolean): AppError {
    const where = `The LLM at ${this.options.baseURL} (model ${this.model})`;
    const tries = attempts === 1 ? '' : ` (after ${attempts} attempts)`;
    const partial = delivered ? ' after part of the answer had been streamed' : '';
    const details = { baseURL: this.options.baseURL, model: this.model, status: failure.status ?? null, attempts };
    const said = this.redact(failure.message);
    if (failure.kind === 'rejected') {
      const status = failure.status as number;
      return new AppError(
        rejectedCode(status),
        `${where} rejected the request with HTTP ${status}: ${said}${rejectedHint(status, !!this.options.apiKey)}`,
        details,
      );
    }
    const what =
      failure.kind === 'timeout'
        ? `did not answer within ${this.timeoutMs} ms`
        : failure.kind === 'status'
          ? `answered HTTP ${failure.status}`
          : failure.kind === 'badResponse'
            ? `sent an unusable response`
            : `could not be reached`;
    return new AppError('UNAVAILABLE', `${where} ${what}${partial}${tries}: ${said}`, details);
  }

  /** Servers sometimes echo the key in auth errors; it never goes into an error message. */
  private redact(text: string): string {
    const key = this.options.apiKey;
    return key && key.length >= 4 ? text.split(key).join('***') : text;
  }
}

/**
 * The client for `config.llm`, or null when no LLM is configured (callers answer with
 * {@link llmNotConfigured}). `extra` sets what Config does not carry (backoff, think mode, JSON
 * mode) and wins over it, which tests use to shorten delays.
 */
export function createLlmClient(
  llm: Pick<Config['llm'], 'baseUrl' | 'apiKey' | 'model' | 'timeoutMs'> & Partial<Pick<Config['llm'], 'maxRetries' | 'prices'>>,
  extra: Partial<OpenAiLlmClientOptions> = {},
): OpenAiLlmClient | null {
  if (!llm.baseUrl) return null;
  return new OpenAiLlmClient({
    baseURL: llm.baseUrl,
    apiKey: llm.apiKey,
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    prices: llm.prices,
    ...extra,
  });
}

/** Only role and content go back to the server: never `reasoning_content` (DeepSeek returns 400). */
export function toWireMessages(messages: readonly LlmMessage[]): OpenAI.Chat.ChatCompletionMessageParam[] {
  return messages.map(({ role, content }) => ({ role, content }));
}

// ---------------------------------------------------------------- response assembly

/** Reasoning fields servers add to messages and deltas: DeepSeek/llama.cpp, and newer vLLM/Ollama. */
interface ReasoningFields {
  reasoning_content?: string | null;
  reasoning?: string | null;
}
interface DeepSeekUsage {
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
}

function reasoningOf(fields: ReasoningFields): string {
  const value = fields.reasoning_content ?? fields.reasoning;
  return typeof value === 'string' ? value : '';
}

/** Collects one attempt's reasoning and content, forwarding deltas as they become known. */
class Output {
  reasoning = '';
  text = '';
  delivered = false;
  private splitter: ThinkSplitter | null = null;
  private sawReasoningField = false;

  constructor(private readonly onDelta?: (delta: LlmDelta) => void) {}

  get streaming(): boolean {
    return this.onDelta !== undefined;
  }

  reasoningField(text: string): void {
    if (text === '') return;
    this.sawReasoningField = true;
    this.deliver({ kind: 'reasoning', text });
  }

  content(text: string, mode: InlineThinkMode): void {
    if (text === '') return;
    // A server that separates reasoning into its own field does not also inline it: stream as is.
    this.splitter ??= new ThinkSplitter(this.sawReasoningField ? 'content' : mode);
    for (const delta of this.splitter.push(text)) this.deliver(delta);
  }

  finish(model: string, finishReason: string | null, usage: LlmUsage): LlmCompletion {
    for (const delta of this.splitter?.end() ?? []) this.deliver(delta);
    // Deltas keep the server's whitespace; the final strings drop R1's trailing blank lines.
    return { content: this.text.trim(), reasoning: this.reasoning.trim(), usage, model, finishReason };
  }

  private deliver(delta: LlmDelta): void {
    if (delta.kind === 'reasoning') this.reasoning += delta.text;
    else this.text += delta.text;
    if (!this.onDelta) return;
    this.delivered = true;
    try {
      this.onDelta(delta);
    } catch (error) {
      throw new CallbackError(error);
    }
  }
}

// ---------------------------------------------------------------- failures

/** The server answered 200 with something we cannot use (malformed JSON, cut-off stream). */
class BadResponse extends Error {}
/** The caller's onDelta threw: its error goes back unchanged, never retried. */
class CallbackError extends Error {
  constructor(readonly original: unknown) {
    super('onDelta threw');
  }
}
class TimedOut extends Error {}

type Failure =
  | { kind: 'timeout' | 'transport' | 'badResponse'; retryable: true; message: string; status?: undefined; retryAfterMs?: undefined }
  | { kind: 'status'; retryable: true; status: number; message: string; retryAfterMs: number | undefined }
  | { kind: 'rejected'; retryable: false; status: number; message: string; retryAfterMs?: undefined }
  | { kind: 'passthrough'; retryable: false; error: unknown; message: string; status?: undefined; retryAfterMs?: undefined };

/** Sorts an attempt's error into retryable (429, 5xx, transport, timeout, bad body) or final. */
function classify(error: unknown): Failure {
  if (error instanceof TimedOut || error instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: 'timeout', retryable: true, message: 'request timed out' };
  }
  if (error instanceof CallbackError) return { kind: 'passthrough', retryable: false, error: error.original, message: '' };
  if (error instanceof AppError) return { kind: 'passthrough', retryable: false, error, message: '' };
  if (error instanceof OpenAI.APIConnectionError) {
    return { kind: 'transport', retryable: true, message: describeCause(error) };
  }
  if (error instanceof OpenAI.APIError) {
    const status = error.status;
    if (status === undefined) return { kind: 'badResponse', retryable: true, message: error.message }; // error event in a stream
    if (status === 429 || status >= 500) {
      return { kind: 'status', retryable: true, status, message: error.message, retryAfterMs: retryAfterMs(error.headers) };
    }
    return { kind: 'rejected', retryable: false, status, message: error.message };
  }
  if (error instanceof BadResponse) return { kind: 'badResponse', retryable: true, message: error.message };
  if (error instanceof SyntaxError) return { kind: 'badResponse', retryable: true, message: `invalid JSON (${error.message})` };
  // undici reports a connection dropped mid-body as a TypeError ("terminated").
  return { kind: 'transport', retryable: true, message: describeCause(error) };
}

function describeCause(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return message + cause;
}

/** `retry-after-ms` (OpenAI) or `retry-after` in seconds or as an HTTP date; undefined if absent. */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * A request the server refused is not the end user's doing unless it is about the content:
 * 400/413/422 (invalid or too long a prompt) are BAD_USER_INPUT, as the port promises; 401/402/403/404
 * (wrong key, no balance, wrong model or URL) are the operator's to fix, so INTERNAL.
 */
function rejectedCode(status: number): ErrorCode {
  return status === 400 || status === 413 || status === 422 ? 'BAD_USER_INPUT' : 'INTERNAL';
}

function rejectedHint(status: number, hasKey: boolean): string {
  if (status === 401 || status === 403) {
    return hasKey ? ' (the API key in LLM_API_KEY is wrong or lacks access)' : ' (no API key is set: set LLM_API_KEY)';
  }
  if (status === 402) return ' (the account behind LLM_API_KEY has insufficient balance)';
  if (status === 404) return ' (check LLM_BASE_URL and LLM_MODEL)';
  return '';
}

// ---------------------------------------------------------------- timing

/** Aborts one attempt on timeout or on the caller's signal; `fired` rejects when it does. */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private rejectFired!: (error: Error) => void;
  readonly fired = new Promise<never>((_, reject) => {
    this.rejectFired = reject;
  });
  private readonly onCallerAbort = () => this.abort(abortError(this.callerSignal!));

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    this.fired.catch(() => undefined);
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the timeout: streams call it on every chunk. */
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.abort(new TimedOut(`no answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
  }

  /** Throws if the attempt was cut off (the SDK may return quietly after an abort). */
  check(): void {
    if (this.timedOut) throw new TimedOut('timed out');
    if (this.callerSignal?.aborted) throw abortError(this.callerSignal);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort(); // releases the socket of a lost race
  }

  private abort(reason: Error): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.rejectFired(reason);
  }
}

/** The caller's abort reason when it is an error (DOMException 'AbortError' by default), else a new one. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (typeof reason === 'object' && reason !== null && 'name' in reason && 'message' in reason) return reason as Error;
  return new DOMException(reason === undefined ? 'The LLM request was aborted' : String(reason), 'AbortError');
}

/** Waits between attempts; an abort ends the wait at once. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
