import { projectionsSuite } from '../support/projections.suite';
import { startTestServer } from '../support/test-server';

describe('search and graph over GraphQL on the embedded index and graph', () => {
  projectionsSuite(() => startTestServer({ candidates: 40 }));
});
