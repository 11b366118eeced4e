import type { Queryable } from './queryable';

export type OutboxKind = 'UPSERT' | 'DELETE';

/**
 * The statements for `outbox_event`: every write appends its events here in its own transaction
 * (so a record and its event commit together), and the projector reads them in commit order.
 */
export class OutboxRepository {
  constructor(private readonly db: Queryable) {}

  /** One event per id, in the caller's transaction; nothing for an empty list. */
  async append(type: string, ids: readonly string[], kind: OutboxKind = 'UPSERT'): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`INSERT INTO "outbox_event" ("aggregate_type", "aggregate_id", "kind") SELECT $1, unnest($2::uuid[]), $3`, [
      type,
      ids,
      kind,
    ]);
  }
}
