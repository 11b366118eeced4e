import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 4000 });
    expect(c.database).toMatchObject({ url: null, dataDir: '/srv/app/.data' });
    expect(c.search.weaviateUrl).toBeNull();
    expect(c.graph.neo4jUri).toBeNull();
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', NEO4J_URI: 'bolt://h:7687', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' });
      throw new Error('expected ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'NEO4J_PASSWORD', 'LOG_LEVEL', 'SEED_DEMO']) expect(problems).toContain(name);
    }
  });
});
