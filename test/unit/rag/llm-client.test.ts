import { AppError } from '../../../src/shared/errors';
import { OpenAiLlmClient, type OpenAiLlmClientOptions, createLlmClient } from '../../../src/adapters/llm/llm-client';
import { llmNotConfigured } from '../../../src/adapters/llm/llm';
import type { LlmDelta, LlmMessage } from '../../../src/adapters/llm/llm';
import { type ScriptedLlm, startScriptedLlm } from '../../support/scripted-llm-server';

const API_KEY = 'sk-test-secret-123';
const ask: LlmMessage[] = [{ role: 'user', content: 'Who fits the Rust job?' }];

let llm: ScriptedLlm;
beforeEach(async () => {
  llm = await startScriptedLlm();
});
afterEach(async () => {
  await llm.close();
});

function client(options: Partial<OpenAiLlmClientOptions> = {}): OpenAiLlmClient {
  return new OpenAiLlmClient({
    baseURL: llm.baseURL,
    apiKey: API_KEY,
    model: 'deepseek-reasoner',
    timeoutMs: 5_000,
    baseDelayMs: 1,
    ...options,
  });
}

/** Runs a streamed completion and returns it with the deltas the caller saw. */
async function streamed(c: OpenAiLlmClient, messages = ask) {
  const deltas: LlmDelta[] = [];
  const completion = await c.complete({ messages }, (d) => deltas.push(d));
  const text = (kind: LlmDelta['kind']) =>
    deltas
      .filter((d) => d.kind === kind)
      .map((d) => d.text)
      .join('');
  return { completion, deltas, reasoning: text('reasoning'), content: text('content') };
}

