import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { movesOf } from '../../../src/adapters/graph/career-timeline';
import type { CandidateFacts, GraphProjection, LinkKind, LinkMode, LinkPair } from '../../../src/adapters/graph/relation-graph';
import { EmbeddedRelationGraph } from '../../../src/adapters/graph/embedded-relation-graph';
import { defaultCutoffYear, snapshotGraph, trainLinkPredictor, TooFewExamplesError } from '../../../src/network/link-predictor';
import { generateCareerGraph, generateRealisticCareerGraph } from '../../../src/network/synthetic-career-graph';
import { DEFAULT_SCORER, scoreLink, scorerOf, scoreWithKindModel, defaultScore, type LinkModel } from '../../../src/network/link-scoring';
import {
  choosePositives,
  existingLinks,
  linksFormedIn,
  projectionAsOf,
  repeatLinksIn,
  sampleGroups,
  targetUniverse,
} from '../../../src/network/temporal-link-split';

jest.setTimeout(60_000);

const moved = (p: GraphProjection, before: number) => {
  const pairs = new Set<string>();
  for (const c of p.candidates ?? []) for (const m of movesOf(c.experiences ?? [])) if (m.year < before) pairs.add(`${m.from}>${m.to}`);
  return pairs;
};

describe('training examples match the question predictLinks answers (new links, served negatives)', () => {
  const projection = generateCareerGraph({ candidates: 1500, companies: 80, seed: 3, endYear: 2025 });

  it('a NEW positive is never a pair that already had a move before the window; with repeats allowed there are some', () => {
    const before = moved(projection, 2020);
    const fresh = linksFormedIn(projection, 'COMPANY_COMPANY', 2020, 2022);
    const any = linksFormedIn(projection, 'COMPANY_COMPANY', 2020, 2022, false);
    expect(fresh.length).toBeGreaterThan(20);
    for (const p of fresh) expect(before.has(`${p.sourceId}>${p.targetId}`)).toBe(false);
    expect(any.filter((p) => before.has(`${p.sourceId}>${p.targetId}`)).length).toBeGreaterThan(0);
  });

  it("hard negatives come from the source's served pool at the snapshot; none is a positive or an existing partner", async () => {
    const { graph, snapshot } = await snapshotGraph(projection, 2020);
    const positives = linksFormedIn(projection, 'COMPANY_COMPANY', 2020, 2022);
    const chosen = choosePositives(positives, 30, 9);
    const pool = new Map<string, string[]>();
    for (const p of chosen) {
      const rows = await graph.linkCandidates({ nodeId: p.sourceId, kind: 'COMPANY_COMPANY', asOfYear: 2020, mode: 'NEW' });
      pool.set(
        p.sourceId,
        rows.map((r) => r.targetId),
      );
    }
    const existing = existingLinks(snapshot, 'COMPANY_COMPANY');
    const universe = targetUniverse(snapshot, 'COMPANY_COMPANY');
    const hardOnly = sampleGroups(positives, universe, existing, { hard: 5, random: 0, pool }, 30, 9);
    expect(hardOnly.map((g) => `${g.sourceId}>${g.positive}`)).toEqual(chosen.map((p) => `${p.sourceId}>${p.targetId}`));
    const positiveOf = new Set(positives.map((p) => `${p.sourceId}>${p.targetId}`));
    for (const g of hardOnly) {
      for (const n of g.negatives) {
        expect(pool.get(g.sourceId)).toContain(n);
        expect(positiveOf.has(`${g.sourceId}>${n}`)).toBe(false);
        expect(existing(g.sourceId).has(n)).toBe(false);
      }
    }
    // Uniform negatives on top of the hard ones.
    const mixed = sampleGroups(positives, universe, existing, { hard: 5, random: 20, pool }, 30, 9);
    const count = (gs: { negatives: string[] }[]) => gs.reduce((n, g) => n + g.negatives.length, 0);
    expect(count(mixed)).toBeGreaterThan(count(hardOnly) + 10 * mixed.length);
  });

  it('the batched pool lookup (linkPools) gives each source the targets linkCandidates offers, in the same order', async () => {
    const { graph, snapshot } = await snapshotGraph(projection, 2020);
    const candidates = (snapshot.candidates ?? []).filter((c) => (c.experiences ?? []).length > 0).map((c) => c.id);
    const companies = targetUniverse(snapshot, 'COMPANY_COMPANY');
    const pick = (ids: string[]) => ids.filter((_, i) => i % Math.ceil(ids.length / 8) === 0);
    const asked: [LinkKind, LinkMode, string[], string | undefined][] = [
      ['CANDIDATE_COMPANY', 'NEW', pick(candidates), undefined],
      ['CANDIDATE_COMPANY', 'REPEAT', pick(candidates), undefined],
      ['COMPANY_COMPANY', 'NEW', pick(companies), undefined],
      ['COMPANY_COMPANY', 'ANY', pick(companies), '2018-06-01'],
      ['CANDIDATE_JOB', 'NEW', pick(candidates), undefined],
      ['CANDIDATE_CANDIDATE', 'NEW', pick(candidates), undefined],
    ];
    for (const [kind, mode, sources, asOf] of asked) {
      const pools = await graph.linkPools(kind, [...sources, 'no-such-node'], { mode, asOf });
      expect(pools.get('no-such-node')).toEqual([]);
      let offered = 0;
      for (const nodeId of sources) {
        const rows = await graph.linkCandidates({ nodeId, kind, mode, asOf });
        expect({ kind, mode, nodeId, pool: pools.get(nodeId) }).toEqual({ kind, mode, nodeId, pool: rows.map((r) => r.targetId) });
        offered += rows.length;
      }
      // Not a comparison of empty pools.
      expect(offered).toBeGreaterThan(sources.length);
    }
  });

  it('a fact dated after the cut-off cannot change a training feature', async () => {
    const year = 2020;
    const pairs: LinkPair[] = choosePositives(linksFormedIn(projection, 'CANDIDATE_COMPANY', year, year + 2), 40, 1);
    const companyPairs = choosePositives(linksFormedIn(projection, 'COMPANY_COMPANY', year, year + 2), 40, 1);
    const late = structuredClone(projection);
    const [a, b] = [companyPairs[0].sourceId, companyPairs[0].targetId];
    // Later moves between the very pairs, a stint that started before the cut-off ending at another date, a newcomer.
    for (const c of late.candidates!.slice(0, 200)) {
      const stints = c.experiences!;
      const last = stints[stints.length - 1];
      if (last.from >= '2022-12-01' || (last.to !== undefined && last.to < `${year}-01-01`)) continue;
      last.to = '2022-12-31'; // it ran past the cut-off: its end is not known then
      stints.push(
        { companyId: a, title: 'Later', from: '2023-01-01', to: '2023-12-31' },
        { companyId: b, title: 'Later', from: '2024-01-01' },
      );
    }
    const newcomer: CandidateFacts = {
      id: 'late-candidate',
      name: 'Late',
      experiences: [
        { companyId: a, title: 'x', from: `${year}-02-01`, to: `${year}-12-31` },
        { companyId: b, title: 'y', from: `${year + 1}-01-01` },
      ],
    };
    late.candidates!.push(newcomer);
    expect(projectionAsOf(late, year)).not.toEqual(projectionAsOf(projection, year)); // the newcomer stays, without stints
    const [original, withLate, dated] = await Promise.all([
      snapshotGraph(projection, year),
      snapshotGraph(late, year),
      snapshotGraph(late, 2025),
    ]);
    for (const [kind, list] of [
      ['CANDIDATE_COMPANY', pairs],
      ['COMPANY_COMPANY', companyPairs],
    ] as const) {
      const before = await original.graph.linkFeatures(kind, list, year);
      expect(await withLate.graph.linkFeatures(kind, list, year)).toEqual(before);
      // The same facts seen before they are dated do change them (the comparison can fail).
      expect(await dated.graph.linkFeatures(kind, list, year)).not.toEqual(before);
    }
  });
});

