/**
 * npm run bench:first-start [-- --candidates 1000]
 *
 * What a newcomer's first `npm start` costs: the built server (`node --max-semi-space-size=64
 * dist/src/main.js serve`, as `npm start` runs it) on a fresh embedded data directory, timed from
 * process start until it serves (demo API keys printed), until `syncStatus` shows lag 0 on every
 * projection of the records with the demo data written, and until the background occupation-label pass
 * (`titles`) is done too. The shell's DATABASE_URL, WEAVIATE_URL, NEO4J_URI and
 * embedding server settings are removed, so this is always the embedded defaults. Prints figures and
 * the load average at both ends; asserts nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const load = () => os.loadavg()[0].toFixed(2);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

async function main() {
  const candidates = arg('candidates', 1000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-first-start-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MATCHHUB_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    DEMO_CANDIDATES: String(candidates),
  };
  for (const k of ['DATABASE_URL', 'WEAVIATE_URL', 'NEO4J_URI', 'EMBEDDING_API_BASE_URL', 'EMBEDDING_CACHE_DIR', 'EMBEDDING_CACHE'])
    delete env[k];

  console.log(`bench:first-start: ${candidates} demo candidates, embedded defaults, ${os.cpus().length} cores, load ${load()}`);
  const started = performance.now();
  const server = spawn(process.execPath, ['--max-semi-space-size=64', path.join(__dirname, '../src/main.js'), 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  server.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  try {
    let url: string | undefined;
    while (!url) {
      const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 200, undefined))]);
      if (code !== undefined) throw new Error(`the server exited (${String(code)}) before it served:\n${out}`);
      url = /MatchHub GraphQL on (\S+)/.exec(out)?.[1];
    }
    console.log(`serving, demo keys printed: ${seconds(started)} s`);
    const { admin } = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-api-keys.json'), 'utf8')) as { admin: string };

    let recordsAt: string | undefined;
    for (;;) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: '{ syncStatus { projection lag } candidates(first: 1) { totalCount } }' }),
      });
      const body = (await res.json()) as {
        data?: { syncStatus: { projection: string; lag: number }[]; candidates: { totalCount: number } };
        errors?: unknown[];
      };
      if (body.errors) throw new Error(`syncStatus failed: ${JSON.stringify(body.errors)}`);
      const { syncStatus, candidates: written } = body.data!;
      // The occupation labels (`titles`) are a background pass after the records: timed on their own.
      const records = syncStatus.filter((s) => s.projection !== 'titles');
      if (!recordsAt && written.totalCount >= candidates && records.every((s) => s.lag === 0)) {
        recordsAt = seconds(started);
        console.log(`records synced (${records.map((s) => s.projection).join(', ')} at lag 0): ${recordsAt} s; load ${load()}`);
      }
      if (recordsAt && syncStatus.every((s) => s.lag === 0)) {
        console.log(
          `fully synced (${syncStatus.map((s) => s.projection).join(', ')} at lag 0, ${written.totalCount} candidates): ${seconds(started)} s; load ${load()}`,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    server.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
