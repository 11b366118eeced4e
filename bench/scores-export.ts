/**
 * npm run bench:scores-export [-- --rows 1000000] [--format csv|parquet|both]   (live heap: node --expose-gc dist/bench/scores-export.js)
 *
 * Memory of the match-score export (the code behind GET /export/match-scores.csv / .parquet and `matchhub
 * export match-scores`): fills a fresh database on the PostgreSQL server of DATABASE_URL with `rows` stored
 * scores (generated in SQL: 1,000 jobs x rows/1,000 candidates), streams them in each format, one after the
 * other, to a sink that counts bytes, and prints the process's resident memory at each tenth of the rows and
 * the peak, beside the RSS before the export. The database is dropped afterwards. Figures are printed, never
 * asserted.
 */
import 'reflect-metadata';
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { Client } from 'pg';
import { openDataHub } from '../src/app/data-hub';
import { matchScoresCsv, matchScoresParquet, ROW_GROUP_ROWS } from '../src/matching/match-score-export';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const format = (() => {
  const i = process.argv.indexOf('--format');
  return i > 0 ? process.argv[i + 1] : 'both';
})();
const mib = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);

async function main() {
  const rows = arg('rows', 1_000_000);
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL (set -a; . .services/env; set +a after npm run services:up -- postgres)');
  const name = `matchhub_export_bench_${process.pid}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const hub = await openDataHub(loadConfig({ DATABASE_URL: url.toString(), LOG_LEVEL: 'error' }), createLogger('error'));
  try {
    const db = hub.db.dataSource;
    const jobs = 1000;
    const candidates = Math.ceil(rows / jobs);
    let t = Date.now();
    await db.query(`INSERT INTO company (source, external_id, name) VALUES ('bench', 'c1', 'Bench Co')`);
    await db.query(
      `INSERT INTO job (source, external_id, company_id, title) SELECT 'bench', 'j' || g, (SELECT id FROM company), 'Job ' || g FROM generate_series(1, $1) g`,
      [jobs],
    );
    await db.query(
      `INSERT INTO candidate (source, external_id, name) SELECT 'bench', 'c' || g, 'Person ' || g FROM generate_series(1, $1) g`,
      [candidates],
    );
    await db.query(
      `INSERT INTO match_score (job_id, candidate_id, score, keyword, vector, vector_profile, vector_title, vector_skills, skills_required,
         skills_preferred, seniority_fit, location_fit, talent_flow, warm_path, model_version)
       SELECT j.id, c.id, random(), random() * 10, random(), random(), random(), random(), random(), NULL, random(), 1, (random() * 5)::int, 0, 'bench'
       FROM job j CROSS JOIN candidate c`,
    );
    await db.query(`ANALYZE match_score`);
    process.stdout.write(`filled ${rows} rows in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    const exportOnce = async (name: 'csv' | 'parquet') => {
      global.gc?.();
      process.stdout.write(`${name}: rss before export ${mib()} MiB\n`);
      let bytes = 0;
      let done = name === 'csv' ? -1 : 0; // the CSV's header line is not a row
      let peak = 0;
      let nextReport = rows / 10;
      // A slow-ish consumer with a small buffer, as a network client is: the export must wait for it.
      const sink = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _enc, callback) {
          bytes += chunk.length;
          setImmediate(callback);
        },
      });
      const t0 = Date.now();
      const chunks: AsyncGenerator<string | Uint8Array> = name === 'csv' ? matchScoresCsv(db) : matchScoresParquet(db);
      for await (const chunk of chunks) {
        // CSV: one line a row after the header; Parquet: one row group a chunk until the footer.
        done = typeof chunk === 'string' ? done + chunk.split('\r\n').length - 1 : Math.min(rows, done + ROW_GROUP_ROWS);
        if (!sink.write(chunk)) await once(sink, 'drain');
        peak = Math.max(peak, process.memoryUsage().rss);
        if (done >= nextReport) {
          const rss = mib();
          // What the export keeps (live heap after a full collection) is what would grow with the rows if anything did.
          global.gc?.();
          process.stdout.write(
            `  ${name} ${done} rows: rss ${rss} MiB, live heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`,
          );
          nextReport += rows / 10;
        }
      }
      sink.end();
      const s = (Date.now() - t0) / 1000;
      process.stdout.write(
        `${name}: ${rows} rows, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${s.toFixed(1)} s (${Math.round(rows / s)} rows/s); peak rss ${(peak / 2 ** 20).toFixed(0)} MiB\n`,
      );
    };
    for (const name of format === 'both' ? (['csv', 'parquet'] as const) : [format as 'csv' | 'parquet']) await exportOnce(name);
  } finally {
    await hub.close();
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
