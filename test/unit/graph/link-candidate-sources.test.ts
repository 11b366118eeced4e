import { unionOfSources } from '../../../src/adapters/graph/link-features';
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
