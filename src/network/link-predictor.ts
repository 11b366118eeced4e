/**
 * `matchhub linkpred train|eval`: learn one pairwise model per link kind on a temporal split of the
 * career graph, store it as versioned JSON, and compare it with every single heuristic.
 *
 * The question is the one predictLinks answers: which targets will a source link to *for the first
 * time* (existing partners excluded). So the positives are new pairs only (temporal-link-split.ts),
 * the features come from the graph as of the start of the window (projectionAsOf), and each positive
 * is ranked against negatives drawn like the served candidates: hard ones from the source's pool as
 * predictLinks builds it at that date (linkCandidates, mode NEW: existing links excluded), plus uniform ones.
 *
 * Windows for a cut-off C and window w: the model is fitted on the windows [C-2w, C-w) and
 * [C-w, C) (features as of each start); before it is stored, a model fitted on the first alone is
 * validated on the second against the in-degree baseline (the ship guard). `eval` tests on [C, C+w).
 * Features come from the embedded graph; the contract suite guarantees Neo4j computes the same.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { movesOf } from '../adapters/graph/career-timeline';
import { AppError, ValidationError, type FieldProblem } from '../shared/errors';
import { SeededRandom } from '../shared/random';
import { EmbeddedRelationGraph } from '../adapters/graph/embedded-relation-graph';
import { FEATURE_NAMES, MODEL_TERMS, modelFeatureNames, type KindModel, type LinkModel } from './link-scoring';
import { LINK_KINDS, type LinkKind, type LinkMode } from '../adapters/graph/relation-graph';
import type { GraphProjection, RelationGraph } from '../adapters/graph/relation-graph';
import {
  featurizeGroups,
  fitKindModel,
  formatScoreTable,
  groupRanks,
  rowScorer,
  scoreTable,
  type FeatureGroup,
  type ScorerRow,
} from './link-evaluation';
import {
  choosePositives,
  existingLinks,
  linksFormedIn,
  projectionAsOf,
  repeatLinksIn,
  sampleGroups,
  targetUniverse,
  type NegativeSampling,
} from './temporal-link-split';

export class LinkPredictionError extends AppError {
  declare readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND';

  constructor(code: 'BAD_USER_INPUT' | 'NOT_FOUND', message: string) {
    super(code, message);
    this.name = 'LinkPredictionError';
  }
}

/** A kind had too few labelled examples to fit or validate a model: nothing was stored. One problem per kind. */
export class TooFewExamplesError extends ValidationError {
  constructor(problems: FieldProblem[]) {
    super(problems, 'Too few examples to train link prediction (nothing was stored)');
    this.name = 'TooFewExamplesError';
  }
}

/** Fewer positives than this in a training or validation window fails the training. */
export const MIN_EXAMPLES = 50;

export interface TemporalSplitOptions {
  /** The whole graph, with dated facts (the data hub's projection). */
  projection: GraphProjection;
  /** First year of the test window; default defaultCutoffYear (from the data). */
  cutoffYear?: number;
  /** Years per window, default 2. */
  windowYears?: number;
  kinds?: readonly LinkKind[];
  seed?: number;
  /** Positives sampled per kind and training window, default 1500. */
  maxPositives?: number;
  /** Positives ranked per kind and test (or validation) window, default 400. */
  maxTestPositives?: number;
}

/**
 * How the model is trained; the default is the current one, PREVIOUS_RECIPE what the versions
 * before issue 15 did (kept so a bench can show the difference on the same data).
 */
