import type { Seniority } from '../hub/records';
import type { MatchScoreRow } from '../hub/repositories/match-score.repository';
import type { FittedLogistic } from '../network/logistic-regression';

/** The components of a match score, as stored in `match_score` and shown by the BI views: a stored row without its keys, score and model. */
export type MatchComponents = Omit<MatchScoreRow, 'jobId' | 'candidateId' | 'score' | 'modelVersion'>;

/** The components a model combines, in the order of its weights. */
export const MODEL_FEATURES = [
  'keyword',
  'vector',
  'skillsRequired',
  'skillsPreferred',
  'seniorityFit',
  'locationFit',
  'talentFlow',
  'warmPath',
  'linkPrediction',
] as const;
export type ModelFeature = (typeof MODEL_FEATURES)[number];

export function isModelFeature(name: string): name is ModelFeature {
  return (MODEL_FEATURES as readonly string[]).includes(name);
}

/** How a component reads in an explanation. */
export const FEATURE_LABELS: Record<ModelFeature, string> = {
  keyword: 'keyword match',
  vector: 'profile similarity',
  skillsRequired: 'required skills covered',
  skillsPreferred: 'preferred skills covered',
  seniorityFit: 'seniority fit',
  locationFit: 'location fit',
  talentFlow: 'talent flow from their employers',
  warmPath: 'former colleagues at the company',
  linkPrediction: 'predicted move to the company',
};

/**
 * A logistic model over the components: P(candidate reaches `target`) = sigmoid(bias + sum w_j z_j), with
 * z_j the transformed component (`featureVector`) centred and scaled by the training data's mean and std.
 */
export interface MatchScoreModel {
  /** Stored in every row it scored; `prior-*` for the hand-set model shipped before any training. */
  version: string;
  /**
   * The components its weights belong to, in their order: a model keeps the features it was trained on, so
   * one trained before a component existed (learned-1 has no linkPrediction) scores as it did.
   */
  features: readonly ModelFeature[];
  /** The stage whose reaching the model predicts. */
  target: string;
  fitted: FittedLogistic;
  trainedAt: string | null;
}

/**
 * The model used until `matchhub scores train` has written one: weights set by hand from what a consultant
 * looks at first (skills, profile similarity, seniority, place), not fitted, so its score ranks but is not a
 * calibrated probability.
 */
export const PRIOR_MODEL: MatchScoreModel = {
  version: 'prior-1',
  // Not the link-prediction score: it exists only once `matchhub linkpred train` has stored a model.
  features: MODEL_FEATURES.filter((f) => f !== 'linkPrediction'),
  target: 'INTERVIEW',
  trainedAt: null,
  fitted: {
    mean: [0, 0, 0, 0, 0, 0, 0, 0],
    std: [1, 1, 1, 1, 1, 1, 1, 1],
    // keyword, vector, skillsRequired, skillsPreferred, seniorityFit, locationFit, talentFlow, warmPath
    weights: [0.3, 3, 1.5, 0.5, 1, 0.8, 0.3, 0.3],
    bias: -6,
  },
};

/** A score of the link predictor enters on the log-odds scale, kept off infinity. */
const LINK_SCORE_FLOOR = 1e-6;

const FEATURE_VALUE: Record<ModelFeature, (c: MatchComponents) => number> = {
  keyword: (c) => Math.log1p(Math.max(0, c.keyword)),
  vector: (c) => c.vector,
  skillsRequired: (c) => fit(c.skillsRequired),
  skillsPreferred: (c) => fit(c.skillsPreferred),
  seniorityFit: (c) => fit(c.seniorityFit),
  locationFit: (c) => fit(c.locationFit),
  talentFlow: (c) => Math.log1p(c.talentFlow),
  warmPath: (c) => Math.log1p(c.warmPath),
  linkPrediction: (c) => (c.linkPrediction === null ? NaN : logit(c.linkPrediction)),
};

function fit(v: number | null): number {
  return v === null ? 0.5 : v;
}

function logit(p: number): number {
  const q = Math.min(1 - LINK_SCORE_FLOOR, Math.max(LINK_SCORE_FLOOR, p));
  return Math.log(q / (1 - q));
}

