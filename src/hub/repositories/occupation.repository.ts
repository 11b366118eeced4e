import { Occupation } from '../entities/occupation.entity';
import type { NameFilter } from '../list-filters';
import { paginate, type Page, type PageArgs } from '../pagination';
import { contains } from './list-conditions';
import type { Queryable } from './queryable';
import type { OccupationRow } from './profile-rows';

/** The statements for the occupation taxonomy table. */
export class OccupationRepository {
  constructor(private readonly db: Queryable) {}

  async profiles(ids: readonly string[]): Promise<OccupationRow[]> {
    const rows: OccupationRow[] = await this.db.query(
      `SELECT id, source, external_id, code, title, description, alternate_titles FROM occupation WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows;
  }

  /** Ids of the occupations with these O*NET-SOC codes: code -> id; unknown codes are absent. */
  async idsByCode(codes: readonly string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const found: { id: string; code: string }[] = await this.db.query(
      `SELECT "id", "code" FROM "occupation" WHERE "code" = ANY($1::text[])`,
      [codes],
    );
    return new Map(found.map((f) => [f.code, f.id]));
  }

  /** The code of an occupation; undefined when it does not exist. */
  async codeOf(id: string): Promise<string | undefined> {
    const [row] = await this.db.query(`SELECT "code" FROM "occupation" WHERE "id" = $1`, [id]);
    return row?.code;
  }

  /**
   * Upserts taxonomy rows by (source, external_id); returns the ids of the rows inserted or changed,
   * not of those already stored as given (so loading the same taxonomy again returns nothing).
   */
  async upsertTaxonomy(rows: readonly TaxonomyOccupationRow[]): Promise<string[]> {
    const written: { id: string }[] = await this.db.query(
      `INSERT INTO "occupation" ("source", "external_id", "code", "title", "description", "alternate_titles", "linked_codes")
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r("source" text, "external_id" text, "code" text, "title" text, "description" text, "alternate_titles" text[], "linked_codes" text[])
       ON CONFLICT ("source", "external_id") DO UPDATE SET "title" = EXCLUDED."title", "description" = EXCLUDED."description",
         "alternate_titles" = EXCLUDED."alternate_titles", "linked_codes" = EXCLUDED."linked_codes", "updated_at" = now()
       WHERE ("occupation"."title", "occupation"."description", "occupation"."alternate_titles", "occupation"."linked_codes")
         IS DISTINCT FROM (EXCLUDED."title", EXCLUDED."description", EXCLUDED."alternate_titles", EXCLUDED."linked_codes")
       RETURNING "id"`,
      [JSON.stringify(rows)],
    );
    return written.map((w) => w.id);
  }

  /** By code. */
  list(filter: NameFilter, page: PageArgs, maxPageSize: number, fields?: ReadonlySet<string>): Promise<Page<Occupation>> {
    const qb = this.db.getRepository(Occupation).createQueryBuilder('o');
    if (filter.text) qb.andWhere('o.title ILIKE :text', { text: contains(filter.text) });
    return paginate(qb, 'o', { expr: 'o.code', direction: 'ASC', key: 'code' }, page, maxPageSize, (o) => o.code, fields);
  }

  async count(): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS "n" FROM "occupation"`);
    return row.n;
  }
}

/** An occupation as the taxonomy loader writes it (snake_case, as the table names its columns). */
export interface TaxonomyOccupationRow {
  source: string;
  external_id: string;
  code: string;
  title: string;
  description: string | null;
  alternate_titles: string[];
  /** Codes of the closest occupations in the other taxonomy. */
  linked_codes: string[];
}
