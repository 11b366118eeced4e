import type { Embedder } from '../adapters/embedding/embedder';
import { rankedFusion, relativeScoreFusion, type ScoredId } from '../adapters/search/hybrid-fusion';
import type { SearchFilter } from '../adapters/search/search-filter';
import type { Fusion, SearchHit, SearchIndex } from '../adapters/search/search-index';
import { AppError } from '../shared/errors';
import { OccupationRepository } from '../hub/repositories/occupation.repository';
import type { Queryable } from '../hub/repositories/queryable';
import { RERANK_DEFAULTS, type BiEncoderReranker } from './bi-encoder-reranker';

/** Which occupation taxonomy a title is normalised to: the occupation records' `source`. */
export type TaxonomySource = 'onet' | 'esco';

export interface NormalizeTitleQuery {
  title: string;
  taxonomy: TaxonomySource;
  /** 0 = keywords only, 1 = vectors only; default NORMALIZE_TITLE_DEFAULTS.alpha. */
  alpha?: number;
  fusion?: Fusion;
  first?: number;
  /** Narrows the occupations further, e.g. to SOC major groups by externalId prefix. */
  filter?: SearchFilter;
  /**
   * Rank by the best of every label's vector (default) or by the title vector alone (the ranking
   * before labels had vectors; kept for `eval:search`'s before/after).
   */
  labels?: boolean;
  /** Re-score the best RERANK_DEFAULTS.depth occupations with their descriptions (BiEncoderReranker). */
  rerank?: boolean;
}

/** What the reranker reads of an occupation: its title with its description. */
export function occupationRerankText(o: { title: string; description?: string | null }): string {
  return o.description ? `${o.title}: ${o.description}` : o.title;
}

/** The reranker's texts from the data hub's occupation rows (one statement per query). */
export function occupationRerankTexts(db: Queryable): (ids: string[]) => Promise<Map<string, string>> {
  const occupations = new OccupationRepository(db);
  return async (ids) => new Map((await occupations.profiles(ids)).map((o) => [o.id, occupationRerankText(o)]));
}

/**
 * Chosen by `npm run eval:search` on the O*NET alternate-title set (queries held out of the index; 0.5 and
 * 0.75 tie within noise, 0.5 also wins on the occupations the model was not fine-tuned on):
 * see BENCHMARKS.md, Search.
 */
export const NORMALIZE_TITLE_DEFAULTS = { alpha: 0.5, fusion: 'relativeScore' as Fusion, rerank: false, first: 5, maxFirst: 100 };

/** How long a "labels are all embedded" answer is reused (one outbox statement per this many ms at most). */
const LABELS_READY_TTL_MS = 5_000;

/** Labels read before they are grouped by occupation: enough that the best `maxFirst` occupations are all in. */
const LABEL_POOL = 500;
const OCCUPATION_POOL = 100;

/**
 * Job title -> occupations, best first. An occupation is as close as its closest label (max-sim over its
 * title vector and the vectors of all its alternate titles / ESCO labels); keyword relevance is BM25
 * over its title, alternate titles and description. The two per-occupation lists are fused with the
 * index's formulas (hybrid-fusion.ts), so alpha and fusion mean what they mean in every search.
 * Until the `titles` projection has embedded every label (labelsReady) this is exactly the ranking of
 * one hybrid search over the occupation documents (title vector + BM25 over every field), the ranking
 * served before labels had vectors.
 * Pure over the SearchIndex port: both engines answer alike.
 */
export class TitleNormalizer {
  constructor(
    private readonly index: SearchIndex,
    private readonly embedder: Embedder,
    /** The second stage `rerank: true` asks for; without one such a request is refused. */
    private readonly reranker?: BiEncoderReranker,
    /**
     * Whether the `titles` projection has embedded every occupation's labels. Until it has, label
     * vectors are not read at all: an occupation whose labels are in would outrank one whose labels are
     * not yet by having more vectors to be close to (measured: worse than title vectors alone, see
     * BENCHMARKS.md). Absent: labels are read whenever they are there.
     */
    private readonly labelsReady?: () => Promise<boolean>,
  ) {}

  private ready: { value: boolean; at: number } | undefined;

  private async useLabels(): Promise<boolean> {
    if (!this.labelsReady) return true;
    const now = Date.now();
    if (!this.ready || now - this.ready.at > LABELS_READY_TTL_MS) this.ready = { value: await this.labelsReady(), at: now };
    return this.ready.value;
  }