export interface TrainingRecipe {
  /** NEW: pairs that did not exist at the feature date; ALL: repeat flows count as positives too. */
  positives: 'NEW' | 'ALL';
  /** SERVED: hard negatives from the source's served pool plus uniform ones; UNIFORM: uniform only. */
  negatives: 'SERVED' | 'UNIFORM';
  /** INTERACTIONS: MODEL_TERMS; SINGLE: the single features only (a linear model over them). */
  terms: 'INTERACTIONS' | 'SINGLE';
  /** Fit on the two windows before the cut-off (TWO) or the last one only (ONE). */
  windows: 'TWO' | 'ONE';
}
export const TRAINING_RECIPE: TrainingRecipe = { positives: 'NEW', negatives: 'SERVED', terms: 'INTERACTIONS', windows: 'TWO' };
export const PREVIOUS_RECIPE: TrainingRecipe = { positives: 'ALL', negatives: 'UNIFORM', terms: 'SINGLE', windows: 'ONE' };

export interface TrainOptions extends TemporalSplitOptions {
  /** Where versioned models are written (`linkpred-v0001.json`, ...). */
  modelDir: string;
  recipe?: TrainingRecipe;
  /** Fewer positives than this in a window fails the training (default MIN_EXAMPLES). */
  minExamples?: number;
}

/** The ship guard's verdict for a kind: the validation model against in-degree on the last training window. */
export interface GuardVerdict {
  validationYear: number;
  learned: { hits50: number; mrr: number };
  inDegree: { hits50: number; mrr: number };
  positives: number;
  /** True: the model is stored for the kind; false: predictLinks keeps the default heuristic for it. */
  shipped: boolean;
  /** REPEAT models: the default heuristic (what they replace), which they must beat too. */
  defaultHeuristic?: { hits50: number; mrr: number };
  /** Why a model was not fitted at all (REPEAT: too few repeat links); absent when it was. */
  skipped?: string;
}

export interface TrainResult {
  model: LinkModel;
  path: string;
  seconds: number;
  /** Positives per kind in the windows the stored model was fitted on. */
  examples: Partial<Record<LinkKind, number>>;
  cutoffYear: number;
  windowYears: number;
  /** How the cut-off was chosen: given, or derived from the latest year with moves. */
  cutoffFrom: string;
  guard: Partial<Record<LinkKind, GuardVerdict>>;
  /** The REPEAT models (COMPANY_COMPANY, CANDIDATE_COMPANY), trained on repeat links on their own. */
  repeatExamples: Partial<Record<LinkKind, number>>;
  repeatGuard: Partial<Record<LinkKind, GuardVerdict>>;
}

/** The kinds with repeat links: a REPEAT model is trained for each of them that has enough. */
export const REPEAT_KINDS: readonly LinkKind[] = ['COMPANY_COMPANY', 'CANDIDATE_COMPANY'];

export interface EvaluateOptions extends TemporalSplitOptions {
  model?: LinkModel;
}

export interface EvaluationReport {
  rows: ScorerRow[];
  table: string;
  seconds: number;
  cutoffYear: number;
}

// ---------------------------------------------------------------- cut-off

/** The latest year a move starts in (a stint following one at another company); null without moves. */
export function latestMoveYear(p: GraphProjection): number | null {
  let latest: number | null = null;
  for (const c of p.candidates ?? []) for (const m of movesOf(c.experiences ?? [])) if (latest === null || m.year > latest) latest = m.year;
  return latest;
}

/**
 * The default cut-off: the last full test window ends with the latest year with moves, i.e. cut-off
 * = latest + 1 - window. Training (and the ship guard) use the windows before it. A fixed year would
 * silently yield no examples on historical data.
 */
export function defaultCutoffYear(p: GraphProjection, windowYears: number): { cutoffYear: number; because: string } {
  const latest = latestMoveYear(p);
  if (latest === null)
    throw new LinkPredictionError('BAD_USER_INPUT', 'the data has no dated moves between companies; give the cut-off year.');
  const cutoffYear = latest + 1 - windowYears;
  return { cutoffYear, because: `derived from the data: latest year with moves ${latest}, window ${windowYears}` };
}

