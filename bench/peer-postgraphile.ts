/**
 * PostGraphile 5 for `npm run bench:peer` (bench/peer.ts), forked with DATABASE_URL set to the bench's
 * database: the Amber preset over schema `public`, a pg pool of 10, served by grafserv on node:http, no
 * auth, in production mode (GRAPHILE_ENV=production, set by the parent). `--print-schema` prints the SDL
 * it builds and exits, to look up its names. Statements are counted by wrapping pg's Client#query, the
 * one PostGraphile's pg adaptor calls.
 */
import http from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { printSchema } from 'postgraphile/graphql';
import type { ParentToServer, ServerReady, ServerSample } from './peer-ipc';

let statements = 0;
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

async function main() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set');
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
  });
  if (process.argv.includes('--print-schema')) {
    console.log(printSchema(await pgl.getSchema()));
    await pgl.release();
    return;
  }
  const server = http.createServer();
  await pgl.createServ(grafserv).addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.on('message', (message: ParentToServer) => {
    if (message.type === 'sample') {
      const { user, system } = process.cpuUsage();
      process.send!({ type: 'sample', cpuMicros: user + system, statements } satisfies ServerSample);
    } else {
      server.close();
      void Promise.resolve(pgl.release()).finally(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}/graphql`, headers: {} } satisfies ServerReady);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
