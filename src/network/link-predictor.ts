/**
 * `matchhub linkpred train|eval`: learn one logistic model per link kind on a temporal split of
 * the career graph, store it as versioned JSON, and compare it with every single heuristic.
 *
 * Training window: features from the graph as of (cutoff - window), labels = links formed in
 * [cutoff - window, cutoff). Test window: features as of cutoff, labels in [cutoff, cutoff + window).
 * Features come from the embedded graph; the contract suite guarantees Neo4j computes the same.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors';
import { EmbeddedRelationGraph } from '../adapters/graph/embedded-relation-graph';
import { modelFeatureNames, type KindModel, type LinkModel } from './link-scoring';
import { LINK_KINDS, type LinkKind } from '../adapters/graph/relation-graph';
import type { GraphProjection, RelationGraph } from '../adapters/graph/relation-graph';
import { featurizeGroups, fitKindModel, formatScoreTable, scoreTable, type FeatureGroup, type ScorerRow } from './link-evaluation';
import { existingLinks, linksFormedIn, projectionAsOf, sampleGroups, targetUniverse } from './temporal-link-split';

export class LinkPredictionError extends AppError {
  declare readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND';

  constructor(code: 'BAD_USER_INPUT' | 'NOT_FOUND', message: string) {
    super(code, message);
    this.name = 'LinkPredictionError';
  }
}

export interface TemporalSplitOptions {
  /** The whole graph, with dated facts (the data hub's projection). */
  projection: GraphProjection;
  /** First year of the test window. */
  cutoffYear: number;
  /** Years per window, default 2. */
  windowYears?: number;
  kinds?: readonly LinkKind[];
  seed?: number;
  /** Positives sampled per kind and window, default 1500. */
  maxPositives?: number;
}

export interface TrainOptions extends TemporalSplitOptions {
  /** Where versioned models are written (`linkpred-v0001.json`, ...). */
  modelDir: string;
  /** Negatives per positive for training, default 20. */
  negativesPerPositive?: number;
}

export interface TrainResult {
  model: LinkModel;
  path: string;
  seconds: number;
  examples: Partial<Record<LinkKind, number>>;
}

export interface EvaluateOptions extends TemporalSplitOptions {
  model?: LinkModel;
  /** Negatives each positive is ranked against, default 100. */
  negativesPerPositive?: number;
}

export interface EvaluationReport {
  rows: ScorerRow[];
  table: string;
  seconds: number;
}

async function snapshotGraph(projection: GraphProjection, year: number): Promise<RelationGraph> {
  const graph = new EmbeddedRelationGraph({ clock: () => new Date(Date.UTC(year, 0, 1)) });
  await graph.upsert(projectionAsOf(projection, year));
  return graph;
}

async function windowGroups(
  o: TemporalSplitOptions,
  kind: LinkKind,
  fromYear: number,
  negatives: number,
  graph: RelationGraph,
): Promise<FeatureGroup[]> {
  const w = o.windowYears ?? 2;
  const snapshot = projectionAsOf(o.projection, fromYear);
  const positives = linksFormedIn(o.projection, kind, fromYear, fromYear + w);
  const groups = sampleGroups(
    positives,
    targetUniverse(snapshot, kind),
    existingLinks(snapshot, kind),
    negatives,
    o.maxPositives ?? 1500,
    (o.seed ?? 1) + fromYear,
  );
  return featurizeGroups(groups, (pairs) => graph.linkFeatures(kind, pairs, fromYear));
}

function validate(o: TemporalSplitOptions): void {
  if (!Number.isInteger(o.cutoffYear) || o.cutoffYear < 1950 || o.cutoffYear > 2200) {
    throw new LinkPredictionError('BAD_USER_INPUT', `cutoffYear must be a year such as 2022, got ${o.cutoffYear}.`);
  }
  const w = o.windowYears ?? 2;
  if (!Number.isInteger(w) || w < 1 || w > 10) throw new LinkPredictionError('BAD_USER_INPUT', `windowYears must be 1..10, got ${w}.`);
  for (const k of o.kinds ?? [])
    if (!(LINK_KINDS as readonly string[]).includes(k))
      throw new LinkPredictionError('BAD_USER_INPUT', `unknown kind ${k}; use ${LINK_KINDS.join(', ')}.`);
}

export async function trainLinkPredictor(o: TrainOptions): Promise<TrainResult> {
  validate(o);
  const started = Date.now();
  const trainYear = o.cutoffYear - (o.windowYears ?? 2);
  const graph = await snapshotGraph(o.projection, trainYear);
  const kinds: Partial<Record<LinkKind, KindModel>> = {};
  const examples: Partial<Record<LinkKind, number>> = {};
  for (const kind of o.kinds ?? LINK_KINDS) {
    const groups = await windowGroups(o, kind, trainYear, o.negativesPerPositive ?? 20, graph);
    examples[kind] = groups.length;
    if (groups.length >= 10) kinds[kind] = fitKindModel(groups);
  }
  const model: LinkModel = {
    format: 'matchhub-linkpred',
    version: nextVersion(o.modelDir),
    createdAt: new Date().toISOString(),
    kinds,
    trainedOn: { cutoffYear: o.cutoffYear, windowYears: o.windowYears ?? 2, featuresAsOf: trainYear, positives: examples },
  };
  const path = saveLinkModel(o.modelDir, model);
  return { model, path, seconds: (Date.now() - started) / 1000, examples };
}

export async function evaluateLinkPredictor(o: EvaluateOptions): Promise<EvaluationReport> {
  validate(o);
  const started = Date.now();
  const graph = await snapshotGraph(o.projection, o.cutoffYear);
  const rows: ScorerRow[] = [];
  for (const kind of o.kinds ?? LINK_KINDS) {
    const groups = await windowGroups(o, kind, o.cutoffYear, o.negativesPerPositive ?? 100, graph);
    if (groups.length > 0) rows.push(...scoreTable(kind, groups, o.model?.kinds[kind]));
  }
  return { rows, table: formatScoreTable(rows), seconds: (Date.now() - started) / 1000 };
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
  for (const [kind, km] of Object.entries(model.kinds)) {
    try {
      modelFeatureNames(km);
    } catch (err) {
      throw new LinkPredictionError('BAD_USER_INPUT', `${path}, ${kind}: ${(err as Error).message}`);
    }
  }
  return model;
}
