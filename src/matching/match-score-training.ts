import { fitLogistic, type FittedLogistic } from '../network/logistic-regression';
import { SeededRandom } from '../shared/random';
import { AppError } from '../shared/errors';
import { featureVector, MODEL_FEATURES, PRIOR_MODEL, predict, type MatchComponents, type MatchScoreModel } from './match-score-model';

/** One decided application: the components of its (job, candidate) pair as the hub computes them now, and whether it reached the target. */
export interface OutcomeExample {
  jobId: string;
  candidateId: string;
  /** When the job opened: the temporal split cuts on it, so a job's applicants stay in one slice. */
  jobOpenedAt: Date;
  label: 0 | 1;
  components: MatchComponents;
  /** The hybrid search's fused score of the candidate for the job (relativeScore among the job's applicants). */
  fused: number;
}

export interface SplitFractions {
  /** Share of jobs (oldest first) whose applications train the weights; the next `calibrate` share fits the calibration; the rest is held out. */
  train: number;
  calibrate: number;
}
export const DEFAULT_SPLIT: SplitFractions = { train: 0.6, calibrate: 0.2 };

export interface TemporalSplit {
  train: OutcomeExample[];
  calibrate: OutcomeExample[];
  test: OutcomeExample[];
  /** First job-opening time of the calibration and of the hold-out slice. */
  calibrateFrom: string;
  testFrom: string;
}

/** Splits by job opening time: the oldest jobs' outcomes train, later ones calibrate, the latest are held out. */
export function temporalSplit(examples: readonly OutcomeExample[], f: SplitFractions = DEFAULT_SPLIT): TemporalSplit {
  const opened = [...new Set(examples.map((e) => e.jobOpenedAt.getTime()))].sort((a, b) => a - b);
  const at = (share: number) => opened[Math.min(opened.length - 1, Math.floor(opened.length * share))] ?? 0;
  const calibrateFrom = at(f.train);
  const testFrom = at(f.train + f.calibrate);
  return splitAt(examples, new Date(calibrateFrom).toISOString(), new Date(testFrom).toISOString());
}

/** The split a trained model recorded, applied to (possibly newer) outcomes. */
export function splitAt(examples: readonly OutcomeExample[], calibrateFrom: string, testFrom: string): TemporalSplit {
  const c = Date.parse(calibrateFrom);
  const t = Date.parse(testFrom);
  const slice = (lo: number, hi: number) => examples.filter((e) => e.jobOpenedAt.getTime() >= lo && e.jobOpenedAt.getTime() < hi);
  return { train: slice(-Infinity, c), calibrate: slice(c, t), test: slice(t, Infinity), calibrateFrom, testFrom };
}

export interface OutcomeMinimum {
  /** Decided applications each slice needs, and positives and negatives each slice needs. */
  examples: number;
  perClass: number;
}
export const DEFAULT_MINIMUM: OutcomeMinimum = { examples: 100, perClass: 10 };

/** Throws AppError BAD_USER_INPUT naming each slice that has too few outcomes to fit or judge a model. */
export function checkEnough(split: TemporalSplit, target: string, min: OutcomeMinimum): void {
  const problems: string[] = [];
  const need = { train: min.examples, calibrate: Math.ceil(min.examples / 3), test: Math.ceil(min.examples / 3) };
  for (const name of ['train', 'calibrate', 'test'] as const) {
    const rows = split[name];
    const pos = rows.filter((r) => r.label === 1).length;
    if (rows.length < need[name] || pos < min.perClass || rows.length - pos < min.perClass) {
      problems.push(
        `${name}: ${rows.length} decided applications (${pos} reached ${target}), need ${need[name]} with at least ${min.perClass} that did and ${min.perClass} that did not`,
      );
    }
  }
  if (problems.length > 0) {
    throw new AppError(
      'BAD_USER_INPUT',
      `too few outcomes to train a match-score model: ${problems.join('; ')}. Record more applications (stage changes) or lower --min-outcomes`,
    );
  }
}

