/**
 * MatchHub's server for `npm run bench:peer` (bench/peer.ts), forked with DATABASE_URL set to the bench's
 * database: the real HTTP server with an admin API key, a pool of 10. It answers `{ type: 'sample' }` with
 * its CPU time and SQL statement count, so the parent can take them before and after each round.
 */
import 'reflect-metadata';
import path from 'node:path';
import { createServices } from '../src/app/app';
import { loadConfig } from '../src/shared/config';
import { createLogger } from '../src/shared/logger';
import { createSchema } from '../src/app/schema';
import { startServer } from '../src/app/server';
import type { ParentToServer, ServerReady, ServerSample } from './peer-ipc';

async function main() {
  const config = loadConfig({
    ...process.env,
    MATCHHUB_DATA_DIR: path.resolve('.data', 'bench-peer'),
    DATABASE_POOL_SIZE: '10',
    PORT: '0',
    LOG_LEVEL: 'error',
  });
  const log = createLogger('error');
  const services = await createServices(config, log);
  const { key } = await services.apiKeys.create('bench:peer', 'admin');
  const server = await startServer(services, await createSchema(), log);
  process.on('message', (message: ParentToServer) => {
    if (message.type === 'sample') {
      const { user, system } = process.cpuUsage();
      process.send!({ type: 'sample', cpuMicros: user + system, statements: services.db.statementCount() } satisfies ServerSample);
    } else {
      void server
        .stop()
        .then(() => services.close())
        .finally(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', url: server.url, headers: { authorization: `Bearer ${key}` } } satisfies ServerReady);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
