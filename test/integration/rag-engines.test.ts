import { ragSuite } from '../support/rag.suite';
import { loadServicesEnv } from './services-env';

describe('RAG over the demo data with a scripted LLM, on real PostgreSQL, Weaviate and Neo4j', () => {
  ragSuite(() => {
    const engines = { ...loadServicesEnv('postgres'), ...loadServicesEnv('weaviate'), ...loadServicesEnv('neo4j') };
    return { candidates: 60, postgresUrl: engines.databaseUrl, weaviate: engines.weaviate, neo4j: engines.neo4j };
  });
});