/**
 * Unknown inputs (NaN: a link-prediction score without a trained link model) replaced by their column's
 * mean over the known ones (0 when none is known), so they sit at the fitted mean and move nothing.
 */
export function imputeUnknown(x: readonly number[][]): number[][] {
  const d = x[0]?.length ?? 0;
  const means = Array.from({ length: d }, (_, j) => {
    const known = x.map((r) => r[j]).filter((v) => !Number.isNaN(v));
    return known.length === 0 ? 0 : known.reduce((s, v) => s + v, 0) / known.length;
  });
  return x.map((r) => r.map((v, j) => (Number.isNaN(v) ? means[j] : v)));
}

/**
 * Fits the logistic model over every component of MODEL_FEATURES on the training slice, then
 * Platt-calibrates it on the calibration slice (a one-feature logistic fit of the outcome on the model's
 * log-odds) and folds the calibration into the weights, so the stored model is still one logistic model
 * whose output is the calibrated probability.
 */
export function fitMatchScoreModel(split: TemporalSplit, version: string, target: string): MatchScoreModel {
  const x = imputeUnknown(split.train.map((e) => featureVector(e.components)));
  const raw = fitLogistic(
    x,
    split.train.map((e) => e.label),
    { l2: 1e-2, epochs: 800 },
  );
  const platt = plattFit(
    split.calibrate.map((e) => logOdds(raw, featureVector(e.components))),
    split.calibrate.map((e) => e.label),
  );
  const fitted: FittedLogistic = {
    mean: raw.mean,
    std: raw.std,
    weights: raw.weights.map((w) => platt.a * w),
    bias: platt.a * raw.bias + platt.b,
  };
  return { version, target, features: [...MODEL_FEATURES], fitted, trainedAt: new Date().toISOString() };
}

function logOdds(f: FittedLogistic, x: readonly number[]): number {
  return x.reduce((s, v, j) => (Number.isNaN(v) ? s : s + (f.weights[j] * (v - f.mean[j])) / (f.std[j] || 1)), f.bias);
}

/** p = sigmoid(a s + b) fitted by maximum likelihood. */
export function plattFit(s: readonly number[], y: readonly number[]): { a: number; b: number } {
  const f = fitLogistic(
    s.map((v) => [v]),
    y,
    { standardize: false, l2: 0, epochs: 1500, learningRate: 0.05 },
  );
  return { a: f.weights[0], b: f.bias };
}

// --- Evaluation ---------------------------------------------------------------------------------------

/** A way to score an example: the learned model, a single component, the fused search score, prior-1. */
export interface Scorer {
  name: string;
  score: (e: OutcomeExample) => number;
  /** Whether `score` is already a probability; otherwise Brier and reliability use it Platt-calibrated on the calibration slice. */
  probability: boolean;
}

/**
 * The learned model, prior-1, the fused search score and every component alone (unknown fits at the neutral
 * 0.5; an unknown link-prediction score, with no trained link model, at 0: below every known one).
 */
export function scorers(model: MatchScoreModel): Scorer[] {
  const fit = (v: number | null) => (v === null ? 0.5 : v);
  const component = (name: string, f: (c: MatchComponents) => number): Scorer => ({
    name,
    score: (e) => f(e.components),
    probability: false,
  });
  return [
    { name: `learned (${model.version})`, score: (e) => predict(model, e.components), probability: true },
    { name: PRIOR_MODEL.version, score: (e) => predict(PRIOR_MODEL, e.components), probability: true },
    { name: 'fused search score', score: (e) => e.fused, probability: false },
    component('keyword', (c) => c.keyword),
    component('vector', (c) => c.vector),
    component('vector: profile', (c) => c.vectorProfile ?? 0),
    component('vector: title', (c) => c.vectorTitle ?? 0),
    component('vector: skills', (c) => c.vectorSkills ?? 0),
    component('skills required', (c) => fit(c.skillsRequired)),
    component('skills preferred', (c) => fit(c.skillsPreferred)),
    component('seniority fit', (c) => fit(c.seniorityFit)),
    component('location fit', (c) => fit(c.locationFit)),
    component('talent flow', (c) => c.talentFlow),
    component('warm path', (c) => c.warmPath),
    component('link prediction', (c) => c.linkPrediction ?? 0),
  ];
}

