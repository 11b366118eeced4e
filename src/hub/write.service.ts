import type { DataSource, EntityManager } from 'typeorm';
import { AppError, ValidationError } from '../shared/errors';
import { describeInputDbError } from './db-errors';
import { fromGlobalId, type NodeType } from '../shared/global-id';
import type { InputFor } from './inputs';
import { RECORD_TYPES, type RecordType } from './records';
import { RecordWriter, recordRepository } from './record-writer';
import { OccupationRepository } from './repositories/occupation.repository';
import { inSavepoint } from './repositories/savepoint';
import { validateRecord } from './validation';

const TYPE_OF_NODE: Partial<Record<NodeType, RecordType>> = {
  Candidate: 'candidate',
  Company: 'company',
  Job: 'job',
  Skill: 'skill',
  Application: 'application',
  Placement: 'placement',
  Consultant: 'consultant',
};

export interface ImportLineResult {
  line: number;
  ok: boolean;
  id?: string;
  created?: boolean;
  code?: string;
  message?: string;
}

/**
 * All writes go through here: one transaction per mutation, records validated before any SQL runs, the
 * outbox written in the same transaction (RecordWriter). Imports isolate each record in a savepoint only
 * when its batch fails, so one bad line costs the batch a retry in one transaction, never the whole import.
 */
export class WriteService {
  constructor(private readonly ds: DataSource) {}

  async create<T extends RecordType>(type: T, input: object): Promise<string> {
    const record = validateRecord(type, input);
    return this.ds.transaction(async (em) => {
      if (record.externalId) {
        if (await recordRepository(type, em).existsByKey(record.source ?? 'api', record.externalId)) {
          throw new AppError(
            'CONFLICT',
            `${type} ${record.source ?? 'api'}/${record.externalId} already exists; use update${cap(type)} or importRecords to change it`,
          );
        }
      }
      return this.writeOne(em, type, record);
    });
  }

  /** Merges the given fields onto the stored record; lists given replace the stored lists. */
  async update<T extends RecordType>(type: T, globalId: string, patch: object): Promise<string> {
    const uuid = this.uuidOf(type, globalId);
    return this.ds.transaction(async (em) => {
      const current = await this.loadRecord(em, type, uuid);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      if ('source' in defined || 'externalId' in defined) {
        throw new ValidationError([{ path: 'source', message: 'source and externalId identify the record and cannot be changed' }]);
      }
      const record = validateRecord(type, { ...current, ...defined });
      return this.writeOne(em, type, record);
    });
  }

  async delete(type: RecordType, globalId: string): Promise<void> {
    const uuid = this.uuidOf(type, globalId);
    await this.ds.transaction((em) => new RecordWriter(em).delete(type, uuid));
  }

  /**
   * Imports parsed lines (`{ type, ...fields }`) in reference order (consultants before the candidates
   * that name them, and so on). Returns one result per line; bad lines are reported and skipped.
   */
  async importRecords(lines: { line: number; value: unknown }[], batchSize = 500): Promise<ImportLineResult[]> {
    const rank = (v: unknown) => {
      const i = RECORD_TYPES.indexOf((v as { type?: RecordType } | null)?.type as RecordType);
      return i < 0 ? -1 : i;
    };
    const ordered = [...lines].sort((a, b) => rank(a.value) - rank(b.value) || a.line - b.line);
    const results: ImportLineResult[] = [];
    for await (const chunk of this.importStream(ordered, batchSize)) results.push(...chunk);
    return results.sort((a, b) => a.line - b.line);
  }

  /**
   * Streams an import: consecutive lines of one type form a batch (at most `batchSize`), so a file or
   * generator in reference order is imported with bounded memory. Yields each batch's results.
   */
  async *importStream(
    lines: Iterable<{ line: number; value: unknown }> | AsyncIterable<{ line: number; value: unknown }>,
    batchSize = 500,
  ): AsyncGenerator<ImportLineResult[]> {
    let batch: { line: number; record: object }[] = [];
    let batchType: RecordType | null = null;
    let rejected: ImportLineResult[] = [];
    const flush = async () => {
      const out = [...rejected, ...(batch.length && batchType ? await this.importBatch(batchType, batch) : [])];
      batch = [];
      rejected = [];
      return out;
    };
    for await (const { line, value } of lines) {
      const type = (value as { type?: unknown } | null)?.type;
      if (type === '(not JSON)') {
        rejected.push({ line, ok: false, code: 'BAD_USER_INPUT', message: 'line is not valid JSON' });
        continue;
      }
      if (typeof type !== 'string' || !RECORD_TYPES.includes(type as RecordType)) {
        rejected.push({ line, ok: false, code: 'BAD_USER_INPUT', message: `type must be one of ${RECORD_TYPES.join(', ')}` });
        continue;
      }
      const { type: _t, ...fields } = value as Record<string, unknown>;
      let record: object;
      try {
        record = validateRecord(type as RecordType, fields);
      } catch (err) {
        rejected.push(failure(line, err));
        continue;
      }
      if ((batchType !== type && batch.length) || batch.length >= batchSize) yield await flush();
      batchType = type as RecordType;
      batch.push({ line, record });
    }
    yield await flush();
  }

