import { EmbeddedRelationGraph } from '../../src/adapters/graph/embedded-relation-graph';
import { GraphError } from '../../src/adapters/graph/graph-errors';
import { LINK_KINDS, LINK_KIND_SPECS } from '../../src/adapters/graph/relation-graph';
import { Neo4jRelationGraph } from '../../src/adapters/graph/neo4j-relation-graph';
import type { LinkPrediction } from '../../src/network/link-prediction-ranking';
import { careerFixture, FIXTURE_NOW } from '../contract/graph/career-fixture';
import { neo4jTestEnv } from '../contract/graph/neo4j-test-env';
import { relationGraphContract } from '../contract/graph/relation-graph-contract';
import { generateCareerGraph } from '../../src/network/synthetic-career-graph';
import { NetworkService } from '../../src/network/network.service';

jest.setTimeout(120_000);

const env = neo4jTestEnv();
/** One namespace per test file run, so parallel runs and other suites never see this data. */
const graphName = (suffix: string) => `it_${suffix}_${process.pid}_${Date.now().toString(36)}`;

relationGraphContract('neo4j', async () => new Neo4jRelationGraph({ ...env, graphName: graphName('contract'), clock: () => FIXTURE_NOW }), {
  hubSize: Number(process.env.GRAPH_HUB_SIZE ?? 50_000),
});

function expectSamePredictions(neo: LinkPrediction[], emb: LinkPrediction[]): void {
  expect(neo.map((p) => p.targetId)).toEqual(emb.map((p) => p.targetId));
  neo.forEach((p, i) => {
    const e = emb[i];
    expect(p.score).toBeCloseTo(e.score, 9);
    expect(p.evidence).toEqual(e.evidence);
    expect(p.sources).toEqual(e.sources);
    for (const [k, v] of Object.entries(p.features)) {
      const ev = e.features[k as keyof typeof e.features];
      if (v === null || ev === null) expect(v).toEqual(ev);
      else expect(v).toBeCloseTo(ev as number, 9);
    }
  });
}

describe('Neo4j and embedded compute the same link-prediction numbers', () => {
  const neo = new Neo4jRelationGraph({ ...env, graphName: graphName('same'), clock: () => FIXTURE_NOW });
  const emb = new EmbeddedRelationGraph({ clock: () => FIXTURE_NOW });
  const generated = generateCareerGraph({ candidates: 400, companies: 40, seed: 7, endYear: 2025 });

  beforeAll(async () => {
    await neo.init();
    await neo.clear();
    for (const p of [careerFixture(), generated]) {
      await neo.upsert(p);
      await emb.upsert(p);
    }
  });
  afterAll(async () => {
    await neo.clear();
    await neo.close();
  });

  it('has the same graph', async () => {
    expect(await neo.counts()).toEqual(await emb.counts());
  });

  for (const kind of LINK_KINDS) {
    it(`${kind}: same predictions, scores, features and evidence for 25 sources`, async () => {
      const source = LINK_KIND_SPECS[kind].source;
      const ids = (source === 'Company' ? generated.companies! : generated.candidates!).slice(0, 25).map((n) => n.id);
      for (const id of ids) {
        const [a, b] = await Promise.all([
          new NetworkService(neo).predictLinks({ nodeId: id, kind, first: 20, asOfYear: 2025 }),
          new NetworkService(emb).predictLinks({ nodeId: id, kind, first: 20, asOfYear: 2025 }),
        ]);
        expectSamePredictions(a, b);
      }
    });
  }

  for (const kind of ['COMPANY_COMPANY', 'CANDIDATE_COMPANY'] as const) {
    it(`${kind}: the same whole pool, every source, as of a date and in each mode`, async () => {
      const source = LINK_KIND_SPECS[kind].source;
      const ids = (source === 'Company' ? generated.companies! : generated.candidates!).slice(0, 8).map((n) => n.id);
      for (const id of ids) {
        for (const q of [{ mode: 'ANY', asOf: '2021-01-01' }, { mode: 'REPEAT' }, { mode: 'NEW', asOf: '2018-07-15' }] as const) {
          const [a, b] = await Promise.all([
            new NetworkService(neo).predictLinks({ nodeId: id, kind, first: 1000, ...q }),
            new NetworkService(emb).predictLinks({ nodeId: id, kind, first: 1000, ...q }),
          ]);
          expectSamePredictions(a, b);
        }
      }
    });
  }

  it('same pair features, unknown ids included', async () => {
    const cands = generated.candidates!.slice(0, 30).map((c) => c.id);
    const pairs = cands.flatMap((u, i) => [
      { sourceId: u, targetId: cands[(i + 7) % cands.length] },
      { sourceId: u, targetId: 'nobody' },
    ]);
    const [a, b] = await Promise.all([
      neo.linkFeatures('CANDIDATE_CANDIDATE', pairs, 2025),
      emb.linkFeatures('CANDIDATE_CANDIDATE', pairs, 2025),
    ]);
    a.forEach((f, i) => {
      for (const [k, v] of Object.entries(f)) {
        const ev = b[i][k as keyof typeof f];
        if (v === null || ev === null) expect(v).toEqual(ev);
        else expect(v).toBeCloseTo(ev as number, 9);
      }
    });
    const companies = generated.companies!.slice(0, 20).map((c) => c.id);
    const companyPairs = companies.map((u, i) => ({ sourceId: u, targetId: companies[(i + 3) % companies.length] }));
    const [c, d] = await Promise.all([
      neo.linkFeatures('COMPANY_COMPANY', companyPairs, 2025),
      emb.linkFeatures('COMPANY_COMPANY', companyPairs, 2025),
    ]);
    expect(c.map((f) => f.targetInDegree)).toEqual(d.map((f) => f.targetInDegree));
    expect(d.some((f) => f.targetInDegree > 0)).toBe(true);
  });

  it('same introduction paths and neighbourhoods', async () => {
    const c = generated.candidates!;
    for (let i = 0; i < 3; i += 1) {
      const q = { from: c[i].id, to: c[i + 50].id, maxHops: 4 };
      expect(await neo.introductionPaths(q)).toEqual(await emb.introductionPaths(q));
      const n = { id: c[i].id, depth: 2, limit: 60 };
      expect(await neo.neighborhood(n)).toEqual(await emb.neighborhood(n));
    }
  });
});

describe('Neo4j failures', () => {
  it('reports UNAVAILABLE, quickly, when Neo4j cannot be reached', async () => {
    const down = new Neo4jRelationGraph({
      uri: 'bolt://127.0.0.1:1',
      user: 'neo4j',
      password: 'x',
      graphName: 'down',
      connectTimeoutMs: 1000,
    });
    const started = Date.now();
    const err = await down.counts().catch((e: unknown) => e);
    await down.close();
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE' });
    expect((err as Error).message).toMatch(/services\/up\.sh neo4j/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
