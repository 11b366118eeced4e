import { monthIndex, moveDeltas, moveKey, movesOf, overlapMonths } from '../../../src/adapters/graph/career-timeline';
import { GraphError } from '../../../src/adapters/graph/graph-errors';

describe('career timeline', () => {
  it('indexes months and rejects malformed dates with BAD_USER_INPUT', () => {
    expect(monthIndex('2020-01-15')).toBe(2020 * 12);
    expect(monthIndex('2020-12-01') - monthIndex('2020-01-01')).toBe(11);
    for (const bad of ['2020-13-01', '2020/01/01', '20-01-01', '']) {
      expect(() => monthIndex(bad)).toThrow(GraphError);
    }
  });

  it('counts overlap months inclusively', () => {
    expect(overlapMonths(10, 20, 20, 30)).toBe(1);
    expect(overlapMonths(10, 20, 21, 30)).toBe(0);
    expect(overlapMonths(10, 20, 12, 15)).toBe(4);
  });

  it('derives moves from consecutive stints, boomerangs included', () => {
    const moves = movesOf([
      { companyId: 'B', title: 'x', from: '2017-01-01', to: '2021-06-30' },
      { companyId: 'A', title: 'x', from: '2010-01-01', to: '2011-12-31' },
      { companyId: 'C', title: 'x', from: '2012-01-01', to: '2016-12-31' },
      { companyId: 'B', title: 'x', from: '2021-07-01' },
    ]);
    expect(moves.map(moveKey)).toEqual(['A>C>2012', 'C>B>2017']);
  });

  it('diffs move counts so re-projecting the same stints changes nothing', () => {
    expect(moveDeltas(['A>B>2019', 'A>C>2012'], ['A>C>2012', 'A>C>2012'])).toEqual(
      new Map([
        ['A>B>2019', -1],
        ['A>C>2012', 1],
      ]),
    );
    expect(moveDeltas(['A>B>2019'], ['A>B>2019']).size).toBe(0);
  });
});
