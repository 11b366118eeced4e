import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { AdminSocketClient, AdminSocketUnavailableError, adminSocketPath } from './app/admin-socket';
import type { AppServices } from './app/app';
import { ConfigError, loadConfig } from './shared/config';
import { DataDirInUseError } from './shared/data-dir-lock';
import { openDataHub, type DataHub } from './app/data-hub';
import type { CachingEmbedder } from './adapters/embedding/embedding-cache';
import { ROLES, type Role } from './shared/roles';
import { readJsonLines } from './shared/json-lines';
import { LINK_KINDS, type LinkKind } from './adapters/graph/relation-graph';
import { LinkPredictionService, type SplitArgs } from './network/link-prediction.service';
import { crossValidateLinkPredictor } from './network/link-predictor';
import { generateCareerGraph, generateRealisticCareerGraph } from './network/synthetic-career-graph';
import { loadTaxonomy } from './hub/taxonomy/taxonomy-loader';
import { AppError } from './shared/errors';
import { grantBiRole } from './hub/repositories/bi-role.repository';
import { EXPORT_FORMATS, matchScoresCsv, matchScoresParquet } from './matching/match-score-export';
import { auditStoredScores, DEFAULT_TRAIN_ARGS, MatchScoreLearning, TARGET_STAGES } from './matching/match-score-learning.service';
import { DEFAULT_MINIMUM, DEFAULT_SPLIT, formatEvaluation } from './matching/match-score-training';
import { formatAudit } from './matching/match-score-audit';
import { MatchScoreModels } from './matching/match-score-models';
import type { ApplicationStage } from './hub/records';
import { once } from 'node:events';
import { createLogger } from './shared/logger';

// Loaded only by the commands that need them: the embedding model, search and graph adapters and the
// GraphQL schema take a second or two to import, which the database-only commands need not pay.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const app = (): typeof import('./app/app') => require('./app/app');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const graphqlServer = (): typeof import('./app/schema') & typeof import('./app/server') => ({
  ...require('./app/schema'),
  ...require('./app/server'),
});

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
};

