import { PersonalDataRead } from '../entities/personal-data-read.entity';
import { paginate, type Page, type PageArgs } from '../pagination';
import type { PersonalRead } from '../personal-read-log';
import type { Queryable } from './queryable';

/** Who read: the key and its role at the time of the reads. */
export interface Reader {
  keyId: string;
  role: string;
}

/**
 * The one INSERT for a request's reads: the rows travel as three parallel arrays (fields joined by a
 * comma, as a text[][] cannot be unnested row by row), so its size and cost do not depend on the page.
 */
export function personalReadInsert(reader: Reader, reads: readonly PersonalRead[]): { sql: string; params: unknown[] } {
  return {
    sql: `INSERT INTO "personal_data_read" ("key_id", "role", "record_type", "record_id", "fields")
      SELECT $1::uuid, $2, r.record_type, r.record_id, string_to_array(r.fields, ',')
      FROM unnest($3::varchar[], $4::uuid[], $5::text[]) AS r(record_type, record_id, fields)`,
    params: [reader.keyId, reader.role, reads.map((r) => r.recordType), reads.map((r) => r.recordId), reads.map((r) => r.fields.join(','))],
  };
}

/** The statements for the personal-data audit log (`personal_data_read`), which is append-only. */
export class PersonalDataReadRepository {
  constructor(private readonly db: Queryable) {}

  /** One INSERT for all `reads` (none when empty). */
  async append(reader: Reader, reads: readonly PersonalRead[]): Promise<void> {
    if (reads.length === 0) return;
    const { sql, params } = personalReadInsert(reader, reads);
    await this.db.query(sql, params);
  }

  /** Newest first; `recordId` and `keyId` are uuids. */
  list(filter: { recordId?: string; keyId?: string }, page: PageArgs, maxPageSize: number): Promise<Page<PersonalDataRead>> {
    const qb = this.db.getRepository(PersonalDataRead).createQueryBuilder('r');
    if (filter.recordId) qb.andWhere('r.recordId = :recordId', { recordId: filter.recordId });
    if (filter.keyId) qb.andWhere('r.keyId = :keyId', { keyId: filter.keyId });
    // By id alone: identity order is insert order, and a bigint cursor is exact where a timestamp's
    // microseconds would not survive the round trip through a JSON cursor.
    return paginate(qb, 'r', { expr: 'r.id', direction: 'DESC', key: 'id' }, page, maxPageSize, (r) => r.id);
  }
}