describe('linkpred train fails loudly and ships only what beats in-degree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matchhub-linkpred-train-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('derives the cut-off from the latest year with moves', () => {
    const p = generateCareerGraph({ candidates: 300, companies: 30, seed: 2, startYear: 1995, endYear: 2010 });
    expect(defaultCutoffYear(p, 2)).toEqual({ cutoffYear: 2009, because: expect.stringContaining('latest year with moves 2010') });
  });

  it('a kind with too few examples fails the training with BAD_USER_INPUT, a problem for the kind, and stores nothing', async () => {
    const projection = generateRealisticCareerGraph({ companies: 300, moves: 1500, seed: 4 });
    const run = trainLinkPredictor({ projection, modelDir: dir, kinds: ['COMPANY_COMPANY', 'CANDIDATE_JOB'], maxPositives: 100 });
    await expect(run).rejects.toBeInstanceOf(TooFewExamplesError);
    await expect(run).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: expect.arrayContaining([{ path: 'kinds.CANDIDATE_JOB', message: expect.stringMatching(/^0 new links formed in/) }]),
    });
    const err = (await run.catch((e: unknown) => e)) as TooFewExamplesError;
    expect(err.problems.some((p) => p.path === 'kinds.COMPANY_COMPANY')).toBe(false);
    expect(err.message).toMatch(/--kinds/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("counts every kind's new links before any feature: a kind with too few fails naming it, its count, the minimum and --kinds", async () => {
    const projection = generateRealisticCareerGraph({ companies: 300, moves: 1500, seed: 4 });
    const pools = jest.spyOn(EmbeddedRelationGraph.prototype, 'linkCandidates');
    const features = jest.spyOn(EmbeddedRelationGraph.prototype, 'linkFeatures');
    try {
      // Every kind, as `linkpred train` without --kinds asks: the realistic network has no applications.
      const err = (await trainLinkPredictor({ projection, modelDir: dir, cutoffYear: 2014 }).catch(
        (e: unknown) => e,
      )) as TooFewExamplesError;
      expect(err).toBeInstanceOf(TooFewExamplesError);
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.problems).toEqual([
        { path: 'kinds.CANDIDATE_JOB', message: '0 new links formed in 2010-2011 (features as of 2010), at least 50 needed' },
        { path: 'kinds.CANDIDATE_JOB', message: '0 new links formed in 2012-2013 (features as of 2012), at least 50 needed' },
        {
          path: 'hint',
          message: expect.stringMatching(
            /leave the kind out \(--kinds\); the kinds with enough links: --kinds CANDIDATE_COMPANY,COMPANY_COMPANY,CANDIDATE_CANDIDATE$/,
          ),
        },
      ]);
      expect(err.message).toMatch(/^Too few examples to train link prediction \(nothing was stored\)/);
      // No pool was built and no feature computed for any kind, those with enough links included.
      expect(pools).not.toHaveBeenCalled();
      expect(features).not.toHaveBeenCalled();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      pools.mockRestore();
      features.mockRestore();
    }
  });

  it('does not store a kind whose model cannot beat in-degree on the validation window', async () => {
    // Every new company -> company link goes to the biggest destination: in-degree ranks it first every time.
    const candidates: CandidateFacts[] = [];
    let id = 0;
    for (let year = 2010; year <= 2024; year += 1) {
      for (let k = 0; k < 12; k += 1) {
        const source = `co-${String(1 + (((year - 2010) * 12 + k) % 150)).padStart(3, '0')}`;
        candidates.push({
          id: `p-${id++}`,
          name: 'x',
          experiences: [
            { companyId: source, title: 'a', from: `${year - 3}-01-01`, to: `${year - 1}-12-31` },
            { companyId: 'co-000', title: 'b', from: `${year}-03-01` },
          ],
        });
      }
    }
    const projection: GraphProjection = { candidates, companies: [] };
    const r = await trainLinkPredictor({ projection, modelDir: dir, kinds: ['COMPANY_COMPANY'], minExamples: 10, cutoffYear: 2023 });
    expect(r.guard.COMPANY_COMPANY).toMatchObject({ shipped: false, inDegree: { hits50: 1, mrr: 1 } });
    expect(r.model.kinds.COMPANY_COMPANY).toBeUndefined();
    expect(r.examples.COMPANY_COMPANY).toBeGreaterThan(10);
    // Sources come round again only after 150 moves: too few repeat links skip REPEAT without failing the training.
    expect(r.repeatGuard.COMPANY_COMPANY).toMatchObject({
      shipped: false,
      skipped: expect.stringMatching(/^0 repeat links formed in 2019-2020, at least 10 needed/),
    });
    expect(r.model.repeatKinds?.COMPANY_COMPANY).toBeUndefined();
  });
});

