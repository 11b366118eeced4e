/**
 * The RelationGraph contract: every adapter must pass it. Expected values are worked out by hand
 * from test/contract/graph/career-fixture.ts (open stints end June 2025).
 */
import { GraphError } from '../../../src/adapters/graph/graph-errors';
import type { LinkModel } from '../../../src/network/link-scoring';
import type { CandidateFacts, GraphProjection, RelationGraph } from '../../../src/adapters/graph/relation-graph';
import { ALICE, careerFixture, ID } from './career-fixture';
import { NetworkService } from '../../../src/network/network.service';
import { DEFAULT_SCORER } from '../../../src/network/link-scoring';

export type GraphFactory = () => Promise<RelationGraph>;

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(GraphError);
  await expect(p).rejects.toMatchObject({ code });
}

const AA2 = 1 / Math.log(2);

export interface ContractOptions {
  /** Alumni of the hub company in the bad-input test (50,000 in CI for both adapters). */
  hubSize?: number;
}

function hubCandidates(n: number): CandidateFacts[] {
  // Six-month stints starting over 20 years: each alumnus overlaps ~2,000 others.
  return Array.from({ length: n }, (_, i) => {
    const start = 2000 * 12 + (i % 240);
    const end = start + 5;
    const date = (m: number, day: string) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-${day}`;
    return {
      id: `hub-cand-${String(i).padStart(6, '0')}`,
      name: `Alumnus ${i}`,
      experiences: [{ companyId: 'co-hub', companyName: 'Hub Corp', title: 'Associate', from: date(start, '01'), to: date(end, '28') }],
      education: [{ schoolId: `hub-school-${i % 7}`, fromYear: 1995 + (i % 5), toYear: 1999 + (i % 5) }],
      ownerId: i % 1680 === 0 ? 'hub-consultant' : undefined,
    };
  });
}

export function relationGraphContract(name: string, factory: GraphFactory, options: ContractOptions = {}): void {
  describe(`RelationGraph contract: ${name}`, () => {
    let graph: RelationGraph;

    beforeAll(async () => {
      graph = await factory();
      await graph.init();
    });
    afterAll(async () => {
      await graph?.clear();
      await graph?.close();
    });

    describe('reads on the fixture', () => {
      beforeAll(async () => {
        await graph.clear();
        await graph.upsert(careerFixture());
      });

      it('derives colleagues from overlapping stints, strongest overlap first', async () => {
        const page = await graph.colleagues(ID.alice);
        expect(page.items.map((c) => [c.candidateId, c.months, c.companyIds])).toEqual([
          [ID.frank, 72, [ID.A, ID.B]],
          [ID.bob, 62, [ID.A, ID.B]],
          [ID.carol, 36, [ID.B]],
        ]);
        expect(page.totalCount).toBe(3);
        expect(page.hasNextPage).toBe(false);
      });

      it('pages colleagues with cursors', async () => {
        const first = await graph.colleagues(ID.alice, { first: 2 });
        expect(first.hasNextPage).toBe(true);
        const second = await graph.colleagues(ID.alice, { first: 2, after: first.endCursor });
        expect(second.items.map((c) => c.candidateId)).toEqual([ID.carol]);
        expect(second.hasNextPage).toBe(false);
      });

      it('counts talent flow per partner and year, through the A -> B -> C -> A cycle', async () => {
        const out = await graph.talentFlow({ companyId: ID.A, direction: 'OUT' });
        expect(out.map((f) => [f.companyId, f.total, f.byYear])).toEqual([
          [
            ID.B,
            3,
            [
              { year: 2019, count: 1 },
              { year: 2020, count: 1 },
              { year: 2021, count: 1 },
            ],
          ],
          [
            ID.C,
            2,
            [
              { year: 2012, count: 1 },
              { year: 2015, count: 1 },
            ],
          ],
        ]);
        expect(out[0].name).toBe('Bravo');
        const since = await graph.talentFlow({ companyId: ID.A, direction: 'OUT', since: 2016 });
        expect(since.map((f) => [f.companyId, f.total])).toEqual([[ID.B, 3]]);
        const into = await graph.talentFlow({ companyId: ID.C, direction: 'IN', first: 1 });
        expect(into.map((f) => [f.companyId, f.total])).toEqual([[ID.A, 2]]);
      });

      it('lists alumni with keyset pages that never repeat or skip a stint', async () => {
        const seen: string[] = [];
        let after: string | null = null;
        let total = 0;
        for (let i = 0; i < 5; i += 1) {
          const page = await graph.alumni(ID.A, { first: 2, after });
          total = page.totalCount;
          seen.push(...page.items.map((a) => `${a.candidateId}@${a.from}`));
          if (!page.hasNextPage) break;
          after = page.endCursor;
        }
        expect(total).toBe(5);
        expect(seen).toEqual([
          `${ID.alice}@2015-01-01`,
          `${ID.bob}@2016-06-01`,
          `${ID.dave}@2010-01-01`,
          `${ID.frank}@2010-01-01`,
          `${ID.frank}@2017-01-01`,
        ]);
      });

      it('returns the neighbourhood of a node with its edges', async () => {
        const sub = await graph.neighborhood({ id: ID.alice, depth: 1 });
        expect(sub.nodes.map((n) => n.id)).toEqual([ID.alice, ID.A, ID.B, ID.k1, ID.S1, ID.python, ID.pytorch]);
        expect(sub.nodes[0]).toEqual({ id: ID.alice, label: 'Candidate', props: { name: 'Alice', headline: 'Recommender systems' } });
        expect(sub.truncated).toBe(false);
        const worked = sub.edges.filter((e) => e.type === 'WORKED_AT');
        expect(worked.map((e) => [e.to, e.props.title, e.props.from, e.props.to ?? null])).toEqual([
          [ID.A, 'ML Engineer', '2015-01-01', '2018-12-31'],
          [ID.B, 'Senior ML Engineer', '2019-01-01', null],
        ]);
      });

      it('filters the neighbourhood by type and cuts it at the limit', async () => {
        const flows = await graph.neighborhood({ id: ID.C, depth: 2, types: ['MOVED_TO'] });
        expect(flows.nodes.map((n) => n.id).sort()).toEqual([ID.A, ID.B, ID.C, ID.D].sort());
        expect(flows.edges.every((e) => e.type === 'MOVED_TO')).toBe(true);
        const cut = await graph.neighborhood({ id: ID.alice, depth: 2, limit: 4 });
        expect(cut.nodes).toHaveLength(4);
        expect(cut.truncated).toBe(true);
      });

      it('ranks warm introduction paths strongest first', async () => {
        const paths = await graph.introductionPaths({ from: ID.alice, to: ID.carol, maxHops: 3 });
        // alice-bob 62 months, bob-carol 19 + 30 = 49 months: stronger than the direct 36 months.
        expect(paths[0].nodeIds).toEqual([ID.alice, ID.bob, ID.carol]);
        expect(paths[0].strength).toBeCloseTo((1 - Math.exp(-62 / 12)) * (1 - Math.exp(-49 / 12)), 12);
        // alice-frank 72, frank-bob 41 + 18 = 59, bob-carol 49: three strong hops beat one 36-month hop.
        expect(paths[1].nodeIds).toEqual([ID.alice, ID.frank, ID.bob, ID.carol]);
        const direct = paths.find((p) => p.nodeIds.length === 2)!;
        expect(direct.hops[0]).toMatchObject({ kind: 'COLLEAGUE', months: 36, via: [ID.B] });
        expect(paths.indexOf(direct)).toBe(2);
        for (let i = 1; i < paths.length; i += 1) expect(paths[i].strength).toBeLessThanOrEqual(paths[i - 1].strength);
        for (const p of paths) expect(new Set(p.nodeIds).size).toBe(p.nodeIds.length);
      });

      it('finds introductions through consultants and placements', async () => {
        const paths = await graph.introductionPaths({ from: ID.k2, to: ID.bob, maxHops: 2 });
        // k2 owns carol (0.9) and placed her (0.8); the stronger tie wins the hop.
        expect(paths[0].nodeIds).toEqual([ID.k2, ID.carol, ID.bob]);
        expect(paths[0].nodeLabels).toEqual(['Consultant', 'Candidate', 'Candidate']);
        expect(paths[0].hops[0]).toMatchObject({ kind: 'OWNER', strength: 0.9 });
        const none = await graph.introductionPaths({ from: ID.gina, to: ID.alice, maxHops: 4 });
        expect(none).toEqual([]);
      });

      it('finds warm paths to a company: the strongest to each person who works there now, none through another', async () => {
        const paths = await graph.introductionPaths({ from: ID.alice, to: ID.C, maxHops: 3 });
        // Cobalt employs bob and carol now (dave and frank left). alice-bob-carol (0.978) would beat
        // alice-carol (36 months, 0.950), but it runs through bob, who is an introduction himself.
        expect(paths.map((p) => p.nodeIds)).toEqual([
          [ID.alice, ID.bob],
          [ID.alice, ID.carol],
        ]);
        expect(paths.map((p) => p.employee)).toEqual([
          { candidateId: ID.bob, title: 'Data Lead', since: '2023-01-01' },
          { candidateId: ID.carol, title: 'ML Lead', since: '2022-01-01' },
        ]);
        expect(paths[0].hops).toEqual([
          { from: ID.alice, to: ID.bob, kind: 'COLLEAGUE', months: 62, via: [ID.A, ID.B], strength: 1 - Math.exp(-62 / 12) },
        ]);
        expect(paths[0].strength).toBeCloseTo(1 - Math.exp(-62 / 12), 12);
        // alice works at Bravo herself: the path goes to her colleague there, never to her.
        const bravo = await graph.introductionPaths({ from: ID.alice, to: ID.B });
        expect(bravo.map((p) => p.employee?.candidateId)).toEqual([ID.frank]);
        // Nobody works at Acme now; Echo's one employee has no warm ties.
        await expect(graph.introductionPaths({ from: ID.alice, to: ID.A, maxHops: 4 })).resolves.toEqual([]);
        await expect(graph.introductionPaths({ from: ID.alice, to: ID.E, maxHops: 4 })).resolves.toEqual([]);
      });

      it('finds a consultant’s paths to a company hop by hop, longer ones when stronger ones run out', async () => {
        const paths = await graph.introductionPaths({ from: ID.k2, to: ID.D, maxHops: 3 });
        // k2 owns carol (0.9); carol and erin were at MIT together (0.5); bob and dave at Tsinghua (0.5),
        // and bob-carol's 49 months (0.983) beat alice-carol's 36 on the way to dave.
        expect(paths.map((p) => p.nodeIds)).toEqual([
          [ID.k2, ID.carol, ID.erin],
          [ID.k2, ID.carol, ID.bob, ID.dave],
        ]);
        expect(paths.map((p) => p.nodeLabels[0])).toEqual(['Consultant', 'Consultant']);
        expect(paths[0].strength).toBeCloseTo(0.45, 12);
        expect(paths[1].strength).toBeCloseTo(0.9 * (1 - Math.exp(-49 / 12)) * 0.5, 12);
        expect(paths[1].hops.map((h) => [h.kind, h.via])).toEqual([
          ['OWNER', []],
          ['COLLEAGUE', [ID.B, ID.C]],
          ['SCHOOLMATE', [ID.S1]],
        ]);
        expect(paths[1].employee).toEqual({ candidateId: ID.dave, title: 'CTO', since: '2020-01-01' });
        const short = await graph.introductionPaths({ from: ID.k2, to: ID.D, maxHops: 2 });
        expect(short.map((p) => p.employee?.candidateId)).toEqual([ID.erin]);
        const one = await graph.introductionPaths({ from: ID.k2, to: ID.D, maxHops: 3, first: 1 });
        expect(one.map((p) => p.nodeIds)).toEqual([paths[0].nodeIds]);
      });

      it('predicts who likely knows whom, with the classic features', async () => {
        const [p, ...rest] = await new NetworkService(graph).predictLinks({ nodeId: ID.erin, kind: 'CANDIDATE_CANDIDATE', first: 5 });
        // dave shares Delta but is already a colleague; carol shares MIT (degree 2).
        expect(rest).toEqual([]);
        expect(p.targetId).toBe(ID.carol);
        expect(p.features.commonNeighbours).toBe(1);
        expect(p.features.adamicAdar).toBeCloseTo(AA2, 12);
        expect(p.features.resourceAllocation).toBeCloseTo(0.5, 12);
        expect(p.features.preferentialAttachment).toBe(6);
        expect(p.features.jaccard).toBeCloseTo(0.25, 12);
        expect(p.features.embeddingSimilarity).toBeNull();
        expect(p.evidence).toEqual([[ID.erin, ID.S2, ID.carol]]);
      });

      it('predicts next-period talent flow between companies, time-aware', async () => {
        const preds = await new NetworkService(graph).predictLinks({
          nodeId: ID.A,
          kind: 'COMPANY_COMPANY',
          first: 10,
          asOfYear: 2025,
          excludeExisting: false,
        });
        const byId = new Map(preds.map((p) => [p.targetId, p]));
        expect([...byId.keys()].sort()).toEqual([ID.B, ID.C, ID.D].sort());
        // Moves received: A -> B x3, A -> C x2 and B -> C x2, C -> D.
        expect([ID.B, ID.C, ID.D].map((id) => byId.get(id)!.features.targetInDegree)).toEqual([3, 4, 1]);
        const flowB = [2019, 2020, 2021].reduce((s, y) => s + Math.pow(0.5, (2025 - y) / 3), 0);
        expect(byId.get(ID.B)!.features.recencyWeightedFlow).toBeCloseTo(flowB, 12);
        expect(byId.get(ID.D)!.features).toMatchObject({ commonNeighbours: 1, recencyWeightedFlow: 0 });
        expect(byId.get(ID.D)!.features.resourceAllocation).toBeCloseTo(1 / 3, 12);
        expect(byId.get(ID.B)!.evidence[0]).toEqual([ID.A, ID.B]);
      });

      it('predicts a candidate’s next employer from where their employers send people', async () => {
        const preds = await new NetworkService(graph).predictLinks({
          nodeId: ID.alice,
          kind: 'CANDIDATE_COMPANY',
          first: 10,
          asOfYear: 2025,
        });
        expect(preds.map((p) => p.targetId)).not.toContain(ID.A);
        expect(preds.map((p) => p.targetId)).not.toContain(ID.B);
        expect(preds[0].targetId).toBe(ID.C);
        // A -> C in 2012 and 2015, B -> C in 2022 and 2023.
        const flow = [2012, 2015, 2022, 2023].reduce((s, y) => s + Math.pow(0.5, (2025 - y) / 3), 0);
        expect(preds[0].features.recencyWeightedFlow).toBeCloseTo(flow, 12);
        expect(preds[0].features.commonNeighbours).toBe(2);
      });

      it('predicts job fit from shared skills, skipping applied and closed jobs', async () => {
        const preds = await new NetworkService(graph).predictLinks({ nodeId: ID.alice, kind: 'CANDIDATE_JOB', first: 10 });
        // j2 shares nothing with alice; it comes as a job others applied to.
        expect(preds.map((p) => [p.targetId, p.sources])).toEqual([
          [ID.j1, ['NEIGHBOURHOOD']],
          [ID.j2, ['POPULARITY']],
        ]);
        expect(preds[0].features).toMatchObject({ commonNeighbours: 2, targetInDegree: 2 });
        const bob = await new NetworkService(graph).predictLinks({ nodeId: ID.bob, kind: 'CANDIDATE_JOB', first: 10 });
        expect(bob.map((p) => p.targetId)).toEqual([ID.j2]);
      });

      it('adds embedding similarity and scores with a given model', async () => {
        const vectors = async (ids: string[]) => new Map(ids.map((id) => [id, id === ID.erin ? [1, 0] : [1, 1]] as const));
        const model: LinkModel = {
          format: 'matchhub-linkpred',
          version: 1,
          createdAt: '2025-01-01T00:00:00Z',
          trainedOn: {},
          kinds: {
            CANDIDATE_CANDIDATE: {
              featureNames: [],
              mean: [0, 0, 0, 0, 0, 0, 0],
              std: [1, 1, 1, 1, 1, 1, 1],
              weights: [0, 0, 0, 0, 0, 0, 2],
              bias: 0,
            },
          },
        };
        const [p] = await new NetworkService(graph).predictLinks({ nodeId: ID.erin, kind: 'CANDIDATE_CANDIDATE', vectors, model });
        expect(p.features.embeddingSimilarity).toBeCloseTo(Math.SQRT1_2, 12);
        expect(p.score).toBeCloseTo(1 / (1 + Math.exp(-2 * Math.SQRT1_2)), 12);
        expect(p.scoredBy).toEqual({ name: 'linkpred-v1', modelVersion: 1, trainedAt: '2025-01-01T00:00:00Z' });
        // The model has no COMPANY_COMPANY part: the default heuristic scores that kind.
        const [c] = await new NetworkService(graph).predictLinks({ nodeId: ID.A, kind: 'COMPANY_COMPANY', model });
        expect(c.scoredBy).toEqual({ name: DEFAULT_SCORER, modelVersion: null, trainedAt: null });
      });

      it('computes features of arbitrary pairs, zeros for unrelated or unknown nodes', async () => {
        const [known, unrelated, unknown] = await graph.linkFeatures(
          'CANDIDATE_CANDIDATE',
          [
            { sourceId: ID.erin, targetId: ID.carol },
            { sourceId: ID.erin, targetId: ID.gina },
            { sourceId: ID.erin, targetId: 'cand-nobody' },
          ],
          2025,
        );
        expect(known).toMatchObject({ commonNeighbours: 1, preferentialAttachment: 6, targetInDegree: 0 });
        const [toC, toE] = await graph.linkFeatures(
          'COMPANY_COMPANY',
          [
            { sourceId: ID.D, targetId: ID.C },
            { sourceId: ID.D, targetId: ID.E },
          ],
          2025,
        );
        expect([toC.targetInDegree, toE.targetInDegree]).toEqual([4, 0]);
        expect(known.adamicAdar).toBeCloseTo(AA2, 12);
        expect(unrelated).toMatchObject({ commonNeighbours: 0, adamicAdar: 0, jaccard: 0 });
        expect(unknown).toMatchObject({ commonNeighbours: 0, preferentialAttachment: 0 });
      });

      it('rejects bad input with stable codes', async () => {
        await expectCode(graph.neighborhood({ id: ID.alice, depth: 10 }), 'BAD_USER_INPUT');
        await expectCode(graph.neighborhood({ id: 'cand-nobody', depth: 1 }), 'NOT_FOUND');
        await expectCode(graph.introductionPaths({ from: ID.alice, to: ID.carol, maxHops: 9 }), 'BAD_USER_INPUT');
        await expectCode(graph.introductionPaths({ from: ID.alice, to: ID.j1 }), 'BAD_USER_INPUT');
        await expectCode(graph.introductionPaths({ from: ID.A, to: ID.alice }), 'BAD_USER_INPUT');
        await expectCode(graph.introductionPaths({ from: ID.A, to: ID.C }), 'BAD_USER_INPUT');
        await expectCode(graph.introductionPaths({ from: ID.alice, to: 'co-nobody' }), 'NOT_FOUND');
        await expectCode(graph.introductionPaths({ from: ID.alice, to: ID.C, first: 51 }), 'BAD_USER_INPUT');
        await expectCode(graph.introductionPaths({ from: ID.alice, to: 'cand-nobody' }), 'NOT_FOUND');
        await expectCode(graph.talentFlow({ companyId: ID.alice, direction: 'OUT' }), 'BAD_USER_INPUT');
        await expectCode(graph.colleagues('cand-nobody'), 'NOT_FOUND');
        await expectCode(graph.alumni(ID.A, { first: 2, after: 'not-a-cursor' }), 'BAD_USER_INPUT');
        await expectCode(new NetworkService(graph).predictLinks({ nodeId: ID.A, kind: 'CANDIDATE_JOB' }), 'BAD_USER_INPUT');
        await expectCode(new NetworkService(graph).predictLinks({ nodeId: ID.alice, kind: 'NEXT_CEO' as never }), 'BAD_USER_INPUT');
      });
    });

    describe('link candidates beyond two hops', () => {
      // S -> N1 -> N2 is S's neighbourhood; P received three moves from companies S never touched.
      const co = (id: string) => ({ id, name: id });
      const mover = (id: string, from: string, to: string, year: number): CandidateFacts => ({
        id,
        name: id,
        experiences: [
          { companyId: from, title: 'Engineer', from: `${year - 3}-01-01`, to: `${year - 1}-12-31` },
          { companyId: to, title: 'Engineer', from: `${year}-01-01` },
        ],
      });
      const projection: GraphProjection = {
        companies: ['co-s', 'co-n1', 'co-n2', 'co-p', 'co-q1', 'co-q2', 'co-q3'].map(co),
        candidates: [
          mover('cand-s1', 'co-s', 'co-n1', 2015),
          mover('cand-n1', 'co-n1', 'co-n2', 2017),
          mover('cand-q1', 'co-q1', 'co-p', 2013),
          mover('cand-q2', 'co-q2', 'co-p', 2014),
          mover('cand-q3', 'co-q3', 'co-p', 2016),
        ],
      };
      beforeAll(async () => {
        await graph.clear();
        await graph.upsert(projection);
      });

      it('offers popular destinations that are not neighbours, and says which source found each target', async () => {
        const preds = await new NetworkService(graph).predictLinks({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', asOfYear: 2025 });
        expect(preds.map((p) => [p.targetId, p.sources])).toEqual([
          ['co-n2', ['NEIGHBOURHOOD']],
          ['co-p', ['POPULARITY']],
        ]);
        const p = preds[1];
        expect(p.features).toMatchObject({ commonNeighbours: 0, adamicAdar: 0, recencyWeightedFlow: 0, targetInDegree: 3 });
        expect(p.evidence).toEqual([]);
        expect(p.score).toBeCloseTo(Math.log(4), 12);
        expect(p.scoredBy).toEqual({ name: DEFAULT_SCORER, modelVersion: null, trainedAt: null });
        const next = await new NetworkService(graph).predictLinks({ nodeId: 'cand-s1', kind: 'CANDIDATE_COMPANY', asOfYear: 2025 });
        expect(next.map((x) => x.targetId)).toContain('co-p');
        expect(next.map((x) => x.targetId)).not.toContain('co-n1');
      });

      it("scores a candidate's move to a given company with the trained model, higher where their predicted next company is it", async () => {
        // Flow from the candidate's employers into the target decides: cand-s1's employer co-n1 sent cand-n1 to co-n2.
        const model: LinkModel = {
          format: 'matchhub-linkpred',
          version: 3,
          createdAt: '2025-01-01T00:00:00Z',
          trainedOn: {},
          kinds: {
            CANDIDATE_COMPANY: {
              featureNames: ['recencyWeightedFlow', 'targetInDegree'],
              mean: [0, 0],
              std: [1, 1],
              weights: [4, 0.1],
              bias: 0,
            },
          },
        };
        const network = new NetworkService(graph, () => model);
        const [next] = await network.predictLinks({ nodeId: 'cand-s1', kind: 'CANDIDATE_COMPANY', asOfYear: 2025 });
        expect(next.targetId).toBe('co-n2');
        const pairs = ['cand-s1', 'cand-q1', 'cand-nobody'].map((sourceId) => ({ sourceId, targetId: 'co-n2' }));
        const { scores, scoredBy } = await network.linkScores('CANDIDATE_COMPANY', pairs, 2025);
        expect(scoredBy.name).toBe('linkpred-v3');
        expect(scores[0]).toBeCloseTo(next.score, 12);
        expect(scores[1]).toBeLessThan(scores[0]!);
        // A candidate the graph does not hold yet: scored on popularity alone, or left unknown; never above one with flow.
        expect(scores[2] === null || scores[2] <= scores[1]!).toBe(true);
        // Without a trained model for the kind, nothing is scored (the default heuristic is not on a 0..1 scale).
        const untrained = await new NetworkService(graph).linkScores('CANDIDATE_COMPANY', pairs, 2025);
        expect(untrained).toEqual({ scoredBy: { name: DEFAULT_SCORER, modelVersion: null, trainedAt: null }, scores: [null, null, null] });
      });

      it('leaves out existing partners unless asked for repeat links too', async () => {
        const all = await new NetworkService(graph).predictLinks({
          nodeId: 'co-s',
          kind: 'COMPANY_COMPANY',
          asOfYear: 2025,
          excludeExisting: false,
        });
        expect(all.map((p) => p.targetId).sort()).toEqual(['co-n1', 'co-n2', 'co-p']);
        expect(all.find((p) => p.targetId === 'co-n1')).toMatchObject({
          sources: ['NEIGHBOURHOOD', 'EXISTING'],
          evidence: [['co-s', 'co-n1']],
        });
        const candidates = await graph.linkCandidates({ nodeId: 'co-s', kind: 'COMPANY_COMPANY' });
        expect(candidates.map((c) => c.targetId).sort()).toEqual(['co-n2', 'co-p']);
      });

      it('answers NEW, REPEAT and ANY links, with excludeExisting as the deprecated form of NEW and ANY', async () => {
        const network = new NetworkService(graph);
        const ask = async (q: { mode?: 'NEW' | 'REPEAT' | 'ANY'; excludeExisting?: boolean }) =>
          (await network.predictLinks({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', asOfYear: 2025, ...q }))
            .map((p) => [p.targetId, p.sources] as const)
            .sort(([a], [b]) => a.localeCompare(b));
        expect(await ask({})).toEqual([
          ['co-n2', ['NEIGHBOURHOOD']],
          ['co-p', ['POPULARITY']],
        ]);
        expect(await ask({ mode: 'REPEAT' })).toEqual([['co-n1', ['EXISTING']]]);
        const any = await ask({ mode: 'ANY' });
        expect(any).toEqual([
          ['co-n1', ['NEIGHBOURHOOD', 'EXISTING']],
          ['co-n2', ['NEIGHBOURHOOD']],
          ['co-p', ['POPULARITY']],
        ]);
        expect(await ask({ excludeExisting: false })).toEqual(any);
        expect(await ask({ mode: 'NEW', excludeExisting: true })).toEqual(await ask({}));
        // A candidate's repeat link is a former employer; the current one is never offered.
        const back = await network.predictLinks({ nodeId: 'cand-s1', kind: 'CANDIDATE_COMPANY', mode: 'REPEAT' });
        expect(back.map((p) => [p.targetId, p.sources])).toEqual([['co-s', ['EXISTING']]]);
        const anyNext = await network.predictLinks({ nodeId: 'cand-s1', kind: 'CANDIDATE_COMPANY', mode: 'ANY' });
        expect(anyNext.map((p) => p.targetId)).toContain('co-s');
        expect(anyNext.map((p) => p.targetId)).not.toContain('co-n1');
      });

      it('rejects contradictory or impossible link questions, saying what to fix', async () => {
        const network = new NetworkService(graph);
        const bad = async (q: Parameters<NetworkService['predictLinks']>[0], field: string, message: RegExp) => {
          await expectCode(network.predictLinks(q), 'BAD_USER_INPUT');
          await expect(network.predictLinks(q)).rejects.toMatchObject({ details: { field }, message: expect.stringMatching(message) });
        };
        await bad({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', mode: 'REPEAT', excludeExisting: true }, 'excludeExisting', /pass mode only/);
        await bad(
          { nodeId: 'co-s', kind: 'COMPANY_COMPANY', mode: 'NEW', excludeExisting: false },
          'excludeExisting',
          /contradicts mode: NEW/,
        );
        await bad({ nodeId: 'cand-s1', kind: 'CANDIDATE_CANDIDATE', mode: 'REPEAT' }, 'mode', /predicts new links only/);
        await bad({ nodeId: 'cand-s1', kind: 'CANDIDATE_CANDIDATE', excludeExisting: false }, 'excludeExisting', /drop it/);
        await bad({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', mode: 'SOMETIMES' as never }, 'mode', /NEW, REPEAT, ANY/);
        await bad({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', asOf: '2020-02-30' }, 'asOf', /YYYY-MM-DD/);
        await bad({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', asOf: '2020' }, 'asOf', /YYYY-MM-DD/);
      });
    });

    describe('link candidates by sector, reverse flow and similarity', () => {
      // co-s (fin) takes people from co-r (tech); co-sec (fin) received a move in 2023, co-old (fin) one in
      // 2010; co-sim (fin) is as small as co-s and has no moves at all.
      const co = (id: string, industry: string) => ({ id, name: id, industry });
      const mover = (id: string, from: string, to: string, year: number): CandidateFacts => ({
        id,
        name: id,
        experiences: [
          { companyId: from, title: 'Engineer', from: `${year - 3}-01-01`, to: `${year - 1}-12-31` },
          { companyId: to, title: 'Engineer', from: `${year}-01-01` },
        ],
      });
      beforeAll(async () => {
        await graph.clear();
        await graph.upsert({
          companies: [
            co('co-s', 'fin'),
            co('co-r', 'tech'),
            co('co-sec', 'fin'),
            co('co-old', 'fin'),
            co('co-sim', 'fin'),
            co('co-x', 'tech'),
          ],
          candidates: [
            mover('cand-r1', 'co-r', 'co-s', 2016),
            mover('cand-q1', 'co-x', 'co-sec', 2023),
            mover('cand-o1', 'co-x', 'co-old', 2010),
            { id: 'cand-m1', name: 'cand-m1', experiences: [{ companyId: 'co-sim', title: 'Engineer', from: '2018-01-01' }] },
          ],
        });
      });

      it('names every source that offered a target, each keeping to its own rule', async () => {
        const preds = await new NetworkService(graph).predictLinks({ nodeId: 'co-s', kind: 'COMPANY_COMPANY', first: 1000 });
        const sources = Object.fromEntries(preds.map((p) => [p.targetId, p.sources]));
        expect(sources).toEqual({
          'co-r': ['NEIGHBOURHOOD', 'REVERSE_FLOW'],
          // Recent moves count for the sector, all moves for popularity.
          'co-sec': ['POPULARITY', 'SECTOR_POPULARITY', 'SIMILAR'],
          'co-old': ['POPULARITY', 'SIMILAR'],
          'co-sim': ['SIMILAR'],
        });
        const byId = new Map(preds.map((p) => [p.targetId, p.features]));
        expect(byId.get('co-sec')).toMatchObject({ targetInDegree: 1, targetRecentInDegree: 1, sameIndustry: 1 });
        expect(byId.get('co-old')).toMatchObject({ targetInDegree: 1, targetRecentInDegree: 0, sameIndustry: 1 });
        expect(byId.get('co-r')).toMatchObject({ sameIndustry: 0 });
        const [pair] = await graph.linkFeatures('COMPANY_COMPANY', [{ sourceId: 'co-s', targetId: 'co-sec' }], 2025);
        expect(pair).toMatchObject({ targetRecentInDegree: 1, sameIndustry: 1 });
      });

      it('takes a candidate’s industries and senders from its employers, never offering them anew', async () => {
        const preds = await new NetworkService(graph).predictLinks({ nodeId: 'cand-r1', kind: 'CANDIDATE_COMPANY', first: 1000 });
        const sources = Object.fromEntries(preds.map((p) => [p.targetId, p.sources]));
        expect(sources['co-sec']).toContain('SECTOR_POPULARITY');
        expect(sources['co-sec']).toContain('SIMILAR');
        expect(Object.keys(sources)).not.toContain('co-s');
        expect(Object.keys(sources)).not.toContain('co-r');
        expect(preds.find((p) => p.targetId === 'co-sec')!.features.sameIndustry).toBe(1);
      });
    });

    describe('predictions as of a date', () => {
      beforeEach(async () => {
        await graph.clear();
        await graph.upsert(careerFixture());
      });
      const AS_OF = '2020-01-01';

      it('sees only the facts known at the start of asOf', async () => {
        const network = new NetworkService(graph);
        // As of 2020 the moves are alice A -> B (2019), dave A -> C (2015), frank A -> C (2012) and C -> A (2017).
        const then = await network.predictLinks({ nodeId: ID.A, kind: 'COMPANY_COMPANY', mode: 'ANY', asOf: AS_OF });
        expect(then.map((p) => [p.targetId, p.features.targetInDegree]).sort()).toEqual([
          [ID.B, 1],
          [ID.C, 2],
        ]);
        const b = then.find((p) => p.targetId === ID.B)!;
        expect(b.features.recencyWeightedFlow).toBeCloseTo(Math.pow(0.5, 1 / 3), 12);
        expect(await network.predictLinks({ nodeId: ID.A, kind: 'COMPANY_COMPANY', asOf: AS_OF })).toEqual([]);
        expect((await network.predictLinks({ nodeId: ID.A, kind: 'COMPANY_COMPANY' })).map((p) => p.targetId)).toEqual([ID.D]);
        // Frank: A (2010-11), C (2012-16), A again (2017 to mid-2021, so current as of 2020), B since mid-2021.
        const repeat = async (asOf?: string) =>
          (await network.predictLinks({ nodeId: ID.frank, kind: 'CANDIDATE_COMPANY', mode: 'REPEAT', asOf })).map((p) => p.targetId).sort();
        expect(await repeat(AS_OF)).toEqual([ID.C]);
        expect(await repeat()).toEqual([ID.A, ID.C].sort());
        const [pair] = await graph.linkFeatures('COMPANY_COMPANY', [{ sourceId: ID.A, targetId: ID.B }], 2020, { asOf: AS_OF });
        expect(pair).toMatchObject({ targetInDegree: 1, commonNeighbours: 0 });
      });

      it('gives the same answer as of a date after a move that came later', async () => {
        const network = new NetworkService(graph);
        const questions = [
          { nodeId: ID.A, kind: 'COMPANY_COMPANY', mode: 'ANY' },
          { nodeId: ID.B, kind: 'COMPANY_COMPANY' },
          { nodeId: ID.alice, kind: 'CANDIDATE_COMPANY' },
          { nodeId: ID.frank, kind: 'CANDIDATE_COMPANY', mode: 'ANY' },
          { nodeId: ID.erin, kind: 'CANDIDATE_CANDIDATE' },
          { nodeId: ID.dave, kind: 'CANDIDATE_CANDIDATE' },
          { nodeId: ID.alice, kind: 'CANDIDATE_JOB' },
        ] as const;
        const answers = (asOf?: string) => Promise.all(questions.map((q) => network.predictLinks({ ...q, first: 1000, asOf })));
        const pairs = [
          { sourceId: ID.A, targetId: ID.D },
          { sourceId: ID.B, targetId: ID.D },
        ];
        const before = await answers(AS_OF);
        const featuresBefore = await graph.linkFeatures('COMPANY_COMPANY', pairs, 2020, { asOf: AS_OF });
        const now = await answers();
        // Alice leaves B for D in 2022: invisible as of 2020, when her stint at B was still running.
        await graph.upsert({
          candidates: [
            {
              ...ALICE,
              experiences: [
                ...ALICE.experiences!.filter((s) => s.companyId === ID.A),
                { companyId: ID.B, title: 'Senior ML Engineer', from: '2019-01-01', to: '2021-12-31' },
                { companyId: ID.D, title: 'Head of ML', from: '2022-01-01' },
              ],
            },
          ],
        });
        expect(await answers(AS_OF)).toEqual(before);
        expect(await graph.linkFeatures('COMPANY_COMPANY', pairs, 2020, { asOf: AS_OF })).toEqual(featuresBefore);
        // Without asOf the move counts, so the check above could fail.
        expect(await answers()).not.toEqual(now);
      });
    });

    describe('writes', () => {
      beforeEach(async () => {
        await graph.clear();
        await graph.upsert(careerFixture());
      });

      it('is idempotent: the same projection twice changes nothing', async () => {
        const before = await graph.counts();
        await graph.upsert(careerFixture());
        expect(await graph.counts()).toEqual(before);
        const out = await graph.talentFlow({ companyId: ID.A, direction: 'OUT' });
        expect(out[0].total).toBe(3);
      });

      it('replaces a candidate’s facts in one call, moves included', async () => {
        await graph.upsert({ candidates: [{ ...ALICE, experiences: [ALICE.experiences![0]] }] });
        const out = await graph.talentFlow({ companyId: ID.A, direction: 'OUT' });
        expect(out.find((f) => f.companyId === ID.B)!.byYear).toEqual([
          { year: 2020, count: 1 },
          { year: 2021, count: 1 },
        ]);
        const page = await graph.colleagues(ID.alice);
        expect(page.items.map((c) => [c.candidateId, c.months])).toEqual([
          [ID.bob, 31],
          [ID.frank, 24],
        ]);
      });

      it('deletes nodes with their relationships and derived flow', async () => {
        expect(await graph.delete([ID.bob, 'cand-nobody'])).toBe(1);
        const into = await graph.talentFlow({ companyId: ID.C, direction: 'IN' });
        expect(into.map((f) => [f.companyId, f.total])).toEqual([
          [ID.A, 2],
          [ID.B, 1],
        ]);
        await expectCode(graph.colleagues(ID.bob), 'NOT_FOUND');
      });

      it('creates stubs for references and fills them when the record arrives', async () => {
        await graph.upsert({
          candidates: [
            { id: 'cand-zoe', name: 'Zoe', experiences: [{ companyId: 'co-new', companyName: 'Newco', title: 'CEO', from: '2024-01-01' }] },
          ],
        });
        const sub = await graph.neighborhood({ id: 'co-new', depth: 1 });
        expect(sub.nodes[0]).toMatchObject({ label: 'Company', props: { name: 'Newco', stub: true } });
        await graph.upsert({ companies: [{ id: 'co-new', name: 'Newco Ltd' }] });
        const again = await graph.neighborhood({ id: 'co-new', depth: 1 });
        expect(again.nodes[0].props).toEqual({ name: 'Newco Ltd' });
        expect(again.nodes.map((n) => n.id)).toEqual(['co-new', 'cand-zoe']);
      });

      it('rejects a bad batch whole, writing nothing', async () => {
        const before = await graph.counts();
        const bad = graph.upsert({
          candidates: [
            { id: 'cand-ok', name: 'Ok' },
            { id: 'cand-bad', name: 'Bad', experiences: [{ companyId: ID.A, title: 'x', from: '2020-13-01' }] },
          ],
        });
        await expectCode(bad, 'BAD_USER_INPUT');
        expect(await graph.counts()).toEqual(before);
      });

      it('clear removes everything', async () => {
        await graph.clear();
        expect(await graph.counts()).toEqual({ nodes: 0, relationships: 0 });
      });
    });

    describe(`a company with ${options.hubSize ?? 50_000} alumni`, () => {
      const n = options.hubSize ?? 50_000;
      const people = hubCandidates(n);
      beforeAll(async () => {
        await graph.clear();
        for (let i = 0; i < n; i += 2000) await graph.upsert({ candidates: people.slice(i, i + 2000) });
      }, 600_000);

      it('pages alumni with a total, capped at the page size', async () => {
        const first = await graph.alumni('co-hub', { first: 200 });
        expect(first.items).toHaveLength(200);
        expect(first.totalCount).toBe(n);
        expect(first.hasNextPage).toBe(true);
        const second = await graph.alumni('co-hub', { first: 200, after: first.endCursor });
        expect(second.items[0].candidateId > first.items[199].candidateId).toBe(true);
        await expectCode(graph.alumni('co-hub', { first: 5000 }), 'BAD_USER_INPUT');
      });

      it('pages a hub member’s colleagues', async () => {
        const page = await graph.colleagues(people[1000].id, { first: 50 });
        expect(page.items).toHaveLength(50);
        // ~n/240 alumni start each month and a 6-month stint overlaps 11 start months.
        expect(page.totalCount).toBeGreaterThan(n / 25);
        expect(page.items[0].months).toBeGreaterThanOrEqual(page.items[49].months);
      });

      it('cuts the hub neighbourhood at the node limit', async () => {
        const sub = await graph.neighborhood({ id: 'co-hub', depth: 2, limit: 500 });
        expect(sub.nodes).toHaveLength(500);
        expect(sub.truncated).toBe(true);
      });

      it('finds introductions and predictions through the hub with bounded work', async () => {
        // The hub and its schools are too big to make warm ties; the shared consultant is one.
        const to = people[1680 * Math.floor((n - 1) / 1680)].id;
        const paths = await graph.introductionPaths({ from: people[0].id, to, maxHops: 4 });
        expect(paths[0].nodeIds).toEqual([people[0].id, 'hub-consultant', to]);
        expect(paths[0].nodeLabels).toEqual(['Candidate', 'Consultant', 'Candidate']);
        expect(paths[0].strength).toBeCloseTo(0.81, 12);
        expect(paths.length).toBeLessThanOrEqual(10);
        const preds = await new NetworkService(graph).predictLinks({ nodeId: people[3].id, kind: 'CANDIDATE_CANDIDATE', first: 10 });
        expect(preds).toHaveLength(10);
        // Every target shares the hub or a school but never overlapped with the source.
        const colleagues = await graph.colleagues(people[3].id, { first: 200 });
        for (const p of preds) expect(colleagues.items.map((c) => c.candidateId)).not.toContain(p.targetId);
      });

      it('finds the one person who works at the hub now, without walking its alumni', async () => {
        const newcomer = { id: 'hub-newcomer', name: 'Newcomer', ownerId: 'hub-consultant' };
        await graph.upsert({
          candidates: [{ ...newcomer, experiences: [{ companyId: 'co-hub', title: 'Associate', from: '2025-01-01' }] }],
        });
        const paths = await graph.introductionPaths({ from: people[0].id, to: 'co-hub', maxHops: 4 });
        expect(paths.map((p) => p.nodeIds)).toEqual([[people[0].id, 'hub-consultant', newcomer.id]]);
        expect(paths[0].strength).toBeCloseTo(0.81, 12);
        expect(paths[0].employee).toEqual({ candidateId: newcomer.id, title: 'Associate', since: '2025-01-01' });
      });
    });
  });
}
