import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Embedder } from '../src/adapters/embedding/embedder';

/** Reads WEAVIATE_* from the env file `services/up.sh` writes; undefined when Weaviate is not set up. */
export function readServicesEnv(file: string): { url: string; grpcPort: number; apiKey?: string } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2].trim().replace(/^['"]|['"]$/g, '');
  }
  if (!env.WEAVIATE_URL || !env.WEAVIATE_GRPC_PORT) return undefined;
  return { url: env.WEAVIATE_URL, grpcPort: Number(env.WEAVIATE_GRPC_PORT), apiKey: env.WEAVIATE_API_KEY || undefined };
}

/**
 * The hook for the real embedding model: the project's ONNX embedder (src/adapters/embedding) with its
 * bundled model, or undefined when either is missing (the evaluation then reports keyword-only
 * figures). Resolved at run time so the search benchmarks build without the embedding module.
 */
export async function loadEmbedder(): Promise<Embedder | undefined> {
  const dir = path.join(__dirname, '..', 'src', 'adapters', 'embedding');
  const file = ['onnx-embedder.js', 'onnx-embedder.ts'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OnnxEmbedder } = require(file) as { OnnxEmbedder?: { create(o: { modelDir: string }): Promise<Embedder> } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveModelDir } = require(path.join(dir, 'model-manifest')) as { resolveModelDir?: () => string };
  if (!OnnxEmbedder || !resolveModelDir) return undefined;
  try {
    return await OnnxEmbedder.create({ modelDir: resolveModelDir() });
  } catch (e) {
    console.error(`embedder unavailable: ${(e as Error).message}`);
    return undefined;
  }
}