/** A progress bar on a terminal, a line every few seconds elsewhere (CI logs stay short). */
function progress(label: string, total: number, unit = '') {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} [{bar}] {percentage}% {value}/{total}${unit} {eta_formatted} left`, stream: process.stderr },
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
        process.stderr.write(`${label}: ${n}/${total}${unit}\n`);
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
    const demo = { candidates: config.demoCandidates, seed: 42, taxonomy: loadTaxonomy() };
    const bar = progress('demo data', services.seeds.demoSize(demo), ' records');
    const report = await services.seeds.seedDemo({ ...demo, onProgress: bar.update });
    bar.stop();
    log.info('demo data loaded', { ...report });
  }
  // Whatever ran before (import, seed, nothing), an empty occupation table gets the taxonomy.
  const occupations = await services.seeds.ensureTaxonomy(() => loadTaxonomy());
  if (occupations) log.info('O*NET taxonomy loaded', { occupations });
  if ((await services.apiKeys.count()) === 0) {
    const keys: Record<string, string> = {};
    for (const role of ['admin', 'analyst'] as Role[]) keys[role] = (await services.apiKeys.create(`demo ${role}`, role)).key;
    // With the demo data, a consultant's key too, speaking for a demo consultant: the explorer's paths start from their network.
    const consultant = await services.seeds.demoConsultant();
    if (consultant)
      keys.consultant = (await services.apiKeys.create(`demo consultant (${consultant.name})`, 'consultant', consultant.id)).key;
    const file = path.join(config.database.dataDir, 'demo-api-keys.json');
    fs.mkdirSync(config.database.dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(
      `Demo API keys (also in ${file}):\n  admin:      ${keys.admin}\n  analyst:    ${keys.analyst}\n` +
        (consultant ? `  consultant: ${keys.consultant} (speaks for ${consultant.name})\n` : ''),
    );
  }
  const { createSchema, startServer } = graphqlServer();
  const schema = await createSchema();
  // The owner of an embedded data directory takes the CLI's admin commands on a socket inside it (admin-socket.ts).
  const adminSocket = config.database.url ? undefined : adminSocketPath(config.database.dataDir);
  const server = await startServer(services, schema, log, { adminSocket });
  if (server.adminSocket) log.info('local admin socket open', { file: server.adminSocket });
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

/**
 * Applies the outbox until every projection (or those named in `only`) has caught up, showing progress,
 * then the time spent in each.
 */
async function drainWithProgress(s: AppServices, label: string, only?: readonly string[]) {
  const chosen = async () => (await s.projector.status()).filter((x) => !only || only.includes(x.projection));
  const total = Math.max(0, ...(await chosen()).map((x) => x.lag));
  const bar = progress(label, total);
  for (;;) {
    const applied = await s.projector.runOnce(only);
    const lag = Math.max(0, ...(await chosen()).map((x) => x.lag));
    bar.update(total - lag);
    if (lag === 0) break;
    // Nothing applied: a server or worker holds the projection's lease, or only retries wait.
    if (applied === 0) await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  const parked = (await chosen()).reduce((n, x) => n + x.parked + x.retrying, 0);
  const spent = [...s.projector.passSeconds()].map(([name, sec]) => `${name} ${sec.toFixed(1)} s`).join(', ');
  process.stdout.write(`${label}: done${parked ? `, ${parked} events failed (see syncStatus)` : ''}${spent ? ` (${spent})` : ''}\n`);
  const cache = (s.embedder as Partial<CachingEmbedder>).store?.stats;
  if (cache && cache.hits + cache.misses > 0) {
    const rate = ((100 * cache.hits) / (cache.hits + cache.misses)).toFixed(1);
    process.stdout.write(
      `embedding cache: ${cache.hits} of ${cache.hits + cache.misses} texts re-used (${rate}%), ${cache.entries} stored\n`,
    );
  }
}

/**
 * Runs `local`; when a running server owns the embedded data directory (the lock refused us), sends the
 * command through the server's admin socket instead (`remote`), saying so on stderr. Where the socket
 * does not answer, the command refuses as before (exit 2, one line). Nothing was touched either way
 * before the lock refused: it is taken before anything under the directory is opened.
 */
async function orThroughServer(command: string, local: () => Promise<void>, remote: (server: AdminSocketClient) => Promise<void>) {
  try {
    await local();
    return;
  } catch (err) {
    if (!(err instanceof DataDirInUseError) || err.holder.command !== 'serve') throw err;
    const server = new AdminSocketClient(adminSocketPath(err.dataDir));
    try {
      try {
        await server.request('{ viewer { role } }');
      } catch (e) {
        if (e instanceof AdminSocketUnavailableError) throw new DataDirInUseError(err.dataDir, err.holder, command, e.message);
        throw e;
      }
      process.stderr.write(`matchhub: ${command} went through the running MatchHub server (pid ${err.holder.pid}), on ${server.file}\n`);
      await remote(server);
    } finally {
      server.close();
    }
  }
}

/** Most records in one importRecords call (the mutation's own limit). */
const MAX_IMPORT_BATCH = 1000;

/** A JSON Lines file (or stdin) with how far it has been read, for the progress bar: the file is read once. */
function openImport(file: string) {
  const stream = file === '-' ? process.stdin : fs.createReadStream(file);
  return {
    lines: readJsonLines(stream),
    bytes: file === '-' ? 0 : fs.statSync(file).size,
    read: () => (stream instanceof fs.ReadStream ? stream.bytesRead : 0),
  };
}

/** The import's per-line report and its closing line, the same whether it ran here or through the server. */
function importReport() {
  let ok = 0;
  let failed = 0;
  return {
    add(results: readonly { line: number; ok: boolean; code?: string | null; message?: string | null }[]) {
      for (const r of results) {
        if (r.ok) ok += 1;
        else {
          failed += 1;
          process.stderr.write(`line ${r.line}: ${r.code}: ${r.message}\n`);
        }
      }
    },
    finish() {
      process.stdout.write(`${ok} written, ${failed} failed\n`);
      if (failed) process.exitCode = 1;
    },
  };
}

interface ImportLineAnswer {
  line: number;
  ok: boolean;
  code: string | null;
  message: string | null;
}

/**
 * Streams the file to the server's importRecords in batches of at most `batch` records and half its
 * body limit, each batch in file order (the server orders a batch by reference, as the local import does).
 */
async function importThroughServer(server: AdminSocketClient, file: string, batch: number) {
  const input = openImport(file);
  const report = importReport();
  const bar = progress('import', input.bytes, ' bytes');
  const maxBytes = Math.floor(loadConfig().http.bodyLimitBytes / 2);
  let pending: { line: number; value: object }[] = [];
  let pendingBytes = 0;
  const send = async () => {
    if (pending.length === 0) return;
    const lines = pending.map((p) => p.line);
    const { importRecords } = await server.request<{ importRecords: { results: ImportLineAnswer[] } }>(
      'mutation($records: [JSONObject!]!) { importRecords(records: $records) { results { line ok code message } } }',
      { records: pending.map((p) => p.value) },
    );
    pending = [];
    pendingBytes = 0;
    // The server numbers the records of a call from 1; the file's line numbers are what the user needs.
    report.add(importRecords.results.map((r) => ({ ...r, line: lines[r.line - 1] })));
    bar.update(input.read());
  };
  for await (const { line, value } of input.lines) {
    // What is not an object cannot be sent as one; as {} it gets the message the local import gives it.
    const record = value && typeof value === 'object' && !Array.isArray(value) ? value : {};
    const size = Buffer.byteLength(JSON.stringify(record));
    if (size > maxBytes) {
      report.add([
        {
          line,
          ok: false,
          code: 'BAD_USER_INPUT',
          message: `the record is larger than the server takes in one request (${maxBytes} bytes)`,
        },
      ]);
      continue;
    }
    if (pending.length >= batch || pendingBytes + size > maxBytes) await send();
    pending.push({ line, value: record });
    pendingBytes += size + 1;
  }
  await send();
  bar.stop();
  report.finish();
}

/** How long the CLI waits for a server that applies no outbox event at all before it gives up. */
const STALL_MS = 5 * 60_000;

/** Follows the server's syncStatus until every projection has caught up (what drainWithProgress shows locally). */
async function waitForServerDrain(server: AdminSocketClient, label: string) {
  type Status = { lag: number; parked: number; retrying: number };
  const status = async () => (await server.request<{ syncStatus: Status[] }>('{ syncStatus { lag parked retrying } }')).syncStatus;
  let statuses = await status();
  const lagOf = (xs: Status[]) => Math.max(0, ...xs.map((x) => x.lag));
  const total = lagOf(statuses);
  const bar = progress(label, total);
  let last = total;
  let movedAt = Date.now();
  while (lagOf(statuses) > 0) {
    await new Promise((r) => setTimeout(r, 500));
    statuses = await status();
    const lag = lagOf(statuses);
    bar.update(total - lag);
    if (lag !== last) {
      last = lag;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > STALL_MS) {
      bar.stop();
      throw new AppError(
        'UNAVAILABLE',
        `the server applied no outbox event for ${STALL_MS / 60_000} minutes (${lag} waiting): is its projector off (SYNC_IN_SERVER=false)? syncStatus shows the lag`,
      );
    }
  }
  bar.stop();
  const parked = statuses.reduce((n, x) => n + x.parked + x.retrying, 0);
  process.stdout.write(`${label}: done${parked ? `, ${parked} events failed (see syncStatus)` : ''}\n`);
}

interface PrintedTraining {
  version: number;
  path: string;
  seconds: number;
  cutoffYear: number;
  windowYears: number;
  cutoffFrom: string;
  kinds: { kind: LinkKind; examples: number; trained: boolean; validationHits50: number | null; inDegreeHits50: number | null }[];
  repeatKinds: {
    kind: LinkKind;
    examples: number;
    trained: boolean;
    validationMrr: number | null;
    inDegreeMrr: number | null;
    defaultHeuristicMrr: number | null;
    skipped: string | null;
  }[];
}
const printTraining = (r: PrintedTraining) => {
  const lines = [
    `model v${r.version} written to ${r.path} in ${r.seconds.toFixed(1)} s; cut-off ${r.cutoffYear} (${r.cutoffFrom}), window ${r.windowYears}`,
  ];
  for (const k of r.kinds) {
    const versus =
      k.validationHits50 === null
        ? 'no validation'
        : `Hits@50 on the validation window: learned ${k.validationHits50.toFixed(3)}, in-degree ${k.inDegreeHits50!.toFixed(3)}`;
    lines.push(
      `${k.kind}: ${k.examples} examples; ${k.trained ? 'model stored' : 'NOT stored, predictLinks keeps the default heuristic for this kind'} (${versus})`,
    );
  }
  for (const k of r.repeatKinds) {
    const f = (x: number | null) => (x === null ? '-' : x.toFixed(3));
    const verdict = k.trained ? 'model stored' : 'NOT stored, mode REPEAT keeps the default heuristic';
    const why =
      k.skipped ??
      `MRR on the validation window: learned ${f(k.validationMrr)}, in-degree ${f(k.inDegreeMrr)}, default ${f(k.defaultHeuristicMrr)}`;
    lines.push(`${k.kind} REPEAT: ${k.examples} examples; ${verdict} (${why})`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
};
const printEvaluation = (r: { version: number | null; seconds: number; table: string; cutoffYear: number }) => {
  process.stdout.write(
    `${r.version ? `model v${r.version}` : 'no trained model yet (run linkpred train)'}; cut-off ${r.cutoffYear}; ${r.seconds.toFixed(1)} s\n${r.table}\n`,
  );
};

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
      const demo = { candidates: opts.candidates, seed: opts.seed, taxonomy: loadTaxonomy() };
      const bar = progress('seed', s.seeds.demoSize(demo), ' records');
      const report = await s.seeds.seedDemo({ ...demo, onProgress: bar.update });
      bar.stop();
      process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 })}\n`);
      if (report.failed) process.exitCode = 1;
    }),
  );

