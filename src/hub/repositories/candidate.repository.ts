import { CANDIDATE_PERSONAL_FIELDS, personalColumn } from '../personal-data';
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

  // ---------------------------------------------------------------- RAG tool views (rag/tools/record-views.ts)

  /**
   * Candidates by id as the RAG tools show them, with their skill names (sorted). The personal columns
   * (CANDIDATE_PERSONAL_FIELDS, named by field) are selected only when `personal`: other roles never
   * even read them.
   */
  async toolViews(ids: readonly string[], personal: boolean): Promise<Record<string, unknown>[]> {
    const personalColumns = personal ? CANDIDATE_PERSONAL_FIELDS.map((f) => `, c.${personalColumn(f)} AS "${f}"`).join('') : '';
    return this.db.query(
      `SELECT c.id, c.name, c.headline, c.current_title, c.location, c.years_experience, c.languages,
  c.desired_roles, c.desired_locations, c.summary, (SELECT coalesce(array_agg(s.name ORDER BY s.name), '{}') FROM candidate_skill l JOIN skill s ON s.id = l.skill_id WHERE l.candidate_id = c.id) AS skills${personalColumns} FROM candidate c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
  }
}

