import { averagePrecision, ndcgAt, parseQrels, recallAt, reciprocalRank } from '../../src/shared/ranking-metrics';

const rel = new Map([
  ['a', 1],
  ['c', 1],
]);

describe('ranking metrics', () => {
  it('averages precision at each relevant hit over all relevant ids', () => {
    // hits at ranks 1 and 3: (1/1 + 2/3) / 2
    expect(averagePrecision(['a', 'b', 'c'], rel)).toBeCloseTo((1 + 2 / 3) / 2, 10);
    expect(averagePrecision(['b', 'd'], rel)).toBe(0);
  });

  it('normalises DCG by the ideal ordering', () => {
    expect(ndcgAt(['a', 'c', 'b'], rel, 10)).toBeCloseTo(1, 10);
    const dcg = 1 / Math.log2(2) + 1 / Math.log2(4);
    const ideal = 1 / Math.log2(2) + 1 / Math.log2(3);
    expect(ndcgAt(['a', 'b', 'c'], rel, 10)).toBeCloseTo(dcg / ideal, 10);
  });

  it('counts recall and reciprocal rank within the cut-off', () => {
    expect(recallAt(['b', 'a', 'c'], rel, 2)).toBe(0.5);
    expect(reciprocalRank(['b', 'a'], rel)).toBe(0.5);
    expect(reciprocalRank(['b'], rel)).toBe(0);
  });

  it('reads TREC qrels and drops non-relevant judgements', () => {
    const q = parseQrels('1 0 10 1\n1 0 11 0\n2 0 12 2\n');
    expect([...q.get('1')!.keys()]).toEqual(['10']);
    expect(q.get('2')!.get('12')).toBe(2);
  });
});