/**
 * The model's inputs, in the order of `features`: skewed counts on a log scale, unknown fits (null) at the
 * neutral 0.5, so a job or candidate that says nothing about a component is neither helped nor hurt by it.
 * The link-prediction score enters as its log-odds; without one (no trained link model) it is NaN, which
 * `contributions` counts at the model's training mean: it adds nothing to the log-odds.
 */
export function featureVector(c: MatchComponents, features: readonly ModelFeature[] = MODEL_FEATURES): number[] {
  return features.map((f) => FEATURE_VALUE[f](c));
}

/** Each feature's contribution to the log-odds (weight times standardised value); 0 for an unknown (NaN) value. */
export function contributions(model: MatchScoreModel, x: readonly number[]): number[] {
  const { mean, std, weights } = model.fitted;
  return x.map((v, j) => (Number.isNaN(v) ? 0 : (weights[j] * (v - mean[j])) / (std[j] || 1)));
}

export function predict(model: MatchScoreModel, c: MatchComponents): number {
  const s = contributions(model, featureVector(c, model.features)).reduce((a, b) => a + b, model.fitted.bias);
  return 1 / (1 + Math.exp(-s));
}

/** Per job, the mean of each transformed component (MODEL_FEATURES order) over its known values, and the share of rows that know it. */
export interface JobFeatureMeans {
  mean: (number | null)[];
  known: number[];
}

/**
 * A job's mean input in `model`'s feature order, as its rows enter the model: a row that does not know a
 * component counts at the model's training mean (what `contributions` gives an unknown value).
 */
export function jobMeanFor(model: MatchScoreModel, m: JobFeatureMeans): number[] {
  return model.features.map((f, j) => {
    const i = MODEL_FEATURES.indexOf(f);
    const known = m.mean[i];
    const centre = model.fitted.mean[j];
    return known === null ? centre : m.known[i] * known + (1 - m.known[i]) * centre;
  });
}

/**
 * The three components that moved this candidate's score most relative to the job's other scored candidates:
 * contribution to the log-odds minus the job's mean contribution (`jobMean` in the model's feature order,
 * see jobMeanFor), largest magnitude first, in words. A component the model does not weigh, or that is
 * unknown for the candidate (no trained link model), moves nothing and is never named.
 */
export function explain(model: MatchScoreModel, row: MatchComponents, jobMean: readonly number[]): string {
  const mine = contributions(model, featureVector(row, model.features));
  const avg = contributions(model, jobMean);
  const moved = model.features
    .map((f, j) => ({ f, d: mine[j] - avg[j] }))
    .filter((m) => Math.abs(m.d) > 1e-9)
    .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))
    .slice(0, 3);
  if (moved.length === 0) return "scored like the job's other candidates on every component";
  return moved.map((m) => `${FEATURE_LABELS[m.f]} ${m.d > 0 ? 'raised' : 'lowered'} it`).join('; ');
}

/** Usual years of experience per seniority: inside the band fits (1), four years outside it does not (0). */
const YEARS_BAND: Record<Seniority, [number, number]> = {
  INTERN: [0, 1],
  JUNIOR: [0, 3],
  MID: [2, 6],
  SENIOR: [5, 12],
  LEAD: [7, 16],
  PRINCIPAL: [10, 25],
  DIRECTOR: [10, 30],
  EXECUTIVE: [15, 45],
};

export function seniorityFit(seniority: Seniority | null, years: number | null): number | null {
  if (!seniority || years === null) return null;
  const [lo, hi] = YEARS_BAND[seniority];
  const off = years < lo ? lo - years : years > hi ? years - hi : 0;
  return Math.max(0, 1 - off / 4);
}

const norm = (s: string) => s.trim().toLowerCase();
const REMOTE = /remote|远程/i;

export function locationFit(jobLocation: string | null, location: string | null, desired: readonly string[]): number | null {
  if (!jobLocation) return null;
  const job = norm(jobLocation);
  if (location && norm(location) === job) return 1;
  if (desired.some((d) => norm(d) === job)) return 0.8;
  if (REMOTE.test(jobLocation) || desired.some((d) => REMOTE.test(d))) return 0.5;
  return location || desired.length ? 0 : null;
}

/** Share of `wanted` skill ids that `have` holds; null when nothing is wanted. */
export function coverage(wanted: number, held: number): number | null {
  return wanted === 0 ? null : Math.min(1, held / wanted);
}
