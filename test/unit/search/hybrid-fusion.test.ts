import { rankedFusion, relativeScoreFusion } from '../../../src/adapters/search/hybrid-fusion';

describe('relativeScoreFusion', () => {
  it('min-max normalises each set before weighting (Weaviate example: [1, 8, 6, 11] -> [0, 0.7, 0.5, 1])', () => {
    const fused = relativeScoreFusion(
      [
        [
          { id: 'd', score: 11 },
          { id: 'b', score: 8 },
          { id: 'c', score: 6 },
          { id: 'a', score: 1 },
        ],
      ],
      [1],
    );
    expect(fused.map((r) => [r.id, Number(r.score.toFixed(6))])).toEqual([
      ['d', 1],
      ['b', 0.7],
      ['c', 0.5],
      ['a', 0],
    ]);
  });

  it('sums alpha-weighted normalised scores of documents found by both searches', () => {
    const keyword = [
      { id: 'a', score: 4 },
      { id: 'b', score: 2 },
      { id: 'c', score: 0 },
    ];
    const vector = [
      { id: 'c', score: 0.9 },
      { id: 'a', score: 0.5 },
      { id: 'd', score: 0.1 },
    ];
    const fused = relativeScoreFusion([keyword, vector], [0.25, 0.75]);
    const byId = Object.fromEntries(fused.map((r) => [r.id, r.score]));
    expect(byId.a).toBeCloseTo(0.25 * 1 + 0.75 * 0.5, 9);
    expect(byId.b).toBeCloseTo(0.25 * 0.5, 9);
    expect(byId.c).toBeCloseTo(0.25 * 0 + 0.75 * 1, 9);
    expect(byId.d).toBeCloseTo(0, 9);
    expect(fused.map((r) => r.id)).toEqual(['c', 'a', 'b', 'd']);
  });

  it('gives every member of a set with equal scores the full weight', () => {
    const fused = relativeScoreFusion(
      [
        [
          { id: 'x', score: 3 },
          { id: 'y', score: 3 },
        ],
        [],
      ],
      [0.4, 0.6],
    );
    expect(fused).toEqual([
      { id: 'x', score: 0.4 },
      { id: 'y', score: 0.4 },
    ]);
  });

  it('returns nothing for empty sets', () => {
    expect(relativeScoreFusion([[], []], [0.5, 0.5])).toEqual([]);
  });
});

describe('rankedFusion', () => {
  it('adds weight / (rank + 60) per set with 0-based ranks', () => {
    const fused = rankedFusion(
      [
        [
          { id: 'a', score: 9 },
          { id: 'b', score: 1 },
        ],
        [
          { id: 'b', score: 0.9 },
          { id: 'c', score: 0.8 },
        ],
      ],
      [0.5, 0.5],
    );
    const byId = Object.fromEntries(fused.map((r) => [r.id, r.score]));
    expect(byId.a).toBeCloseTo(0.5 / 60, 12);
    expect(byId.b).toBeCloseTo(0.5 / 61 + 0.5 / 60, 12);
    expect(byId.c).toBeCloseTo(0.5 / 61, 12);
    expect(fused.map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });

  it('ignores raw score magnitudes', () => {
    const small = rankedFusion(
      [
        [
          { id: 'a', score: 0.001 },
          { id: 'b', score: 0.0001 },
        ],
      ],
      [1],
    );
    const big = rankedFusion(
      [
        [
          { id: 'a', score: 1000 },
          { id: 'b', score: 1 },
        ],
      ],
      [1],
    );
    expect(small).toEqual(big);
  });
});
