/** Personal fields of one record that one response (or RAG turn) carried. */
export interface PersonalRead {
  recordType: string;
  recordId: string;
  fields: string[];
}

/**
 * What one request sent of personal data, gathered while it runs and written once when it ends, so a
 * page of 50 candidates costs one INSERT, not 50. Fields of the same record are merged.
 */
export class PersonalReadLog {
  private readonly byRecord = new Map<string, { recordType: string; recordId: string; fields: Set<string> }>();

  add(recordType: string, recordId: string, field: string): void {
    const key = `${recordType}:${recordId}`;
    let entry = this.byRecord.get(key);
    if (!entry) this.byRecord.set(key, (entry = { recordType, recordId, fields: new Set() }));
    entry.fields.add(field);
  }

  /** Drains the log: what it held, with fields in a stable order. */
  take(): PersonalRead[] {
    const reads = [...this.byRecord.values()].map((e) => ({
      recordType: e.recordType,
      recordId: e.recordId,
      fields: [...e.fields].sort(),
    }));
    this.byRecord.clear();
    return reads;
  }
}

/** Keyed by the request context object, so the Context interface (and its many builders) need not change. */
const logs = new WeakMap<object, PersonalReadLog>();

/** The read log of the request whose context this is (created on first use). */
export function personalReadsOf(context: object): PersonalReadLog {
  let log = logs.get(context);
  if (!log) logs.set(context, (log = new PersonalReadLog()));
  return log;
}