function resolveSplit(o: TemporalSplitOptions): { cutoffYear: number; w: number; because: string } {
  const w = o.windowYears ?? 2;
  if (!Number.isInteger(w) || w < 1 || w > 10) throw new LinkPredictionError('BAD_USER_INPUT', `windowYears must be 1..10, got ${w}.`);
  for (const k of o.kinds ?? [])
    if (!(LINK_KINDS as readonly string[]).includes(k))
      throw new LinkPredictionError('BAD_USER_INPUT', `unknown kind ${k}; use ${LINK_KINDS.join(', ')}.`);
  if (o.cutoffYear === undefined || o.cutoffYear === null) return { ...defaultCutoffYear(o.projection, w), w };
  if (!Number.isInteger(o.cutoffYear) || o.cutoffYear < 1950 || o.cutoffYear > 2200) {
    throw new LinkPredictionError('BAD_USER_INPUT', `cutoffYear must be a year such as 2022, got ${o.cutoffYear}.`);
  }
  return { cutoffYear: o.cutoffYear, w, because: 'given' };
}

// ---------------------------------------------------------------- labelled windows

const TRAIN_SAMPLING = { hard: 20, random: 10 };
const UNIFORM_SAMPLING = { hard: 0, random: 20 };
/** Test and validation: each positive against the source's whole served pool and 100 uniform targets (close to a full ranking). */
const TEST_SAMPLING = { hard: 2000, random: 100 };

/** The graph as the trainer sees it at 1 January of `year`: only facts dated before (projectionAsOf). */
export async function snapshotGraph(
  projection: GraphProjection,
  year: number,
): Promise<{ graph: EmbeddedRelationGraph; snapshot: GraphProjection }> {
  const snapshot = projectionAsOf(projection, year);
  const graph = new EmbeddedRelationGraph({ clock: () => new Date(Date.UTC(year, 0, 1)) });
  await graph.upsert(snapshot);
  return { graph, snapshot };
}

/**
 * The graph as of 1 January of a year, with its labelled groups cached per kind and sampling: the
 * cross-validation asks for the same window as a test window of one fold and a validation window of
 * the next.
 */
class Snapshots {
  private readonly graphs = new Map<number, Promise<{ graph: EmbeddedRelationGraph; snapshot: GraphProjection }>>();
  private readonly groups = new Map<string, Promise<FeatureGroup[]>>();
  private readonly pools = new Map<string, string[]>();

  constructor(
    private readonly o: TemporalSplitOptions,
    private readonly w: number,
  ) {}

  private at(year: number) {
    let g = this.graphs.get(year);
    if (!g) {
      g = snapshotGraph(this.o.projection, year);
      this.graphs.set(year, g);
    }
    return g;
  }

  /**
   * Positives formed in [year, year + w) with features as of `year`, each with its negatives. Mode
   * REPEAT: the repeat links of the window, each against the source's other existing links (the whole
   * pool a REPEAT question ranks), for training and testing alike.
   */
  window(
    kind: LinkKind,
    year: number,
    use: 'train' | 'test',
    recipe: TrainingRecipe = TRAINING_RECIPE,
    mode: 'NEW' | 'REPEAT' = 'NEW',
  ): Promise<FeatureGroup[]> {
    const key =
      mode === 'REPEAT'
        ? `${kind}|${year}|${use}|REPEAT`
        : `${kind}|${year}|${use}|${use === 'train' ? `${recipe.positives}|${recipe.negatives}` : ''}`;
    let g = this.groups.get(key);
    if (!g) {
      g = mode === 'REPEAT' ? this.buildRepeat(kind, year, use) : this.build(kind, year, use, recipe);
      this.groups.set(key, g);
    }
    return g;
  }

  private async buildRepeat(kind: LinkKind, year: number, use: 'train' | 'test'): Promise<FeatureGroup[]> {
    const { graph } = await this.at(year);
    const positives = repeatLinksIn(this.o.projection, kind, year, year + this.w);
    const max = use === 'train' ? (this.o.maxPositives ?? 1500) : (this.o.maxTestPositives ?? 400);
    const seed = (this.o.seed ?? 1) + year * 7 + (use === 'test' ? 3 : 0) + 1;
    const pool = await this.servedPools(graph, kind, year, choosePositives(positives, max, seed), 'REPEAT');
    // Negatives are existing links by definition, so nothing is excluded as "already linked".
    const none = new Set<string>();
    const groups = sampleGroups(positives, [], () => none, { hard: 1000, random: 0, pool }, max, seed);
    return featurizeGroups(groups, (pairs) => graph.linkFeatures(kind, pairs, year));
  }

