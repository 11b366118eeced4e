import neo4j, { Driver } from 'neo4j-driver';
import { loadServicesEnv, uniqueName } from './services-env';

/**
 * The Neo4j that `services/up.sh neo4j` runs answers through neo4j-driver as the graph adapter
 * needs: auth on, writes and reads, bound parameters, rollback, APOC core. The test's nodes
 * carry a label of their own (a parameter too, via Cypher 5.26 dynamic labels) and are removed.
 */
jest.setTimeout(60_000);

describe('Neo4j started by services/', () => {
  const label = uniqueName('Smoke');
  let env: ReturnType<typeof loadServicesEnv>['neo4j'];
  let driver: Driver;

  beforeAll(async () => {
    env = loadServicesEnv('neo4j').neo4j;
    driver = neo4j.driver(env.uri, neo4j.auth.basic(env.user, env.password));
    try {
      await driver.verifyConnectivity();
    } catch (e) {
      await driver.close();
      throw new Error(`Neo4j at ${env.uri} did not answer (${(e as Error).message}). Run \`npm run services:up -- neo4j\`.`);
    }
  });

  afterAll(async () => {
    if (!driver) return;
    await driver.executeQuery('MATCH (n:$($label)) DETACH DELETE n', { label }).catch(() => undefined);
    await driver.close();
  });

  const countNodes = async (): Promise<number> => {
    const { records } = await driver.executeQuery('MATCH (n:$($label)) RETURN count(n) AS n', { label }, { routing: 'READ' });
    return records[0].get('n').toNumber();
  };

  it('creates nodes and a relationship, then reads them back', async () => {
    await driver.executeQuery(
      `CREATE (p:$($label) {id: $personId, name: $name})-[:WORKED_AT {title: $title}]->(c:$($label) {id: $companyId, name: $company})`,
      { label, personId: 'p1', name: '李雷', title: '高级算法工程师', companyId: 'c1', company: 'Acme' },
    );
    const { records } = await driver.executeQuery(
      'MATCH (p:$($label) {id: $personId})-[w:WORKED_AT]->(c) RETURN p.name AS name, w.title AS title, c.name AS company',
      { label, personId: 'p1' },
      { routing: 'READ' },
    );
    expect(records.map((r) => r.toObject())).toEqual([{ name: '李雷', title: '高级算法工程师', company: 'Acme' }]);
  });

  it('filters by bound parameters and returns typed values', async () => {
    await driver.executeQuery('UNWIND $rows AS row CREATE (n:$($label)) SET n = row', {
      label,
      rows: [
        { id: 's1', years: 3 },
        { id: 's2', years: 8 },
        { id: 's3', years: 12 },
      ],
    });
    const { records } = await driver.executeQuery(
      'MATCH (n:$($label)) WHERE n.years >= $min RETURN n.id AS id ORDER BY id',
      { label, min: neo4j.int(8) },
      { routing: 'READ' },
    );
    expect(records.map((r) => r.get('id'))).toEqual(['s2', 's3']);
  });

  it('writes nothing when a transaction fails', async () => {
    const before = await countNodes();
    const session = driver.session();
    try {
      await expect(
        session.executeWrite(async (tx) => {
          await tx.run('CREATE (:$($label) {id: $id})', { label, id: 'rolled-back' });
          await tx.run('RETURN 1 / $zero', { zero: neo4j.int(0) });
        }),
      ).rejects.toThrow(/by zero/i);
    } finally {
      await session.close();
    }
    expect(await countNodes()).toBe(before);
  });

  it('has APOC core installed', async () => {
    const { records } = await driver.executeQuery('RETURN apoc.text.join($parts, $sep) AS joined', { parts: ['a', 'b'], sep: '-' });
    expect(records[0].get('joined')).toBe('a-b');
  });

  it('refuses unknown credentials', async () => {
    // Another user name: failed logins as the real user would lock it out for other suites.
    const intruder = neo4j.driver(env.uri, neo4j.auth.basic('intruder', 'not-the-password'));
    try {
      await expect(intruder.verifyConnectivity()).rejects.toMatchObject({ code: 'Neo.ClientError.Security.Unauthorized' });
    } finally {
      await intruder.close();
    }
  });
});
