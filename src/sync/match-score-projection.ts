import type { MatchScoreService } from '../matching/match-scores.service';
import type { Projection, ProjectionEvent } from './projection';

/**
 * Keeps `match_score` a projection of the data hub: a changed job is rescored whole (its top K); a changed
 * candidate rescores the jobs that score them now and their best open jobs by search, so they enter or leave
 * those jobs' top K. A deleted candidate's or job's rows go with it (foreign keys). Applications and
 * placements do not enter a row's score (they train the model: `matchhub scores train`, which rescores every
 * open job itself); rows are scored with the newest stored model version. It reads the search index for the
 * keyword and vector components, so it applies only what the search projection has applied (`follows`).
 */
export class MatchScoreProjection implements Projection {
  readonly name = 'scores';
  readonly follows = 'search';
  readonly version = 'match-scores:1';

  constructor(private readonly scores: MatchScoreService) {}

  async apply(events: ProjectionEvent[]): Promise<void> {
    const jobs = events.filter((e) => e.type === 'job').map((e) => e.id);
    const candidates = events.filter((e) => e.type === 'candidate' && e.kind === 'UPSERT').map((e) => e.id);
    if (candidates.length) jobs.push(...(await this.scores.jobsAffectedBy(candidates)));
    if (jobs.length) await this.scores.scoreJobs(jobs);
  }

  clear(): Promise<void> {
    return this.scores.clear();
  }
}
