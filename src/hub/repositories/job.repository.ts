import type { Queryable } from './queryable';
import type { JobRow, SkillRow } from './profile-rows';

/** The statements for a job and its required skills (job, job_skill). */
export class JobRepository {
  constructor(private readonly db: Queryable) {}

  /** Profiles of the jobs that exist, with their company's name and their skills (required first). */
  async profiles(ids: readonly string[]): Promise<{ jobs: JobRow[]; skills: SkillRow[] }> {
    const jobs: JobRow[] = await this.db.query(
      `SELECT j.id, j.title, j.description, j.seniority, j.location, j.salary_min, j.salary_max, j.status, j.company_id, c.name AS company_name, o.code AS occupation_code
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