  private async build(kind: LinkKind, year: number, use: 'train' | 'test', recipe: TrainingRecipe): Promise<FeatureGroup[]> {
    const { graph, snapshot } = await this.at(year);
    const newOnly = use === 'test' || recipe.positives === 'NEW';
    const positives = linksFormedIn(this.o.projection, kind, year, year + this.w, newOnly);
    const max = use === 'train' ? (this.o.maxPositives ?? 1500) : (this.o.maxTestPositives ?? 400);
    const seed = (this.o.seed ?? 1) + year * 7 + (use === 'test' ? 3 : 0);
    const served = use === 'test' || recipe.negatives === 'SERVED';
    const sampling: NegativeSampling = use === 'test' ? { ...TEST_SAMPLING } : served ? { ...TRAIN_SAMPLING } : { ...UNIFORM_SAMPLING };
    if (served) sampling.pool = await this.servedPools(graph, kind, year, choosePositives(positives, max, seed));
    const groups = sampleGroups(positives, targetUniverse(snapshot, kind), existingLinks(snapshot, kind), sampling, max, seed);
    return featurizeGroups(groups, (pairs) => graph.linkFeatures(kind, pairs, year));
  }

  /**
   * Each source's served candidate pool at the snapshot: the targets predictLinks ranks for it (mode
   * NEW, existing links excluded), in its order; empty for a source the snapshot lacks. The sources
   * not looked up yet go in one linkPools call. Kept per year: a test window shares most sources with
   * the training window of the same year.
   */
  private async servedPools(
    graph: EmbeddedRelationGraph,
    kind: LinkKind,
    year: number,
    positives: readonly { sourceId: string }[],
    mode: LinkMode = 'NEW',
  ): Promise<Map<string, string[]>> {
    const key = (sourceId: string) => `${kind}|${year}|${mode}|${sourceId}`;
    const sources = [...new Set(positives.map((p) => p.sourceId))];
    const missing = sources.filter((s) => !this.pools.has(key(s)));
    if (missing.length > 0) for (const [s, pool] of await graph.linkPools(kind, missing, { mode })) this.pools.set(key(s), pool);
    return new Map(sources.map((s) => [s, this.pools.get(key(s))!]));
  }
}

const UNFITTED = { learned: { hits50: 0, mrr: 0 }, inDegree: { hits50: 0, mrr: 0 }, positives: 0, shipped: false } as const;

/** Hits@50, then MRR on a tie (small graphs put every target in the top 50). */
function beats(a: { hits50: number; mrr: number }, b: { hits50: number; mrr: number }): boolean {
  return a.hits50 > b.hits50 || (a.hits50 === b.hits50 && a.mrr > b.mrr);
}

interface KindFit {
  /** Fitted on the training windows; stored when the guard passes. */
  model: KindModel;
  examples: number;
  guard: GuardVerdict;
}

function tooFew(n: number, year: number, w: number, recipe: TrainingRecipe, min: number): string {
  return `${n} ${recipe.positives === 'NEW' ? 'new ' : ''}links formed in ${year}-${year + w - 1} (features as of ${year}), at least ${min} needed`;
}

/**
 * Problems for the windows of `kind` with fewer links formed than `min`, counted on the projection
 * alone (linksFormedIn: no snapshot graph, no pool, no feature), so that a kind without enough
 * links fails the training in seconds instead of after every kind's features. A window that passes
 * can still come short in checkWindows (positives capped at maxPositives, or left without negatives).
 */
