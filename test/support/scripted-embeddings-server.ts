import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A scripted OpenAI-compatible embeddings server (the one stand-in we allow: it replaces a paid
 * hosted API). Vectors are a deterministic function of the input text, deliberately not unit
 * length; like the real API it rejects empty strings.
 */
export class ScriptedEmbeddingsServer {
  readonly requests: { model: string; input: string[] }[] = [];
  failNext: { status: number } | null = null;
  wrongDimensionsNext = false;
  private server = http.createServer((req, res) => this.handle(req, res));

  constructor(readonly dimensions: number) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: { message: 'not found' } });
      if (this.failNext) {
        const { status } = this.failNext;
        this.failNext = null;
        return send(status, { error: { message: 'scripted failure', type: 'server_error' } });
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string | string[] };
      const inputs = Array.isArray(input) ? input : [input];
      this.requests.push({ model, input: inputs });
      if (inputs.some((t) => t === '')) {
        return send(400, { error: { message: "'$.input' is invalid: empty string", type: 'invalid_request_error' } });
      }
      const dims = this.wrongDimensionsNext ? this.dimensions - 1 : this.dimensions;
      this.wrongDimensionsNext = false;
      send(200, {
        object: 'list',
        model,
        data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: vectorFor(t, dims) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    });
  }
}

export function vectorFor(text: string, dims: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < dims; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out.push(((h % 2000) - 1000) / 300);
  }
  return out;
}
