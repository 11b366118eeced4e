/**
 * What a repository runs its statements on: a DataSource, or the EntityManager of a transaction
 * (both have this method), so one repository serves reads and writes inside a transaction alike.
 */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are typed by each repository method
  query(sql: string, parameters?: unknown[]): Promise<any>;
}