  /** Throws AppError BAD_USER_INPUT on an empty title, first outside 1..100 or alpha outside 0..1. */
  async normalize(q: NormalizeTitleQuery): Promise<SearchHit[]> {
    const title = q.title.trim();
    if (!title) throw new AppError('BAD_USER_INPUT', 'title is empty; give a job title such as "data scientist"');
    const first = q.first ?? NORMALIZE_TITLE_DEFAULTS.first;
    if (!Number.isInteger(first) || first < 1 || first > NORMALIZE_TITLE_DEFAULTS.maxFirst) {
      throw new AppError('BAD_USER_INPUT', `first must be from 1 to ${NORMALIZE_TITLE_DEFAULTS.maxFirst}, got ${first}`);
    }
    const alpha = q.alpha ?? NORMALIZE_TITLE_DEFAULTS.alpha;
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new AppError('BAD_USER_INPUT', `alpha must be from 0 (keywords only) to 1 (meaning only), got ${alpha}`);
    }
    const fusion = q.fusion ?? NORMALIZE_TITLE_DEFAULTS.fusion;
    const rerank = q.rerank ?? NORMALIZE_TITLE_DEFAULTS.rerank;
    if (rerank && !this.reranker) throw new AppError('BAD_USER_INPUT', 'rerank is not available on this server; leave it out');
    const taxonomy: SearchFilter = { op: 'eq', field: 'source', value: q.taxonomy };
    const filters: SearchFilter = q.filter ? { op: 'and', filters: [taxonomy, q.filter] } : taxonomy;

    const [vector] = alpha > 0 || rerank ? await this.embedder.embed([title], { kind: 'query', priority: 'interactive' }) : [];
    const vectors = alpha > 0 ? vector : undefined;
    const withLabels = vectors !== undefined && q.labels !== false && (await this.useLabels());
    const [keyword, titles, labels] = await Promise.all([
      alpha < 1
        ? this.index.search({
            collection: 'occupation',
            text: title,
            alpha: 0,
            filters,
            limit: OCCUPATION_POOL,
            properties: [
              { name: 'title', weight: 1 },
              { name: 'alternateTitles', weight: 1 },
              { name: 'description', weight: 1 },
            ],
          })
        : [],
      vectors
        ? this.index.search({ collection: 'occupation', vectors: { title: vectors }, alpha: 1, filters, limit: OCCUPATION_POOL })
        : [],
      withLabels
        ? this.index.search({
            collection: 'occupationLabel',
            vectors: { label: vectors! },
            alpha: 1,
            filters,
            limit: LABEL_POOL,
            returnProperties: ['occupationId'],
          })
        : [],
    ]);

    // Max-sim: each occupation keeps its most similar label; the title vectors cover every occupation.
    const best = new Map<string, { similarity: number; name: string }>();
    const offer = (id: string | undefined, similarity: number | null, name: string) => {
      if (!id || similarity === null) return;
      const had = best.get(id);
      if (!had || similarity > had.similarity) best.set(id, { similarity, name });
    };
    for (const h of titles) offer(h.id, h.vectorScore, 'title');
    for (const h of labels) offer(h.properties?.occupationId, h.vectorScore, 'alternateTitle');
    const vectorSet: ScoredId[] = [...best]
      .map(([id, b]) => ({ id, score: b.similarity }))
      .sort((a, b) => b.score - a.score)
      .slice(0, OCCUPATION_POOL);
    const keywordSet: ScoredId[] = keyword.map((h) => ({ id: h.id, score: h.keywordScore ?? h.score }));

    const sets: ScoredId[][] = [];
    const weights: number[] = [];
    if (alpha < 1) (sets.push(keywordSet), weights.push(1 - alpha));
    if (alpha > 0) (sets.push(vectorSet), weights.push(alpha));
    let fused = fusion === 'ranked' ? rankedFusion(sets, weights) : relativeScoreFusion(sets, weights);
    // Every result returned is re-scored, so scores stay in order past the default depth too.
    if (rerank) fused = await this.reranker!.rerank(vector!, fused, Math.max(first, RERANK_DEFAULTS.depth));

    const kw = new Map(keyword.map((h) => [h.id, h]));
    return fused.slice(0, first).map(({ id, score }) => {
      const b = best.get(id);
      return {
        id,
        score,
        keywordScore: kw.get(id)?.keywordScore ?? null,
        vectorScore: b?.similarity ?? null,
        explanation: {
          matchedTerms: kw.get(id)?.explanation.matchedTerms ?? [],
          matchedVectors: b ? [{ name: b.name, similarity: b.similarity }] : [],
        },
      };
    });
  }
}
