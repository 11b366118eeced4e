/**
 * Runs one link-prediction training or evaluation in a worker thread (link-prediction.service.ts),
 * so that minutes of CPU work never hold up the server's requests. Posts back `{ result }` or
 * `{ error }` and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError, ValidationError } from '../shared/errors';
import { evaluateLinkPredictor, trainLinkPredictor, type EvaluateOptions, type TrainOptions } from './link-predictor';

export type LinkTask = { task: 'train'; options: TrainOptions } | { task: 'evaluate'; options: EvaluateOptions };
export type LinkTaskAnswer =
  | { result: unknown }
  | { error: { message: string; code?: string; stack?: string; problems?: { path: string; message: string }[] } };

const job = workerData as LinkTask;
const run = job.task === 'train' ? trainLinkPredictor(job.options) : evaluateLinkPredictor(job.options);
run.then(
  (result) => parentPort!.postMessage({ result } satisfies LinkTaskAnswer),
  (err: unknown) =>
    parentPort!.postMessage({
      error:
        err instanceof ValidationError
          ? { message: err.message, code: err.code, problems: err.problems }
          : err instanceof AppError
            ? { message: err.message, code: err.code }
            : { message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined },
    } satisfies LinkTaskAnswer),
);
