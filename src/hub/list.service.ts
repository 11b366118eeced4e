import type { DataSource, SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { AppError } from '../shared/errors';
import type {
  ApplicationFilter,
  CandidateFilter,
  CandidateSort,
  CompanyFilter,
  DateRange,
  JobFilter,
  JobSort,
  NameFilter,
  PlacementFilter,
} from './list-filters';
import { Application } from './entities/application.entity';
import { Candidate } from './entities/candidate.entity';
import { Company } from './entities/company.entity';
import { Consultant } from './entities/consultant.entity';
import { Job } from './entities/job.entity';
import { Occupation } from './entities/occupation.entity';
import { Placement } from './entities/placement.entity';
import { Skill } from './entities/skill.entity';
import { expectGlobalId } from '../shared/global-id';
import { paginate, type Page, type PageArgs, type SortSpec } from './pagination';

const MAX_FILTER_TEXT = 200;

/** `%text%` for ILIKE with the user's own % and _ taken literally. */
function contains(text: string): string {
  if (text.length > MAX_FILTER_TEXT) throw new AppError('BAD_USER_INPUT', `filter text is limited to ${MAX_FILTER_TEXT} characters`);
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function isoDate(value: string, field: string): string {
  if (Number.isNaN(Date.parse(value))) throw new AppError('BAD_USER_INPUT', `${field} must be an ISO date, got "${value.slice(0, 40)}"`);
  return value;
}

function dateRange<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, expr: string, range: DateRange | undefined, name: string) {
  if (range?.from) qb.andWhere(`${expr} >= :${name}From`, { [`${name}From`]: isoDate(range.from, `${name}.from`) });
  if (range?.to) qb.andWhere(`${expr} <= :${name}To`, { [`${name}To`]: isoDate(range.to, `${name}.to`) });
}

/** Keeps rows linked to every named skill (by name or alias, case-insensitive). */
function hasAllSkills<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  link: 'candidate_skill' | 'job_skill',
  owner: 'candidate_id' | 'job_id',
  alias: string,
  skills: string[],
) {
  const keys = [...new Set(skills.map((s) => s.trim().toLowerCase()))];
  qb.andWhere(
    `(SELECT count(DISTINCT s.id) FROM ${link} l JOIN skill s ON s.id = l.skill_id
      WHERE l.${owner} = ${alias}.id AND (s.name_key = ANY(:skillKeys) OR s.aliases && :skillKeys::text[])) >= :skillCount`,
    { skillKeys: keys, skillCount: keys.length },
  );
}

/** Every filter is a bound parameter; the SQL text depends only on which filters are present. */
export class ListService {
  constructor(
    private readonly ds: DataSource,
    private readonly maxPageSize: number,
  ) {}

  candidates(filter: CandidateFilter = {}, sort: CandidateSort | undefined, page: PageArgs): Promise<Page<Candidate>> {
    const qb = this.ds.getRepository(Candidate).createQueryBuilder('c');
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
    };
    const value = (c: Candidate) => (field === 'NAME' ? c.name : field === 'YEARS_EXPERIENCE' ? (c.yearsExperience ?? -1) : c.updatedAt);
    return paginate(qb, 'c', spec, page, this.maxPageSize, value);
  }

  jobs(filter: JobFilter = {}, sort: JobSort | undefined, page: PageArgs): Promise<Page<Job>> {
    const qb = this.ds.getRepository(Job).createQueryBuilder('j');
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
      { expr: exprs[field], direction: sort?.direction ?? (field === 'TITLE' ? 'ASC' : 'DESC') },
      page,
      this.maxPageSize,
      value,
    );
  }

  companies(filter: CompanyFilter = {}, page: PageArgs): Promise<Page<Company>> {
    const qb = this.ds.getRepository(Company).createQueryBuilder('co');
    if (filter.text) qb.andWhere('co.name ILIKE :text', { text: contains(filter.text) });
    if (filter.industry) qb.andWhere('co.industry = :industry', { industry: filter.industry });
    if (filter.sizeBand?.length) qb.andWhere('co.size_band IN (:...sizes)', { sizes: filter.sizeBand });
    if (filter.location) qb.andWhere('co.location ILIKE :location', { location: contains(filter.location) });
    return paginate(qb, 'co', { expr: 'co.name', direction: 'ASC' }, page, this.maxPageSize, (c) => c.name);
  }

  applications(filter: ApplicationFilter = {}, page: PageArgs): Promise<Page<Application>> {
    const qb = this.ds.getRepository(Application).createQueryBuilder('a');
    if (filter.stage?.length) qb.andWhere('a.stage IN (:...stages)', { stages: filter.stage });
    if (filter.candidateId) qb.andWhere('a.candidate_id = :cand', { cand: expectGlobalId(filter.candidateId, 'Candidate') });
    if (filter.jobId) qb.andWhere('a.job_id = :job', { job: expectGlobalId(filter.jobId, 'Job') });
    return paginate(qb, 'a', { expr: 'a.updated_at', direction: 'DESC' }, page, this.maxPageSize, (a) => a.updatedAt);
  }

  placements(filter: PlacementFilter = {}, page: PageArgs): Promise<Page<Placement>> {
    const qb = this.ds.getRepository(Placement).createQueryBuilder('p');
    if (filter.companyId) qb.andWhere('p.company_id = :company', { company: expectGlobalId(filter.companyId, 'Company') });
    dateRange(qb, 'p.start_date', filter.startDate, 'startDate');
    return paginate(qb, 'p', { expr: 'p.start_date', direction: 'DESC' }, page, this.maxPageSize, (p) => p.startDate);
  }

  skills(filter: NameFilter = {}, page: PageArgs): Promise<Page<Skill>> {
    const qb = this.ds.getRepository(Skill).createQueryBuilder('s');
    if (filter.text) qb.andWhere('s.name ILIKE :text', { text: contains(filter.text) });
    return paginate(qb, 's', { expr: 's.name', direction: 'ASC' }, page, this.maxPageSize, (s) => s.name);
  }

  occupations(filter: NameFilter = {}, page: PageArgs): Promise<Page<Occupation>> {
    const qb = this.ds.getRepository(Occupation).createQueryBuilder('o');
    if (filter.text) qb.andWhere('o.title ILIKE :text', { text: contains(filter.text) });
    return paginate(qb, 'o', { expr: 'o.code', direction: 'ASC' }, page, this.maxPageSize, (o) => o.code);
  }

  consultants(page: PageArgs): Promise<Page<Consultant>> {
    const qb = this.ds.getRepository(Consultant).createQueryBuilder('k');
    return paginate(qb, 'k', { expr: 'k.name', direction: 'ASC' }, page, this.maxPageSize, (k) => k.name);
  }
}
