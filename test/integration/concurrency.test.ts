import { concurrencySuite } from '../support/concurrency.suite';
import { startTestServer } from '../support/test-server';
import { loadServicesEnv } from './services-env';

// The proof the issue asks for: at least 60 s of 4 writers and 4 readers on both databases.
const run = { seconds: 60, writers: 4, readers: 4 };

describe('concurrent clients on a real PostgreSQL server', () => {
  concurrencySuite(() => startTestServer({ candidates: 5, postgresUrl: loadServicesEnv('postgres').databaseUrl }), run);
});

describe('concurrent clients on embedded PGlite', () => {
  concurrencySuite(() => startTestServer({ candidates: 5 }), run);
});