program
  .command('import <file>')
  .description('upsert JSON Lines records (by source + externalId); "-" reads stdin; bad lines are reported, good ones land')
  .option('--batch <n>', 'records per transaction', int, 500)
  .action((file: string, opts: { batch: number }) => {
    // Checked before the data directory is opened or the server asked.
    if (file !== '-' && !fs.existsSync(file)) throw new AppError('BAD_USER_INPUT', `${file}: no such file`);
    return orThroughServer(
      'import',
      () =>
        withDataHub('import', async (s) => {
          const input = openImport(file);
          const report = importReport();
          const bar = progress('import', input.bytes, ' bytes');
          for await (const results of s.writes.importStream(input.lines, opts.batch)) {
            report.add(results);
            bar.update(input.read());
          }
          bar.stop();
          report.finish();
        }),
      (server) => importThroughServer(server, file, Math.max(1, Math.min(opts.batch, MAX_IMPORT_BATCH))),
    );
  });

program
  .command('reindex')
  .description('rebuild the search index (and graph) from the data hub, with progress')
  .action(() =>
    orThroughServer(
      'reindex',
      () =>
        withServices('reindex', async (s) => {
          const queued = await s.projector.reindex();
          process.stdout.write(`queued ${queued} records\n`);
          await drainWithProgress(s, 'reindex');
        }),
      async (server) => {
        const { reindex } = await server.request<{ reindex: number }>('mutation { reindex }');
        process.stdout.write(`queued ${reindex} records\n`);
        await waitForServerDrain(server, 'reindex');
      },
    ),
  );

