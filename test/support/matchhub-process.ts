import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The compiled `matchhub` CLI in real child processes on an embedded data directory (no DATABASE_URL),
 * as a user runs it: for the tests of what several processes on one directory do.
 */
export const ROOT = path.join(__dirname, '..', '..');
export const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
/** The project's own Node (the npm package `node`), as `npm start` runs it; jest may run on another. */
export const NODE = fs.existsSync(path.join(ROOT, 'node_modules', '.bin', 'node'))
  ? path.join(ROOT, 'node_modules', '.bin', 'node')
  : process.execPath;

/** Builds dist/ when a source file is newer than its compiled file (tsc is incremental, so per file). */
export function ensureBuilt() {
  const stale = (dir: string): boolean =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).some((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return stale(rel);
      if (!e.name.endsWith('.ts') || e.name.endsWith('.d.ts')) return false;
      const out = fs.statSync(path.join(ROOT, 'dist', rel.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
      return !out || out.mtimeMs < fs.statSync(path.join(ROOT, rel)).mtimeMs;
    });
  if (stale('src') || stale('migrations')) {
    execFileSync(NODE, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function envFor(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MATCHHUB_DATA_DIR: dataDir, LOG_LEVEL: 'error', ...extra };
  delete env.DATABASE_URL;
  return env;
}

/** Runs `matchhub <args>` in its own process on `dataDir`, with `stdin` as its standard input. */
export function cli(dataDir: string, args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [MAIN, ...args], { cwd: ROOT, env: envFor(dataDir), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

export interface ServeProcess {
  child: ChildProcess;
  /** The GraphQL endpoint, as serve printed it. */
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `matchhub serve` on `dataDir` (any free port, no demo data unless `env` asks) and waits until it listens. */
export async function serve(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Promise<ServeProcess> {
  const child = spawn(NODE, [MAIN, 'serve'], {
    cwd: ROOT,
    env: envFor(dataDir, {
      PORT: '0',
      SEED_DEMO: 'false',
      EMBEDDING_THREADS: '1',
      EMBEDDING_CACHE_DIR: process.env.MATCHHUB_TEST_EMBEDDING_CACHE,
      // Minutes of label embedding per server (see test-server.ts); test/e2e/normalize-title.test.ts covers labels.
      SEARCH_TITLE_LABELS: 'false',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!/MatchHub GraphQL on (\S+)/.test(stdout)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`serve did not start: ${stdout}\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: /MatchHub GraphQL on (\S+)/.exec(stdout)![1], stdout: () => stdout, stderr: () => stderr, exited };
}
