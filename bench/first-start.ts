/**
 * npm run bench:first-start [-- --candidates 1000]
 *
 * What a newcomer's first `npm start` costs: the built server (`node --max-semi-space-size=64
 * dist/src/main.js serve`, as `npm start` runs it) on a fresh embedded data directory, timed from
 * process start until it serves (demo API keys printed), until each projection first shows lag 0 with the
 * demo data written, until `syncCheck` shows every open job with match scores, until every projection of the
 * records is at lag 0, and until the background occupation-label pass (`titles`) is done too. The shell's
 * DATABASE_URL, WEAVIATE_URL, NEO4J_URI and embedding server settings are removed, so this is always the
 * embedded defaults. Prints figures and the load average at each point; asserts nothing.
 */
import os from 'node:os';
import { startBenchServer } from './bench-server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const load = () => os.loadavg()[0].toFixed(2);
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

interface Status {
  syncStatus: { projection: string; lag: number }[];
  syncCheck: { projection: string; inTable: number; inProjection: number }[];
  candidates: { totalCount: number };
}

async function main() {
  const candidates = arg('candidates', 1000);
  console.log(`bench:first-start: ${candidates} demo candidates, embedded defaults, ${os.cpus().length} cores, load ${load()}`);
  const started = performance.now();
  const server = await startBenchServer({ name: 'first-start', candidates, embedded: true, env: { LOG_LEVEL: 'warn' } });
  try {
    console.log(`serving, demo keys printed: ${seconds(started)} s`);
    const caughtUp = new Set<string>();
    let recordsAt: string | undefined;
    let scoredAt: string | undefined;
    for (;;) {
      // While the demo data is indexed the server is busy: a request that fails is asked again a second later.
      const status: Status | null = await server
        .post('{ syncStatus { projection lag } syncCheck { projection inTable inProjection } candidates(first: 1) { totalCount } }')
        .catch(() => null);
      if (status && status.candidates.totalCount >= candidates) {
        for (const s of status.syncStatus.filter((p) => p.lag === 0 && !caughtUp.has(p.projection))) {
          caughtUp.add(s.projection);
          console.log(`  ${s.projection} caught up: ${seconds(started)} s`);
        }
        const scores = status.syncCheck.find((c) => c.projection === 'scores');
        if (!scoredAt && scores && scores.inTable > 0 && scores.inProjection === scores.inTable) {
          scoredAt = seconds(started);
          console.log(`every open job scored (${scores.inTable} jobs): ${scoredAt} s`);
        }
        // The occupation labels (`titles`) are a background pass after the records: timed on their own.
        const records = status.syncStatus.filter((s) => s.projection !== 'titles');
        if (!recordsAt && scoredAt && records.every((s) => s.lag === 0)) {
          recordsAt = seconds(started);
          console.log(`records synced (${records.map((s) => s.projection).join(', ')} at lag 0): ${recordsAt} s; load ${load()}`);
        }
        if (recordsAt && status.syncStatus.every((s) => s.lag === 0)) {
          console.log(
            `fully synced (${status.syncStatus.map((s) => s.projection).join(', ')} at lag 0, ${status.candidates.totalCount} candidates): ${seconds(started)} s; load ${load()}`,
          );
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
