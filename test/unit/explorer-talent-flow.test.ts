// The explorer's talent-flow chord (explorer/src/talent-flow.ts): which companies it shows and the
// moves among them it draws, from talentFlow answers.
import { chordMembers, flowMatrix, type FlowPartner } from '../../explorer/src/talent-flow';

const partner = (companyId: string, byYear: [number, number][]): FlowPartner => ({
  companyId,
  total: byYear.reduce((s, [, n]) => s + n, 0),
  byYear: byYear.map(([year, count]) => ({ year, count })),
  company: { name: companyId.toUpperCase() },
});

describe('explorer talent-flow chord', () => {
  it('shows the company first, then the partners with most moves in and out together', () => {
    const inflow = [partner('b', [[2020, 3]]), partner('c', [[2021, 2]])];
    const outflow = [partner('c', [[2021, 2]]), partner('d', [[2019, 1]]), partner('e', [[2022, 1]])];
    const members = chordMembers({ id: 'a', name: 'A' }, inflow, outflow, 3);
    // c: 2 in + 2 out before b's 3; d and e tie at 1 and go by id.
    expect(members).toEqual([
      { id: 'a', name: 'A' },
      { id: 'c', name: 'C' },
      { id: 'b', name: 'B' },
      { id: 'd', name: 'D' },
    ]);
  });

  it('counts moves from row to column among the members only, for all years or one', () => {
    const members = ['a', 'b', 'c'].map((id) => ({ id, name: id }));
    const outOf = [
      [
        partner('b', [
          [2020, 2],
          [2021, 1],
        ]),
        partner('zz', [[2020, 9]]),
      ],
      [partner('c', [[2021, 4]]), partner('a', [[2020, 5]])],
      [],
    ];
    expect(flowMatrix(members, outOf, undefined)).toEqual([
      [0, 3, 0],
      [5, 0, 4],
      [0, 0, 0],
    ]);
    expect(flowMatrix(members, outOf, 2021)).toEqual([
      [0, 1, 0],
      [0, 0, 4],
      [0, 0, 0],
    ]);
  });
});
