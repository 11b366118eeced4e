import { Consultant } from '../entities/consultant.entity';
import { paginate, type Page, type PageArgs } from '../pagination';
import { SourcedRepository } from './sourced.repository';

/** The statements for `consultant`. */
export class ConsultantRepository extends SourcedRepository<Consultant> {
  protected readonly entity = Consultant;

  /** By name. */
  list(page: PageArgs, maxPageSize: number, fields?: ReadonlySet<string>): Promise<Page<Consultant>> {
    const qb = this.db.getRepository(Consultant).createQueryBuilder('k');
    return paginate(qb, 'k', { expr: 'k.name', direction: 'ASC', key: 'name' }, page, maxPageSize, (k) => k.name, fields);
  }
}