  private async importBatch(type: RecordType, batch: { line: number; record: object }[]): Promise<ImportLineResult[]> {
    const dedup = new Map<string, { line: number; record: object }>();
    const dupes: ImportLineResult[] = [];
    for (const item of batch) {
      const r = item.record as { source?: string; externalId?: string };
      const k = r.externalId ? `${r.source ?? 'api'}\u0000${r.externalId}` : `line:${item.line}`;
      const earlier = dedup.get(k);
      if (earlier) dupes.push({ line: earlier.line, ok: true, message: `superseded by line ${item.line}` });
      dedup.set(k, item);
    }
    const items = [...dedup.values()];
    try {
      return [...dupes, ...(await this.ds.transaction((em) => this.writeBatch(em, type, items)))];
    } catch {
      // One record broke the batch (a constraint): redo it in one transaction with a savepoint per
      // record, so the good records land together and the bad one is rolled back alone and reported.
      return [...dupes, ...(await this.ds.transaction((em) => this.writeEachInSavepoint(em, type, items)))];
    }
  }

  /** Throws (rolling the whole batch back) only for an error that is not the record's fault; see `failure`. */
  private async writeEachInSavepoint(
    em: EntityManager,
    type: RecordType,
    items: { line: number; record: object }[],
  ): Promise<ImportLineResult[]> {
    const out: ImportLineResult[] = [];
    for (const item of items) {
      try {
        out.push(...(await inSavepoint(em, () => this.writeBatch(em, type, [item]))));
      } catch (err) {
        out.push(failure(item.line, err, type, item.record));
      }
    }
    return out;
  }

  private async writeBatch(em: EntityManager, type: RecordType, items: { line: number; record: object }[]): Promise<ImportLineResult[]> {
    const { written, failures } = await new RecordWriter(em).write(type, items.map((i) => i.record) as InputFor<RecordType>[]);
    return [
      ...written.map((w) => ({ line: items[w.index].line, ok: true, id: w.id, created: w.created })),
      ...failures.map((f) => failure(items[f.index].line, f.error, type, items[f.index].record)),
    ];
  }

  private async writeOne(em: EntityManager, type: RecordType, record: object): Promise<string> {
    const { written, failures } = await new RecordWriter(em).write(type, [record] as InputFor<RecordType>[]);
    if (failures.length) throw failures[0].error;
    return written[0].id;
  }

  private uuidOf(type: RecordType, globalId: string): string {
    const { type: nodeType, uuid } = fromGlobalId(globalId);
    if (TYPE_OF_NODE[nodeType] !== type) throw new AppError('BAD_USER_INPUT', `expected a ${cap(type)} id, got a ${nodeType} id`);
    return uuid;
  }

  /** The stored record in the interchange format, for merging updates. */
  private async loadRecord(em: EntityManager, type: RecordType, id: string): Promise<Record<string, unknown>> {
    const row = await recordRepository(type, em).row(id);
    if (!row) throw new AppError('NOT_FOUND', `${cap(type)} ${id} does not exist`);
    const camel = Object.fromEntries(
      Object.entries(row as Record<string, unknown>)
        .filter(([k, v]) => v !== null && !['id', 'created_at', 'updated_at', 'name_key'].includes(k))
        .map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v instanceof Date ? v.toISOString() : v]),
    );
    for (const [col, field] of [
      ['ownerId', 'owner'],
      ['companyId', 'company'],
      ['candidateId', 'candidate'],
      ['jobId', 'job'],
    ] as const) {
      if (col in camel) {
        const target = field === 'owner' ? 'Consultant' : cap(field);
        camel[field] = { id: Buffer.from(`${target}:${camel[col]}`).toString('base64url') };
        delete camel[col];
      }
    }
    if (type === 'job' && 'occupationId' in camel) {
      const code = await new OccupationRepository(em).codeOf(camel.occupationId as string);
      if (code) camel.occupationCode = code;
      delete camel.occupationId;
    }
    if (type === 'placement') delete camel.company;
    if (type === 'candidate' || type === 'job') {
      if (typeof camel.yearsExperience === 'string') camel.yearsExperience = Number(camel.yearsExperience);
    }
    // Owned lists are left out: absent lists are kept as stored by the writer.
    return camel;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A line's failure as the caller sees it. Integrity (23xxx) and data (22xxx) errors are the record's
 * fault: reported by constraint and the record's key, never with Postgres's detail, which quotes the
 * whole row (email and phone included). Anything else is ours and propagates.
 */
function failure(line: number, err: unknown, type?: RecordType, record?: object): ImportLineResult {
  if (err instanceof AppError) return { line, ok: false, code: err.code, message: err.message };
  const db = describeInputDbError(err);
  if (!db) throw err;
  const { source, externalId } = (record ?? {}) as { source?: string; externalId?: string };
  const which = type && externalId ? ` (${type} ${source ?? 'api'}/${externalId})` : '';
  return { line, ok: false, code: 'BAD_USER_INPUT', message: `rejected by the database: ${db.message}${which}` };
}
