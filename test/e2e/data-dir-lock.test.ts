import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiKeyService } from '../../src/hub/api-key.service';
import { acquireDataDirLock, DataDirInUseError, LOCK_FILE } from '../../src/shared/data-dir-lock';
import { openDatabase } from '../../src/app/database';
import { type Database } from '../../src/hub/database';
import { cli, ensureBuilt, NODE, ROOT, serve } from '../support/matchhub-process';

/**
 * One process owns an embedded data directory. A second MatchHub process (the compiled CLI, a real
 * child process) refuses in one line with exit code 2 and leaves the owner's data as it was; a lock
 * left by a dead process is taken over.
 */
const open = (dataDir: string, command: string) => openDatabase({ url: null, dataDir, poolSize: 2, logSql: false }, { command });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'matchhub-lock-'));
const deadPid = () => spawnSync(NODE, ['-e', '']).pid!;

describe('one process owns an embedded data directory', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tmp();
    dirs.push(d);
    return d;
  };
  beforeAll(() => ensureBuilt(), 300_000);
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('refuses a second process in one line with exit code 2, and the owner keeps its data', async () => {
    const dataDir = dir();
    let owner: Database | undefined = await open(dataDir, 'serve');
    try {
      await owner.dataSource.runMigrations();
      const keys = new ApiKeyService(owner.dataSource);
      const first = await keys.create('owner key', 'admin');
      const lock = fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8');
      const entries = fs.readdirSync(dataDir).sort();

      const refusals = await Promise.all([
        cli(dataDir, ['migrate']),
        cli(dataDir, ['import', '-'], '{"type":"company","source":"t","externalId":"c1","name":"Refused Co"}\n'),
        cli(dataDir, ['apikey', 'create', '--role', 'bi']),
      ]);
      for (const r of refusals) {
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(
            `^matchhub: the data directory ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by the MatchHub server \\(pid ${process.pid}\\)` +
              '(, and the admin socket \\S+ did not answer \\(ENOENT\\))?\\. Stop it first',
          ),
        );
      }
      // This owner opened no admin socket: the commands that would go through it refuse, and say why.
      expect(refusals[0].stderr).not.toContain('admin socket');
      expect(refusals[1].stderr).toContain('admin socket');
      expect(refusals[1].stderr).toContain('importRecords mutation');
      expect(refusals[2].stderr).toContain('admin socket');
      expect(refusals[2].stderr).toContain('createApiKey mutation');

      // Nothing was touched: same entries, same lock, and the owner reads and writes as before.
      expect(fs.readdirSync(dataDir).sort()).toEqual(entries);
      expect(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(lock);
      expect(await keys.authenticate(first.key)).toMatchObject({ role: 'admin' });
      const second = await keys.create('written after the refusals', 'analyst');
      expect(await owner.dataSource.query(`SELECT count(*)::int AS "n" FROM "company"`)).toEqual([{ n: 0 }]);
      await owner.close();
      owner = undefined;
      expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);

      // Both writes survived the owner's close; none of the refused ones landed.
      owner = await open(dataDir, 'check');
      const rows = await owner.dataSource.query(`SELECT "id", "role" FROM "api_key" ORDER BY "created_at"`);
      expect(rows).toEqual([
        { id: first.id, role: 'admin' },
        { id: second.id, role: 'analyst' },
      ]);
    } finally {
      await owner?.close();
    }
  }, 300_000);

  it('takes over a lock left by a dead process; migrate loads the taxonomy once; apikey list and revoke', async () => {
    const dataDir = dir();
    fs.writeFileSync(
      path.join(dataDir, LOCK_FILE),
      JSON.stringify({ pid: deadPid(), command: 'serve', since: new Date().toISOString(), start: null, token: 'crashed' }),
    );
    const migrated = await cli(dataDir, ['migrate']);
    expect(migrated).toMatchObject({ status: 0, stderr: '' });
    expect(migrated.stdout).toMatch(/^migrations are up to date; O\*NET taxonomy loaded \(\d{3,} occupations\)\n$/);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(await cli(dataDir, ['migrate'])).toMatchObject({ status: 0, stdout: 'migrations are up to date\n' });

    const created = await cli(dataDir, ['apikey', 'create', '--role', 'bi', '--name', 'dashboard']);
    expect(created.status).toBe(0);
    const key = created.stdout.trim();
    const listed = await cli(dataDir, ['apikey', 'list']);
    expect(listed.status).toBe(0);
    const row = listed.stdout.split('\n').find((l) => l.includes('\tdashboard\t'))!;
    expect(row).toMatch(/^[0-9a-f-]{36}\tbi\tdashboard\t\S+\t-$/);
    const id = row.split('\t')[0];
    const revoked = await cli(dataDir, ['apikey', 'revoke', id.slice(0, 8)]);
    expect(revoked).toMatchObject({ status: 0, stdout: `revoked: ${id} (dashboard)\n` });

    const db = await open(dataDir, 'check');
    try {
      const [{ occupations, events }] = await db.dataSource.query(
        `SELECT (SELECT count(*)::int FROM "occupation") AS "occupations",
                (SELECT count(*)::int FROM "outbox_event" WHERE "aggregate_type" = 'occupation') AS "events"`,
      );
      expect(occupations).toBeGreaterThan(900);
      expect(events).toBe(occupations); // the second migrate and reloads of an unchanged taxonomy queue nothing
      expect(await new ApiKeyService(db.dataSource).authenticate(key)).toBeNull();
    } finally {
      await db.close();
    }
  }, 300_000);

  describe('the lock itself', () => {
    it('refuses a live holder and a second open in the same process, and leaves their lock alone', async () => {
      const dataDir = dir();
      const file = path.join(dataDir, LOCK_FILE);
      const live = JSON.stringify({ pid: process.ppid, command: 'worker', since: '', start: null, token: 'other' });
      fs.writeFileSync(file, live);
      const err = await acquireDataDirLock(dataDir, 'import').catch((e) => e);
      expect(err).toBeInstanceOf(DataDirInUseError);
      expect(err.message).toBe(
        `the data directory ${dataDir} is in use by a MatchHub worker (pid ${process.ppid}). Wait for it to finish or stop it, then retry. ` +
          'With DATABASE_URL (PostgreSQL) several processes may share the data.',
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(live);
      fs.rmSync(file);

      const lock = await acquireDataDirLock(dataDir, 'serve');
      await expect(acquireDataDirLock(dataDir, 'migrate')).rejects.toBeInstanceOf(DataDirInUseError);
      lock.release();
      lock.release();
      const again = await acquireDataDirLock(dataDir, 'migrate');
      // A release by a former holder never removes its successor's lock.
      lock.release();
      expect(fs.existsSync(file)).toBe(true);
      again.release();
      expect(fs.existsSync(file)).toBe(false);
    }, 60_000);

    it('sees a live pid that started after the lock was taken as a reused pid, and takes the lock over', async () => {
      const dataDir = dir();
      const file = path.join(dataDir, LOCK_FILE);
      fs.writeFileSync(file, JSON.stringify({ pid: process.ppid, command: 'serve', since: '', start: '1', token: 'old' }));
      const lock = await acquireDataDirLock(dataDir, 'serve');
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'serve' });
      lock.release();
    }, 60_000);

    it('lets only one of several processes take over the same stale lock', async () => {
      const dataDir = dir();
      fs.writeFileSync(
        path.join(dataDir, LOCK_FILE),
        JSON.stringify({ pid: deadPid(), command: 'serve', since: '', start: null, token: 'x' }),
      );
      const script = `
        const { acquireDataDirLock } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'shared', 'data-dir-lock.js'))});
        acquireDataDirLock(process.argv[1], 'import').then(
          () => { process.stdout.write('won'); setTimeout(() => process.exit(0), 5000); },
          (e) => { process.stdout.write(e.name); process.exit(0); },
        );`;
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(
          () =>
            new Promise<string>((resolve) => {
              const child = spawn(NODE, ['-e', script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
              let out = '';
              child.stdout.on('data', (d) => (out += d));
              child.on('close', () => resolve(out));
            }),
        ),
      );
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'DataDirInUseError')).toHaveLength(3);
    }, 60_000);
  });

  it('serve answers the request in flight on SIGTERM, stops its projector, releases the directory and exits 0', async () => {
    const dataDir = dir();
    const { child, url, exited } = await serve(dataDir);
    const deadline = Date.now() + 240_000;
    expect(fs.statSync(path.join(dataDir, 'admin.sock')).isSocket()).toBe(true);
    const { admin } = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-api-keys.json'), 'utf8')) as { admin: string };
    // A request in flight when the signal arrives: the server has read its headers (it answered
    // "100 Continue"), and its body comes only after the signal. Draining must still answer it.
    const body = JSON.stringify({ query: '{ occupations(first: 100) { totalCount edges { node { title } } } }' });
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    let raw = '';
    socket.on('data', (d) => (raw += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${admin}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    while (!raw.includes('100 Continue')) {
      if (Date.now() > deadline) throw new Error(`no 100 Continue: ${raw}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    // The projector is busy with the taxonomy the server just loaded when the signal arrives.
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    socket.write(body);
    await closed;
    const final = raw.slice(raw.lastIndexOf('HTTP/1.1 '));
    expect(final.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    // The whole taxonomy the server loaded (O*NET and ESCO: thousands of occupations).
    expect(final).toMatch(/"totalCount":[1-9]\d{3}/);
    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(fs.readdirSync(dataDir).filter((e) => e.startsWith('sock-') || e === 'admin.sock')).toEqual([]);
    // The next owner opens the directory without a takeover and finds the taxonomy the server loaded.
    const next = await open(dataDir, 'migrate');
    const [{ n }] = await next.dataSource.query(`SELECT count(*)::int AS n FROM occupation`);
    await next.close();
    expect(n).toBeGreaterThan(1000);
  }, 300_000);
});
