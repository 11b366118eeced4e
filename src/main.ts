import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import type { AppServices } from './app';
import { ConfigError, loadConfig } from './config';
import { DataDirInUseError } from './datahub/data-dir-lock';
import { openDataHub, type DataHub } from './datahub/data-hub';
import type { CachingEmbedder } from './embedding/embedding-cache';
import { ROLES, type Role } from './datahub/entities/api-key.entity';
import { readJsonLines } from './datahub/json-lines';
import { evaluateLinkPredictor, loadLatestLinkModel, trainLinkPredictor } from './linkpred/link-predictor';
import { GraphFactsReader } from './sync/graph-projection';
import { loadTaxonomy } from './datahub/taxonomy/taxonomy-loader';
import { AppError } from './errors';
import { createLogger } from './logger';

// Loaded only by the commands that need them: the embedding model, search and graph adapters and the
// GraphQL schema take a second or two to import, which the database-only commands need not pay.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const app = (): typeof import('./app') => require('./app');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const graphqlServer = (): typeof import('./schema') & typeof import('./server') => ({ ...require('./schema'), ...require('./server') });

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

/** A progress bar on a terminal, a line every few seconds elsewhere (CI logs stay short). */
function progress(label: string, total: number) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted} left`, stream: process.stderr },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (n: number) => bar.update(Math.min(n, total)), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update: (n: number) => {
      if (Date.now() - last > 5000) {
        last = Date.now();
        process.stderr.write(`${label}: ${n}/${total}\n`);
      }
    },
    stop: () => undefined,
  };
}

async function serve() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const started = Date.now();
  const services = await app().createServices(config, log, { command: 'serve' });
  if (config.seedDemo && (await services.seeds.isEmpty())) {
    log.info('first start: loading the O*NET taxonomy and the demo data set', { candidates: config.demoCandidates });
    const bar = progress('demo data', config.demoCandidates * 4);
    const report = await services.seeds.seedDemo({
      candidates: config.demoCandidates,
      seed: 42,
      taxonomy: loadTaxonomy(),
      onProgress: bar.update,
    });
    bar.stop();
    log.info('demo data loaded', { ...report });
  }
  // Whatever ran before (import, seed, nothing), an empty occupation table gets the taxonomy.
  const occupations = await services.seeds.ensureTaxonomy(() => loadTaxonomy());
  if (occupations) log.info('O*NET taxonomy loaded', { occupations });
  if ((await services.apiKeys.count()) === 0) {
    const keys: Record<string, string> = {};
    for (const role of ['admin', 'analyst'] as Role[]) keys[role] = (await services.apiKeys.create(`demo ${role}`, role)).key;
    const file = path.join(config.database.dataDir, 'demo-api-keys.json');
    fs.mkdirSync(config.database.dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`Demo API keys (also in ${file}):\n  admin:   ${keys.admin}\n  analyst: ${keys.analyst}\n`);
  }
  const { createSchema, startServer } = graphqlServer();
  const schema = await createSchema();
  const server = await startServer(services, schema, log);
  // Projections (search index, graph) follow the outbox in the background; syncStatus shows the lag.
  if (config.syncInServer) services.projector.start();
  process.stdout.write(`MatchHub GraphQL on ${server.url} (${services.db.kind} database, ready in ${Date.now() - started} ms)\n`);
  const shutdown = async (signal: string) => {
    log.info('shutting down', { signal });
    await server.stop();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Ctrl-C or SIGTERM ends a one-shot command at once; the exit releases the data directory's lock. */
function exitOnSignals() {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

/** Everything (database, embedding model, search index, graph, projector): for the commands that project. */
async function withServices<T>(command: string, fn: (s: AppServices) => Promise<T>): Promise<T> {
  const config = loadConfig();
  exitOnSignals();
  const services = await app().createServices(config, createLogger(config.logLevel), { command });
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Only the database, migrated: for the commands that read or write rows (the projections catch up later). */
async function withDataHub<T>(command: string, fn: (s: DataHub) => Promise<T>): Promise<T> {
  const config = loadConfig();
  exitOnSignals();
  const hub = await openDataHub(config, createLogger(config.logLevel), { command });
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

/** Applies the outbox until every projection has caught up, showing progress. */
async function drainWithProgress(s: AppServices, label: string) {
  const [first] = await s.projector.status();
  const total = first?.lag ?? 0;
  const bar = progress(label, total);
  for (;;) {
    const applied = await s.projector.runOnce();
    const statuses = await s.projector.status();
    const lag = Math.max(0, ...statuses.map((x) => x.lag));
    bar.update(total - lag);
    if (lag === 0) break;
    // Nothing applied: a server or worker holds the projection's lease, or only retries wait.
    if (applied === 0) await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  const parked = (await s.projector.status()).reduce((n, x) => n + x.parked + x.retrying, 0);
  process.stdout.write(`${label}: done${parked ? `, ${parked} events failed (see syncStatus)` : ''}\n`);
  const cache = (s.embedder as Partial<CachingEmbedder>).store?.stats;
  if (cache && cache.hits + cache.misses > 0) {
    const rate = ((100 * cache.hits) / (cache.hits + cache.misses)).toFixed(1);
    process.stdout.write(
      `embedding cache: ${cache.hits} of ${cache.hits + cache.misses} texts re-used (${rate}%), ${cache.entries} stored\n`,
    );
  }
}

const program = new Command('matchhub').description('MatchHub: a talent-matching data hub behind one GraphQL endpoint');

program.command('serve').description('start the GraphQL server (migrates, seeds demo data on first start)').action(serve);

program
  .command('migrate')
  .description('run pending database migrations and load the O*NET taxonomy if the database has none')
  .action(() =>
    withDataHub('migrate', async (s) => {
      const loaded = await s.seeds.ensureTaxonomy(() => loadTaxonomy());
      process.stdout.write(`migrations are up to date${loaded ? `; O*NET taxonomy loaded (${loaded} occupations)` : ''}\n`);
    }),
  );

program
  .command('taxonomy')
  .description('O*NET occupation taxonomy')
  .command('load')
  .description('load or refresh the O*NET occupations (idempotent: unchanged ones queue nothing)')
  .option('--dir <dir>', 'a compact taxonomy or an O*NET text release directory (default: the shipped data/onet)')
  .action((opts: { dir?: string }) =>
    withDataHub('taxonomy load', async (s) => {
      const n = await s.seeds.loadOccupations(loadTaxonomy({ dir: opts.dir }));
      process.stdout.write(`${n} occupations loaded; ${await s.seeds.occupationCount()} in the database\n`);
    }),
  );

program
  .command('seed')
  .description('load the O*NET taxonomy and the generated demo data set')
  .option('--candidates <n>', 'number of candidates', int, 2000)
  .option('--seed <n>', 'random seed (same seed, same data)', int, 42)
  .action((opts: { candidates: number; seed: number }) =>
    withDataHub('seed', async (s) => {
      const started = Date.now();
      const bar = progress('seed', opts.candidates * 4);
      const report = await s.seeds.seedDemo({
        candidates: opts.candidates,
        seed: opts.seed,
        taxonomy: loadTaxonomy(),
        onProgress: bar.update,
      });
      bar.stop();
      process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 })}\n`);
      if (report.failed) process.exitCode = 1;
    }),
  );

