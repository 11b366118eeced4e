import { ConfigError, loadConfig } from '../../src/shared/config';

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

describe('outbox and embedded database upkeep', () => {
  it('keeps applied events an hour, polls an idle projector every 5 s at most, vacuums every 5 minutes; off turns retention and vacuum off', () => {
    const c = loadConfig({});
    expect(c.projector).toEqual({ outboxRetentionMs: 3_600_000, idlePollMs: 5_000 });
    expect(c.database.vacuumEveryMs).toBe(300_000);
    const off = loadConfig({ OUTBOX_RETENTION_MINUTES: 'off', EMBEDDED_VACUUM_MINUTES: 'OFF', PROJECTOR_IDLE_POLL_MS: '1000' });
    expect(off.projector).toEqual({ outboxRetentionMs: null, idlePollMs: 1_000 });
    expect(off.database.vacuumEveryMs).toBeNull();
    expect(loadConfig({ OUTBOX_RETENTION_MINUTES: '0' }).projector.outboxRetentionMs).toBe(0);
    expect(() => loadConfig({ OUTBOX_RETENTION_MINUTES: 'a day' })).toThrow(/OUTBOX_RETENTION_MINUTES/);
  });
});

describe('GraphQL limits', () => {
  it('defaults: introspection for admin, consultant and analyst; a 30 s budget, 5 minutes for LLM questions', () => {
    const { limits } = loadConfig({});
    expect(limits).toMatchObject({ maxRootFields: 50, maxFields: 2_000, timeoutMs: 30_000, ragTimeoutMs: 300_000 });
    expect(limits.introspectionRoles).toEqual(['admin', 'consultant', 'analyst']);
  });

  it('reads the introspection roles as a list, accepts none, and names unknown roles', () => {
    expect(loadConfig({ GRAPHQL_INTROSPECTION_ROLES: 'admin, bi' }).limits.introspectionRoles).toEqual(['admin', 'bi']);
    expect(loadConfig({ GRAPHQL_INTROSPECTION_ROLES: 'none' }).limits.introspectionRoles).toEqual([]);
    try {
      loadConfig({ GRAPHQL_INTROSPECTION_ROLES: 'admin,root', GRAPHQL_TIMEOUT_MS: '5' });
      throw new Error('expected ConfigError');
    } catch (err) {
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/GRAPHQL_INTROSPECTION_ROLES must list roles out of admin, consultant, analyst, bi, frontend .*got "root"/);
      expect(problems).toContain('GRAPHQL_TIMEOUT_MS');
    }
  });
});
