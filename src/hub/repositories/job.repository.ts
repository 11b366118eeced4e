import { Job } from '../entities/job.entity';
import type { JobFilter, JobSort } from '../list-filters';
import { paginate, type Page, type PageArgs } from '../pagination';
import { expectGlobalId } from '../../shared/global-id';
import { contains, dateRange, hasAllSkills } from './list-conditions';
import type { JobRow, SkillRow } from './profile-rows';
import { replaceOwnedRows } from './owned-rows';
import { SourcedRepository } from './sourced.repository';

export interface JobSkillRow {
  job_id: string;
  skill_id: string;
  requirement: string;
}

const JOB_SKILL_COLUMNS = [
  ['job_id', 'uuid'],
  ['skill_id', 'uuid'],
  ['requirement', 'skill_requirement'],
] as const;

/** The statements for a job and its required skills (job, job_skill). */
export class JobRepository extends SourcedRepository<Job> {
  protected readonly entity = Job;

  /** Profiles of the jobs that exist, with their company's name and their skills (required first). */
  async profiles(ids: readonly string[]): Promise<{ jobs: JobRow[]; skills: SkillRow[] }> {
    const jobs: JobRow[] = await this.db.query(
      `SELECT j.id, j.source, j.external_id, j.title, j.description, j.seniority, j.location, j.salary_min, j.salary_max, j.status, j.company_id, c.name AS company_name, o.code AS occupation_code
       FROM job j JOIN company c ON c.id = j.company_id LEFT JOIN occupation o ON o.id = j.occupation_id WHERE j.id = ANY($1::uuid[])`,
      [ids],
    );
    const skills: SkillRow[] = await this.db.query(
      `SELECT js.job_id AS owner_id, s.name, js.requirement AS weight FROM job_skill js JOIN skill s ON s.id = js.skill_id
       WHERE js.job_id = ANY($1::uuid[]) ORDER BY js.requirement, s.name`,
      [ids],
    );
    return { jobs, skills };
  }

  /** The company of each of these jobs that exists: job id -> company id. */
  async companiesOf(jobIds: readonly string[]): Promise<Map<string, string>> {
    const jobs: { id: string; company_id: string }[] = await this.db.query(
      `SELECT "id", "company_id" FROM "job" WHERE "id" = ANY($1::uuid[])`,
      [jobIds],
    );
    return new Map(jobs.map((j) => [j.id, j.company_id]));
  }

  /** Replaces the skills of these jobs with `rows` (one per job and skill). */
  replaceSkills(jobIds: readonly string[], rows: readonly JobSkillRow[]): Promise<void> {
    return replaceOwnedRows(this.db, 'job_skill', 'job_id', jobIds, JOB_SKILL_COLUMNS, rows);
  }

  /** Every filter is a bound parameter; the SQL text depends only on which filters are present. */
  list(
    filter: JobFilter,
    sort: JobSort | undefined,
    page: PageArgs,
    maxPageSize: number,
    fields?: ReadonlySet<string>,
  ): Promise<Page<Job>> {
    const qb = this.db.getRepository(Job).createQueryBuilder('j');
    if (filter.text) qb.andWhere('j.title ILIKE :text', { text: contains(filter.text) });
    if (filter.status) qb.andWhere('j.status = :status', { status: filter.status });
    if (filter.seniority?.length) qb.andWhere('j.seniority IN (:...seniority)', { seniority: filter.seniority });
    if (filter.companyId) qb.andWhere('j.company_id = :company', { company: expectGlobalId(filter.companyId, 'Company') });
    if (filter.location) qb.andWhere('j.location ILIKE :location', { location: contains(filter.location) });
    if (filter.salary?.min != null) qb.andWhere('coalesce(j.salary_max, j.salary_min) >= :sMin', { sMin: filter.salary.min });
    if (filter.salary?.max != null) qb.andWhere('coalesce(j.salary_min, j.salary_max) <= :sMax', { sMax: filter.salary.max });
    if (filter.source) qb.andWhere('j.source = :source', { source: filter.source });
    dateRange(qb, 'j.opened_at', filter.openedAt, 'openedAt');
    if (filter.skills?.length) hasAllSkills(qb, 'job_skill', 'job_id', 'j', filter.skills);
    const field = sort?.field ?? 'UPDATED_AT';
    const exprs = {
      UPDATED_AT: 'j.updated_at',
      OPENED_AT: "coalesce(j.opened_at, '1900-01-01')",
      TITLE: 'j.title',
      SALARY_MAX: 'coalesce(j.salary_max, -1)',
    };
    const KEYS = { UPDATED_AT: 'updatedAt', OPENED_AT: 'openedAt', TITLE: 'title', SALARY_MAX: 'salaryMax' };
    const value = (j: Job) =>
      field === 'TITLE'
        ? j.title
        : field === 'OPENED_AT'
          ? (j.openedAt ?? '1900-01-01')
          : field === 'SALARY_MAX'
            ? (j.salaryMax ?? -1)
            : j.updatedAt;
    return paginate(
      qb,
      'j',
      { expr: exprs[field], direction: sort?.direction ?? (field === 'TITLE' ? 'ASC' : 'DESC'), key: KEYS[field] },
      page,
      maxPageSize,
      value,
      fields,
    );
  }

  // ---------------------------------------------------------------- RAG tool views (rag/tools/record-views.ts)

  /** Jobs by id as the RAG tools show them: with the company's name and the skill names (sorted). */
  async toolViews(ids: readonly string[]): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT j.id, j.title, j.company_id, co.name AS company_name, j.status, j.seniority, j.location, j.salary_min, j.salary_max,
  j.salary_currency, j.opened_at, j.description, (SELECT coalesce(array_agg(s.name ORDER BY s.name), '{}') FROM job_skill l JOIN skill s ON s.id = l.skill_id WHERE l.job_id = j.id) AS skills FROM job j LEFT JOIN company co ON co.id = j.company_id WHERE j.id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