program
  .command('sync')
  .description('apply pending outbox events to the projections once, then exit')
  .option(
    '--only <names>',
    'only these projections, comma-separated (search, graph, scores, titles); `scores train|eval` need search, and graph once a link model is trained',
    (v: string) => v.split(',').map((x) => x.trim()),
  )
  .action((opts: { only?: string[] }) =>
    withServices('sync', (s) => {
      const unknown = (opts.only ?? []).filter((n) => !s.projector.names.includes(n));
      if (unknown.length > 0)
        throw new AppError(
          'BAD_USER_INPUT',
          `--only: no projection ${unknown.join(', ')}; this setup runs ${s.projector.names.join(', ')}`,
        );
      return drainWithProgress(s, 'sync', opts.only);
    }),
  );

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
interface SplitFlags {
  cutoff?: number;
  window: number;
  seed: number;
  kinds?: LinkKind[];
}
const kindList = (v: string): LinkKind[] => {
  const kinds = v.split(',').map((k) => k.trim().toUpperCase());
  const bad = kinds.filter((k) => !(LINK_KINDS as readonly string[]).includes(k));
  if (bad.length > 0) throw new InvalidArgumentError(`unknown kind ${bad.join(', ')}; use ${LINK_KINDS.join(', ')}`);
  return kinds as LinkKind[];
};
const splitOptions = (cmd: Command) =>
  cmd
    .option(
      '--cutoff <year>',
      'first year of the test window; training uses the windows before it (default: latest year with moves + 1 - window)',
      int,
    )
    .option('--window <years>', 'years per window', int, 2)
    .option('--seed <n>', 'negative sampling seed', int, 1)
    .option('--kinds <list>', `comma-separated link kinds (default all: ${LINK_KINDS.join(', ')})`, kindList);

