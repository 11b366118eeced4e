/**
 * The engine-independent half of predictLinks: embedding similarity, the model score, ranking and
 * evidence. Engines hand over raw candidate rows; ranking uses scores rounded to 1e-9 so that the
 * last-bit differences between Java's and V8's floating-point sums cannot reorder ties.
 */
import { compareStrings, tieSafe } from '../adapters/graph/graph-traversals';
import type { CandidateSource, LinkCandidate, LinkFeatureValues, LinkKind, LinkMode, NodeLabel } from '../adapters/graph/relation-graph';
import { cosine, EVIDENCE_PATHS, scoreLink, scorerOf, type LinkModel, type LinkScorer } from './link-scoring';

export interface LinkPrediction {
  targetId: string;
  targetLabel: NodeLabel;
  score: number;
  features: LinkFeatureValues;
  /** Up to 5 supporting paths, each as node ids from the source to the target. */
  evidence: string[][];
  /** The candidate sources that offered the target. */
  sources: CandidateSource[];
  /** The model or heuristic that gave the score (the same for every prediction of one call). */
  scoredBy: LinkScorer;
}

export interface PredictLinksQuery {
  nodeId: string;
  kind: LinkKind;
  first?: number;
  /** Vectors for the source and targets; enables the embedding-similarity feature. */
  vectors?: (ids: string[]) => Promise<ReadonlyMap<string, ArrayLike<number>>>;
  /** Scores with this model; without one, the default heuristic (resource allocation). */
  model?: LinkModel;
  /** Year the recency weight counts from; default the current year of the graph's clock. */
  asOfYear?: number;
  /** YYYY-MM-DD: only the facts known at the start of that day (see LinkCandidatesQuery). */
  asOf?: string;
  /** NEW (default), REPEAT or ANY (see LinkCandidatesQuery). */
  mode?: LinkMode;
  /** Deprecated alias of mode: true is NEW, false is ANY. */
  excludeExisting?: boolean;
}

export async function rankPredictions(
  sourceId: string,
  kind: LinkKind,
  rows: LinkCandidate[],
  q: Pick<PredictLinksQuery, 'vectors' | 'model' | 'mode'>,
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
  const scoredBy = scorerOf(kind, q.model, q.mode);
  const scored = rows.map((r) => ({ r, score: scoreLink(kind, r.features, q.model, q.mode) }));
  scored.sort((a, b) => tieSafe(b.score) - tieSafe(a.score) || compareStrings(a.r.targetId, b.r.targetId));
  return scored.slice(0, first).map(({ r, score }) => ({
    targetId: r.targetId,
    targetLabel: r.targetLabel,
    score,
    features: r.features,
    evidence: evidencePaths(sourceId, r),
    sources: r.sources,
    scoredBy,
  }));
}

function evidencePaths(sourceId: string, r: LinkCandidate): string[][] {
  const paths = [...r.commons]
    .sort((a, b) => a.degree - b.degree || compareStrings(a.id, b.id))
    .slice(0, EVIDENCE_PATHS)
    .map((z) => [sourceId, z.id, r.targetId]);
  return r.direct ? [[sourceId, r.targetId], ...paths].slice(0, EVIDENCE_PATHS) : paths;
}