function countWindows(
  o: TemporalSplitOptions,
  kind: LinkKind,
  years: number[],
  w: number,
  recipe: TrainingRecipe,
  min: number,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const year of years) {
    const n = linksFormedIn(o.projection, kind, year, year + w, recipe.positives === 'NEW').length;
    if (n < min) problems.push({ path: `kinds.${kind}`, message: tooFew(n, year, w, recipe, min) });
  }
  return problems;
}

/** Problems for the windows of `kind` whose labelled examples are too few; empty when all have enough. */
async function checkWindows(
  snaps: Snapshots,
  kind: LinkKind,
  years: number[],
  w: number,
  recipe: TrainingRecipe,
  min: number,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const year of years) {
    const n = (await snaps.window(kind, year, 'train', recipe)).length;
    if (n < min) problems.push({ path: `kinds.${kind}`, message: tooFew(n, year, w, recipe, min) });
  }
  return problems;
}

/**
 * The model for a cut-off and its guard: fitted on the window(s) before it; the guard fits the same
 * recipe on the window before the last and ranks the last one's held-out new links with it and with
 * in-degree.
 */
async function fitForCutoff(
  snaps: Snapshots,
  kind: LinkKind,
  cutoff: number,
  w: number,
  recipe: TrainingRecipe,
  mode: 'NEW' | 'REPEAT' = 'NEW',
): Promise<KindFit> {
  const terms = recipe.terms === 'INTERACTIONS' ? MODEL_TERMS : FEATURE_NAMES;
  const last = await snaps.window(kind, cutoff - w, 'train', recipe, mode);
  const before = await snaps.window(kind, cutoff - 2 * w, 'train', recipe, mode);
  const validationModel = fitKindModel(before, terms);
  const validation = mode === 'REPEAT' ? last : await snaps.window(kind, cutoff - w, 'test');
  const rows = scoreTable(kind, validation, validationModel);
  const pick = (scorer: string) => {
    const r = rows.find((x) => x.scorer === scorer)!;
    return { hits50: r.hits50, mrr: r.mrr };
  };
  const [learned, inDegree, heuristic] = [pick('learned'), pick('targetInDegree'), pick('default')];
  const fitted = recipe.windows === 'TWO' ? [...before, ...last] : last;
  // A REPEAT model replaces the default heuristic (its flow term ranks repeat partners), so it must beat that too.
  const shipped = validation.length > 0 && beats(learned, inDegree) && (mode === 'NEW' || beats(learned, heuristic));
  return {
    model: fitKindModel(fitted, terms),
    examples: fitted.length,
    guard: {
      validationYear: cutoff - w,
      learned,
      inDegree,
      ...(mode === 'REPEAT' ? { defaultHeuristic: heuristic } : {}),
      positives: validation.length,
      shipped,
    },
  };
}

/**
 * The REPEAT model of a kind: fitted on the repeat links of the windows before the cut-off, stored
 * when the guard passes. Too few repeat links skip it (the kind keeps the default heuristic for
 * REPEAT) rather than fail the training: many data sets have almost none.
 */
async function fitRepeat(snaps: Snapshots, kind: LinkKind, cutoff: number, w: number, min: number): Promise<KindFit | { skipped: string }> {
  const counts = await Promise.all(
    [cutoff - 2 * w, cutoff - w].map(async (y) => ({ y, n: (await snaps.window(kind, y, 'train', TRAINING_RECIPE, 'REPEAT')).length })),
  );
  const short = counts.filter((c) => c.n < min);
  if (short.length > 0)
    return { skipped: short.map((c) => `${c.n} repeat links formed in ${c.y}-${c.y + w - 1}, at least ${min} needed`).join('; ') };
  return fitForCutoff(snaps, kind, cutoff, w, TRAINING_RECIPE, 'REPEAT');
}