const splitArgs = (opts: SplitFlags): SplitArgs => ({
  cutoffYear: opts.cutoff ?? null,
  windowYears: opts.window,
  seed: opts.seed,
  kinds: opts.kinds ?? null,
});
const linkPrediction = (s: DataHub) => LinkPredictionService.forDataDir(s.db.dataSource, s.config.database.dataDir);

splitOptions(linkpred.command('train'))
  .description(
    'fit the model on new links formed before the cut-off and store it as the next version; a kind whose model does not beat in-degree on the validation window keeps the default heuristic; exits 1 when a kind has too few examples',
  )
  .action((opts: SplitFlags) =>
    orThroughServer(
      'linkpred train',
      () =>
        withDataHub('linkpred train', async (s) => {
          const r = await linkPrediction(s).train(splitArgs(opts));
          printTraining({
            ...r,
            version: r.model.version,
            kinds: Object.entries(r.guard).map(([kind, g]) => ({
              kind: kind as LinkKind,
              examples: r.examples[kind as LinkKind] ?? 0,
              trained: g.shipped,
              validationHits50: g.learned.hits50,
              inDegreeHits50: g.inDegree.hits50,
            })),
            repeatKinds: Object.entries(r.repeatGuard).map(([kind, g]) => ({
              kind: kind as LinkKind,
              examples: r.repeatExamples[kind as LinkKind] ?? 0,
              trained: r.model.repeatKinds?.[kind as LinkKind] !== undefined,
              validationMrr: g.skipped === undefined ? g.learned.mrr : null,
              inDegreeMrr: g.skipped === undefined ? g.inDegree.mrr : null,
              defaultHeuristicMrr: g.skipped === undefined ? (g.defaultHeuristic?.mrr ?? null) : null,
              skipped: g.skipped ?? null,
            })),
          });
        }),
      async (server) => {
        const { trainLinkPredictor: r } = await server.request<{ trainLinkPredictor: PrintedTraining }>(
          `mutation($cutoffYear: Int, $windowYears: Int!, $seed: Int!, $kinds: [LinkKind!]) {
            trainLinkPredictor(cutoffYear: $cutoffYear, windowYears: $windowYears, seed: $seed, kinds: $kinds) {
              version path seconds cutoffYear windowYears cutoffFrom kinds { kind examples trained validationHits50 inDegreeHits50 }
              repeatKinds { kind examples trained validationMrr inDegreeMrr defaultHeuristicMrr skipped }
            }
          }`,
          { ...splitArgs(opts) },
        );
        printTraining(r);
      },
    ),
  );