program
  .command('import <file>')
  .description('upsert JSON Lines records (by source + externalId); "-" reads stdin; bad lines are reported, good ones land')
  .option('--batch <n>', 'records per transaction', int, 500)
  .action((file: string, opts: { batch: number }) =>
    withDataHub('import', async (s) => {
      const total =
        file === '-'
          ? 0
          : fs
              .readFileSync(file, 'utf8')
              .split('\n')
              .filter((l) => l.trim()).length;
      const bar = progress('import', total);
      let done = 0;
      let ok = 0;
      let failed = 0;
      for await (const results of s.writes.importStream(readJsonLines(file), opts.batch)) {
        for (const r of results) {
          done += 1;
          if (r.ok) ok += 1;
          else {
            failed += 1;
            process.stderr.write(`line ${r.line}: ${r.code}: ${r.message}\n`);
          }
        }
        bar.update(done);
      }
      bar.stop();
      process.stdout.write(`${ok} written, ${failed} failed\n`);
      if (failed) process.exitCode = 1;
    }),
  );

program
  .command('reindex')
  .description('rebuild the search index (and graph) from the data hub, with progress')
  .action(() =>
    withServices('reindex', async (s) => {
      const queued = await s.projector.reindex();
      process.stdout.write(`queued ${queued} records\n`);
      await drainWithProgress(s, 'reindex');
    }),
  );

program
  .command('sync')
  .description('apply pending outbox events to the projections once, then exit')
  .action(() => withServices('sync', (s) => drainWithProgress(s, 'sync')));

