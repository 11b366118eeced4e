import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Embedder } from '../src/embedding/embedder';

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
 * The hook for the real embedding model: returns the project's ONNX embedder when the embedding
 * module provides one, otherwise undefined (the evaluation then reports keyword-only figures).
 */
export async function loadEmbedder(): Promise<Embedder | undefined> {
  const dir = path.join(__dirname, '..', 'src', 'embedding');
  const candidates = ['onnx-embedder.js', 'onnx-embedder.ts'];
  const file = candidates.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) return undefined;
  const mod = (await import(file)) as Record<string, unknown>;
  const factory = (mod.createOnnxEmbedder ?? mod.loadOnnxEmbedder) as (() => Promise<Embedder>) | undefined;
  return factory ? factory() : undefined;
}
