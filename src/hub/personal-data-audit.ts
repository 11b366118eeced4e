import type { DataSource } from 'typeorm';
import type { Viewer } from './api-key.service';
import { PersonalDataRead } from './entities/personal-data-read.entity';
import { uuidOf } from '../shared/global-id';
import { paginate, type Page, type PageArgs } from './pagination';
import { mayReadPersonal, personalFieldName } from './personal-data';
import { PersonalReadLog, type PersonalRead } from './personal-read-log';

/**
 * The personal fields in records returned to `role` (RAG tool results: `{ id, type, fields }`), for
 * the audit; nothing for roles that may not read them, since those were stripped before leaving.
 */
export function personalReadsInRecords(
  records: readonly { id: string; type: string; fields: Record<string, unknown> }[],
  role: Viewer['role'],
): PersonalRead[] {
  if (!mayReadPersonal(role)) return [];
  const log = new PersonalReadLog();
  for (const r of records) {
    for (const [key, value] of Object.entries(r.fields)) {
      const field = personalFieldName(key);
      if (field && value != null) log.add(r.type, r.id, field);
    }
  }
  return log.take();
}

/**
 * The one INSERT for a request's reads: the rows travel as three parallel arrays (fields joined by a
 * comma, as a text[][] cannot be unnested row by row), so its size and cost do not depend on the page.
 */
export function personalReadInsert(viewer: Viewer, reads: readonly PersonalRead[]): { sql: string; params: unknown[] } {
  return {
    sql: `INSERT INTO "personal_data_read" ("key_id", "role", "record_type", "record_id", "fields")
      SELECT $1::uuid, $2, r.record_type, r.record_id, string_to_array(r.fields, ',')
      FROM unnest($3::varchar[], $4::uuid[], $5::text[]) AS r(record_type, record_id, fields)`,
    params: [viewer.keyId, viewer.role, reads.map((r) => r.recordType), reads.map((r) => r.recordId), reads.map((r) => r.fields.join(','))],
  };
}

export interface PersonalReadFilter {
  /** A candidate's uuid or global id. */
  recordId?: string | null;
  keyId?: string | null;
}

/** Writes and reads the personal-data audit log (personal_data_read). */
export class PersonalDataAudit {
  constructor(private readonly ds: DataSource) {}

  /** One INSERT for all `reads` (none when empty); throws what the database throws. */
  async write(viewer: Viewer, reads: readonly PersonalRead[]): Promise<void> {
    if (reads.length === 0) return;
    const { sql, params } = personalReadInsert(viewer, reads);
    await this.ds.query(sql, params);
  }

  /** Newest first. */
  list(filter: PersonalReadFilter, page: PageArgs, maxPageSize: number): Promise<Page<PersonalDataRead>> {
    const qb = this.ds.getRepository(PersonalDataRead).createQueryBuilder('r');
    if (filter.recordId) qb.andWhere('r.recordId = :recordId', { recordId: uuidOf(filter.recordId) });
    if (filter.keyId) qb.andWhere('r.keyId = :keyId', { keyId: uuidOf(filter.keyId) });
    // By id alone: identity order is insert order, and a bigint cursor is exact where a timestamp's
    // microseconds would not survive the round trip through a JSON cursor.
    return paginate(qb, 'r', { expr: 'r.id', direction: 'DESC' }, page, maxPageSize, (r) => r.id);
  }
}
