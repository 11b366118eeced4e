import { AppError } from '../../src/shared/errors';
import { MODEL_FEATURES, predict } from '../../src/matching/match-score-model';
import {
  auc,
  brier,
  checkEnough,
  fitMatchScoreModel,
  ndcgAt,
  reliability,
  temporalSplit,
  type OutcomeExample,
} from '../../src/matching/match-score-training';

const example = (job: number, day: number, label: 0 | 1): OutcomeExample => ({
  jobId: `job-${job}`,
  candidateId: `c-${job}-${day}-${label}`,
  jobOpenedAt: new Date(Date.UTC(2024, 0, day)),
  label,
  fused: 0,
  components: {
    keyword: 0,
    vector: 0,
    vectorProfile: null,
    vectorTitle: null,
    vectorSkills: null,
    skillsRequired: null,
    skillsPreferred: null,
    seniorityFit: null,
    locationFit: null,
    talentFlow: 0,
    warmPath: 0,
    linkPrediction: null,
  },
});

describe('match-score training and evaluation', () => {
  it('computes AUC from ranks, counting ties half', () => {
    expect(auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([1, 1, 1, 1], [0, 1, 0, 1])).toBe(0.5);
    expect(auc([1, 2], [1, 1])).toBeNaN();
  });

  it('gives NDCG@k 1 for the ideal order, less for a worse one, and no credit to a constant score for row order', () => {
    expect(ndcgAt(10, [3, 2, 1], [1, 0, 0])).toBe(1);
    expect(ndcgAt(10, [1, 2, 3], [1, 0, 0])).toBeLessThan(1);
    expect(ndcgAt(10, [5, 5, 5], [1, 0, 0])).toBeLessThan(1);
    expect(ndcgAt(10, [5, 5, 5], [1, 0, 0])).toBeCloseTo(ndcgAt(10, [5, 5, 5], [0, 0, 1]));
    expect(ndcgAt(10, [1, 2], [0, 0])).toBeNaN();
  });

  it('scores perfect probabilities with Brier 0 and bins predictions for the reliability table', () => {
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([0, 1], [1, 0])).toBe(1);
    const bins = reliability([0.05, 0.05, 0.95], [0, 1, 1]);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ n: 2, observed: 0.5 });
    expect(bins[9]).toMatchObject({ n: 1, observed: 1 });
  });

  it('splits by job opening time so that every job stays in one slice and the hold-out is the latest', () => {
    const rows = Array.from({ length: 10 }, (_, j) => [example(j, j + 1, 0), example(j, j + 1, 1)]).flat();
    const split = temporalSplit(rows, { train: 0.6, calibrate: 0.2 });
    expect(split.train).toHaveLength(12);
    expect(split.calibrate).toHaveLength(4);
    expect(split.test).toHaveLength(4);
    const latest = (xs: OutcomeExample[]) => Math.max(...xs.map((x) => x.jobOpenedAt.getTime()));
    const earliest = (xs: OutcomeExample[]) => Math.min(...xs.map((x) => x.jobOpenedAt.getTime()));
    expect(latest(split.train)).toBeLessThan(earliest(split.calibrate));
    expect(latest(split.calibrate)).toBeLessThan(earliest(split.test));
  });

  it('refuses too few outcomes with BAD_USER_INPUT naming the slices short of them', () => {
    const rows = Array.from({ length: 10 }, (_, j) => [example(j, j + 1, 0), example(j, j + 1, 1)]).flat();
    const split = temporalSplit(rows);
    let err: unknown;
    try {
      checkEnough(split, 'INTERVIEW', { examples: 100, perClass: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_USER_INPUT');
    expect((err as AppError).message).toMatch(/too few outcomes.*train: 12 decided applications \(6 reached INTERVIEW\), need 100/);
    expect(() => checkEnough(split, 'INTERVIEW', { examples: 4, perClass: 2 })).not.toThrow();
  });

  it('learns a weight for the link-prediction score when it carries the outcome, and none when no link model gave one', () => {
    // Outcome follows the link predictor's score; the other components say nothing.
    const rows = Array.from({ length: 40 }, (_, j) =>
      [0.05, 0.3, 0.6, 0.9].map((p, k) => {
        const e = example(j, j + 1, k >= 2 ? 1 : 0);
        return { ...e, candidateId: `${e.candidateId}-${k}`, components: { ...e.components, linkPrediction: p } };
      }),
    ).flat();
    const link = MODEL_FEATURES.indexOf('linkPrediction');
    const model = fitMatchScoreModel(temporalSplit(rows), 'learned-2', 'INTERVIEW');
    expect(model.features).toEqual(MODEL_FEATURES);
    expect(model.fitted.weights[link]).toBeGreaterThan(0);
    const at = (p: number | null) => predict(model, { ...rows[0].components, linkPrediction: p });
    expect(at(0.9)).toBeGreaterThan(at(0.05));

    const unknown = rows.map((r) => ({ ...r, components: { ...r.components, linkPrediction: null } }));
    const blind = fitMatchScoreModel(temporalSplit(unknown), 'learned-3', 'INTERVIEW');
    expect(blind.fitted.weights.every(Number.isFinite)).toBe(true);
    expect(blind.fitted.weights[link]).toBeCloseTo(0, 12);
  });
});