/** The rejection of a promise, failing the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error & Partial<AppError>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Partial<AppError>;
  }
  throw new Error('expected a rejection');
}

describe('OpenAiLlmClient streaming', () => {
  it('streams DeepSeek reasoning_content first, then content, and returns both', async () => {
    llm.enqueue({ reasoning: 'Compare Rust experience of both.', content: 'Ada fits best [c1].', chunkSize: 3 });
    const { completion, deltas, reasoning, content } = await streamed(client());

    const firstContent = deltas.findIndex((d) => d.kind === 'content');
    expect(deltas.filter((d) => d.kind === 'reasoning').length).toBeGreaterThan(1);
    expect(deltas.slice(firstContent).every((d) => d.kind === 'content')).toBe(true);
    expect(reasoning).toBe('Compare Rust experience of both.');
    expect(content).toBe('Ada fits best [c1].');
    expect(completion).toMatchObject({ reasoning, content, model: 'deepseek-reasoner', finishReason: 'stop' });
    expect(llm.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(llm.requests[0].headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('splits inline <think> from a local R1 distill, tags cut across chunks', async () => {
    llm.enqueue({ thinkInline: true, reasoning: 'Ada knows Rust.', content: 'Ada.', chunkSize: 1 });
    const { completion, deltas, reasoning, content } = await streamed(client({ model: 'deepseek-r1:14b' }));

    expect(deltas.map((d) => d.text).join('')).not.toMatch(/<\/?think>/);
    expect(deltas.findIndex((d) => d.kind === 'content')).toBeGreaterThan(deltas.findLastIndex((d) => d.kind === 'reasoning'));
    expect(reasoning.trim()).toBe('Ada knows Rust.');
    expect(content).toBe('Ada.');
    expect(completion).toMatchObject({ reasoning: 'Ada knows Rust.', content: 'Ada.' });
  });

  it('treats text before a lone </think> (pre-filled template) as reasoning', async () => {
    llm.enqueue({ thinkInline: 'closeOnly', reasoning: 'Check the dates.', content: 'Two placements.', chunkSize: 2 });
    const { completion, reasoning, content } = await streamed(client({ model: 'DeepSeek-R1-Distill-Qwen-7B' }));
    expect(reasoning.trim()).toBe('Check the dates.');
    expect(content).toBe('Two placements.');
    expect(completion).toMatchObject({ reasoning: 'Check the dates.', content: 'Two placements.' });
  });

  it('streams a non-reasoning model content as it arrives', async () => {
    llm.enqueue({ content: 'Plain answer, no thinking.', chunkSize: 5 });
    const { deltas, completion } = await streamed(client({ model: 'deepseek-chat' }));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((d) => d.kind === 'content')).toBe(true);
    expect(completion).toMatchObject({ content: 'Plain answer, no thinking.', reasoning: '' });
  });

  it('times out on silence between chunks, not on the length of a long stream', async () => {
    llm.enqueue({ content: 'x'.repeat(60), chunkSize: 1, delayMs: 20 }); // ~1.2 s in total
    const { completion } = await streamed(client({ model: 'deepseek-chat', timeoutMs: 800 }));
    expect(completion.content).toBe('x'.repeat(60));
  });
});

describe('OpenAiLlmClient non-streaming', () => {
  it('returns reasoning_content and content from one JSON body', async () => {
    llm.enqueue({ reasoning: 'Think.', content: '{"steps":[]}' });
    const completion = await client().complete({ messages: ask });
    expect(completion).toMatchObject({ reasoning: 'Think.', content: '{"steps":[]}', finishReason: 'stop' });
    expect(llm.requests[0].body.stream).toBeFalsy();
    expect(llm.requests[0].body).not.toHaveProperty('stream_options');
  });

  it('splits inline <think> in a whole body', async () => {
    llm.enqueue({ thinkInline: true, reasoning: 'Hmm.', content: 'Done.', finishReason: 'length' });
    const completion = await client({ model: 'deepseek-r1' }).complete({ messages: ask });
    expect(completion).toMatchObject({ reasoning: 'Hmm.', content: 'Done.', finishReason: 'length' });
  });

  it('answers planning and answer prompts through a default responder', async () => {
    llm.setDefault((body) =>
      body.messages.some((m: LlmMessage) => m.content.includes('PLAN')) ? { content: '{"steps":[]}' } : { content: 'The answer.' },
    );
    const c = client();
    expect((await c.complete({ messages: [{ role: 'user', content: 'PLAN this' }] })).content).toBe('{"steps":[]}');
    expect((await c.complete({ messages: ask })).content).toBe('The answer.');
  });
});

describe('OpenAiLlmClient usage', () => {
  const usage = {
    prompt_tokens: 1000,
    completion_tokens: 500,
    prompt_cache_hit_tokens: 400,
    completion_tokens_details: { reasoning_tokens: 300 },
  };
  const prices = { inputPerMTok: 0.55, cachedInputPerMTok: 0.14, outputPerMTok: 2.19 };
  const expected = {
    promptTokens: 1000,
    completionTokens: 500,
    reasoningTokens: 300,
    cachedPromptTokens: 400,
    costUsd: (600 * 0.55 + 400 * 0.14 + 500 * 2.19) / 1e6,
    requests: 1,
  };

  it('counts tokens, DeepSeek cache hits, reasoning tokens and cost when streaming', async () => {
    llm.enqueue({ reasoning: 'r', content: 'c', usage });
    const { completion } = await streamed(client({ prices }));
    expect(completion.usage).toEqual({ ...expected, costUsd: expect.closeTo(expected.costUsd, 12) });
  });

  it('counts the same without streaming, and OpenAI-style cached_tokens too', async () => {
    llm.enqueue(
      { content: 'c', usage },
      { content: 'c', usage: { prompt_tokens: 100, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 60 } } },
    );
    const c = client({ prices });
    expect((await c.complete({ messages: ask })).usage).toEqual({ ...expected, costUsd: expect.closeTo(expected.costUsd, 12) });
    expect((await c.complete({ messages: ask })).usage).toMatchObject({ promptTokens: 100, cachedPromptTokens: 60, reasoningTokens: 0 });
  });

  it('costs nothing when no prices are set', async () => {
    llm.enqueue({ content: 'c', usage });
    expect((await client().complete({ messages: ask })).usage.costUsd).toBe(0);
  });
});

describe('OpenAiLlmClient retries and errors', () => {
  it('retries a 429 after the retry-after the server asked for', async () => {
    llm.enqueue({ status: 429, retryAfter: 1 }, { content: 'after the wait' });
    const started = Date.now();
    const { completion } = await streamed(client({ baseDelayMs: 1 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(completion.content).toBe('after the wait');
    expect(completion.usage.requests).toBe(2);
    expect(llm.requests).toHaveLength(2);
  });

  it('gives up after maxRetries 5xx with UNAVAILABLE naming the server, never the key', async () => {
    llm.enqueue(...[500, 503, 500, 500].map((status) => ({ status, body: { error: { message: `overloaded, key ${API_KEY}` } } })));
    const error = await failure(client({ maxRetries: 3 }).complete({ messages: ask }));
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain(llm.baseURL);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('4 attempts');
    expect(error.message).not.toContain(API_KEY);
    expect(llm.requests).toHaveLength(4);
  });

  it('does not retry a 400 and passes the server message on as BAD_USER_INPUT', async () => {
    llm.enqueue(
      { status: 400, body: { error: { message: 'This model maximum context length is 65536 tokens' } } },
      { content: 'never used' },
    );
    const error = await failure(client().complete({ messages: ask }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('maximum context length');
    expect(llm.requests).toHaveLength(1);
  });

  it('reports a rejected key as INTERNAL pointing at LLM_API_KEY, without the key', async () => {
    llm.enqueue({ status: 401, body: { error: { message: `Authentication Fails, Your api key: ${API_KEY} is invalid` } } });
    const error = await failure(client().complete({ messages: ask }));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('LLM_API_KEY');
    expect(error.message).not.toContain(API_KEY);
    expect(llm.requests).toHaveLength(1);
  });

  it.each([
    ['streaming', () => undefined],
    ['non-streaming', undefined],
  ])('turns a server that never answers into UNAVAILABLE after the timeout, retrying once (%s)', async (_, onDelta) => {
    llm.enqueue({ hang: true }, { hang: true });
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 300, maxRetries: 1 }).complete({ messages: ask }, onDelta));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('did not answer within 300 ms');
    // The server never answers: only the 300 ms timeout (twice) can end this, well before jest's own.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(llm.requests).toHaveLength(2);
  });

  it('retries a malformed body, but fails without retrying once text was streamed', async () => {
    llm.enqueue({ malformed: true }, { content: 'fine now' });
    expect((await client().complete({ messages: ask })).content).toBe('fine now');
    expect(llm.requests).toHaveLength(2);

    llm.enqueue({ malformed: true, contentBefore: 'Partial ans' }, { content: 'never used' });
    const deltas: LlmDelta[] = [];
    const error = await failure(client({ model: 'deepseek-chat' }).complete({ messages: ask }, (d) => deltas.push(d)));
    expect(deltas).toEqual([{ kind: 'content', text: 'Partial ans' }]);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('after part of the answer had been streamed');
    expect(llm.requests).toHaveLength(3);
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    const baseURL = llm.baseURL;
    await llm.close();
    const error = await failure(
      new OpenAiLlmClient({ baseURL, apiKey: API_KEY, model: 'm', maxRetries: 1, baseDelayMs: 1 }).complete({ messages: ask }),
    );
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('could not be reached');
    llm = await startScriptedLlm(); // for afterEach
  });
});

describe('OpenAiLlmClient cancellation', () => {
  it('rejects promptly with an AbortError once the server has the request, and does not retry', async () => {
    llm.enqueue({ hang: true }, { content: 'never used' });
    const controller = new AbortController();
    const pending = client({ timeoutMs: 60_000 }).complete({ messages: ask, signal: controller.signal }, () => undefined);
    await llm.waitForRequests(1);
    const started = Date.now();
    controller.abort();
    const error = await failure(pending);
    expect(error.name).toBe('AbortError');
    // Far sooner than the 60 s timeout would end it; the slack is for a loaded machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(llm.requests).toHaveLength(1);
  });

  it('stops a stream mid-answer when aborted from onDelta', async () => {
    llm.enqueue({ content: 'word '.repeat(200), chunkSize: 5, delayMs: 10 });
    const controller = new AbortController();
    const deltas: LlmDelta[] = [];
    const pending = client({ model: 'deepseek-chat' }).complete({ messages: ask, signal: controller.signal }, (d) => {
      deltas.push(d);
      if (deltas.length === 3) controller.abort();
    });
    const error = await failure(pending);
    expect(error.name).toBe('AbortError');
    expect(deltas).toHaveLength(3);
    expect(llm.requests).toHaveLength(1);
  });

  it('rejects with the reason given to abort(), also while waiting to retry', async () => {
    llm.enqueue({ status: 429, retryAfter: 20 });
    const controller = new AbortController();
    const pending = client().complete({ messages: ask, signal: controller.signal });
    await llm.waitForRequests(1);
    const reason = new AppError('UNAVAILABLE', 'subscription closed');
    setTimeout(() => controller.abort(reason), 50);
    expect(await failure(pending)).toBe(reason);
    expect(llm.requests).toHaveLength(1);
  });

  it('does not send a request when the signal is already aborted', async () => {
    const error = await failure(client().complete({ messages: ask, signal: AbortSignal.abort() }));
    expect(error.name).toBe('AbortError');
    expect(llm.requests).toHaveLength(0);
  });
});

describe('OpenAiLlmClient request shape', () => {
  const conversation = [
    { role: 'system', content: 'You plan tool calls.' },
    { role: 'user', content: 'First question' },
    // What a careless caller might hold: the previous turn with its reasoning still attached.
    { role: 'assistant', content: 'First answer', reasoning_content: 'old chain of thought' },
    { role: 'user', content: 'Follow-up' },
  ] as LlmMessage[];

  it('sends reasoners only model, role+content messages and max_tokens: no sampling knobs, no logprobs, no JSON mode', async () => {
    llm.enqueue({ content: '{}' }, { content: '{}' });
    const c = client();
    await c.complete({ messages: conversation, maxTokens: 2048, json: true });
    await c.complete({ messages: conversation, json: true }, () => undefined);

    for (const { body } of llm.requests) {
      expect(body.messages).toEqual(conversation.map(({ role, content }) => ({ role, content })));
      for (const key of ['temperature', 'top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs', 'response_format']) {
        expect(body).not.toHaveProperty(key);
      }
      expect(JSON.stringify(body)).not.toContain('reasoning_content');
    }
    expect(llm.requests[0].body).toMatchObject({ model: 'deepseek-reasoner', max_tokens: 2048 });
  });

  it('asks non-reasoning models for a JSON object when json is set', async () => {
    llm.enqueue({ content: '{}' }, { content: 'text' });
    const c = client({ model: 'deepseek-chat' });
    await c.complete({ messages: ask, json: true });
    await c.complete({ messages: ask });
    expect(llm.requests[0].body.response_format).toEqual({ type: 'json_object' });
    expect(llm.requests[1].body).not.toHaveProperty('response_format');
  });
});

describe('createLlmClient', () => {
  const prices = { inputPerMTok: 1, cachedInputPerMTok: 0.5, outputPerMTok: 2 };

  it('returns null without a base URL', () => {
    expect(createLlmClient({ baseUrl: null, apiKey: null, model: 'deepseek-reasoner', timeoutMs: 1000, maxRetries: 3, prices })).toBeNull();
  });

  it('builds a client from config.llm, with its retries and prices', async () => {
    llm.enqueue({ status: 503 }, { status: 503 }, { content: 'ok', usage: { prompt_tokens: 1_000_000, completion_tokens: 0 } });
    const c = createLlmClient(
      { baseUrl: llm.baseURL, apiKey: 'k', model: 'deepseek-chat', timeoutMs: 5000, maxRetries: 1, prices },
      { baseDelayMs: 1 },
    );
    expect(c?.model).toBe('deepseek-chat');
    expect((await failure(c!.complete({ messages: ask }))).code).toBe('UNAVAILABLE');
    expect(llm.requests).toHaveLength(2); // maxRetries 1 from config
    expect((await c!.complete({ messages: ask })).usage.costUsd).toBe(1);
  });

  it('llmNotConfigured tells the operator which variables to set', () => {
    const error = llmNotConfigured();
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/LLM_BASE_URL.*LLM_API_KEY.*LLM_MODEL/);
  });
});
