import type { AggregateType } from '../hub/repositories/aggregate-tables.repository';

export interface ProjectionEvent {
  /** Outbox sequence number (bigint as a string). */
  seq: string;
  type: AggregateType;
  /** The record's UUID: its id in Postgres, the search index and the graph. */
  id: string;
  kind: 'UPSERT' | 'DELETE';
}

/**
 * A read model kept in step with the data hub (search index, relation graph). `apply` must be
 * idempotent and read the record's current state from Postgres rather than trust the event order: an
 * UPSERT for a record that no longer exists removes it. Throwing fails the whole batch; the projector
 * then retries event by event to find the ones that fail.
 */
export interface Projection {
  readonly name: string;
  apply(events: ProjectionEvent[]): Promise<void>;
  /** Drops everything, before a rebuild from Postgres. */
  clear?(): Promise<void>;
  /** Kept in memory only: the projector builds it from the tables at every start (the outbox is pruned). */
  readonly volatile?: boolean;
  /**
   * What the stored state depends on besides the data (e.g. the embedding model). When it differs from
   * the version the state was built with, the projector clears the projection and rebuilds it from the tables.
   */
  readonly version?: string;
  /**
   * The name of a projection this one reads (scores read the search index): events are applied here only
   * once that projection has applied them.
   */
  readonly follows?: string;
  /**
   * Bulk work that yields: a projection takes a batch only while the projections named here are caught
   * up (their last pass applied nothing), e.g. embedding 45,000 occupation labels after the records a
   * user is waiting for. Followed by a running projector (`start`), not by `drain`.
   */
  readonly after?: readonly string[];
  /** Events per batch when smaller than the projector's, so a slow projection yields often. */
  readonly batchSize?: number;
}
