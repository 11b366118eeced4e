import { projectionsSuite } from '../support/projections.suite';
import { startTestServer } from '../support/test-server';
import { loadServicesEnv } from './services-env';

describe('search and graph over GraphQL on real PostgreSQL, Weaviate and Neo4j', () => {
  projectionsSuite(() => {
    const env = { ...loadServicesEnv('postgres'), ...loadServicesEnv('weaviate'), ...loadServicesEnv('neo4j') };
    return startTestServer({ candidates: 40, postgresUrl: env.databaseUrl, weaviate: env.weaviate, neo4j: env.neo4j });
  });
});
