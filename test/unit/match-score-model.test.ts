import {
  explain,
  jobMeanFor,
  locationFit,
  MODEL_FEATURES,
  predict,
  PRIOR_MODEL,
  seniorityFit,
  type MatchComponents,
  type MatchScoreModel,
} from '../../src/matching/match-score-model';
import { fromRow, toRow } from '../../src/matching/match-score-models';

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
  linkPrediction: null,
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

  /** A model over every component: prior-1's weights, and the link-prediction score's log-odds weighed 1 around a mean of logit(0.2). */
  const withLink: MatchScoreModel = {
    version: 'learned-9',
    target: 'INTERVIEW',
    trainedAt: null,
    features: MODEL_FEATURES,
    fitted: {
      mean: [...PRIOR_MODEL.fitted.mean, Math.log(0.2 / 0.8)],
      std: [...PRIOR_MODEL.fitted.std, 1],
      weights: [...PRIOR_MODEL.fitted.weights, 1],
      bias: PRIOR_MODEL.fitted.bias,
    },
  };

  it("raises the score of a candidate the link predictor sees moving to the job's company, and leaves an unknown score neutral", () => {
    const likely = predict(withLink, { ...base, linkPrediction: 0.9 });
    const unlikely = predict(withLink, { ...base, linkPrediction: 0.01 });
    const unknown = predict(withLink, base);
    expect(likely).toBeGreaterThan(unlikely);
    // Unknown (no trained link model) counts at the training mean: as a candidate scored exactly there.
    expect(unknown).toBeCloseTo(predict(withLink, { ...base, linkPrediction: 0.2 }), 12);
    expect(unknown).toBeCloseTo(predict(PRIOR_MODEL, base), 12);
    const avg = jobMeanFor(withLink, {
      mean: [Math.log1p(2), 0.6, 0.5, 0.5, 1, 1, 0, 0, Math.log(0.2 / 0.8)],
      known: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    });
    expect(explain(withLink, { ...base, linkPrediction: 0.95 }, avg)).toBe('predicted move to the company raised it');
    expect(explain(withLink, base, avg)).toMatch(/like the job's other candidates/);
    // A job whose rows mostly lack the score: those count at the training mean.
    const sparse = jobMeanFor(withLink, { mean: [0, 0, 0, 0, 0, 0, 0, 0, 3], known: [1, 1, 1, 1, 1, 1, 1, 1, 0.25] });
    expect(sparse[8]).toBeCloseTo(0.25 * 3 + 0.75 * Math.log(0.2 / 0.8), 12);
  });

  it('keeps a model stored before the link-prediction component scoring as it did, and refuses one with features it does not know', () => {
    const stored = { version: 'learned-1', target: 'INTERVIEW', report: {}, trained_at: new Date('2026-12-01T00:00:00Z') };
    const old = fromRow({ ...stored, model: toRow(PRIOR_MODEL) });
    expect(old.features).not.toContain('linkPrediction');
    expect(predict(old, { ...base, linkPrediction: 0.99 })).toBe(predict(PRIOR_MODEL, base));
    expect(fromRow({ ...stored, model: toRow(withLink) }).features).toEqual(MODEL_FEATURES);
    const newer = {
      ...stored,
      model: { features: [...MODEL_FEATURES, 'salaryFit'], fitted: { ...withLink.fitted, weights: [...withLink.fitted.weights, 1] } },
    };
    expect(() => fromRow(newer)).toThrow(/learned-1 uses features this build does not compute \(salaryFit\).*scores train/);
    const short = { ...stored, model: { features: MODEL_FEATURES, fitted: PRIOR_MODEL.fitted } };
    expect(() => fromRow(short)).toThrow(/8 weights for 9 features/);
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