splitOptions(linkpred.command('eval'))
  .description(
    'AUC, AUCPR, Hits@10/50 and MRR per kind on the new links after the cut-off: each heuristic and the latest model side by side; with --data realistic|generated, temporal cross-validation on a generated network instead of the data hub',
  )
  .option('--data <source>', 'hub (the data hub), realistic (real-world shape) or generated (the demo career generator)', 'hub')
  .option('--companies <n>', 'companies of a generated network', int, 6000)
  .option('--moves <n>', 'moves of a realistic network', int, 12000)
  .option('--candidates <n>', 'candidates of a generated network', int, 6000)
  .option('--folds <n>', 'cut-offs of the cross-validation on generated data, a window apart', int, 3)
  .option('--mode <mode>', 'with --data realistic|generated: NEW (new links) or REPEAT (repeat links among existing partners)', 'NEW')
  .action((opts: SplitFlags & { data: string; companies: number; moves: number; candidates: number; folds: number; mode: string }) => {
    if (opts.mode !== 'NEW' && opts.mode !== 'REPEAT') throw new InvalidArgumentError('--mode must be NEW or REPEAT');
    if (opts.data === 'realistic' || opts.data === 'generated') {
      const projection =
        opts.data === 'realistic'
          ? generateRealisticCareerGraph({ companies: opts.companies, moves: opts.moves, seed: opts.seed })
          : generateCareerGraph({ candidates: opts.candidates, companies: opts.companies, seed: opts.seed });
      return crossValidateLinkPredictor({
        projection,
        cutoffYear: opts.cutoff,
        windowYears: opts.window,
        seed: opts.seed,
        folds: opts.folds,
        mode: opts.mode,
        ...(opts.kinds ? { kinds: opts.kinds } : {}),
      }).then((r) => {
        process.stdout.write(
          `${opts.data} network, cut-offs ${r.cutoffs.join(', ')}, window ${r.windowYears}; ${r.seconds.toFixed(1)} s\n${r.table}\n`,
        );
      });
    }
    if (opts.data !== 'hub') throw new InvalidArgumentError('--data must be hub, realistic or generated');
    return orThroughServer(
      'linkpred eval',
      () =>
        withDataHub('linkpred eval', async (s) => {
          const { model, report } = await linkPrediction(s).evaluate(splitArgs(opts));
          printEvaluation({ version: model?.version ?? null, seconds: report.seconds, table: report.table, cutoffYear: report.cutoffYear });
        }),
      async (server) => {
        const { linkPredictionEvaluation: r } = await server.request<{
          linkPredictionEvaluation: { modelVersion: number | null; seconds: number; table: string; cutoffYear: number };
        }>(
          `query($cutoffYear: Int, $windowYears: Int!, $seed: Int!, $kinds: [LinkKind!]) {
            linkPredictionEvaluation(cutoffYear: $cutoffYear, windowYears: $windowYears, seed: $seed, kinds: $kinds) { modelVersion seconds table cutoffYear }
          }`,
          { ...splitArgs(opts) },
        );
        printEvaluation({ version: r.modelVersion, seconds: r.seconds, table: r.table, cutoffYear: r.cutoffYear });
      },
    );
  });

const apikey = program.command('apikey').description('manage API keys');
interface KeyRow {
  id: string;
  role: string;
  name: string;
  createdAt: Date | string;
  revokedAt: Date | string | null;
}
const iso = (d: Date | string) => new Date(d).toISOString();

apikey
  .command('create')
  .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
  .option('--name <name>', 'who or what uses the key', 'cli')
  .option(
    '--consultant <id>',
    'the consultant the key speaks for (their Consultant id or uuid, as the consultants query shows): the explorer starts introduction paths from their network',
  )
  .action((opts: { role: string; name: string; consultant?: string }) => {
    // Checked before the data directory is opened (and locked).
    if (!ROLES.includes(opts.role as Role)) throw new InvalidArgumentError(`--role must be one of ${ROLES.join(', ')}`);
    if (opts.consultant !== undefined && !opts.consultant.trim()) throw new InvalidArgumentError('--consultant: give a Consultant id');
    const print = ({ key, id }: { key: string; id: string }) => {
      process.stdout.write(`${key}\n`);
      process.stderr.write(`key id ${id} (apikey revoke ${id.slice(0, 8)} revokes it)\n`);
      if (opts.role === 'consultant' && !opts.consultant)
        process.stderr.write('it speaks for no consultant; --consultant <id> links one, whose network the explorer then starts from\n');
    };
    return orThroughServer(
      'apikey create',
      () => withDataHub('apikey create', async (s) => print(await s.apiKeys.create(opts.name, opts.role as Role, opts.consultant))),
      async (server) => {
        const { createApiKey } = await server.request<{ createApiKey: { key: string; apiKey: { id: string } } }>(
          'mutation($name: String!, $role: Role!, $consultant: ID) { createApiKey(name: $name, role: $role, consultantId: $consultant) { key apiKey { id } } }',
          { name: opts.name, role: opts.role, consultant: opts.consultant ?? null },
        );
        print({ key: createApiKey.key, id: createApiKey.apiKey.id });
      },
    );
  });

const listKeys = async (server: AdminSocketClient) =>
  (await server.request<{ apiKeys: KeyRow[] }>('{ apiKeys { id role name createdAt revokedAt } }')).apiKeys;
const printKeys = (rows: KeyRow[]) => {
  process.stdout.write('id\trole\tname\tcreated\trevoked\n');
  for (const k of rows)
    process.stdout.write(`${k.id}\t${k.role}\t${k.name}\t${iso(k.createdAt)}\t${k.revokedAt ? iso(k.revokedAt) : '-'}\n`);
};
apikey
  .command('list')
  .description('every key: id, role, name, created, revoked (keys themselves are never stored)')
  .action(() =>
    orThroughServer(
      'apikey list',
      () => withDataHub('apikey list', async (s) => printKeys(await s.apiKeys.list())),
      async (server) => printKeys(await listKeys(server)),
    ),
  );

