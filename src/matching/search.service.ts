import type { Embedder } from '../adapters/embedding/embedder';
import { AppError } from '../shared/errors';
import { decodeOffsetCursor, encodeOffsetCursor } from '../shared/cursor';
import type { SearchFilter } from '../adapters/search/search-filter';
import type { Fusion, SearchDocument, SearchHit, SearchIndex } from '../adapters/search/search-index';
import { SEARCH_DEFAULTS } from '../adapters/search/search-index';
import type { SearchCollection } from '../adapters/search/search-schema';
import type { SearchDocuments } from './search-documents';

export interface HybridQuery {
  text?: string;
  filter?: SearchFilter;
  alpha?: number;
  fusion?: Fusion;
  first?: number;
  after?: string;
}

export interface MatchPage {
  hits: SearchHit[];
  offset: number;
  hasNextPage: boolean;
}

/**
 * Which section vectors a free-text query is compared with, and how much each counts. A query
 * names a role and a stack, so titles and skills lead; the fused profile keeps the rest in play.
 */
const QUERY_TARGETS: Record<SearchCollection, Record<string, number>> = {
  candidate: { profile: 0.4, title: 0.35, skills: 0.25 },
  job: { profile: 0.4, title: 0.35, skills: 0.25 },
  occupation: { title: 1 },
  occupationLabel: { label: 1 },
};

/** Maps a profile's own sections onto the other side's, for candidate <-> job matching. */
const CROSS_TARGETS: Record<string, Record<string, number>> = {
  candidate: { profile: 0.5, title: 0.3, skills: 0.2 },
  job: { profile: 0.5, title: 0.3, skills: 0.2 },
};

function offsetOf(after: string | undefined): number {
  if (!after) return 0;
  const offset = decodeOffsetCursor(after);
  if (offset === null) throw new AppError('BAD_USER_INPUT', 'after is not a cursor from this search; pass pageInfo.endCursor');
  return offset;
}

/**
 * Hybrid search over the data hub's projection: the query is embedded once (as a query, not a
 * passage) and compared with the named section vectors, then fused with BM25 by the index.
 */
export class SearchService {
  constructor(
    private readonly index: SearchIndex,
    private readonly embedder: Embedder,
    private readonly documents: SearchDocuments,
  ) {}

  static cursor = encodeOffsetCursor;

  async search(collection: SearchCollection, q: HybridQuery): Promise<MatchPage> {
    const text = q.text ?? '';
    const [vector] = text.trim() ? await this.embedder.embed([text], { kind: 'query', priority: 'interactive' }) : [];
    const targets = QUERY_TARGETS[collection];
    return this.page(collection, q, {
      text,
      vectors: vector ? Object.fromEntries(Object.keys(targets).map((t) => [t, vector])) : undefined,
      targetVectors: vector ? targets : undefined,
    });
  }

  /** Records of `target` that fit `source`'s own profile: its sections embedded as passages, as indexed. */
  async matchFor(source: 'candidate' | 'job', id: string, target: 'candidate' | 'job', q: Omit<HybridQuery, 'text'>): Promise<MatchPage> {
    const [doc] = await this.documents.build(source, [id], 'interactive');
    if (!doc) throw new AppError('NOT_FOUND', `${source === 'job' ? 'Job' : 'Candidate'} ${id} does not exist`);
    return this.matchDocument(doc, target, q);
  }

  /** As `matchFor`, with the source's document already built (SearchDocuments.build), for callers that match many. */
  matchDocument(doc: SearchDocument, target: 'candidate' | 'job', q: Omit<HybridQuery, 'text'>): Promise<MatchPage> {
    const targets = CROSS_TARGETS[target];
    const vectors = doc.vectors;
    const keywordText = [doc.text.title, doc.text.skills].filter(Boolean).join(' ');
    const available = Object.fromEntries(Object.entries(targets).filter(([t]) => vectors[t]));
    return this.page(target, q, {
      text: keywordText,
      vectors: Object.fromEntries(Object.keys(available).map((t) => [t, vectors[t]!])),
      targetVectors: available,
    });
  }

  private async page(
    collection: SearchCollection,
    q: HybridQuery,
    query: { text: string; vectors?: Record<string, ArrayLike<number>>; targetVectors?: Record<string, number> },
  ): Promise<MatchPage> {
    const first = q.first ?? 10;
    if (!Number.isInteger(first) || first < 1 || first > SEARCH_DEFAULTS.maxLimit) {
      throw new AppError('BAD_USER_INPUT', `first must be from 1 to ${SEARCH_DEFAULTS.maxLimit}`);
    }
    const offset = offsetOf(q.after);
    if (!query.text.trim() && !query.vectors) throw new AppError('BAD_USER_INPUT', 'query is empty; type what you are looking for');
    const hits = await this.index.search({
      collection,
      text: query.text,
      vectors: query.vectors,
      targetVectors: query.targetVectors,
      alpha: q.alpha ?? SEARCH_DEFAULTS.alpha,
      fusion: q.fusion ?? SEARCH_DEFAULTS.fusion,
      filters: q.filter,
      limit: first + 1,
      offset,
    });
    return { hits: hits.slice(0, first), offset, hasNextPage: hits.length > first };
  }
}
