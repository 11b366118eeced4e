import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EmbeddingError } from './embedding-error';
import type { EmbedKind } from './embedder';

/**
 * `model.json` beside an ONNX model: what the Node side needs to run it. Written by the export
 * script (models/scripts/), so swapping in a fine-tuned model is a folder change, not a code change.
 */
export interface ModelManifest {
  modelId: string;
  dimensions: number;
  maxTokens: number;
  onnx: string;
  tokenizer: string;
  /** Text prepended per kind (E5: "query: " / "passage: "); absent for symmetric models. */
  prefixes?: Partial<Record<EmbedKind, string>>;
  pooling: 'mean';
  inputs: string[];
  output: string;
  /** Written by the export script; read by the benchmarks only. */
  export?: { reference?: string; minCosine?: number; chosen?: string };
  /** A fine-tuned model's training run; `onetOccupations` are the O*NET codes it held out. */
  training?: { onetOccupations?: string[] };
}

/**
 * CRE-mini: multilingual-e5-small fine-tuned on public recruitment pairs (models/cre-mini/MODEL_CARD.md).
 * The untuned base stays bundled: EMBEDDING_MODEL_DIR=models/multilingual-e5-small.
 */
export const DEFAULT_MODEL_NAME = 'cre-mini';

/**
 * Finds the bundled model folder by walking up from this file to the repository root, so the same
 * lookup works from `src/` under ts-node/jest and from `dist/src/` after a build.
 * Throws EmbeddingError MODEL_NOT_FOUND when no ancestor holds `models/<name>/model.json`.
 */
export function resolveModelDir(name: string = DEFAULT_MODEL_NAME, from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, 'models', name);
    if (existsSync(path.join(candidate, 'model.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new EmbeddingError(
        'MODEL_NOT_FOUND',
        `No models/${name}/model.json above ${from}; set the embedding model directory explicitly or restore the bundled model.`,
      );
    }
    dir = parent;
  }
}

export function readModelManifest(modelDir: string): ModelManifest {
  const file = path.join(modelDir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EmbeddingError('MODEL_NOT_FOUND', `Cannot read embedding model manifest ${file}: ${(cause as Error).message}`, { cause });
  }
  const m = raw as Partial<ModelManifest>;
  const problems: string[] = [];
  if (typeof m.modelId !== 'string' || m.modelId === '') problems.push('modelId must be a non-empty string');
  if (!Number.isInteger(m.dimensions) || (m.dimensions as number) <= 0) problems.push('dimensions must be a positive integer');
  if (!Number.isInteger(m.maxTokens) || (m.maxTokens as number) < 2) problems.push('maxTokens must be an integer >= 2');
  if (typeof m.onnx !== 'string') problems.push('onnx must name the model file');
  if (typeof m.tokenizer !== 'string') problems.push('tokenizer must name tokenizer.json');
  if (m.pooling !== 'mean') problems.push('pooling must be "mean"');
  if (!Array.isArray(m.inputs) || !m.inputs.includes('input_ids')) problems.push('inputs must include input_ids');
  if (typeof m.output !== 'string') problems.push('output must name the hidden-state output');
  if (problems.length > 0) {
    throw new EmbeddingError('MODEL_INVALID', `Invalid embedding model manifest ${file}: ${problems.join('; ')}`);
  }
  return m as ModelManifest;
}
