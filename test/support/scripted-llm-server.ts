/**
 * A scripted OpenAI-compatible chat server for tests: each POST /v1/chat/completions answers with
 * the next queued response (or the default responder), as SSE when the request asked to stream.
 * It speaks the wire format real servers use (DeepSeek's `reasoning_content`, usage chunks after
 * `stream_options.include_usage`, `[DONE]`), so the client under test goes through the real SDK.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Usage as the server reports it (OpenAI shape plus DeepSeek's cache fields); passed through as is. */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface ScriptedCompletion {
  reasoning?: string;
  content: string;
  usage?: WireUsage;
  /** Characters per streamed delta (default 4). */
  chunkSize?: number;
  /** Pause before each streamed chunk (or before the JSON body). */
  delayMs?: number;
  /**
   * Put the reasoning inside `content` as local R1 servers do: `true` writes
   * `<think>reasoning</think>content`, `'closeOnly'` writes `reasoning</think>content` (the chat
   * template pre-filled `<think>`).
   */
  thinkInline?: boolean | 'closeOnly';
  finishReason?: string;
  model?: string;
}
export interface ScriptedStatus {
  status: number;
  /** Seconds, sent as the `retry-after` header. */
  retryAfter?: number;
  /** JSON body; defaults to an OpenAI-style `{ error: { message } }`. */
  body?: unknown;
}
/** Reads the request and never answers. */
export interface ScriptedHang {
  hang: true;
}
/** An invalid JSON body, or for streams a broken SSE event after `contentBefore` was streamed. */
export interface ScriptedMalformed {
  malformed: true;
  contentBefore?: string;
}
export type ScriptedResponse = ScriptedCompletion | ScriptedStatus | ScriptedHang | ScriptedMalformed;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: any;
  /** Set when the client closed the connection before the whole response was sent (a cancelled call). */
  closedEarly?: boolean;
}
export type Responder = (body: any, request: RecordedRequest) => ScriptedResponse;

export interface ScriptedLlm {
  /** e.g. http://127.0.0.1:54321/v1 */
  baseURL: string;
  requests: RecordedRequest[];
  enqueue(...responses: ScriptedResponse[]): void;
  setDefault(responder: Responder): void;
  /** Resolves once `count` requests have arrived (for tests that act while a request is open). */
  waitForRequests(count: number): Promise<void>;
  /** Stops the server and destroys open sockets, hung requests included. */
  close(): Promise<void>;
}

const DEFAULT_USAGE: WireUsage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };

export async function startScriptedLlm(): Promise<ScriptedLlm> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let responder: Responder | null = null;

  const server = http.createServer((req, res) => {
    void readBody(req).then((raw) => {
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: parseJson(raw) };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableEnded) recorded.closedEarly = true;
      });
      for (const w of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/v1/chat/completions')) {
        return sendJson(res, 404, { error: { message: `scripted LLM: no route ${req.method} ${req.url}` } });
      }
      const next = queue.shift() ?? responder?.(recorded.body, recorded);
      if (!next) return sendJson(res, 500, { error: { message: 'scripted LLM: no response queued and no default set' } });
      return answer(res, next, recorded.body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...responses) => queue.push(...responses),
    setDefault: (r) => {
      responder = r;
    },
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

async function answer(res: http.ServerResponse, response: ScriptedResponse, body: any): Promise<void> {
  if ('hang' in response) return; // the socket stays open until the client gives up or close()
  if ('status' in response) return sendStatus(res, response);
  const stream = body?.stream === true;
  if ('malformed' in response) return stream ? sendBrokenStream(res, response, body) : sendBrokenJson(res);
  if (stream) return sendStream(res, response, body);
  if (response.delayMs) await sleep(response.delayMs);
  const { content, reasoning } = wireText(response);
  sendJson(res, 200, {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model ?? body?.model ?? 'scripted',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, ...(reasoning !== undefined ? { reasoning_content: reasoning } : {}) },
        finish_reason: response.finishReason ?? 'stop',
      },
    ],
    usage: response.usage ?? DEFAULT_USAGE,
  });
}

/** Where the reasoning goes on the wire: its own field, or inline in the content. */
function wireText(response: ScriptedCompletion): { content: string; reasoning: string | undefined } {
  const reasoning = response.reasoning;
  if (!response.thinkInline || reasoning === undefined) return { content: response.content, reasoning };
  const open = response.thinkInline === 'closeOnly' ? '' : '<think>\n';
  return { content: `${open}${reasoning}\n</think>\n\n${response.content}`, reasoning: undefined };
}

async function sendStream(res: http.ServerResponse, response: ScriptedCompletion, body: any): Promise<void> {
  const model = response.model ?? body?.model ?? 'scripted';
  const size = Math.max(1, response.chunkSize ?? 4);
  const { content, reasoning } = wireText(response);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: 'chatcmpl-scripted',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces(reasoning ?? '', size)) events.push(chunk({ reasoning_content: piece, content: null }));
  for (const piece of pieces(content, size)) events.push(chunk({ content: piece }));
  events.push(chunk({}, response.finishReason ?? 'stop'));
  if (body?.stream_options?.include_usage) {
    events.push({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', model, choices: [], usage: response.usage ?? DEFAULT_USAGE });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const event of events) {
    if (response.delayMs) await sleep(response.delayMs);
    if (res.destroyed) return;
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

async function sendBrokenStream(res: http.ServerResponse, response: ScriptedMalformed, body: any): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  if (response.contentBefore) {
    const delta = { choices: [{ index: 0, delta: { content: response.contentBefore }, finish_reason: null }], model: body?.model };
    res.write(`data: ${JSON.stringify(delta)}\n\n`);
  }
  res.end('data: {"choices":[{"delta":{"content":"cut of\n\n');
}

function sendBrokenJson(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"choices": [ this is not json');
}

function sendStatus(res: http.ServerResponse, response: ScriptedStatus): void {
  const headers: Record<string, string> = {};
  if (response.retryAfter !== undefined) headers['retry-after'] = String(response.retryAfter);
  const body = response.body ?? { error: { message: `scripted failure ${response.status}`, type: 'scripted_error' } };
  sendJson(res, response.status, body, headers);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
