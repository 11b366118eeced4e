/**
 * The engine-independent half of predictLinks: embedding similarity, the model score, ranking and
 * evidence. Engines hand over raw candidate rows; ranking uses scores rounded to 1e-9 so that the
 * last-bit differences between Java's and V8's floating-point sums cannot reorder ties.
 */
import { compareStrings } from '../adapters/graph/graph-traversals';
import { cosine, EVIDENCE_PATHS, scoreLink, type LinkKind } from '../adapters/graph/link-features';
import type { LinkFeatureValues, LinkPrediction, NodeLabel, PredictLinksQuery } from '../adapters/graph/relation-graph';

export interface CandidateRow {
  targetId: string;
  targetLabel: NodeLabel;
  features: LinkFeatureValues;
  /** Common neighbours with their degree; evidence prefers the most specific (lowest degree). */
  commons: { id: string; degree: number }[];
  direct: boolean;
}

export function tieSafe(x: number): number {
  return Math.round(x * 1e9);
}

export async function rankPredictions(
  sourceId: string,
  kind: LinkKind,
  rows: CandidateRow[],
  q: Pick<PredictLinksQuery, 'vectors' | 'model'>,
  first: number,
): Promise<LinkPrediction[]> {
  if (q.vectors && rows.length > 0) {
    const vectors = await q.vectors([sourceId, ...rows.map((r) => r.targetId)]);
    const source = vectors.get(sourceId);
    for (const r of rows) {
      const target = vectors.get(r.targetId);
      r.features.embeddingSimilarity = source && target ? cosine(source, target) : null;
    }
  }
  const scored = rows.map((r) => ({ r, score: scoreLink(kind, r.features, q.model) }));
  scored.sort((a, b) => tieSafe(b.score) - tieSafe(a.score) || compareStrings(a.r.targetId, b.r.targetId));
  return scored.slice(0, first).map(({ r, score }) => ({
    targetId: r.targetId,
    targetLabel: r.targetLabel,
    score,
    features: r.features,
    evidence: evidencePaths(sourceId, r),
  }));
}

function evidencePaths(sourceId: string, r: CandidateRow): string[][] {
  const paths = [...r.commons]
    .sort((a, b) => a.degree - b.degree || compareStrings(a.id, b.id))
    .slice(0, EVIDENCE_PATHS)
    .map((z) => [sourceId, z.id, r.targetId]);
  return r.direct ? [[sourceId, r.targetId], ...paths].slice(0, EVIDENCE_PATHS) : paths;
}