describe('REPEAT: repeat links train a model of their own, which answers mode REPEAT only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matchhub-linkpred-repeat-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = (p: LinkPair) => `${p.sourceId}>${p.targetId}`;

  it('repeat and new links of a window split the links formed in it: existing partners on one side, first links on the other', () => {
    const projection = generateRealisticCareerGraph({ companies: 300, moves: 1500, seed: 4 });
    const before = moved(projection, 2010);
    const repeat = repeatLinksIn(projection, 'COMPANY_COMPANY', 2010, 2012);
    const fresh = linksFormedIn(projection, 'COMPANY_COMPANY', 2010, 2012);
    const any = linksFormedIn(projection, 'COMPANY_COMPANY', 2010, 2012, false);
    expect(repeat.length).toBeGreaterThan(10);
    for (const p of repeat) expect(before.has(key(p))).toBe(true);
    expect(new Set([...repeat, ...fresh].map(key))).toEqual(new Set(any.map(key)));
    expect(repeatLinksIn(projection, 'CANDIDATE_JOB', 2010, 2012)).toEqual([]);
  });

  it('a candidate returning to a former employer is a CANDIDATE_COMPANY repeat link; a new title at the same company is not', () => {
    const projection: GraphProjection = {
      candidates: [
        {
          id: 'boomerang',
          name: 'b',
          experiences: [
            { companyId: 'a', title: 'x', from: '2015-01-01', to: '2017-12-31' },
            { companyId: 'b', title: 'x', from: '2018-01-01', to: '2020-06-30' },
            { companyId: 'a', title: 'y', from: '2020-07-01' },
          ],
        },
        {
          id: 'stayer',
          name: 's',
          experiences: [
            { companyId: 'c', title: 'x', from: '2015-01-01', to: '2020-02-28' },
            { companyId: 'c', title: 'senior x', from: '2020-03-01' },
          ],
        },
      ],
    };
    expect(repeatLinksIn(projection, 'CANDIDATE_COMPANY', 2020, 2022)).toEqual([{ sourceId: 'boomerang', targetId: 'a' }]);
    expect(linksFormedIn(projection, 'CANDIDATE_COMPANY', 2020, 2022)).toEqual([]);
  });

  it('training fits a REPEAT model on repeat links and stores it only when its guard passes', async () => {
    const projection = generateRealisticCareerGraph({ companies: 300, moves: 1500, seed: 4 });
    const r = await trainLinkPredictor({
      projection,
      modelDir: dir,
      kinds: ['COMPANY_COMPANY'],
      maxPositives: 60,
      maxTestPositives: 60,
      minExamples: 10,
    });
    const g = r.repeatGuard.COMPANY_COMPANY!;
    expect(g.skipped).toBeUndefined();
    expect(g.positives).toBeGreaterThan(10);
    expect(r.repeatExamples.COMPANY_COMPANY).toBeGreaterThan(g.positives);
    expect(g.defaultHeuristic).toEqual({ hits50: expect.any(Number), mrr: expect.any(Number) });
    expect(r.model.repeatKinds?.COMPANY_COMPANY !== undefined).toBe(g.shipped);
    expect(r.model.trainedOn.repeatGuard).toEqual(r.repeatGuard);
  });

  it('mode NEW scores with the new-link model, REPEAT with the repeat model, ANY and a missing model with the heuristic', () => {
    const km = (w: number) => ({ featureNames: ['targetInDegree'], mean: [0], std: [1], weights: [w], bias: 0 });
    const model: LinkModel = {
      format: 'matchhub-linkpred',
      version: 7,
      createdAt: '2026-01-01T00:00:00.000Z',
      kinds: { COMPANY_COMPANY: km(1) },
      repeatKinds: { COMPANY_COMPANY: km(-1) },
      trainedOn: {},
    };
    const f = {
      commonNeighbours: 1,
      adamicAdar: 0.5,
      resourceAllocation: 0.1,
      preferentialAttachment: 12,
      jaccard: 0.1,
      recencyWeightedFlow: 2,
      targetInDegree: 3,
      targetRecentInDegree: 1,
      sameIndustry: 1,
      embeddingSimilarity: null,
    };
    expect(scoreLink('COMPANY_COMPANY', f, model, 'NEW')).toBe(scoreWithKindModel(km(1), f));
    expect(scoreLink('COMPANY_COMPANY', f, model, 'REPEAT')).toBe(scoreWithKindModel(km(-1), f));
    expect(scoreLink('COMPANY_COMPANY', f, model, 'ANY')).toBe(defaultScore(f));
    expect(scoreLink('CANDIDATE_COMPANY', f, model, 'REPEAT')).toBe(defaultScore(f));
    expect(scorerOf('COMPANY_COMPANY', model, 'REPEAT')).toEqual({ name: 'linkpred-v7', modelVersion: 7, trainedAt: model.createdAt });
    expect(scorerOf('COMPANY_COMPANY', { ...model, repeatKinds: undefined }, 'REPEAT').name).toBe(DEFAULT_SCORER);
    expect(scorerOf('COMPANY_COMPANY', model, 'ANY').name).toBe(DEFAULT_SCORER);
  });
});

