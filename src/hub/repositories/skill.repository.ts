import { Skill } from '../entities/skill.entity';
import type { NameFilter } from '../list-filters';
import { paginate, type Page, type PageArgs } from '../pagination';
import { contains } from './list-conditions';
import { SourcedRepository } from './sourced.repository';

/** The statements for `skill`. */
export class SkillRepository extends SourcedRepository<Skill> {
  protected readonly entity = Skill;

  /** Skills whose name key or one of whose aliases is among `keys` (lower-case names). */
  byNameOrAlias(keys: readonly string[]): Promise<{ id: string; name_key: string; aliases: string[] }[]> {
    return this.db.query(`SELECT "id", "name_key", "aliases" FROM "skill" WHERE "name_key" = ANY($1::text[]) OR "aliases" && $1::text[]`, [
      keys,
    ]);
  }

  /**
   * Of these skills, those updated after they were created (a rename, new aliases): their holders'
   * documents say the old text. A skill created on the fly by an import changes no document, since
   * every holder got its own event in the same transaction. Deleted ids are not returned.
   */
  updatedSinceCreated(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .query(`SELECT "id" FROM "skill" WHERE "id" = ANY($1::uuid[]) AND "updated_at" > "created_at"`, [ids])
      .then((rows: { id: string }[]) => rows.map((r) => r.id));
  }

  /** By name. */
  list(filter: NameFilter, page: PageArgs, maxPageSize: number, fields?: ReadonlySet<string>): Promise<Page<Skill>> {
    const qb = this.db.getRepository(Skill).createQueryBuilder('s');
    if (filter.text) qb.andWhere('s.name ILIKE :text', { text: contains(filter.text) });
    return paginate(qb, 's', { expr: 's.name', direction: 'ASC', key: 'name' }, page, maxPageSize, (s) => s.name, fields);
  }
}
