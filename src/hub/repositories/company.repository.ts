import { Company } from '../entities/company.entity';
import type { CompanyFilter } from '../list-filters';
import { paginate, type Page, type PageArgs } from '../pagination';
import { contains } from './list-conditions';
import { SourcedRepository } from './sourced.repository';

/** The statements for `company`. */
export class CompanyRepository extends SourcedRepository<Company> {
  protected readonly entity = Company;

  /** By name. */
  list(filter: CompanyFilter, page: PageArgs, maxPageSize: number, fields?: ReadonlySet<string>): Promise<Page<Company>> {
    const qb = this.db.getRepository(Company).createQueryBuilder('co');
    if (filter.text) qb.andWhere('co.name ILIKE :text', { text: contains(filter.text) });
    if (filter.industry) qb.andWhere('co.industry = :industry', { industry: filter.industry });
    if (filter.sizeBand?.length) qb.andWhere('co.size_band IN (:...sizes)', { sizes: filter.sizeBand });
    if (filter.location) qb.andWhere('co.location ILIKE :location', { location: contains(filter.location) });
    return paginate(qb, 'co', { expr: 'co.name', direction: 'ASC', key: 'name' }, page, maxPageSize, (c) => c.name, fields);
  }

  async any(): Promise<boolean> {
    const [row] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM "company") AS "any"`);
    return row.any;
  }

  // ---------------------------------------------------------------- RAG tool views (rag/tools/record-views.ts)

  /** Companies by id as the RAG tools show them. */
  async toolViews(ids: readonly string[]): Promise<Record<string, unknown>[]> {
    return this.db.query(`SELECT id, name, industry, size_band, location, aliases FROM company WHERE id = ANY($1::uuid[])`, [ids]);
  }
}
