import { Client, escapeIdentifier } from 'pg';
import { loadServicesEnv, uniqueName } from './services-env';

/**
 * The PostgreSQL that `services/up.sh postgres` runs answers as MatchHub expects: over TCP on
 * loopback, with password auth, a recent enough server, and transactions that really roll back.
 */
jest.setTimeout(30_000);

describe('PostgreSQL started by services/', () => {
  // Identifiers cannot be bound parameters, so the test's own schema name is quoted instead.
  const schema = escapeIdentifier(uniqueName('smoke_'));
  let databaseUrl: string;
  let client: Client;

  beforeAll(async () => {
    databaseUrl = loadServicesEnv('postgres').databaseUrl;
    client = new Client({ connectionString: databaseUrl });
    try {
      await client.connect();
    } catch (e) {
      throw new Error(
        `PostgreSQL at ${redact(databaseUrl)} did not answer (${(e as Error).message}). Run \`npm run services:up -- postgres\`.`,
      );
    }
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.skill (id serial PRIMARY KEY, name text NOT NULL UNIQUE)`);
  });

  afterAll(async () => {
    if (!client) return;
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  });

  it('is PostgreSQL 15 or newer, reached over TCP on 127.0.0.1', async () => {
    const { rows } = await client.query<{ version: number; addr: string }>(
      "SELECT current_setting('server_version_num')::int AS version, host(inet_server_addr()) AS addr",
    );
    expect(rows[0].version).toBeGreaterThanOrEqual(150000);
    expect(rows[0].addr).toBe('127.0.0.1');
  });

  it('stores and reads rows with bound parameters, including Chinese text', async () => {
    await client.query(`INSERT INTO ${schema}.skill (name) VALUES ($1), ($2)`, ['PyTorch', '推荐算法']);
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${schema}.skill WHERE name = $1`, ['推荐算法']);
    expect(rows).toEqual([{ name: '推荐算法' }]);
  });

  it('rolls back a failed transaction completely', async () => {
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${schema}.skill (name) VALUES ($1)`, ['Rust']);
    await expect(client.query(`INSERT INTO ${schema}.skill (name) VALUES ($1)`, ['PyTorch'])).rejects.toThrow(/duplicate key/);
    await client.query('ROLLBACK');
    const { rows } = await client.query(`SELECT 1 FROM ${schema}.skill WHERE name = $1`, ['Rust']);
    expect(rows).toHaveLength(0);
  });

  it('refuses a wrong password', async () => {
    const url = new URL(databaseUrl);
    url.password = 'not-the-password';
    const intruder = new Client({ connectionString: url.toString() });
    await expect(intruder.connect()).rejects.toThrow(/password authentication failed/);
    await intruder.end().catch(() => undefined);
  });
});

function redact(url: string): string {
  const u = new URL(url);
  u.password = '***';
  return u.toString();
}
