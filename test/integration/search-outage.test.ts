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
    // Names are personal data and not indexed; each candidate gets a headline word no other record has.
    const people = [
      { name: 'Outage Alpha', headline: 'Quillwort reliability engineer' },
      { name: 'Outage Beta', headline: 'Marrowfat reliability engineer' },
      { name: 'Outage Gamma', headline: 'Tansyleaf reliability engineer' },
    ];
    for (const p of people) {
      const r = await s.gql('mutation($n: String!, $h: String!) { createCandidate(input: { name: $n, headline: $h }) { id } }', {
        n: p.name,
        h: p.headline,
      });
      expect(r.body.errors).toBeUndefined();
    }
    await s.services.projector.runOnce();
    const during = (await s.gql('{ syncStatus { projection retrying } }')).body.data.syncStatus;
    expect(during.find((p: { projection: string }) => p.projection === 'search').retrying).toBeGreaterThan(0);

    services('up.sh');
    await s.services.projector.drain(300_000);
    const after = (await s.gql('{ syncStatus { projection retrying parked lastErrors { error } } }')).body.data.syncStatus;
    expect(after.find((p: { projection: string }) => p.projection === 'search')).toMatchObject({ retrying: 0, parked: 0 });
    for (const p of people) {
      const r = await s.gql(
        'query($q: String!) { searchCandidates(query: $q, alpha: 0, first: 3) { edges { node { candidate { name } } } } }',
        { q: p.headline.split(' ')[0] },
      );
      expect(r.body.data.searchCandidates.edges.map((e: { node: { candidate: { name: string } } }) => e.node.candidate.name)).toEqual([
        p.name,
      ]);
    }
    const [{ n }] = await s.sql('SELECT count(*)::int AS n FROM candidate');
    expect(await s.services.searchIndex.count('candidate')).toBe(n);
  }, 900_000);
});