describe('the realistic career network has real-world shape', () => {
  const projection = generateRealisticCareerGraph({ companies: 2000, moves: 4000, seed: 7 });
  const moves = (projection.candidates ?? []).flatMap((c) => movesOf(c.experiences ?? []));

  it('has the moves asked for, and the top tenth of companies receives most of them', () => {
    expect(moves.length).toBe(4000);
    const inflow = new Map<string, number>();
    for (const m of moves) inflow.set(m.to, (inflow.get(m.to) ?? 0) + 1);
    const top = [...inflow.values()].sort((x, y) => y - x).slice(0, 200);
    expect(top.reduce((s, x) => s + x, 0) / moves.length).toBeGreaterThan(0.5);
  });

  it('has sector structure: moves stay in the sector far more often than chance', () => {
    const sector = new Map((projection.companies ?? []).map((c) => [c.id, c.industry]));
    const within = moves.filter((m) => sector.get(m.from) === sector.get(m.to)).length / moves.length;
    const sizes = new Map<string, number>();
    for (const s of sector.values()) sizes.set(s!, (sizes.get(s!) ?? 0) + 1);
    const chance = [...sizes.values()].reduce((s, n) => s + (n / sector.size) ** 2, 0);
    expect(within).toBeGreaterThan(2 * chance);
  });

  it('only a minority of new company pairs were within two hops at the cut-off', async () => {
    const { graph } = await snapshotGraph(projection, 2012);
    const fresh = linksFormedIn(projection, 'COMPANY_COMPANY', 2012, 2014);
    expect(fresh.length).toBeGreaterThan(100);
    const features = await graph.linkFeatures('COMPANY_COMPANY', fresh, 2012);
    const near = features.filter((f) => f.commonNeighbours > 0).length / fresh.length;
    expect(near).toBeLessThan(0.5);
    expect(near).toBeGreaterThan(0.05);
  });
});