export async function trainLinkPredictor(o: TrainOptions): Promise<TrainResult> {
  const { cutoffYear, w, because } = resolveSplit(o);
  const started = Date.now();
  const recipe = o.recipe ?? TRAINING_RECIPE;
  const snaps = new Snapshots(o, w);
  const kinds = o.kinds ?? LINK_KINDS;
  const years = [cutoffYear - 2 * w, cutoffYear - w];
  const min = o.minExamples ?? MIN_EXAMPLES;
  const fail = (problems: FieldProblem[]): never => {
    const short = new Set(problems.map((p) => p.path.slice('kinds.'.length)));
    const enough = kinds.filter((k) => !short.has(k));
    const hint =
      `Cut-off ${cutoffYear} (${because}), window ${w}: choose another --cutoff or --window, or leave the kind out (--kinds)` +
      (enough.length > 0 ? `; the kinds with enough links: --kinds ${enough.join(',')}` : '');
    throw new TooFewExamplesError([...problems, { path: 'hint', message: hint }]);
  };
  // Every kind's links are counted before any kind's features are computed (minutes on a large hub).
  const counted = kinds.flatMap((kind) => countWindows(o, kind, years, w, recipe, min));
  if (counted.length > 0) fail(counted);
  const problems: FieldProblem[] = [];
  for (const kind of kinds) problems.push(...(await checkWindows(snaps, kind, years, w, recipe, min)));
  if (problems.length > 0) fail(problems);
  const stored: Partial<Record<LinkKind, KindModel>> = {};
  const examples: Partial<Record<LinkKind, number>> = {};
  const guard: Partial<Record<LinkKind, GuardVerdict>> = {};
  for (const kind of kinds) {
    const fit = await fitForCutoff(snaps, kind, cutoffYear, w, recipe);
    examples[kind] = fit.examples;
    guard[kind] = fit.guard;
    if (fit.guard.shipped) stored[kind] = fit.model;
  }
  const repeatStored: Partial<Record<LinkKind, KindModel>> = {};
  const repeatExamples: Partial<Record<LinkKind, number>> = {};
  const repeatGuard: Partial<Record<LinkKind, GuardVerdict>> = {};
  for (const kind of kinds.filter((k) => REPEAT_KINDS.includes(k))) {
    const fit = await fitRepeat(snaps, kind, cutoffYear, w, o.minExamples ?? MIN_EXAMPLES);
    if ('skipped' in fit) {
      repeatExamples[kind] = 0;
      repeatGuard[kind] = { ...UNFITTED, validationYear: cutoffYear - w, skipped: fit.skipped };
      continue;
    }
    repeatExamples[kind] = fit.examples;
    repeatGuard[kind] = fit.guard;
    if (fit.guard.shipped) repeatStored[kind] = fit.model;
  }
  const model: LinkModel = {
    format: 'matchhub-linkpred',
    version: nextVersion(o.modelDir),
    createdAt: new Date().toISOString(),
    kinds: stored,
    repeatKinds: repeatStored,
    trainedOn: {
      cutoffYear,
      cutoffFrom: because,
      windowYears: w,
      featuresAsOf: [cutoffYear - 2 * w, cutoffYear - w],
      positives: examples,
      recipe,
      guard,
      repeatPositives: repeatExamples,
      repeatGuard,
    },
  };
  const path = saveLinkModel(o.modelDir, model);
  return {
    model,
    path,
    seconds: (Date.now() - started) / 1000,
    examples,
    cutoffYear,
    windowYears: w,
    cutoffFrom: because,
    guard,
    repeatExamples,
    repeatGuard,
  };
}

export async function evaluateLinkPredictor(o: EvaluateOptions): Promise<EvaluationReport> {
  const { cutoffYear, w } = resolveSplit(o);
  const started = Date.now();
  const snaps = new Snapshots(o, w);
  const rows: ScorerRow[] = [];
  for (const kind of o.kinds ?? LINK_KINDS) {
    const groups = await snaps.window(kind, cutoffYear, 'test');
    if (groups.length > 0) rows.push(...scoreTable(kind, groups, o.model?.kinds[kind]));
  }
  return { rows, table: formatScoreTable(rows), seconds: (Date.now() - started) / 1000, cutoffYear };
}

// ---------------------------------------------------------------- temporal cross-validation

