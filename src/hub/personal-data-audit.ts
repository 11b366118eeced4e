import type { DataSource } from 'typeorm';
import type { Viewer } from './api-key.service';
import type { PersonalDataRead } from './entities/personal-data-read.entity';
import { uuidOf } from '../shared/global-id';
import type { Page, PageArgs } from './pagination';
import { mayReadPersonal, personalFieldName } from './personal-data';
import { PersonalReadLog, type PersonalRead } from './personal-read-log';
import { PersonalDataReadRepository } from './repositories/personal-data-read.repository';

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

export interface PersonalReadFilter {
  /** A candidate's uuid or global id. */
  recordId?: string | null;
  keyId?: string | null;
}

/** Writes and reads the personal-data audit log (personal_data_read). */
export class PersonalDataAudit {
  private readonly reads: PersonalDataReadRepository;

  constructor(ds: DataSource) {
    this.reads = new PersonalDataReadRepository(ds);
  }

  /** One INSERT for all `reads` (none when empty); throws what the database throws. */
  write(viewer: Viewer, reads: readonly PersonalRead[]): Promise<void> {
    return this.reads.append(viewer, reads);
  }

  /** Newest first. */
  list(filter: PersonalReadFilter, page: PageArgs, maxPageSize: number): Promise<Page<PersonalDataRead>> {
    return this.reads.list(
      { recordId: filter.recordId ? uuidOf(filter.recordId) : undefined, keyId: filter.keyId ? uuidOf(filter.keyId) : undefined },
      page,
      maxPageSize,
    );
  }
}
