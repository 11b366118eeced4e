import type { EntityManager } from 'typeorm';

/**
 * What a repository runs its statements on: a DataSource, or the EntityManager of a transaction
 * (both have these methods), so one repository serves reads and writes inside a transaction alike.
 * `getRepository` is for the statements TypeORM builds (lists with filters and pagination, finds by
 * entity) and for an entity's metadata (its table and columns).
 */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are typed by each repository method
  query(sql: string, parameters?: unknown[]): Promise<any>;
  getRepository: EntityManager['getRepository'];
}