/** Area under the ROC curve (ties count half); NaN without both classes. */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j += 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k += 1) {
      if (labels[idx[k]] === 1) {
        rankSumPos += rank;
        pos += 1;
      }
    }
    i = j + 1;
  }
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * NDCG@k of one job's applicants ranked by score (binary relevance). Ties are ranked by the average gain
 * of the tied block, so a constant score earns no credit for the order the rows came in.
 */
export function ndcgAt(k: number, scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const gains: number[] = [];
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j += 1;
    let sum = 0;
    for (let t = i; t <= j; t += 1) sum += labels[order[t]];
    for (let t = i; t <= j; t += 1) gains.push(sum / (j - i + 1));
    i = j + 1;
  }
  const dcg = (g: readonly number[]) => g.slice(0, k).reduce((s, v, r) => s + v / Math.log2(r + 2), 0);
  const ideal = dcg([...labels].sort((a, b) => b - a));
  return ideal === 0 ? NaN : dcg(gains) / ideal;
}

export function brier(p: readonly number[], y: readonly number[]): number {
  return p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / Math.max(1, p.length);
}

export interface ReliabilityBin {
  from: number;
  to: number;
  n: number;
  meanPredicted: number;
  observed: number;
}

/** Predicted probability in ten equal-width bins: how many, their mean prediction and the share that reached the target. */
export function reliability(p: readonly number[], y: readonly number[], bins = 10): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({ from: b / bins, to: (b + 1) / bins, n: 0, meanPredicted: 0, observed: 0 }));
  p.forEach((v, i) => {
    const b = out[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))];
    b.n += 1;
    b.meanPredicted += v;
    b.observed += y[i];
  });
  for (const b of out) {
    if (b.n > 0) {
      b.meanPredicted /= b.n;
      b.observed /= b.n;
    }
  }
  return out;
}

export interface Interval {
  value: number;
  lo: number;
  hi: number;
}

export interface ScorerResult {
  name: string;
  auc: Interval;
  ndcg10: Interval;
  brier: Interval;
  /** Learned minus this scorer, paired over the same bootstrap samples (AUC, NDCG@10: > 0 is better for learned; Brier: < 0). */
  vsLearned: { auc: Interval; ndcg10: Interval; brier: Interval } | null;
  reliability: ReliabilityBin[];
}

export interface EvaluationReport {
  model: string;
  target: string;
  testFrom: string;
  examples: number;
  positives: number;
  jobs: number;
  bootstrap: number;
  results: ScorerResult[];
}

/**
 * Every scorer on the hold-out slice: AUC over all its applications, NDCG@10 averaged over its jobs with
 * at least one that reached the target, Brier score of the probability (a non-probability scorer is first
 * Platt-calibrated on the calibration slice), with 95% intervals from `rounds` bootstrap resamples of the
 * hold-out's jobs (the same samples for every scorer, so differences are paired).
 */
