import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startTestServer, type TestServer } from '../support/test-server';
import { loadServicesEnv } from './services-env';

const services = (script: 'up.sh' | 'down.sh') =>
  execFileSync('bash', [path.join(__dirname, '..', '..', 'services', script), 'weaviate'], { stdio: 'pipe', timeout: 300_000 });

/**
 * Postgres is the system of record: writes made while Weaviate is down land, wait in the outbox,
 * and reach the index once it is back, each exactly once.
 */
describe('search projection across a Weaviate outage', () => {
  let s: TestServer;
  beforeAll(async () => {
    const env = { ...loadServicesEnv('postgres'), ...loadServicesEnv('weaviate') };
    s = await startTestServer({ candidates: 10, postgresUrl: env.databaseUrl, weaviate: env.weaviate });
    await s.services.projector.drain(600_000);
  }, 900_000);
  afterAll(async () => {
    services('up.sh'); // leave the engine running for the suites after this one
    await s?.close();
  }, 300_000);

  it('keeps every write made while Weaviate is down and indexes it once Weaviate is back', async () => {
    services('down.sh');
    const names = ['Outage Alpha', 'Outage Beta', 'Outage Gamma'];
    for (const name of names) {
      const r = await s.gql('mutation($n: String!) { createCandidate(input: { name: $n, currentTitle: "Reliability engineer" }) { id } }', {
        n: name,
      });
      expect(r.body.errors).toBeUndefined();
    }
    await s.services.projector.runOnce();
    const during = (await s.gql('{ syncStatus { projection retrying } }')).body.data.syncStatus;
    expect(during.find((p: { projection: string }) => p.projection === 'search').retrying).toBeGreaterThan(0);

    services('up.sh');
    await s.services.projector.drain(300_000);
    for (const name of names) {
      const r = await s.gql(
        'query($q: String!) { searchCandidates(query: $q, alpha: 0, first: 3) { edges { node { candidate { name } } } } }',
        { q: name },
      );
      expect(r.body.data.searchCandidates.edges[0].node.candidate.name).toBe(name);
    }
    const [{ n }] = await s.sql('SELECT count(*)::int AS n FROM candidate');
    expect(await s.services.searchIndex.count('candidate')).toBe(n);
  }, 900_000);
});
