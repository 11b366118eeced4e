import { averagePrecisionAtThresholds, expectedRank, rankingMetrics, rocAuc } from '../../../src/network/link-metrics';

describe('link metrics', () => {
  it('AUC: perfect, reversed, and ties count half', () => {
    expect(rocAuc([3, 4], [1, 2])).toBe(1);
    expect(rocAuc([1, 2], [3, 4])).toBe(0);
    expect(rocAuc([0, 0], [0, 0, 0])).toBe(0.5);
    // (2,1) win, (2,0) win, (0,1) loss, (0,0) tie.
    expect(rocAuc([2, 0], [1, 0])).toBeCloseTo(2.5 / 4, 12);
  });

  it('AUCPR as average precision over distinct thresholds', () => {
    // ranking: P(0.9) N(0.8) P(0.7): precision 1 at recall .5, 2/3 at recall 1.
    expect(averagePrecisionAtThresholds([0.9, 0.7], [0.8])).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12);
    // all tied: precision = base rate.
    expect(averagePrecisionAtThresholds([0, 0], [0, 0, 0, 0, 0, 0])).toBeCloseTo(0.25, 12);
  });

  it('ranks ties at their expected position', () => {
    expect(expectedRank(5, [6, 5, 5, 1])).toBe(1 + 1 + 1);
    const m = rankingMetrics([
      { positive: 1, negatives: [0, 0, 0] },
      { positive: 0, negatives: Array.from({ length: 100 }, () => 0) },
    ]);
    expect(m.hits10).toBe(0.5);
    expect(m.hits50).toBe(0.5);
    expect(m.mrr).toBeCloseTo((1 + 1 / 51) / 2, 12);
  });
});
