import { Placement } from '../entities/placement.entity';
import type { PlacementFilter } from '../list-filters';
import { paginate, type Page, type PageArgs } from '../pagination';
import { expectGlobalId } from '../../shared/global-id';
import { dateRange } from './list-conditions';
import { SourcedRepository } from './sourced.repository';

/** The statements for `placement`. */
export class PlacementRepository extends SourcedRepository<Placement> {
  protected readonly entity = Placement;

  /** Newest start first. */
  list(filter: PlacementFilter, page: PageArgs, maxPageSize: number, fields?: ReadonlySet<string>): Promise<Page<Placement>> {
    const qb = this.db.getRepository(Placement).createQueryBuilder('p');
    if (filter.companyId) qb.andWhere('p.company_id = :company', { company: expectGlobalId(filter.companyId, 'Company') });
    dateRange(qb, 'p.start_date', filter.startDate, 'startDate');
    return paginate(qb, 'p', { expr: 'p.start_date', direction: 'DESC', key: 'startDate' }, page, maxPageSize, (p) => p.startDate, fields);
  }
}
