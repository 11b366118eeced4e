import { chooseTargets, sizeBand, targetTable, unionOfSources, type TargetStats } from '../../../src/adapters/graph/link-features';
import type { LinkCandidate } from '../../../src/adapters/graph/relation-graph';

const row = (targetId: string, commonNeighbours: number): Omit<LinkCandidate, 'sources'> => ({
  targetId,
  targetLabel: 'Company',
  features: {
    commonNeighbours,
    adamicAdar: 0,
    resourceAllocation: 0,
    preferentialAttachment: 0,
    jaccard: 0,
    recencyWeightedFlow: 0,
    targetInDegree: 0,
    embeddingSimilarity: null,
    targetRecentInDegree: 0,
    sameIndustry: 0,
  },
  commons: [],
  direct: false,
});

describe('the candidate pool as a union of sources', () => {
  it('lists each target once, with every source that offered it in the declared order, the first row kept', () => {
    const pool = unionOfSources([
      ['POPULARITY', [row('b', 0), row('c', 0)]],
      ['NEIGHBOURHOOD', [row('a', 2), row('b', 1)]],
    ]);
    expect(pool.map((c) => [c.targetId, c.sources])).toEqual([
      ['b', ['NEIGHBOURHOOD', 'POPULARITY']],
      ['c', ['POPULARITY']],
      ['a', ['NEIGHBOURHOOD']],
    ]);
    expect(pool[0].features.commonNeighbours).toBe(0);
  });

  it('is empty when no source offers anything', () => {
    expect(unionOfSources([['NEIGHBOURHOOD', []]])).toEqual([]);
  });
});

describe('the table-driven sources', () => {
  const t = (id: string, o: Partial<TargetStats>): TargetStats => ({
    id,
    inDegree: 0,
    recentInDegree: 0,
    industry: null,
    location: null,
    headcount: 0,
    closed: false,
    ...o,
  });
  const table = targetTable([
    t('src', { industry: 'fin', location: 'Shanghai', headcount: 40 }),
    t('same-city-size', { industry: 'retail', location: 'Shanghai', headcount: 60 }),
    t('same-industry-only', { industry: 'fin', location: 'Beijing', headcount: 4000 }),
    t('hot-fin', { industry: 'fin', location: 'Beijing', headcount: 4000, inDegree: 9, recentInDegree: 5 }),
    t('old-fin', { industry: 'fin', inDegree: 20 }),
    t('partner', { industry: 'fin', location: 'Shanghai', headcount: 50, inDegree: 3, recentInDegree: 1 }),
  ]);
  const links = { existing: new Map([['partner', 4]]), never: new Set<string>(), senders: new Map([['partner', 2]]), profileIds: ['src'] };
  const choose = (mode: 'NEW' | 'REPEAT' | 'ANY') =>
    Object.fromEntries(
      chooseTargets(table, links, {
        sourceId: 'src',
        mode,
        sources: new Set(['POPULARITY', 'SECTOR_POPULARITY', 'REVERSE_FLOW', 'SIMILAR', 'EXISTING'] as const),
        taken: new Set(),
        companies: true,
      }),
    );

  it('bands sizes by powers of ten', () => {
    expect([0, 1, 9, 10, 99, 100, 9999, 10000].map(sizeBand)).toEqual([0, 1, 1, 2, 2, 3, 4, 5]);
  });

  it('ranks each source by its own rule and offers only what the mode offers', () => {
    expect(choose('NEW')).toEqual({
      POPULARITY: ['old-fin', 'hot-fin'],
      // Recent moves only, in the source's industry.
      SECTOR_POPULARITY: ['hot-fin'],
      REVERSE_FLOW: [],
      // Two of industry, size band and location: a Shanghai retailer of the same size counts, a big bank in Beijing does not.
      SIMILAR: ['same-city-size'],
    });
    expect(choose('REPEAT')).toEqual({ EXISTING: ['partner'] });
    expect(choose('ANY').REVERSE_FLOW).toEqual(['partner']);
    expect(choose('ANY').SIMILAR).toEqual(['partner', 'same-city-size']);
  });
});
