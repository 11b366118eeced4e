import type { DataSource } from 'typeorm';
import { SEARCH_DEFAULTS, type SearchHit } from '../adapters/search/search-index';
import {
  MatchScoreRepository,
  type MatchScoreRow,
  type ScoredJobFacts,
  type StoredMatchScore,
} from '../hub/repositories/match-score.repository';
import { AppError } from '../shared/errors';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import type { SearchDocuments } from './search-documents';
import type { SearchService } from './search.service';
import { coverage, explain, jobMeanFor, locationFit, predict, seniorityFit, type MatchComponents } from './match-score-model';
import type { MatchScoreModels } from './match-score-models';
import type { NetworkService } from '../network/network.service';

/** A stored score as the API shows it: the row, its rank in its job, and why it stands where it does. */
export interface ExplainedMatchScore extends StoredMatchScore {
  explanation: string;
}

export interface MatchScoreQuery {
  jobId?: string;
  candidateId?: string;
  minScore?: number;
  maxRank?: number;
  modelVersion?: string;
  first: number;
  after?: string;
}

export interface MatchScorePage {
  nodes: ExplainedMatchScore[];
  cursors: string[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

const MAX_PAGE = 1000;

/** Who may read stored match scores (GraphQL, CSV): the roles that match candidates to jobs or report on it. */
export const MATCH_SCORE_ROLES = ['admin', 'consultant', 'analyst', 'bi'] as const;

export interface MatchScoreOptions {
  /** Candidates kept per open job. */
  topK: number;
  /** Open jobs a changed candidate is compared with beyond those that score them already. */
  jobsPerCandidate: number;
}

export const DEFAULT_MATCH_SCORE_OPTIONS: MatchScoreOptions = { topK: 200, jobsPerCandidate: 20 };

/**
 * Where the link-prediction component comes from: the trained link model's score of (candidate, company)
 * pairs of kind CANDIDATE_COMPANY, a batch per call (NetworkService.linkScores).
 */
export type LinkScores = Pick<NetworkService, 'linkScores'>;

/** Jobs scored per transaction: a batch's rows land together, and no transaction holds PGlite for long. */
const JOBS_PER_WRITE = 20;

/**
 * Computes the stored match scores. A job's candidate pool is its hybrid search (the job's own profile as
 * the query, as `candidatesForJob`), twice K deep so the other components can reorder it; each candidate in
 * the pool gets the components, the model's score, and the best K are kept.
 */
export class MatchScoreService {
  private readonly repo: MatchScoreRepository;

  constructor(
    private readonly db: DataSource,
    private readonly search: SearchService,
    private readonly documents: SearchDocuments,
    readonly models: MatchScoreModels,
    readonly options: MatchScoreOptions = DEFAULT_MATCH_SCORE_OPTIONS,
    /** None: the link-prediction component is null on every row (as without a trained link model). */
    private readonly links: LinkScores | null = null,
  ) {
    this.repo = new MatchScoreRepository(db);
  }

  /**
   * Recomputes the rows of these jobs from the data hub and the search index: an open job gets its top K,
   * a closed or deleted one none. Returns the rows written.
   */
  async scoreJobs(jobIds: readonly string[]): Promise<number> {
    const unique = [...new Set(jobIds)];
    await this.models.refresh();
    let written = 0;
    for (let i = 0; i < unique.length; i += JOBS_PER_WRITE) {
      const ids = unique.slice(i, i + JOBS_PER_WRITE);
      const facts = await this.repo.jobFacts(ids);
      const open = facts.filter((j) => j.status === 'OPEN');
      const docs = new Map(
        (
          await this.documents.build(
            'job',
            open.map((j) => j.id),
          )
        ).map((d) => [d.id, d]),
      );
      const rows: MatchScoreRow[] = [];
      for (const job of open) {
        const doc = docs.get(job.id);
        if (doc) rows.push(...(await this.scoreJob(job, doc)));
      }
      await this.db.transaction((em) => new MatchScoreRepository(em).replaceJobs(ids, rows));
      written += rows.length;
    }
    return written;
  }

  /** The jobs whose scores a change of these candidates may move: those that score them now, and their best open jobs. */
  async jobsAffectedBy(candidateIds: readonly string[]): Promise<string[]> {
    const jobs = new Set(await this.repo.jobsOf(candidateIds));
    const docs = await this.documents.build('candidate', [...candidateIds]);
    for (const doc of docs) {
      const page = await this.search.matchDocument(doc, 'job', {
        first: this.options.jobsPerCandidate,
        filter: { op: 'eq', field: 'status', value: 'OPEN' },
      });
      for (const hit of page.hits) jobs.add(hit.id);
    }
    return [...jobs];
  }

  clear(): Promise<void> {
    return this.repo.clear();
  }

  /**
   * One page of stored scores of a job (its candidates) or of a candidate (their jobs), best first.
   * Throws AppError BAD_USER_INPUT unless exactly one of jobId and candidateId is given, for a page size
   * outside 1..1000 or a cursor this query did not issue.
   */
  async page(q: MatchScoreQuery): Promise<MatchScorePage> {
    if ((q.jobId === undefined) === (q.candidateId === undefined)) {
      throw new AppError('BAD_USER_INPUT', 'pass exactly one of jobId and candidateId');
    }
    if (!Number.isInteger(q.first) || q.first < 1 || q.first > MAX_PAGE) {
      throw new AppError('BAD_USER_INPUT', `first must be from 1 to ${MAX_PAGE}`);
    }
    const after = q.after === undefined ? undefined : readCursor(q.after);
    const rows = await this.repo.page({ ...q, limit: q.first + 1, after });
    const nodes = await this.explained(rows.slice(0, q.first));
    const key = (r: StoredMatchScore) => (q.jobId !== undefined ? r.candidateId : r.jobId);
    return {
      nodes,
      cursors: nodes.map((r) => encodeCursor(JSON.stringify([r.score, key(r)]))),
      hasNextPage: rows.length > q.first,
      hasPreviousPage: after !== undefined,
    };
  }

  /** The best `n` stored scores of each job (by job id, best first); for many jobs in one statement. */
  async topForJobs(jobIds: readonly string[], n: number): Promise<Map<string, ExplainedMatchScore[]>> {
    return groupBy(await this.explained(await this.repo.topForJobs(jobIds, n)), (r) => r.jobId);
  }

  /** The `n` best-scored jobs of each candidate (by candidate id, best first). */
  async topForCandidates(candidateIds: readonly string[], n: number): Promise<Map<string, ExplainedMatchScore[]>> {
    return groupBy(await this.explained(await this.repo.topForCandidates(candidateIds, n)), (r) => r.candidateId);
  }

  /** Adds each row's explanation: the components that set it apart from its job's other scored candidates. */
  private async explained(rows: StoredMatchScore[]): Promise<ExplainedMatchScore[]> {
    if (rows.length === 0) return [];
    const means = await this.repo.jobMeans([...new Set(rows.map((r) => r.jobId))]);
    await this.models.refresh();
    return rows.map((r) => {
      const model = this.models.byVersion(r.modelVersion) ?? this.models.current();
      const m = means.get(r.jobId);
      return { ...r, explanation: explain(model, r, m ? jobMeanFor(model, m) : model.fitted.mean) };
    });
  }

  coverage() {
    return this.repo.coverage();
  }

  /**
   * The components of these candidates for one job, and the hybrid search's fused score among them (the
   * job's profile matched against only these candidates), for scoring outcomes: `matchhub scores train|eval`.
   * A candidate missing from the index or the hub is left out.
   */
  async componentsFor(
    jobId: string,
    candidates: readonly { id: string; externalId: string }[],
  ): Promise<Map<string, { components: MatchComponents; fused: number }>> {
    const [job] = await this.repo.jobFacts([jobId]);
    const [doc] = await this.documents.build('job', [jobId]);
    if (!job || !doc || candidates.length === 0) return new Map();
    const wanted = new Set(candidates.map((c) => c.id));
    const { hits } = await this.search.matchDocument(doc, 'candidate', {
      first: Math.min(SEARCH_DEFAULTS.maxLimit, candidates.length),
      filter: { op: 'in', field: 'externalId', values: [...new Set(candidates.map((c) => c.externalId))] },
    });
    const rows = await this.components(
      job,
      hits.filter((h) => wanted.has(h.id)),
    );
    return new Map(rows.map((r) => [r.candidateId, { components: r.components, fused: r.hit.score }]));
  }

  private async components(
    job: ScoredJobFacts,
    hits: SearchHit[],
  ): Promise<{ candidateId: string; components: MatchComponents; hit: SearchHit }[]> {
    if (hits.length === 0) return [];
    const ids = hits.map((h) => h.id);
    const [candidates, flow, warm, link] = await Promise.all([
      this.repo.candidateFacts(job.id, ids),
      this.repo.talentFlow(job.company_id, ids),
      this.repo.warmPaths(job.company_id, ids),
      this.linkPrediction(job.company_id, ids),
    ]);
    const hitOf = new Map(hits.map((h) => [h.id, h]));
    return candidates.map((c) => ({
      candidateId: c.id,
      hit: hitOf.get(c.id)!,
      components: {
        ...searchComponents(hitOf.get(c.id)!),
        skillsRequired: coverage(job.required, c.required_held),
        skillsPreferred: coverage(job.preferred, c.preferred_held),
        seniorityFit: seniorityFit(job.seniority, c.years_experience),
        locationFit: locationFit(job.location, c.location, c.desired_locations),
        talentFlow: flow.get(c.id) ?? 0,
        warmPath: warm.get(c.id) ?? 0,
        linkPrediction: link.get(c.id) ?? null,
      },
    }));
  }

  /**
   * Per candidate, the trained link model's score of their move to `companyId` (kind CANDIDATE_COMPANY),
   * for the job's whole pool in one graph call; no entry without a trained model or without features.
   */
  private async linkPrediction(companyId: string, candidateIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!this.links) return out;
    const { scores } = await this.links.linkScores(
      'CANDIDATE_COMPANY',
      candidateIds.map((sourceId) => ({ sourceId, targetId: companyId })),
    );
    candidateIds.forEach((id, i) => {
      const s = scores[i];
      if (s !== null) out.set(id, s);
    });
    return out;
  }

  private async scoreJob(job: ScoredJobFacts, doc: Parameters<SearchService['matchDocument']>[0]): Promise<MatchScoreRow[]> {
    const pool = Math.min(SEARCH_DEFAULTS.maxLimit, this.options.topK * 2);
    const { hits } = await this.search.matchDocument(doc, 'candidate', { first: pool });
    const model = this.models.current();
    const rows = (await this.components(job, hits)).map(({ candidateId, components }) => ({
      jobId: job.id,
      candidateId,
      score: predict(model, components),
      ...components,
      modelVersion: model.version,
    }));
    rows.sort((a, b) => b.score - a.score || (a.candidateId < b.candidateId ? -1 : 1));
    return rows.slice(0, this.options.topK);
  }
}

function searchComponents(hit: SearchHit): Pick<MatchComponents, 'keyword' | 'vector' | 'vectorProfile' | 'vectorTitle' | 'vectorSkills'> {
  const section = (name: string) => hit.explanation.matchedVectors.find((v) => v.name === name)?.similarity ?? null;
  return {
    keyword: hit.keywordScore ?? 0,
    vector: hit.vectorScore ?? 0,
    vectorProfile: section('profile'),
    vectorTitle: section('title'),
    vectorSkills: section('skills'),
  };
}

function readCursor(cursor: string): { score: number; id: string } {
  try {
    const [score, id] = JSON.parse(decodeCursor(cursor) ?? '') as unknown[];
    if (typeof score === 'number' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { score, id };
  } catch {
    // reported below
  }
  throw new AppError('BAD_USER_INPUT', 'after is not a cursor of this list; pass pageInfo.endCursor of the previous page');
}

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(r);
  }
  return out;
}