export interface CrossValidationOptions extends TemporalSplitOptions {
  /** Cut-offs: the given (or default) one and the folds - 1 before it, a window apart; default 3. */
  folds?: number;
  /** Training recipes to compare (row `learned` is the first; more rows are named by the map key). */
  recipes?: Record<string, TrainingRecipe>;
  /** Bootstrap resamples for the intervals, default 200. */
  bootstrap?: number;
  /** NEW (default): new links against the served pool; REPEAT: repeat links against the source's other existing links. */
  mode?: 'NEW' | 'REPEAT';
}

export interface CrossValidationRow {
  kind: LinkKind;
  scorer: string;
  /** Per cut-off, oldest first. */
  perCutoff: { cutoffYear: number; auc: number; hits50: number; mrr: number; positives: number }[];
  /** Mean over the cut-offs, with a 95% percentile-bootstrap interval (positives resampled within each cut-off). */
  auc: Interval;
  hits50: Interval;
  mrr: Interval;
  /** For learned rows: how many cut-offs the ship guard would have stored the model at. */
  shippedAt?: number;
}
export interface Interval {
  mean: number;
  low: number;
  high: number;
}

export interface CrossValidationReport {
  cutoffs: number[];
  windowYears: number;
  rows: CrossValidationRow[];
  table: string;
  seconds: number;
}

const CV_BASELINES = ['targetInDegree', 'adamicAdar', 'default'] as const;

/**
 * Temporal cross-validation: at each cut-off, every recipe is trained on the windows before it (as
 * `linkpred train` would) and tested on the new links of the window after it, against in-degree,
 * Adamic-Adar and the default heuristic. AUC here is per held-out pair against its own negatives
 * (the share it outscores), averaged.
 */
