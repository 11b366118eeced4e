import { ragSuite } from '../support/rag.suite';
import { startTestServer } from '../support/test-server';
import { loadServicesEnv } from './services-env';

describe('RAG over the demo data with a scripted LLM, on real PostgreSQL, Weaviate and Neo4j', () => {
  ragSuite((env) => {
    const engines = { ...loadServicesEnv('postgres'), ...loadServicesEnv('weaviate'), ...loadServicesEnv('neo4j') };
    return startTestServer({ candidates: 60, postgresUrl: engines.databaseUrl, weaviate: engines.weaviate, neo4j: engines.neo4j, env });
  });
});
