import { AppError } from '../../shared/errors';
import type { Queryable } from './queryable';

/** The views a BI role may read: the `bi` schema (migrations/1796160900000-BiViews.ts). */
export const BI_SCHEMA = 'bi';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface BiGrant {
  role: string;
  created: boolean;
  views: string[];
}

/**
 * Creates (or updates) a database role that reads the `bi` views and nothing else: CONNECT on this
 * database, USAGE on schema `bi`, SELECT on its views (also on views added later), every other privilege
 * it may hold on the tables behind them revoked, and read-only transactions by default. The views run with
 * their owner's rights, so the role needs no privilege on the tables they read. With a password the role
 * can log in; without one it is a group role to grant to the BI tool's login.
 *
 * Identifiers cannot be bound parameters in DDL: the role name is checked against a plain pattern and
 * quoted by the server (format's %I), and the password is passed as a parameter and quoted with %L.
 * Throws AppError BAD_USER_INPUT for a name outside that pattern, FORBIDDEN when the connected user may
 * not create roles.
 */
export async function grantBiRole(db: Queryable, role: string, password: string | null): Promise<BiGrant> {
  if (!ROLE_NAME.test(role)) {
    throw new AppError(
      'BAD_USER_INPUT',
      `--role must be lower-case letters, digits and _ (starting with a letter or _), at most 63: got "${role}"`,
    );
  }
  const run = async (template: string, ...args: (string | null)[]) => {
    const [{ sql }] = (await db.query(`SELECT format($1, ${args.map((_, i) => `$${i + 2}::text`).join(', ')}) AS sql`, [
      template,
      ...args,
    ])) as { sql: string }[];
    await db.query(sql);
  };
  const [{ exists, superuser }] = (await db.query(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists, (SELECT rolsuper FROM pg_roles WHERE rolname = $1) AS superuser`,
    [role],
  )) as { exists: boolean; superuser: boolean | null }[];
  if (superuser) throw new AppError('BAD_USER_INPUT', `role "${role}" is a superuser and reads everything; pick another name`);
  try {
    if (!exists) await run(password === null ? 'CREATE ROLE %I NOLOGIN' : 'CREATE ROLE %I LOGIN PASSWORD %L', role, password);
    else if (password !== null) await run('ALTER ROLE %I LOGIN PASSWORD %L', role, password);
    const [{ database }] = (await db.query(`SELECT current_database() AS database`)) as { database: string }[];
    await run('GRANT CONNECT ON DATABASE %I TO %I', database, role);
    await run('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', role);
    await run('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', role);
    await run('REVOKE CREATE ON SCHEMA public FROM %I', role);
    await run('GRANT USAGE ON SCHEMA %I TO %I', BI_SCHEMA, role);
    await run('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', BI_SCHEMA, role);
    await run('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', BI_SCHEMA, role);
    await run('ALTER ROLE %I SET default_transaction_read_only = on', role);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42501') throw new AppError('FORBIDDEN', `the database user may not create or grant roles (${(err as Error).message})`);
    throw err;
  }
  const views = (await db.query(`SELECT table_name FROM information_schema.views WHERE table_schema = $1 ORDER BY 1`, [BI_SCHEMA])) as {
    table_name: string;
  }[];
  return { role, created: !exists, views: views.map((v) => `${BI_SCHEMA}.${v.table_name}`) };
}
