import type { Queryable } from './queryable';
import type { CandidateRow, ExperienceRow, SkillRow } from './profile-rows';

/** The statements for a candidate and what belongs to it (experience, education, candidate_skill). */
export class CandidateRepository {
  constructor(private readonly db: Queryable) {}

  /** Profiles of the candidates that exist: their rows, experiences (in order) and skills (strongest first). */
  async profiles(ids: readonly string[]): Promise<{ candidates: CandidateRow[]; experiences: ExperienceRow[]; skills: SkillRow[] }> {
    const candidates: CandidateRow[] = await this.db.query(
      `SELECT id, name, headline, summary, current_title, desired_roles, location, years_experience, languages FROM candidate WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const experiences: ExperienceRow[] = await this.db.query(
      `SELECT e.candidate_id, e.title, e.company_name, e.company_id, e.description, o.code AS occupation_code, e.start_date, e.end_date
       FROM experience e LEFT JOIN occupation o ON o.id = e.occupation_id WHERE e.candidate_id = ANY($1::uuid[]) ORDER BY e.position`,
      [ids],
    );
    const skills: SkillRow[] = await this.db.query(
      `SELECT cs.candidate_id AS owner_id, s.name, cs.level AS weight FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id
       WHERE cs.candidate_id = ANY($1::uuid[]) ORDER BY cs.level DESC NULLS LAST, s.name`,
      [ids],
    );
    return { candidates, experiences, skills };
  }

  /** Candidates who hold any of these skills, at most `limit` of them. */
  async holdersOfSkills(skillIds: readonly string[], limit: number): Promise<string[]> {
    const rows: { candidate_id: string }[] = await this.db.query(
      `SELECT DISTINCT candidate_id FROM candidate_skill WHERE skill_id = ANY($1::uuid[]) LIMIT $2`,
      [skillIds, limit],
    );
    return rows.map((r) => r.candidate_id);
  }
}
