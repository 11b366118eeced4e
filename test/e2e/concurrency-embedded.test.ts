import { concurrencySuite } from '../support/concurrency.suite';
import { startTestServer } from '../support/test-server';

describe('concurrent clients on embedded PGlite', () => {
  concurrencySuite(() => startTestServer({ candidates: 5 }), { seconds: 15, writers: 4, readers: 4 });
});
