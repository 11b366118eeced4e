import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { AppError, ERROR_CODES, type ErrorCode, type FieldProblem } from '../shared/errors';
import type { LinkKind } from '../adapters/graph/relation-graph';
import type { LinkModel } from './link-scoring';
import type { Logger } from '../shared/logger';
import { GraphFactsReader } from './graph-facts';
import {
  evaluateLinkPredictor,
  loadLatestLinkModel,
  TooFewExamplesError,
  trainLinkPredictor,
  type EvaluationReport,
  type TrainResult,
} from './link-predictor';
import type { LinkTask, LinkTaskAnswer } from './link-training.worker';

/** The arguments `matchhub linkpred train|eval` and the GraphQL operations take. */
export interface SplitArgs {
  /** Absent or null: derived from the data (the latest year with moves, less the window). */
  cutoffYear?: number | null;
  windowYears: number;
  seed: number;
  /** Absent: every kind. */
  kinds?: LinkKind[] | null;
}

/** The compiled worker; absent when the sources run directly (ts tests), where the task runs in this thread. */
const WORKER_FILE = path.join(__dirname, 'link-training.worker.js');

/**
 * Runs a training or evaluation in a worker thread: it is seconds of CPU per thousand candidates,
 * which on the server's thread would stall every request for as long (measured: 4 s on 300 demo
 * candidates).
 */
async function runTask<T>(job: LinkTask): Promise<T> {
  if (!fs.existsSync(WORKER_FILE)) {
    return (job.task === 'train' ? trainLinkPredictor(job.options) : evaluateLinkPredictor(job.options)) as Promise<T>;
  }
  const worker = new Worker(WORKER_FILE, { workerData: job });
  try {
    const answer = await new Promise<LinkTaskAnswer>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the link-prediction worker exited with code ${code} before it answered`)));
    });
    if ('result' in answer) return answer.result as T;
    const { code, message, stack, problems } = answer.error;
    if (problems) throw new TooFewExamplesError(problems as FieldProblem[]);
    if (ERROR_CODES.includes(code as ErrorCode)) throw new AppError(code as ErrorCode, message);
    throw Object.assign(new Error(message), { stack });
  } finally {
    await worker.terminate();
  }
}

function splitOptions(args: SplitArgs) {
  return {
    cutoffYear: args.cutoffYear ?? undefined,
    windowYears: args.windowYears,
    seed: args.seed,
    ...(args.kinds && args.kinds.length > 0 ? { kinds: args.kinds } : {}),
  };
}

/** How often the latest model file is looked for, so a model another process trained takes effect. */
const RELOAD_MS = 60_000;

/**
 * Link prediction on the data hub: trains and evaluates on the whole career graph read from the
 * tables (a temporal split, link-predictor.ts) and keeps the model that predictLinks scores with. A
 * model trained here takes effect at once; one written by another process within a minute.
 */
export class LinkPredictionService {
  private cached: LinkModel | null = null;
  private readAt = 0;
  private training: { since: string } | null = null;

  constructor(
    private readonly ds: DataSource,
    /** Where versioned models are stored: `<dataDir>/linkpred`. */
    readonly modelDir: string,
    private readonly log?: Logger,
  ) {}

  static forDataDir(ds: DataSource, dataDir: string, log?: Logger): LinkPredictionService {
    return new LinkPredictionService(ds, path.join(dataDir, 'linkpred'), log);
  }

  /** The newest trained model, or null to score with the default heuristic (also when the file cannot be read). */
  current(): LinkModel | null {
    if (Date.now() - this.readAt > RELOAD_MS) {
      this.readAt = Date.now();
      try {
        this.cached = loadLatestLinkModel(this.modelDir);
      } catch (err) {
        this.log?.warn('could not read the link-prediction model; scoring with the default heuristic', { err });
        this.cached = null;
      }
    }
    return this.cached;
  }

  /**
   * Fits the model on links formed before the cut-off, stores it as the next version and scores with
   * it from now on. Throws CONFLICT while another training runs in this process (both would take the
   * same version number).
   */
  async train(args: SplitArgs): Promise<TrainResult> {
    if (this.training)
      throw new AppError('CONFLICT', `a link-prediction training is running since ${this.training.since}; retry when it is done`);
    this.training = { since: new Date().toISOString() };
    try {
      const projection = await new GraphFactsReader(this.ds).everything();
      const result = await runTask<TrainResult>({
        task: 'train',
        options: { projection, ...splitOptions(args), modelDir: this.modelDir },
      });
      this.cached = result.model;
      this.readAt = Date.now();
      return result;
    } finally {
      this.training = null;
    }
  }

  /**
   * Every single heuristic and a model side by side on the test window after the cut-off: `model`, or
   * when it is not given the latest stored one (none: the heuristics alone).
   */
  async evaluate(args: SplitArgs, given?: LinkModel): Promise<{ model: LinkModel | null; report: EvaluationReport }> {
    const model = given ?? loadLatestLinkModel(this.modelDir);
    const projection = await new GraphFactsReader(this.ds).everything();
    const report = await runTask<EvaluationReport>({
      task: 'evaluate',
      options: { projection, ...splitOptions(args), model: model ?? undefined },
    });
    return { model, report };
  }
}
