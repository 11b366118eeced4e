import { CANDIDATE_PERSONAL_FIELDS, personalColumn } from '../personal-data';
import { Candidate } from '../entities/candidate.entity';
import type { CandidateFilter, CandidateSort } from '../list-filters';
import { paginate, type Page, type PageArgs, type SortSpec } from '../pagination';
import { expectGlobalId } from '../../shared/global-id';
import { contains, dateRange, hasAllSkills } from './list-conditions';
import type { CandidateRow, ExperienceRow, SkillRow } from './profile-rows';
import { replaceOwnedRows } from './owned-rows';
import { SourcedRepository } from './sourced.repository';

/** An experience as written: `company_name` '' takes the name of the company `company_id` points at. */
export interface ExperienceWriteRow {
  source: string;
  external_id: string;
  candidate_id: string;
  company_id: string | null;
  company_name: string;
  title: string;
  start_date: string;
  end_date: string | null;
  description: string | null;
  occupation_id: string | null;
  position: number;
}

export interface EducationWriteRow {
  source: string;
  external_id: string;
  candidate_id: string;
  school: string;
  degree: string | null;
  field: string | null;
  start_year: number | null;
  end_year: number | null;
  position: number;
}

export interface CandidateSkillRow {
  candidate_id: string;
  skill_id: string;
  level: number | null;
  years: number | null;
}

const EDUCATION_COLUMNS = [
  ['source', 'text'],
  ['external_id', 'text'],
  ['candidate_id', 'uuid'],
  ['school', 'text'],
  ['degree', 'text'],
  ['field', 'text'],
  ['start_year', 'smallint'],
  ['end_year', 'smallint'],
  ['position', 'smallint'],
] as const;
const CANDIDATE_SKILL_COLUMNS = [
  ['candidate_id', 'uuid'],
  ['skill_id', 'uuid'],
  ['level', 'smallint'],
  ['years', 'numeric'],
] as const;

/** The statements for a candidate and what belongs to it (experience, education, candidate_skill). */
export class CandidateRepository extends SourcedRepository<Candidate> {
  protected readonly entity = Candidate;

  /** Profiles of the candidates that exist: their rows, experiences (in order) and skills (strongest first). */
  async profiles(ids: readonly string[]): Promise<{ candidates: CandidateRow[]; experiences: ExperienceRow[]; skills: SkillRow[] }> {
    const candidates: CandidateRow[] = await this.db.query(
      `SELECT id, source, external_id, name, headline, summary, current_title, desired_roles, location, years_experience, languages FROM candidate WHERE id = ANY($1::uuid[])`,
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

  /** Replaces the experiences of these candidates with `rows` (which may name only some of them). */
  async replaceExperiences(candidateIds: readonly string[], rows: readonly ExperienceWriteRow[]): Promise<void> {
    await this.db.query(`DELETE FROM "experience" WHERE "candidate_id" = ANY($1::uuid[])`, [candidateIds]);
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO "experience" ("source", "external_id", "candidate_id", "company_id", "company_name", "title", "start_date", "end_date", "description", "occupation_id", "position")
       SELECT r."source", r."external_id", r."candidate_id", r."company_id",
              CASE WHEN r."company_name" = '' THEN coalesce(c."name", '') ELSE r."company_name" END,
              r."title", r."start_date", r."end_date", r."description", r."occupation_id", r."position"
       FROM jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text, "candidate_id" uuid, "company_id" uuid, "company_name" text,
         "title" text, "start_date" date, "end_date" date, "description" text, "occupation_id" uuid, "position" smallint)
       LEFT JOIN "company" c ON c."id" = r."company_id"`,
      [JSON.stringify(rows)],
    );
  }

  /** Replaces the education of these candidates with `rows` (which may name only some of them). */
  replaceEducation(candidateIds: readonly string[], rows: readonly EducationWriteRow[]): Promise<void> {
    return replaceOwnedRows(this.db, 'education', 'candidate_id', candidateIds, EDUCATION_COLUMNS, rows);
  }

  /** Replaces the skills of these candidates with `rows` (one per candidate and skill). */
  replaceSkills(candidateIds: readonly string[], rows: readonly CandidateSkillRow[]): Promise<void> {
    return replaceOwnedRows(this.db, 'candidate_skill', 'candidate_id', candidateIds, CANDIDATE_SKILL_COLUMNS, rows);
  }

  async any(): Promise<boolean> {
    const [row] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM "candidate") AS "any"`);
    return row.any;
  }

  /** Every filter is a bound parameter; the SQL text depends only on which filters are present. */
  list(
    filter: CandidateFilter,
    sort: CandidateSort | undefined,
    page: PageArgs,
    maxPageSize: number,
    fields?: ReadonlySet<string>,
  ): Promise<Page<Candidate>> {
    const qb = this.db.getRepository(Candidate).createQueryBuilder('c');
    if (filter.text) {
      qb.andWhere(`(coalesce(c.name, '') || ' ' || coalesce(c.headline, '') || ' ' || coalesce(c.current_title, '')) ILIKE :text`, {
        text: contains(filter.text),
      });
    }
    if (filter.location) qb.andWhere('c.location ILIKE :location', { location: contains(filter.location) });
    if (filter.yearsExperience?.min != null) qb.andWhere('c.years_experience >= :yMin', { yMin: filter.yearsExperience.min });
    if (filter.yearsExperience?.max != null) qb.andWhere('c.years_experience <= :yMax', { yMax: filter.yearsExperience.max });
    if (filter.languages?.length) qb.andWhere('c.languages && :langs::varchar[]', { langs: filter.languages });
    if (filter.ownerId) qb.andWhere('c.owner_id = :owner', { owner: expectGlobalId(filter.ownerId, 'Consultant') });
    if (filter.source) qb.andWhere('c.source = :source', { source: filter.source });
    dateRange(qb, 'c.updated_at', filter.updatedAt, 'updatedAt');
    if (filter.skills?.length) hasAllSkills(qb, 'candidate_skill', 'candidate_id', 'c', filter.skills);
    const field = sort?.field ?? 'UPDATED_AT';
    const spec: SortSpec = {
      expr: field === 'NAME' ? 'c.name' : field === 'YEARS_EXPERIENCE' ? 'coalesce(c.years_experience, -1)' : 'c.updated_at',
      direction: sort?.direction ?? (field === 'UPDATED_AT' ? 'DESC' : 'ASC'),
      key: field === 'NAME' ? 'name' : field === 'YEARS_EXPERIENCE' ? 'yearsExperience' : 'updatedAt',
    };
    const value = (c: Candidate) => (field === 'NAME' ? c.name : field === 'YEARS_EXPERIENCE' ? (c.yearsExperience ?? -1) : c.updatedAt);
    return paginate(qb, 'c', spec, page, maxPageSize, value, fields);
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
