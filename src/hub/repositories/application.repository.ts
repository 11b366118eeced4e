import { Application } from '../entities/application.entity';
import type { ApplicationFilter } from '../list-filters';
import { paginate, type Page, type PageArgs } from '../pagination';
import { expectGlobalId } from '../../shared/global-id';
import { replaceOwnedRows } from './owned-rows';
import { SourcedRepository } from './sourced.repository';

export interface StageChangeRow {
  application_id: string;
  stage: string;
  at: string;
}

const STAGE_CHANGE_COLUMNS = [
  ['application_id', 'uuid'],
  ['stage', 'application_stage'],
  ['at', 'timestamptz'],
] as const;

/** The statements for an application and its stage history (application, application_stage_change). */
export class ApplicationRepository extends SourcedRepository<Application> {
  protected readonly entity = Application;

  /** Replaces the stage history of these applications with `changes` (which may name only some of them). */
  replaceHistory(applicationIds: readonly string[], changes: readonly StageChangeRow[]): Promise<void> {
    return replaceOwnedRows(this.db, 'application_stage_change', 'application_id', applicationIds, STAGE_CHANGE_COLUMNS, changes);
  }

  /** Appends each application's current stage to its history, now, when it differs from the latest entry. */
  async recordStageIfChanged(applicationIds: readonly string[]): Promise<void> {
    await this.db.query(
      `INSERT INTO "application_stage_change" ("application_id", "stage", "at")
       SELECT a."id", a."stage", now() FROM "application" a
       WHERE a."id" = ANY($1::uuid[]) AND a."stage" IS DISTINCT FROM (
         SELECT c."stage" FROM "application_stage_change" c WHERE c."application_id" = a."id" ORDER BY c."at" DESC, c."seq" DESC LIMIT 1)`,
      [applicationIds],
    );
  }

  /** Most recently changed first. */
  list(filter: ApplicationFilter, page: PageArgs, maxPageSize: number, fields?: ReadonlySet<string>): Promise<Page<Application>> {
    const qb = this.db.getRepository(Application).createQueryBuilder('a');
    if (filter.stage?.length) qb.andWhere('a.stage IN (:...stages)', { stages: filter.stage });
    if (filter.candidateId) qb.andWhere('a.candidate_id = :cand', { cand: expectGlobalId(filter.candidateId, 'Candidate') });
    if (filter.jobId) qb.andWhere('a.job_id = :job', { job: expectGlobalId(filter.jobId, 'Job') });
    return paginate(qb, 'a', { expr: 'a.updated_at', direction: 'DESC', key: 'updatedAt' }, page, maxPageSize, (a) => a.updatedAt, fields);
  }
}
