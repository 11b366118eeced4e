import { datahubSuite } from '../support/datahub.suite';
import { startTestServer } from '../support/test-server';
import { loadServicesEnv } from './services-env';

describe('data hub over GraphQL on a real PostgreSQL server', () => {
  datahubSuite(() => startTestServer({ postgresUrl: loadServicesEnv('postgres').databaseUrl }));
});
