import type { ApplicationStage, JobStatus, SkillRequirement } from '../records';
import type { Queryable } from './queryable';

export interface CandidateFactRow {
  id: string;
  name: string;
  headline: string | null;
  current_title: string | null;
  location: string | null;
  owner_id: string | null;
}
export interface ExperienceFactRow {
  candidate_id: string;
  company_id: string;
  company_name: string;
  title: string;
  start_date: string | Date;
  end_date: string | Date | null;
}
export interface EducationFactRow {
  candidate_id: string;
  school: string;
  degree: string | null;
  start_year: number | null;
  end_year: number | null;
}
export interface CandidateSkillFactRow {
  candidate_id: string;
  skill_id: string;
  name: string;
  level: number | null;
  years: string | number | null;
}
export interface ApplicationFactRow {
  candidate_id: string;
  job_id: string;
  stage: ApplicationStage;
  updated_at: string | Date;
}
export interface PlacementFactRow {
  candidate_id: string;
  job_id: string;
  start_date: string | Date;
}
export interface JobFactRow {
  id: string;
  title: string;
  company_id: string;
  company_name: string;
  status: JobStatus;
  opened_at: string | Date | null;
  owner_id: string | null;
}
export interface JobSkillFactRow {
  job_id: string;
  skill_id: string;
  name: string;
  requirement: SkillRequirement;
}
export interface CompanyFactRow {
  id: string;
  name: string;
  industry: string | null;
  location: string | null;
}
export interface SkillFactRow {
  id: string;
  name: string;
  category: string | null;
}
export interface ConsultantFactRow {
  id: string;
  name: string;
}
export interface OccupationFactRow {
  id: string;
  title: string;
  code: string;
}

/**
 * The data hub read as the relation graph holds it: the columns of each record that become a node,
 * its properties and its edges, for the graph projection and link-prediction training. Each method
 * reads one aggregate's tables (a join only for the name of what a row points at); records that do
 * not exist are simply absent, and an empty id list runs no statement.
 *
 * These reads sit together rather than in each aggregate's repository because they are one shape
 * (the graph's), changed together when the graph changes.
 */
export class GraphFactsRepository {
  constructor(private readonly db: Queryable) {}

  // --- candidate, experience, education, candidate_skill ---

  /** Candidates with their experiences at a known company and their education (both in order), and their skills. */
  async candidates(ids: readonly string[]): Promise<{
    candidates: CandidateFactRow[];
    experiences: ExperienceFactRow[];
    education: EducationFactRow[];
    skills: CandidateSkillFactRow[];
  }> {
    if (ids.length === 0) return { candidates: [], experiences: [], education: [], skills: [] };
    const p = [ids];
    const [candidates, experiences, education, skills] = await Promise.all([
      this.db.query(`SELECT id, name, headline, current_title, location, owner_id FROM candidate WHERE id = ANY($1::uuid[])`, p),
      this.db.query(
        `SELECT candidate_id, company_id, company_name, title, start_date, end_date FROM experience WHERE candidate_id = ANY($1::uuid[]) AND company_id IS NOT NULL ORDER BY position`,
        p,
      ),
      this.db.query(
        `SELECT candidate_id, school, degree, start_year, end_year FROM education WHERE candidate_id = ANY($1::uuid[]) ORDER BY position`,
        p,
      ),
      this.db.query(
        `SELECT cs.candidate_id, cs.skill_id, s.name, cs.level, cs.years FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id WHERE cs.candidate_id = ANY($1::uuid[])`,
        p,
      ),
    ]);
    return { candidates, experiences, education, skills };
  }

  // --- application ---

  async applicationsOfCandidates(candidateIds: readonly string[]): Promise<ApplicationFactRow[]> {
    if (candidateIds.length === 0) return [];
    return this.db.query(`SELECT candidate_id, job_id, stage, updated_at FROM application WHERE candidate_id = ANY($1::uuid[])`, [
      candidateIds,
    ]);
  }

  /** The candidates these applications are of (an application is a fact of its candidate in the graph). */
  async candidatesOfApplications(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { candidate_id: string }[] = await this.db.query(
      `SELECT DISTINCT candidate_id FROM "application" WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => r.candidate_id);
  }

  // --- placement ---

  async placementsOfCandidates(candidateIds: readonly string[]): Promise<PlacementFactRow[]> {
    if (candidateIds.length === 0) return [];
    return this.db.query(`SELECT candidate_id, job_id, start_date FROM placement WHERE candidate_id = ANY($1::uuid[])`, [candidateIds]);
  }

  /** The candidates these placements are of. */
  async candidatesOfPlacements(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { candidate_id: string }[] = await this.db.query(
      `SELECT DISTINCT candidate_id FROM "placement" WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r) => r.candidate_id);
  }

  // --- job, job_skill ---

  /** Jobs with their company's name, and their skills. */
  async jobs(ids: readonly string[]): Promise<{ jobs: JobFactRow[]; skills: JobSkillFactRow[] }> {
    if (ids.length === 0) return { jobs: [], skills: [] };
    const [jobs, skills] = await Promise.all([
      this.db.query(
        `SELECT j.id, j.title, j.company_id, c.name AS company_name, j.status, j.opened_at, j.owner_id FROM job j JOIN company c ON c.id = j.company_id WHERE j.id = ANY($1::uuid[])`,
        [ids],
      ),
      this.db.query(
        `SELECT js.job_id, js.skill_id, s.name, js.requirement FROM job_skill js JOIN skill s ON s.id = js.skill_id WHERE js.job_id = ANY($1::uuid[])`,
        [ids],
      ),
    ]);
    return { jobs, skills };
  }

  // --- company, skill, consultant, occupation ---

  async companies(ids: readonly string[]): Promise<CompanyFactRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`SELECT id, name, industry, location FROM company WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async skills(ids: readonly string[]): Promise<SkillFactRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`SELECT id, name, category FROM skill WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async consultants(ids: readonly string[]): Promise<ConsultantFactRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`SELECT id, name FROM consultant WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async occupations(ids: readonly string[]): Promise<OccupationFactRow[]> {
    if (ids.length === 0) return [];
    return this.db.query(`SELECT id, title, code FROM occupation WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
