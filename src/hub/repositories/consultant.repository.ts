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

  /** One consultant's id and name by its source key; null when there is none. */
  bySourceKey(source: string, externalId: string): Promise<{ id: string; name: string } | null> {
    return this.db.getRepository(Consultant).findOne({ select: { id: true, name: true }, where: { source, externalId } });
  }
}
