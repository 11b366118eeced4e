import { datahubSuite } from '../support/datahub.suite';
import { startTestServer } from '../support/test-server';

describe('data hub over GraphQL on embedded PGlite', () => {
  datahubSuite(() => startTestServer());
});
