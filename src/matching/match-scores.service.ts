import type { DataSource } from 'typeorm';
import { SEARCH_DEFAULTS, type SearchHit } from '../adapters/search/search-index';
import { MatchScoreRepository, type MatchScoreRow, type ScoredJobFacts } from '../hub/repositories/match-score.repository';
import type { SearchDocuments } from './search-documents';
import type { SearchService } from './search.service';
import { coverage, locationFit, predict, seniorityFit, type MatchComponents, type MatchScoreModel } from './match-score-model';

export interface MatchScoreOptions {
  /** Candidates kept per open job. */
  topK: number;
  /** Open jobs a changed candidate is compared with beyond those that score them already. */
  jobsPerCandidate: number;
}

export const DEFAULT_MATCH_SCORE_OPTIONS: MatchScoreOptions = { topK: 200, jobsPerCandidate: 20 };

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
    private readonly model: () => MatchScoreModel,
    readonly options: MatchScoreOptions = DEFAULT_MATCH_SCORE_OPTIONS,
  ) {
    this.repo = new MatchScoreRepository(db);
  }

  /**
   * Recomputes the rows of these jobs from the data hub and the search index: an open job gets its top K,
   * a closed or deleted one none. Returns the rows written.
   */
  async scoreJobs(jobIds: readonly string[]): Promise<number> {
    const unique = [...new Set(jobIds)];
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

  coverage() {
    return this.repo.coverage();
  }

  private async scoreJob(job: ScoredJobFacts, doc: Parameters<SearchService['matchDocument']>[0]): Promise<MatchScoreRow[]> {
    const pool = Math.min(SEARCH_DEFAULTS.maxLimit, this.options.topK * 2);
    const { hits } = await this.search.matchDocument(doc, 'candidate', { first: pool });
    if (hits.length === 0) return [];
    const ids = hits.map((h) => h.id);
    const [candidates, flow, warm] = await Promise.all([
      this.repo.candidateFacts(job.id, ids),
      this.repo.talentFlow(job.company_id, ids),
      this.repo.warmPaths(job.company_id, ids),
    ]);
    const hitOf = new Map(hits.map((h) => [h.id, h]));
    const model = this.model();
    const rows = candidates.map((c) => {
      const components: MatchComponents = {
        ...searchComponents(hitOf.get(c.id)!),
        skillsRequired: coverage(job.required, c.required_held),
        skillsPreferred: coverage(job.preferred, c.preferred_held),
        seniorityFit: seniorityFit(job.seniority, c.years_experience),
        locationFit: locationFit(job.location, c.location, c.desired_locations),
        talentFlow: flow.get(c.id) ?? 0,
        warmPath: warm.get(c.id) ?? 0,
      };
      return { jobId: job.id, candidateId: c.id, score: predict(model, components), ...components, modelVersion: model.version };
    });
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
