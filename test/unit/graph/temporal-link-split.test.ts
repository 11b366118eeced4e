import { linksFormedIn, projectionAsOf, sampleGroups } from '../../../src/network/temporal-link-split';
import { careerFixture, ID } from '../../contract/graph/career-fixture';

describe('temporal split of the career graph', () => {
  const p = careerFixture();

  it('keeps only what was known before the cut, with running stints open', () => {
    const snap = projectionAsOf(p, 2019);
    const bob = snap.candidates!.find((c) => c.id === ID.bob)!;
    expect(bob.experiences).toEqual([{ companyId: ID.A, title: 'Data Engineer', from: '2016-06-01' }]);
    expect(bob.applications).toEqual([]);
    const carol = snap.candidates!.find((c) => c.id === ID.carol)!;
    expect(carol.placements).toEqual([]);
  });

  it('finds next employers formed in the window, for people with a past only', () => {
    const pairs = linksFormedIn(p, 'CANDIDATE_COMPANY', 2019, 2021).map((l) => `${l.sourceId}>${l.targetId}`);
    // alice -> Bravo (2019), bob -> Bravo (2020), dave -> Delta (2020); erin starts in 2021, outside.
    expect(pairs).toEqual([`${ID.alice}>${ID.B}`, `${ID.bob}>${ID.B}`, `${ID.dave}>${ID.D}`]);
  });

  it('finds new company flows of the window; repeats of old flows only when asked for', () => {
    const key = (l: { sourceId: string; targetId: string }) => `${l.sourceId}>${l.targetId}`;
    // Alpha -> Bravo had a move in 2019 (alice): a repeat flow, not a new link.
    expect(linksFormedIn(p, 'COMPANY_COMPANY', 2020, 2022).map(key)).toEqual([`${ID.C}>${ID.D}`]);
    expect(linksFormedIn(p, 'COMPANY_COMPANY', 2020, 2022, false).map(key)).toEqual([`${ID.A}>${ID.B}`, `${ID.C}>${ID.D}`]);
  });

  it('finds first-time colleagues only', () => {
    const pairs = linksFormedIn(p, 'CANDIDATE_CANDIDATE', 2021, 2023).map((l) => `${l.sourceId}>${l.targetId}`);
    // frank meets carol at Bravo in 2021-07; bob and carol already overlapped at Bravo in 2020.
    expect(pairs).toContain(`${ID.carol}>${ID.frank}`);
    expect(pairs).not.toContain(`${ID.bob}>${ID.carol}`);
  });

  it('samples negatives that are never the positive, the source or an existing link', () => {
    const groups = sampleGroups(
      [{ sourceId: 'u', targetId: 'p' }],
      ['u', 'p', 'x', 'old', 'y', 'z'],
      () => new Set(['old']),
      { hard: 0, random: 3 },
      10,
      5,
    );
    expect(groups).toHaveLength(1);
    expect(groups[0].negatives.sort()).toEqual(['x', 'y', 'z']);
  });
});
