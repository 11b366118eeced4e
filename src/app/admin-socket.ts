import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Viewer } from '../hub/api-key.service';
import { AppError, ERROR_CODES, type ErrorCode } from '../shared/errors';

/**
 * The local admin socket: while `matchhub serve` owns an embedded data directory, it also serves its
 * GraphQL API on the Unix socket `<dataDir>/admin.sock` (mode 0600), and whoever may open that file is
 * admin: possession of the data directory is possession of the data. The CLI sends the commands a user
 * needs beside a running server (apikey, import, reindex, linkpred) through it instead of refusing.
 *
 * This module is the file and the client; server.ts serves the schema on it. It imports only Node, so
 * the CLI stays quick to start.
 */
export const ADMIN_SOCKET_FILE = 'admin.sock';

/**
 * Who the socket's requests act as. `keyId` is recorded where an API key's id would be (the
 * personal-data audit log, RAG conversations): the nil UUID, which no key ever has, marks the socket.
 */
export const LOCAL_ADMIN: Viewer = { keyId: '00000000-0000-0000-0000-000000000000', role: 'admin', consultantId: null };

/** Unix socket paths are limited to 107 bytes; a deep data directory is reached by a relative path when that is shorter. */
const MAX_SOCKET_PATH = 100;

/** The socket's path for this data directory, as this process must name it (see MAX_SOCKET_PATH). */
export function adminSocketPath(dataDir: string): string {
  const file = path.resolve(dataDir, ADMIN_SOCKET_FILE);
  if (Buffer.byteLength(file) <= MAX_SOCKET_PATH) return file;
  const relative = path.relative(process.cwd(), file);
  return Buffer.byteLength(relative) < Buffer.byteLength(file) ? relative : file;
}

/**
 * Listens on `file`, readable and writable by this user only. The caller owns the data directory, so a
 * socket file already there was left by a server that died, and is replaced. The umask makes the file
 * 0600 from its creation (bind), so no other user can connect between bind and chmod.
 */
export async function listenOnAdminSocket(server: http.Server, file: string): Promise<void> {
  fs.rmSync(file, { force: true });
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(file, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(file, 0o600);
}

/** The socket does not answer (no server behind it, or one that did not open it): the CLI refuses as before. */
export class AdminSocketUnavailableError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`the admin socket ${file} did not answer (${reason})`);
    this.name = 'AdminSocketUnavailableError';
  }
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);

/**
 * GraphQL over the admin socket. Errors come back as the AppError the server raised (same code and
 * message), so the CLI reports them as it does when it runs the command itself.
 */
export class AdminSocketClient {
  private readonly agent: http.Agent;

  constructor(readonly file: string) {
    // One connection reused for every request of a command (an import sends many batches).
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** Throws AdminSocketUnavailableError when nothing listens on the socket; AppError for a GraphQL error. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ query, variables });
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.file,
          agent: this.agent,
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) =>
        reject(err.code && NOT_LISTENING.has(err.code) ? new AdminSocketUnavailableError(this.file, err.code) : err),
      );
      req.end(body);
    });
    let answer: GraphQLAnswer<T>;
    try {
      answer = JSON.parse(text) as GraphQLAnswer<T>;
    } catch {
      throw new AppError('INTERNAL', `the server answered ${status} on its admin socket: ${text.slice(0, 200)}`);
    }
    const [first] = answer.errors ?? [];
    if (first) {
      const code = first.extensions?.code;
      throw new AppError(ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : 'INTERNAL', first.message);
    }
    if (!answer.data) throw new AppError('INTERNAL', `the server answered ${status} without data on its admin socket`);
    return answer.data;
  }

  close(): void {
    this.agent.destroy();
  }
}
