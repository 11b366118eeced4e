/**
 * npm run bench:graphql [-- --candidates 10000 --requests 300 --concurrency 8]
 *
 * Requests/s, p50/p95 latency and SQL statements per request for
 *   (a) one candidate by id with nested experiences and skills,
 *   (b) the 50-candidate nested connection,
 * against the real HTTP server. Embedded PGlite by default (data kept in .data/bench-graphql so a rerun
 * skips seeding); set DATABASE_URL to measure a PostgreSQL server. Figures are printed, never asserted.
 */
import 'reflect-metadata';
import path from 'node:path';
import { createServices } from '../src/app/app';
import { loadConfig } from '../src/shared/config';
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';
import { createLogger } from '../src/shared/logger';
import { createSchema } from '../src/app/schema';
import { startServer } from '../src/app/server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const SINGLE = `query($id: ID!) { candidate(id: $id) { id name currentTitle experiences { title startDate company { name } } skills { level skill { name } } } }`;
const LIST = `{ candidates(first: 50) { edges { node { id name experiences { title company { name } } skills { skill { name } } } } } }`;

async function main() {
  const candidates = arg('candidates', 10_000);
  const requests = arg('requests', 300);
  const concurrency = arg('concurrency', 8);
  const config = loadConfig({
    ...process.env,
    MATCHHUB_DATA_DIR: path.resolve('.data', `bench-graphql-${candidates}`),
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const log = createLogger('error');
  const services = await createServices(config, log);
  const [{ n }] = await services.db.dataSource.query(`SELECT count(*)::int AS n FROM candidate`);
  if (n < candidates) {
    const t = Date.now();
    process.stderr.write(`seeding ${candidates} candidates...\n`);
    await services.seeds.seedDemo({ candidates, seed: 42, taxonomy: loadTaxonomy() });
    process.stderr.write(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const { key } = await services.apiKeys.create('bench', 'admin');
  const server = await startServer(services, await createSchema(), log);
  const ids: string[] = (await services.db.dataSource.query(`SELECT id FROM candidate ORDER BY id LIMIT 1000`)).map((r: { id: string }) =>
    Buffer.from(`Candidate:${r.id}`).toString('base64url'),
  );

  const post = async (query: string, variables?: object) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
  };

  const run = async (name: string, make: (i: number) => [string, object | undefined]) => {
    for (let i = 0; i < 20; i++) await post(...make(i)); // warm-up
    const before = services.db.statementCount();
    await post(...make(0));
    const statements = services.db.statementCount() - before;
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          const i = next++;
          const t = performance.now();
          await post(...make(i));
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
    console.log(
      `${name.padEnd(34)} ${(requests / seconds).toFixed(0).padStart(6)} req/s  p50 ${pct(50).padStart(6)} ms  p95 ${pct(95).padStart(6)} ms  ${statements} SQL statements/request`,
    );
  };

  console.log(
    `MatchHub GraphQL, ${candidates} candidates on ${services.db.kind} Postgres, ${requests} requests x ${concurrency} concurrent, Node ${process.version}`,
  );
  await run('(a) candidate by id, nested', (i) => [SINGLE, { id: ids[i % ids.length] }]);
  await run('(b) 50 candidates, nested', () => [LIST, undefined]);
  await server.stop();
  await services.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
