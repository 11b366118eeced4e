import { explain, locationFit, predict, PRIOR_MODEL, seniorityFit, type MatchComponents } from '../../src/matching/match-score-model';

const base: MatchComponents = {
  keyword: 2,
  vector: 0.6,
  vectorProfile: 0.6,
  vectorTitle: 0.6,
  vectorSkills: 0.6,
  skillsRequired: 0.5,
  skillsPreferred: null,
  seniorityFit: 1,
  locationFit: 1,
  talentFlow: 0,
  warmPath: 0,
};

describe('match score model', () => {
  it('gives a probability that rises with each component the model weighs positively', () => {
    const p = predict(PRIOR_MODEL, base);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(predict(PRIOR_MODEL, { ...base, skillsRequired: 1 })).toBeGreaterThan(p);
    expect(predict(PRIOR_MODEL, { ...base, vector: 0.8 })).toBeGreaterThan(p);
    expect(predict(PRIOR_MODEL, { ...base, locationFit: 0 })).toBeLessThan(p);
  });

  it('treats an unknown fit as neutral, between a fit and a misfit', () => {
    const unknown = predict(PRIOR_MODEL, { ...base, seniorityFit: null });
    expect(unknown).toBeLessThan(predict(PRIOR_MODEL, base));
    expect(unknown).toBeGreaterThan(predict(PRIOR_MODEL, { ...base, seniorityFit: 0 }));
  });

  it('explains a score by the three components that differ most from the job average, in words', () => {
    const avg = [Math.log1p(2), 0.6, 0.5, 0.5, 1, 1, 0, 0];
    const text = explain(PRIOR_MODEL, { ...base, skillsRequired: 1, locationFit: 0, talentFlow: 3, keyword: 2.5 }, avg);
    const parts = text.split('; ');
    expect(parts).toHaveLength(3);
    // Location 1 -> 0 moves the log-odds by 0.8, required skills 0.5 -> 1 by 0.75, talent flow 0 -> 3 by 0.42.
    expect(parts).toEqual(['location fit lowered it', 'required skills covered raised it', 'talent flow from their employers raised it']);
    expect(text).not.toMatch(/keyword/);
    expect(explain(PRIOR_MODEL, base, avg)).toMatch(/like the job's other candidates/);
  });

  it('fits seniority by years of experience within the band, falling off outside it', () => {
    expect(seniorityFit('SENIOR', 8)).toBe(1);
    expect(seniorityFit('SENIOR', 3)).toBe(0.5);
    expect(seniorityFit('JUNIOR', 20)).toBe(0);
    expect(seniorityFit(null, 5)).toBeNull();
    expect(seniorityFit('MID', null)).toBeNull();
  });

  it('fits location: same place, a wished-for place, remote, elsewhere, unknown', () => {
    expect(locationFit('Shanghai', ' shanghai ', [])).toBe(1);
    expect(locationFit('Shanghai', 'Beijing', ['Shanghai'])).toBe(0.8);
    expect(locationFit('Remote', 'Beijing', [])).toBe(0.5);
    expect(locationFit('Shanghai', 'Beijing', [])).toBe(0);
    expect(locationFit(null, 'Beijing', [])).toBeNull();
    expect(locationFit('Shanghai', null, [])).toBeNull();
  });
});
