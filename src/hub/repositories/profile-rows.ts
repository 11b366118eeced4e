/**
 * A record's profile as search and matching read it: the columns that make its sections, in the
 * shapes the repositories return (snake_case, as PostgreSQL names them).
 */
/** Where a record came from: every record keeps them, and search filters on them. */
export interface SourcedRow {
  source: string;
  external_id: string;
}

export interface CandidateRow extends SourcedRow {
  id: string;
  name: string;
  headline: string | null;
  summary: string | null;
  current_title: string | null;
  desired_roles: string[];
  location: string | null;
  years_experience: string | number | null;
  languages: string[];
}
export interface ExperienceRow {
  candidate_id: string;
  title: string;
  company_name: string;
  company_id: string | null;
  description: string | null;
  occupation_code: string | null;
  start_date: string | Date;
  end_date: string | Date | null;
}
export interface JobRow extends SourcedRow {
  id: string;
  title: string;
  description: string | null;
  seniority: string | null;
  location: string | null;
  salary_min: number | null;
  salary_max: number | null;
  status: string;
  company_id: string;
  company_name: string;
  occupation_code: string | null;
}
export interface SkillRow {
  owner_id: string;
  name: string;
  /** Candidate level (1-5) or job requirement. */
  weight: string | number | null;
}
export interface OccupationRow extends SourcedRow {
  id: string;
  code: string;
  title: string;
  description: string | null;
  alternate_titles: string[];
}
