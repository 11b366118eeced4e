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
] as const;
export type ModelFeature = (typeof MODEL_FEATURES)[number];

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
};

/**
 * A logistic model over the components: P(candidate reaches `target`) = sigmoid(bias + sum w_j z_j), with
 * z_j the transformed component (`featureVector`) centred and scaled by the training data's mean and std.
 */
export interface MatchScoreModel {
  /** Stored in every row it scored; `prior-*` for the hand-set model shipped before any training. */
  version: string;
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

/**
 * The model's inputs: skewed counts on a log scale, unknown fits (null) at the neutral 0.5, so a job or
 * candidate that says nothing about a component is neither helped nor hurt by it.
 */
export function featureVector(c: MatchComponents): number[] {
  const fit = (v: number | null) => (v === null ? 0.5 : v);
  return [
    Math.log1p(Math.max(0, c.keyword)),
    c.vector,
    fit(c.skillsRequired),
    fit(c.skillsPreferred),
    fit(c.seniorityFit),
    fit(c.locationFit),
    Math.log1p(c.talentFlow),
    Math.log1p(c.warmPath),
  ];
}

/** Each feature's contribution to the log-odds (weight times standardised value). */
export function contributions(model: MatchScoreModel, x: readonly number[]): number[] {
  const { mean, std, weights } = model.fitted;
  return x.map((v, j) => (weights[j] * (v - mean[j])) / (std[j] || 1));
}

export function predict(model: MatchScoreModel, c: MatchComponents): number {
  const s = contributions(model, featureVector(c)).reduce((a, b) => a + b, model.fitted.bias);
  return 1 / (1 + Math.exp(-s));
}

/**
 * The three components that moved this candidate's score most relative to the job's other scored candidates:
 * contribution to the log-odds minus the job's mean contribution, largest magnitude first, in words.
 */
export function explain(model: MatchScoreModel, row: MatchComponents, jobMean: readonly number[]): string {
  const mine = contributions(model, featureVector(row));
  const avg = contributions(model, jobMean);
  const moved = MODEL_FEATURES.map((f, j) => ({ f, d: mine[j] - avg[j] }))
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
