import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors';

/**
 * One process owns an embedded data directory (`dataDir/matchhub.lock`). Two PGlite instances on one
 * directory corrupt it, so the lock is taken before anything under the directory is opened, and a
 * second process refuses in one line and touches nothing. With DATABASE_URL there is no lock: the
 * database is a server that many processes share.
 */
export const LOCK_FILE = 'matchhub.lock';

/** What the lock file holds: who owns the directory, so the refusal can name it. */
export interface LockHolder {
  pid: number;
  /** The CLI command (`serve`, `worker`, `import`, ...), or the script that opened the directory. */
  command: string;
  since: string;
  /** The process's start time (Linux /proc), so a dead holder's pid reused by another process is seen as stale. */
  start: string | null;
  /** Tells this acquisition apart from any other, for release. */
  token: string;
}

/**
 * What a refused command can do instead while the server owns the directory. The commands that go
 * through the server's admin socket (main.ts: apikey, import, reindex, linkpred) are refused only when
 * that socket does not answer; their advice names the GraphQL operation to use (schema/schema.graphql).
 */
const SERVER_ADVICE: Record<string, string> = {
  import: "Stop it first, or send the records to the running server's importRecords mutation.",
  seed: `Stop it first, or import the records through it (\`matchhub import\` or the importRecords mutation).`,
  reindex: "Stop it first, or call the running server's reindex mutation.",
  sync: 'Stop it first; the running server applies the outbox itself (syncStatus shows the lag, the retryParked mutation retries parked events).',
  migrate: 'Stop it first; the running server ran the migrations and loaded the taxonomy when it started.',
  'taxonomy load': 'Stop it first; the running server loaded the taxonomy when it started.',
  worker: 'Stop it first; the running server runs the projector itself (SYNC_IN_SERVER=true).',
  'apikey create': "Stop it first, or use the running server's createApiKey mutation with an admin key.",
  'apikey list': "Stop it first, or use the running server's apiKeys query with an admin key.",
  'apikey revoke': "Stop it first, or use the running server's revokeApiKey mutation with an admin key.",
  'linkpred train': "Stop it first, or use the running server's trainLinkPredictor mutation with an admin key.",
  'linkpred eval': "Stop it first, or use the running server's linkPredictionEvaluation query with an admin key.",
};
const GENERIC_SERVER_ADVICE =
  'Stop it first, or use the running server: `matchhub apikey`, `import`, `reindex` and `linkpred` go through it; its GraphQL API has importRecords, reindex and retryParked.';

function describe(holder: LockHolder): string {
  if (holder.command === 'serve') return `the MatchHub server (pid ${holder.pid})`;
  if (holder.command === 'worker') return `a MatchHub worker (pid ${holder.pid})`;
  if (holder.command.startsWith('script ')) return `${holder.command.slice(7)} (pid ${holder.pid})`;
  return `\`matchhub ${holder.command}\` (pid ${holder.pid})`;
}

function advice(holder: LockHolder, wanted: string): string {
  if (holder.command === 'serve') return SERVER_ADVICE[wanted] ?? GENERIC_SERVER_ADVICE;
  return 'Wait for it to finish or stop it, then retry.';
}

/** Another live process owns the embedded data directory. The message is one line: what holds it and what to do. */
export class DataDirInUseError extends AppError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    wanted: string,
    /** Why the command did not go through the server's admin socket, when it tried. */
    socketProblem?: string,
  ) {
    super(
      'CONFLICT',
      `the data directory ${dataDir} is in use by ${describe(holder)}` +
        `${socketProblem ? `, and ${socketProblem}` : ''}. ${advice(holder, wanted)} ` +
        'With DATABASE_URL (PostgreSQL) several processes may share the data.',
      { reason: 'DATA_DIR_IN_USE', pid: holder.pid, command: holder.command },
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  file: string;
  /** Removes the lock file if it is still this acquisition's. Idempotent. */
  release(): void;
}

/** Locks held by this process, file -> token; released on exit if nobody closed them. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null where there is no /proc. */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The holder still runs: its pid is alive and, where /proc tells, is the same process that took the lock. */
function holderRuns(holder: LockHolder): boolean {
  if (!isAlive(holder.pid)) return false;
  const start = holder.start ? processStart(holder.pid) : null;
  return start === null || start === holder.start;
}

function readHolder(file: string): { holder: LockHolder | null; raw: string; ageMs: number } | null {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    const ageMs = Date.now() - fs.statSync(file).mtimeMs;
    try {
      const parsed = JSON.parse(raw) as Partial<LockHolder>;
      if (Number.isInteger(parsed.pid) && (parsed.pid as number) > 0) {
        return {
          holder: {
            pid: parsed.pid!,
            command: String(parsed.command ?? '?'),
            since: String(parsed.since ?? ''),
            start: parsed.start ? String(parsed.start) : null,
            token: String(parsed.token ?? ''),
          },
          raw,
          ageMs,
        };
      }
    } catch {
      // a lock being written this instant, or garbage: judged by its age below
    }
    return { holder: null, raw, ageMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function releaseSync(file: string, token: string): void {
  if (held.get(file) !== token) return;
  held.delete(file);
  const current = readHolder(file);
  if (current?.holder?.token === token) fs.rmSync(file, { force: true });
}

function releaseAllOnExit(): void {
  for (const [file, token] of [...held]) {
    try {
      releaseSync(file, token);
    } catch {
      // exiting anyway; a lock left behind names a dead pid and is taken over
    }
  }
}

/** The default command name: the CLI sets its own; scripts and tests are named by their file. */
function defaultCommand(): string {
  return `script ${path.basename(process.argv[1] ?? 'node')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes `dataDir/matchhub.lock` (created with O_EXCL) or throws DataDirInUseError. A lock whose pid is
 * dead is taken over; a takeover guard (`matchhub.lock.takeover`, also O_EXCL) makes sure two processes
 * that both found the same stale lock do not both win. Creates `dataDir` if missing and nothing else.
 */
export async function acquireDataDirLock(dataDir: string, command = defaultCommand()): Promise<DataDirLock> {
  const dir = path.resolve(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const guard = `${file}.takeover`;
  const holder: LockHolder = {
    pid: process.pid,
    command,
    since: new Date().toISOString(),
    start: processStart(process.pid),
    token: randomUUID(),
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`could not take ${file} within 15 s: it keeps changing hands`);
    try {
      fs.writeFileSync(file, `${JSON.stringify(holder)}\n`, { flag: 'wx', mode: 0o644 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = readHolder(file);
    if (!current) continue; // released meanwhile
    const { holder: other, raw, ageMs } = current;
    if (other) {
      const ours = other.pid === process.pid && held.get(file) === other.token;
      if (ours || (other.pid !== process.pid && holderRuns(other))) throw new DataDirInUseError(dir, other, command);
      // a dead holder, its pid reused by another process, or our own pid left from an earlier process: stale
    } else if (ageMs < 5_000) {
      await sleep(20); // being written right now
      continue;
    }
    try {
      fs.writeFileSync(guard, String(process.pid), { flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // Another process is taking over; a guard older than a few seconds was left by a crash.
      const guardAge = Date.now() - (fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (guardAge > 5_000) fs.rmSync(guard, { force: true });
      await sleep(20);
      continue;
    }
    try {
      if (readHolder(file)?.raw === raw) fs.rmSync(file, { force: true });
    } finally {
      fs.rmSync(guard, { force: true });
    }
  }
  held.set(file, holder.token);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', releaseAllOnExit);
  }
  return { file, release: () => releaseSync(file, holder.token) };
}