export function evaluate(model: MatchScoreModel, split: TemporalSplit, rounds = 500, seed = 1): EvaluationReport {
  const test = split.test;
  const jobs = [...new Set(test.map((e) => e.jobId))].sort();
  const rowsOf = new Map(jobs.map((j) => [j, [] as number[]]));
  test.forEach((e, i) => rowsOf.get(e.jobId)!.push(i));
  const y = test.map((e) => e.label);
  const all = scorers(model);
  const series = all.map((s) => {
    const raw = test.map(s.score);
    let p = raw;
    if (!s.probability) {
      const { a, b } = plattFit(
        split.calibrate.map(s.score),
        split.calibrate.map((e) => e.label),
      );
      p = raw.map((v) => 1 / (1 + Math.exp(-(a * v + b))));
    }
    return { raw, p };
  });
  const metrics = (sample: readonly string[]) => {
    const idx = sample.flatMap((j) => rowsOf.get(j)!);
    const ys = idx.map((i) => y[i]);
    return series.map(({ raw, p }) => {
      const nd = sample
        .map((j) => {
          const r = rowsOf.get(j)!;
          return ndcgAt(
            10,
            r.map((i) => raw[i]),
            r.map((i) => y[i]),
          );
        })
        .filter((v) => !Number.isNaN(v));
      return {
        auc: auc(
          idx.map((i) => raw[i]),
          ys,
        ),
        ndcg10: nd.reduce((s, v) => s + v, 0) / Math.max(1, nd.length),
        brier: brier(
          idx.map((i) => p[i]),
          ys,
        ),
      };
    });
  };
  const point = metrics(jobs);
  const rng = SeededRandom.forRecord(seed, 17, 0);
  const samples = Array.from({ length: rounds }, () => metrics(jobs.map(() => jobs[rng.int(0, jobs.length - 1)])));
  const interval = (value: number, draws: number[]): Interval => {
    const sorted = draws.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))] ?? NaN;
    return { value, lo: q(0.025), hi: q(0.975) };
  };
  const keys = ['auc', 'ndcg10', 'brier'] as const;
  const results: ScorerResult[] = all.map((s, k) => {
    const one = (m: (typeof keys)[number]) =>
      interval(
        point[k][m],
        samples.map((d) => d[k][m]),
      );
    const diff = (m: (typeof keys)[number]) =>
      interval(
        point[0][m] - point[k][m],
        samples.map((d) => d[0][m] - d[k][m]),
      );
    return {
      name: s.name,
      auc: one('auc'),
      ndcg10: one('ndcg10'),
      brier: one('brier'),
      vsLearned: k === 0 ? null : { auc: diff('auc'), ndcg10: diff('ndcg10'), brier: diff('brier') },
      reliability: reliability(series[k].p, y),
    };
  });
  return {
    model: model.version,
    target: model.target,
    testFrom: split.testFrom,
    examples: test.length,
    positives: y.filter((v) => v === 1).length,
    jobs: jobs.length,
    bootstrap: rounds,
    results,
  };
}

const f3 = (v: number) => (Number.isNaN(v) ? '  -  ' : v.toFixed(3));
const iv = (i: Interval) => `${f3(i.value)} [${f3(i.lo)}, ${f3(i.hi)}]`;
const signed = (i: Interval) => `${i.value >= 0 ? '+' : ''}${f3(i.value)} [${f3(i.lo)}, ${f3(i.hi)}]`;

/** The report as the CLI prints it: one row per scorer, then the learned model's and prior-1's reliability tables. */
export function formatEvaluation(r: EvaluationReport): string {
  const lines = [
    `hold-out: jobs opened from ${r.testFrom.slice(0, 10)}: ${r.examples} decided applications (${r.positives} reached ${r.target}) in ${r.jobs} jobs; 95% intervals from ${r.bootstrap} bootstrap resamples of jobs`,
    '',
    ['scorer', 'AUC', 'NDCG@10', 'Brier', 'learned - it: AUC', 'NDCG@10', 'Brier'].join('\t'),
  ];
  for (const s of r.results) {
    lines.push(
      [
        s.name,
        iv(s.auc),
        iv(s.ndcg10),
        iv(s.brier),
        ...(s.vsLearned ? [signed(s.vsLearned.auc), signed(s.vsLearned.ndcg10), signed(s.vsLearned.brier)] : ['', '', '']),
      ].join('\t'),
    );
  }
  for (const s of r.results.slice(0, 2)) {
    lines.push('', `reliability of ${s.name}:`, ['predicted', 'n', 'mean predicted', 'observed'].join('\t'));
    for (const b of s.reliability) {
      if (b.n > 0) lines.push([`${b.from.toFixed(1)}-${b.to.toFixed(1)}`, b.n, f3(b.meanPredicted), f3(b.observed)].join('\t'));
    }
  }
  lines.push('', 'Brier of the fused score and of single components: after Platt calibration on the calibration slice.');
  return lines.join('\n');
}
