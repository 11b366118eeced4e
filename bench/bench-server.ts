import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Engine and embedding settings a shell may carry; removed when a benchmark asks for the embedded defaults. */
const ENGINE_SETTINGS = ['DATABASE_URL', 'WEAVIATE_URL', 'NEO4J_URI', 'EMBEDDING_API_BASE_URL', 'EMBEDDING_CACHE_DIR', 'EMBEDDING_CACHE'];

export interface BenchServerOptions {
  /** Names the temporary data directory. */
  name: string;
  /** Demo candidates seeded at the first start. */
  candidates: number;
  /** Drop the shell's engine settings: the embedded defaults of a newcomer's `npm start`. */
  embedded?: boolean;
  /** Node flags before `--max-semi-space-size=64` (the flag `npm start` runs with). */
  nodeArgs?: string[];
  /** Settings of this run, over the shell's. */
  env?: NodeJS.ProcessEnv;
  /** `matchhub` commands run in the fresh data directory before `serve`, in order (e.g. `['taxonomy', 'load', '--dir', dir]`). */
  before?: string[][];
}

export interface BenchServer {
  child: ChildProcess;
  /** The GraphQL endpoint, as serve printed it. */
  url: string;
  dataDir: string;
  /** A GraphQL request as the demo admin; an HTTP or GraphQL error throws. */
  post(query: string, variables?: object): Promise<any>;
  /** SIGTERM and the process's end; then `inspect` (reading the data directory), then the directory removed. */
  stop(inspect?: (dataDir: string) => Promise<void>): Promise<void>;
}

/**
 * `matchhub serve` of the build in a process of its own, as `npm start` runs it, on a fresh data directory
 * with demo data; resolves once it listens (the demo API keys are written by then). The process is killed if
 * the benchmark exits first, so a failed run leaves no server behind.
 */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `matchhub-${options.name}-`));
  const root = path.join(__dirname, '..', '..');
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'error' };
  if (options.embedded) for (const k of ENGINE_SETTINGS) delete env[k];
  Object.assign(env, options.env, { MATCHHUB_DATA_DIR: dataDir, PORT: '0', DEMO_CANDIDATES: String(options.candidates) });
  const main = path.join(root, 'dist', 'src', 'main.js');
  for (const args of options.before ?? []) {
    const r = spawnSync(process.execPath, [main, ...args], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`matchhub ${args.join(' ')} exited ${String(r.status ?? r.signal)}:\n${r.stdout}${r.stderr}`);
    process.stderr.write(`matchhub ${args.join(' ')}: ${r.stdout.trim()}\n`);
  }
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--max-semi-space-size=64', main, 'serve'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  let url: string | undefined;
  while (!url) {
    const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 200, undefined))]);
    if (code !== undefined) throw new Error(`the server exited (${String(code)}) before it served:\n${out}`);
    url = /MatchHub GraphQL on (\S+)/.exec(out)?.[1];
  }
  const { admin } = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-api-keys.json'), 'utf8')) as { admin: string };
  const endpoint = url;
  return {
    child,
    url,
    dataDir,
    async post(query, variables) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: unknown[] };
      if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async stop(inspect) {
      child.kill('SIGTERM');
      await exited;
      process.off('exit', kill);
      try {
        await inspect?.(dataDir);
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
