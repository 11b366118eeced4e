import { In, type EntityTarget, type FindOptionsOrder, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import type { Queryable } from './queryable';

/**
 * Finds by key for any entity, as the per-request DataLoaders batch them: one statement per batch,
 * built by TypeORM from the entity's metadata (so it follows the entity's table and columns). The
 * statements each aggregate writes by hand live in its own repository.
 */
export class EntityFindsRepository {
  constructor(private readonly db: Queryable) {}

  /** The rows with these ids, in no particular order; ids without a row are absent. */
  byIds<T extends ObjectLiteral & { id: string }>(target: EntityTarget<T>, ids: readonly string[]): Promise<T[]> {
    return this.db.getRepository(target).findBy({ id: In([...ids]) } as FindOptionsWhere<T>);
  }

  /** The rows whose `column` is one of `keys` (a one-to-many list), in `order`. */
  byKeys<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    column: keyof T & string,
    keys: readonly string[],
    order: FindOptionsOrder<T>,
  ): Promise<T[]> {
    return this.db.getRepository(target).find({ where: { [column]: In([...keys]) } as FindOptionsWhere<T>, order });
  }
}
