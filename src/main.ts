import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { createServices, type AppServices } from './app';
import { ConfigError, loadConfig } from './config';
import { ROLES, type Role } from './datahub/entities/api-key.entity';
import { readJsonLines } from './datahub/json-lines';
import { evaluateLinkPredictor, loadLatestLinkModel, trainLinkPredictor } from './linkpred/link-predictor';
import { GraphFactsReader } from './sync/graph-projection';
import { loadTaxonomy } from './datahub/taxonomy/taxonomy-loader';
import { createLogger } from './logger';
import { createSchema } from './schema';
import { startServer } from './server';

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
  const services = await createServices(config, log);
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
  if ((await services.apiKeys.count()) === 0) {
    const keys: Record<string, string> = {};
    for (const role of ['admin', 'analyst'] as Role[]) keys[role] = (await services.apiKeys.create(`demo ${role}`, role)).key;
    const file = path.join(config.database.dataDir, 'demo-api-keys.json');
    fs.mkdirSync(config.database.dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(`Demo API keys (also in ${file}):\n  admin:   ${keys.admin}\n  analyst: ${keys.analyst}\n`);
  }
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

async function withServices<T>(fn: (s: AppServices) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const services = await createServices(config, createLogger(config.logLevel));
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Applies the outbox until every projection has caught up, showing progress. */
async function drainWithProgress(s: AppServices, label: string) {
  const [first] = await s.projector.status();
  const total = first?.lag ?? 0;
  const bar = progress(label, total);
  for (;;) {
    await s.projector.runOnce();
    const statuses = await s.projector.status();
    const lag = Math.max(0, ...statuses.map((x) => x.lag));
    bar.update(total - lag);
    if (lag === 0) break;
  }
  bar.stop();
  const parked = (await s.projector.status()).reduce((n, x) => n + x.parked + x.retrying, 0);
  process.stdout.write(`${label}: done${parked ? `, ${parked} events failed (see syncStatus)` : ''}\n`);
}

const program = new Command('matchhub').description('MatchHub: a talent-matching data hub behind one GraphQL endpoint');

program.command('serve').description('start the GraphQL server (migrates, seeds demo data on first start)').action(serve);

program
  .command('migrate')
  .description('run pending database migrations')
  .action(() => withServices(async () => void process.stdout.write('migrations are up to date\n')));

program
  .command('seed')
  .description('load the O*NET taxonomy and the generated demo data set')
  .option('--candidates <n>', 'number of candidates', int, 2000)
  .option('--seed <n>', 'random seed (same seed, same data)', int, 42)
  .action((opts: { candidates: number; seed: number }) =>
    withServices(async (s) => {
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
    withServices(async (s) => {
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
    withServices(async (s) => {
      const queued = await s.projector.reindex();
      process.stdout.write(`queued ${queued} records\n`);
      await drainWithProgress(s, 'reindex');
    }),
  );

program
  .command('sync')
  .description('apply pending outbox events to the projections once, then exit')
  .action(() => withServices((s) => drainWithProgress(s, 'sync')));

program
  .command('worker')
  .description('run only the projector (set SYNC_IN_SERVER=false on the API servers)')
  .action(async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    const s = await createServices(config, log);
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
    withServices(async (s) => {
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
    withServices(async (s) => {
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
  .action((opts: { role: string; name: string }) =>
    withServices(async (s) => {
      if (!ROLES.includes(opts.role as Role)) throw new InvalidArgumentError(`--role must be one of ${ROLES.join(', ')}`);
      const { key } = await s.apiKeys.create(opts.name, opts.role as Role);
      process.stdout.write(`${key}\n`);
    }),
  );

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