const printRevoked = (r: { id: string; name: string; alreadyRevoked: boolean }) => {
  process.stdout.write(`${r.alreadyRevoked ? 'already revoked' : 'revoked'}: ${r.id} (${r.name})\n`);
};
apikey
  .command('revoke <id>')
  .description(
    'revoke a key by its id or the start of it (as apikey list shows); the server that owns the data directory stops accepting it at once, servers on a shared DATABASE_URL within 30 s',
  )
  .action((id: string) =>
    orThroughServer(
      'apikey revoke',
      () => withDataHub('apikey revoke', async (s) => printRevoked(await s.apiKeys.revoke(id))),
      async (server) => {
        // The mutation answers the key as it is now; whether it was revoked already is told by the list before.
        const before = await listKeys(server);
        const { revokeApiKey: r } = await server.request<{ revokeApiKey: { id: string; name: string } }>(
          'mutation($id: String!) { revokeApiKey(id: $id) { id name } }',
          { id },
        );
        printRevoked({ ...r, alreadyRevoked: !!before.find((k) => k.id === r.id)?.revokedAt });
      },
    ),
  );

// --- Match scores for BI tools (issue 17) ---------------------------------------------------------
const bi = program
  .command('bi')
  .description('the SQL interface for BI tools: schema bi (match_scores, jobs, candidates_public, placements)');
bi.command('grant')
  .description('create or update a database role that reads the bi views and nothing else (read-only)')
  .requiredOption('--role <name>', 'role name: lower-case letters, digits and _')
  .option('--password-env <var>', 'environment variable holding a password: the role can then log in (else a group role)')
  .action((opts: { role: string; passwordEnv?: string }) =>
    withDataHub('bi grant', async (s) => {
      const password = opts.passwordEnv ? (process.env[opts.passwordEnv] ?? null) : null;
      if (opts.passwordEnv && !password) throw new AppError('BAD_USER_INPUT', `${opts.passwordEnv} is not set or empty`);
      const r = await s.db.dataSource.transaction((em) => grantBiRole(em, opts.role, password));
      process.stdout.write(`${r.created ? 'created' : 'updated'} role ${r.role}: reads ${r.views.join(', ')} and nothing else\n`);
      if (s.db.kind === 'embedded')
        process.stderr.write('note: the embedded database has no authentication; roles matter on a PostgreSQL server (DATABASE_URL)\n');
    }),
  );

const scores = program
  .command('scores')
  .description("learn, evaluate and audit the match-score model (bi.match_scores.score) on the hub's own outcomes");
const share = (v: string) => {
  const n = Number(v);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('must be a number between 0 and 1');
  return n;
};
/**
 * `scores train|eval` read the keyword and vector components from the search index, the link-prediction
 * component from the relation graph (only when a trained link model scores CANDIDATE_COMPANY; the embedded
 * graph is rebuilt from the tables at every start) and every other component from the tables: those
 * projections are brought up to date first, and only them (the stored scores and the label pass are not
 * read; train rescores the open jobs itself).
 */