export async function crossValidateLinkPredictor(o: CrossValidationOptions): Promise<CrossValidationReport> {
  const { cutoffYear, w } = resolveSplit(o);
  const started = Date.now();
  const folds = o.folds ?? 3;
  if (!Number.isInteger(folds) || folds < 1 || folds > 10)
    throw new LinkPredictionError('BAD_USER_INPUT', `folds must be 1..10, got ${folds}.`);
  const cutoffs = Array.from({ length: folds }, (_, i) => cutoffYear - (folds - 1 - i) * w);
  const recipes = o.recipes ?? { learned: TRAINING_RECIPE };
  const snaps = new Snapshots(o, w);
  const rows: CrossValidationRow[] = [];
  const rng = new SeededRandom(o.seed ?? 1);
  const mode = o.mode ?? 'NEW';
  for (const kind of o.kinds ?? REPEAT_KINDS) {
    const perScorer = new Map<string, { ranks: { rank: number; auc: number }[][]; shipped: number }>();
    for (const cutoff of cutoffs) {
      const test = await snaps.window(kind, cutoff, 'test', TRAINING_RECIPE, mode);
      const scorers: [string, (f: import('../adapters/graph/relation-graph').LinkFeatureValues) => number, boolean][] = CV_BASELINES.map(
        (s) => [s === 'targetInDegree' ? 'in-degree' : s === 'default' ? 'default heuristic' : s, rowScorer(s, undefined), false],
      );
      for (const [name, recipe] of Object.entries(recipes)) {
        const fit = await fitForCutoff(snaps, kind, cutoff, w, recipe, mode);
        scorers.push([name, rowScorer('learned', fit.model), fit.guard.shipped]);
      }
      for (const [name, score, shipped] of scorers) {
        const e = perScorer.get(name) ?? { ranks: [], shipped: 0 };
        e.ranks.push(groupRanks(test, score));
        if (shipped) e.shipped += 1;
        perScorer.set(name, e);
      }
    }
    for (const [scorer, { ranks, shipped }] of perScorer) {
      const stats = (rs: { rank: number; auc: number }[]) => ({
        auc: mean(rs.map((r) => r.auc)),
        hits50: mean(rs.map((r) => (r.rank <= 50 ? 1 : 0))),
        mrr: mean(rs.map((r) => 1 / r.rank)),
      });
      const perCutoff = ranks.map((rs, i) => ({ cutoffYear: cutoffs[i], positives: rs.length, ...stats(rs) }));
      const boot = Array.from({ length: o.bootstrap ?? 200 }, () => {
        const each = ranks.map((rs) => stats(rs.length === 0 ? rs : rs.map(() => rs[Math.floor(rng.float() * rs.length)])));
        return { auc: mean(each.map((e) => e.auc)), hits50: mean(each.map((e) => e.hits50)), mrr: mean(each.map((e) => e.mrr)) };
      });
      const interval = (m: 'auc' | 'hits50' | 'mrr'): Interval => {
        const sorted = boot.map((b) => b[m]).sort((a, b) => a - b);
        return {
          mean: mean(perCutoff.map((p) => p[m])),
          low: sorted[Math.floor(sorted.length * 0.025)],
          high: sorted[Math.ceil(sorted.length * 0.975) - 1],
        };
      };
      rows.push({
        kind,
        scorer,
        perCutoff,
        auc: interval('auc'),
        hits50: interval('hits50'),
        mrr: interval('mrr'),
        ...(Object.hasOwn(recipes, scorer) ? { shippedAt: shipped } : {}),
      });
    }
  }
  return { cutoffs, windowYears: w, rows, table: formatCrossValidation(rows, cutoffs), seconds: (Date.now() - started) / 1000 };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

export function formatCrossValidation(rows: readonly CrossValidationRow[], cutoffs: readonly number[]): string {
  const f = (x: number) => x.toFixed(3);
  const iv = (i: Interval) => `${f(i.mean)} [${f(i.low)}, ${f(i.high)}]`.padEnd(22);
  const lines = [
    `kind               scorer              AUC                    Hits@50                MRR                    Hits@50 per cut-off (${cutoffs.join(', ')})`,
  ];
  for (const r of rows) {
    const guard = r.shippedAt === undefined ? '' : `; guard ships it at ${r.shippedAt}/${cutoffs.length}`;
    lines.push(
      `${r.kind.padEnd(18)} ${r.scorer.padEnd(19)} ${iv(r.auc)} ${iv(r.hits50)} ${iv(r.mrr)} ${r.perCutoff.map((p) => f(p.hits50)).join(' ')} (n ${r.perCutoff.map((p) => p.positives).join('/')})${guard}`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- model store

const MODEL_FILE = /^linkpred-v(\d+)\.json$/;

function versions(dir: string): number[] {
  try {
    return readdirSync(dir)
      .map((f) => MODEL_FILE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
  } catch {
    return [];
  }
}

function nextVersion(dir: string): number {
  return Math.max(0, ...versions(dir)) + 1;
}

/** Writes atomically (temp file, then rename) so a server reading the latest never sees half a file. */
export function saveLinkModel(dir: string, model: LinkModel): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `linkpred-v${String(model.version).padStart(4, '0')}.json`);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(model, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}

/** The highest version in `dir`, or null when there is none. */
export function loadLatestLinkModel(dir: string): LinkModel | null {
  const latest = Math.max(0, ...versions(dir));
  if (latest === 0) return null;
  const path = join(dir, `linkpred-v${String(latest).padStart(4, '0')}.json`);
  const model = JSON.parse(readFileSync(path, 'utf8')) as LinkModel;
  if (model.format !== 'matchhub-linkpred' || typeof model.kinds !== 'object') {
    throw new LinkPredictionError('BAD_USER_INPUT', `${path} is not a link-prediction model (format "${String(model.format)}").`);
  }
  for (const [kind, km] of [...Object.entries(model.kinds), ...Object.entries(model.repeatKinds ?? {})]) {
    try {
      modelFeatureNames(km);
    } catch (err) {
      throw new LinkPredictionError('BAD_USER_INPUT', `${path}, ${kind}: ${(err as Error).message}`);
    }
  }
  return model;
}