program
  .command('worker')
  .description('run only the projector (set SYNC_IN_SERVER=false on the API servers)')
  .action(async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const s = await app().createServices(config, log, { command: 'worker' });
    s.projector.start();
    log.info('projector running', { projections: s.projector.names });
    const stop = async () => {
      await s.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

const linkpred = program.command('linkpred').description('train and evaluate link prediction on the data hub (temporal split)');
const splitOptions = (cmd: Command) =>
  cmd
    .option('--cutoff <year>', 'first year of the test window; training uses the window before it', int, 2024)
    .option('--window <years>', 'years per window', int, 2)
    .option('--seed <n>', 'negative sampling seed', int, 1);

splitOptions(linkpred.command('train'))
  .description('fit the model on links formed before the cut-off and store it as the next version')
  .action((opts: { cutoff: number; window: number; seed: number }) =>
    withDataHub('linkpred train', async (s) => {
      const projection = await new GraphFactsReader(s.db.dataSource).everything();
      const modelDir = path.join(s.config.database.dataDir, 'linkpred');
      const r = await trainLinkPredictor({ projection, cutoffYear: opts.cutoff, windowYears: opts.window, seed: opts.seed, modelDir });
      process.stdout.write(
        `model v${r.model.version} written to ${r.path} in ${r.seconds.toFixed(1)} s; examples per kind: ${JSON.stringify(r.examples)}\n`,
      );
    }),
  );

splitOptions(linkpred.command('eval'))
  .description('AUC, AUCPR, Hits@10/50 and MRR per kind: each heuristic and the latest model side by side')
  .action((opts: { cutoff: number; window: number; seed: number }) =>
    withDataHub('linkpred eval', async (s) => {
      const projection = await new GraphFactsReader(s.db.dataSource).everything();
      const model = loadLatestLinkModel(path.join(s.config.database.dataDir, 'linkpred')) ?? undefined;
      const r = await evaluateLinkPredictor({ projection, cutoffYear: opts.cutoff, windowYears: opts.window, seed: opts.seed, model });
      process.stdout.write(
        `${model ? `model v${model.version}` : 'no trained model yet (run linkpred train)'}; ${r.seconds.toFixed(1)} s\n${r.table}\n`,
      );
    }),
  );

const apikey = program.command('apikey').description('manage API keys');
apikey
  .command('create')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--name <name>', 'who or what uses the key', 'cli')
  .action((opts: { role: string; name: string }) => {
    // Checked before the data directory is opened (and locked).
    if (!ROLES.includes(opts.role as Role)) throw new InvalidArgumentError(`--role must be one of ${ROLES.join(', ')}`);
    return withDataHub('apikey create', async (s) => {
      const { key, id } = await s.apiKeys.create(opts.name, opts.role as Role);
      process.stdout.write(`${key}\n`);
      process.stderr.write(`key id ${id} (apikey revoke ${id.slice(0, 8)} revokes it)\n`);
    });
  });
apikey
  .command('list')
  .description('every key: id, role, name, created, revoked (keys themselves are never stored)')
  .action(() =>
    withDataHub('apikey list', async (s) => {
      const rows = await s.apiKeys.list();
      process.stdout.write('id\trole\tname\tcreated\trevoked\n');
      for (const k of rows) {
        const revoked = k.revokedAt ? k.revokedAt.toISOString() : '-';
        process.stdout.write(`${k.id}\t${k.role}\t${k.name}\t${k.createdAt.toISOString()}\t${revoked}\n`);
      }
    }),
  );
apikey
  .command('revoke <id>')
  .description('revoke a key by its id or the start of it (as apikey list shows); a running server stops accepting it within 30 s')
  .action((id: string) =>
    withDataHub('apikey revoke', async (s) => {
      const r = await s.apiKeys.revoke(id);
      process.stdout.write(`${r.alreadyRevoked ? 'already revoked' : 'revoked'}: ${r.id} (${r.name})\n`);
    }),
  );

program.parseAsync().catch((err: unknown) => {
  if (err instanceof DataDirInUseError) {
    // One line, no stack: another process owns the embedded data directory and nothing was touched.
    process.stderr.write(`matchhub: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else if (err instanceof AppError && (err.code === 'BAD_USER_INPUT' || err.code === 'NOT_FOUND'))
    process.stderr.write(`matchhub: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