async function searchCaughtUp(s: AppServices) {
  const read = ['search', ...(s.linkModel()?.kinds.CANDIDATE_COMPANY ? ['graph'] : [])];
  const behind = (await s.projector.status()).filter((x) => read.includes(x.projection) && x.lag > 0);
  if (behind.length > 0) await drainWithProgress(s, `${read.join(' and ')} (what scores read)`, read);
}
scores
  .command('train')
  .description(
    'fit the combination of components on decided applications of the oldest jobs (temporal split), calibrate it on the next ones, store it as the next model version and rescore every open job with it; exits 1 when there are too few outcomes',
  )
  .option('--target <stage>', `the stage whose reaching the score predicts: ${TARGET_STAGES.join(', ')}`, 'INTERVIEW')
  .option(
    '--min-outcomes <n>',
    'decided applications the training slice needs (a third of it each later slice)',
    int,
    DEFAULT_MINIMUM.examples,
  )
  .option('--train-share <x>', 'share of jobs, oldest first, whose outcomes train', share, DEFAULT_SPLIT.train)
  .option('--calibrate-share <x>', 'share of the next jobs whose outcomes calibrate; the rest is held out', share, DEFAULT_SPLIT.calibrate)
  .option('--with-placed', 'count PLACED applications too (their resumes already hold the job: optimistic)', false)
  .action((opts: { target: string; minOutcomes: number; trainShare: number; calibrateShare: number; withPlaced: boolean }) =>
    withServices('scores train', async (s) => {
      await searchCaughtUp(s);
      const r = await new MatchScoreLearning(s.db.dataSource, s.matchScores).train({
        ...DEFAULT_TRAIN_ARGS,
        target: opts.target.toUpperCase() as ApplicationStage,
        minimum: { ...DEFAULT_MINIMUM, examples: opts.minOutcomes },
        split: { train: opts.trainShare, calibrate: opts.calibrateShare },
        withPlaced: opts.withPlaced,
      });
      process.stdout.write(
        `stored model ${r.model.version} (P(reach ${r.model.target})): trained on ${r.sizes.train} decided applications of jobs opened before ${r.calibrateFrom.slice(0, 10)}, calibrated on ${r.sizes.calibrate}, held out ${r.sizes.test} (jobs opened from ${r.testFrom.slice(0, 10)}); rescored ${r.rescored} rows; ${r.seconds.toFixed(1)} s\n\n${formatEvaluation(r.report)}\n`,
      );
    }),
  );
scores
  .command('eval')
  .description(
    'the newest model on the hold-out its training held out: AUC, NDCG@10 per job, Brier score and a reliability table, against prior-1, the fused search score and every single component, with bootstrap intervals',
  )
  .option('--rounds <n>', 'bootstrap resamples of the hold-out jobs', int, 1000)
  .action((opts: { rounds: number }) =>
    withServices('scores eval', async (s) => {
      await searchCaughtUp(s);
      const r = await new MatchScoreLearning(s.db.dataSource, s.matchScores).evaluate(opts.rounds);
      process.stdout.write(`model ${r.model}\n${formatEvaluation(r)}\n`);
    }),
  );
scores
  .command('audit')
  .description(
    "score distributions and selection rates of the stored scores by location, years-of-experience band and language, and the component whose removal moves each group's selection rate most",
  )
  .option('--top <n>', 'a candidate is selected when ranked within the top n of the job', int, 10)
  .action((opts: { top: number }) =>
    withDataHub('scores audit', async (s) => {
      const models = new MatchScoreModels(s.db.dataSource);
      const r = await auditStoredScores(s.db.dataSource, models, opts.top);
      process.stdout.write(`${formatAudit(r)}\n`);
    }),
  );

program
  .command('export')
  .description('export data for BI tools')
  .command('match-scores')
  .description('the rows of bi.match_scores (every open job, or one), streamed to stdout or a file')
  .option('--format <format>', EXPORT_FORMATS.join(' or '), 'csv')
  .option('--job <id>', 'only this job (uuid)')
  .option('--out <file>', 'write here instead of stdout')
  .action((opts: { format: string; job?: string; out?: string }) => {
    if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format))
      throw new InvalidArgumentError(`--format: ${EXPORT_FORMATS.join(' or ')}`);
    if (opts.format === 'parquet' && !opts.out && process.stdout.isTTY)
      throw new InvalidArgumentError('--format parquet: binary; give --out <file> or redirect stdout');
    if (opts.job !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(opts.job)) {
      throw new InvalidArgumentError('--job: a job uuid (bi.jobs.id)');
    }
    return withDataHub('export match-scores', async (s) => {
      const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
      const rows = opts.format === 'parquet' ? matchScoresParquet : matchScoresCsv;
      for await (const chunk of rows(s.db.dataSource, { jobId: opts.job?.toLowerCase() ?? null })) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
      if (out !== process.stdout)
        await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
    });
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof DataDirInUseError) {
    // One line, no stack: another process owns the embedded data directory and nothing was touched.
    process.stderr.write(`matchhub: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  // Our own errors (also those a server answered through its admin socket) say what went wrong in one line.
  else if (err instanceof AppError && err.code !== 'INTERNAL') process.stderr.write(`matchhub: ${err.message}\n`);
  // A bad option an action found (commander reports the ones it checks itself): one line, what to give instead.
  else if (err instanceof InvalidArgumentError) process.stderr.write(`matchhub: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
