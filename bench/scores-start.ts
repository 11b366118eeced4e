/**
 * npm run bench:scores-start [-- --candidates 1000]
 *
 * What a newcomer waits for: `matchhub serve` on a fresh embedded data directory (cold embedding cache),
 * seeding the demo data and the O*NET taxonomy, until each projection has caught up (syncStatus lag 0)
 * and every open job has match scores (syncCheck). Prints seconds from spawn to each point. Figures are
 * printed, never asserted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

let running: ReturnType<typeof spawn> | undefined;

async function main() {
  const candidates = arg('candidates', 1000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-scores-start-'));
  const root = path.join(__dirname, '..', '..');
  const started = Date.now();
  const server = spawn(process.execPath, ['--max-semi-space-size=64', path.join(root, 'dist', 'src', 'main.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      // Always the embedded defaults.
      DATABASE_URL: '',
      WEAVIATE_URL: '',
      NEO4J_URI: '',
      EMBEDDING_API_BASE_URL: '',
      MATCHHUB_DATA_DIR: dataDir,
      PORT: '0',
      DEMO_CANDIDATES: String(candidates),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running = server;
  let out = '';
  server.stdout.on('data', (d) => (out += d));
  while (!/MatchHub GraphQL on (\S+)/.test(out)) {
    if (server.exitCode !== null) throw new Error(`serve exited: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  const url = /MatchHub GraphQL on (\S+)/.exec(out)![1];
  process.stdout.write(`listening: ${seconds()} s\n`);
  const { admin } = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-api-keys.json'), 'utf8')) as { admin: string };
  const post = async (query: string) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    if (res.status !== 200 || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const done = new Set<string>();
  for (;;) {
    const data = await post('{ syncStatus { projection lag } syncCheck { projection of inTable inProjection } }').catch(() => null);
    if (data) {
      for (const s of data.syncStatus as { projection: string; lag: number }[]) {
        if (s.lag === 0 && !done.has(s.projection)) {
          done.add(s.projection);
          process.stdout.write(`${s.projection} caught up: ${seconds()} s\n`);
        }
      }
      const scores = (data.syncCheck as { projection: string; inTable: number; inProjection: number }[]).find(
        (c) => c.projection === 'scores',
      );
      if (done.size === data.syncStatus.length && scores && scores.inProjection === scores.inTable) {
        process.stdout.write(`every open job scored (${scores.inTable} jobs): ${seconds()} s\n`);
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  running?.kill('SIGKILL');
  console.error(err);
  process.exit(1);
});
