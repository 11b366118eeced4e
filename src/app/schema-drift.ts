import type { DataSource } from 'typeorm';

/**
 * The SQL TypeORM would run to make the database match the entities. Empty after all migrations ran
 * means entities and migrations agree; the check and `migration:generate` are both built on it.
 */
export async function schemaDrift(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return {
    up: log.upQueries.map((q) => q.query),
    down: log.downQueries.map((q) => q.query),
  };
}
