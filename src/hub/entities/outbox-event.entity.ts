import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: written in the same transaction as the change it announces, so the search
 * index and the relation graph (projections of this database) never miss a write. Append-only; each
 * projection keeps its own checkpoint and failures (projection-state.entity.ts), so a slow or broken
 * projection never holds back another.
 */
@Entity('outbox_event')
@Index('ix_outbox_event_commit_order', ['txid', 'seq'])
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  /**
   * The writing transaction's id (pg_current_xact_id), set by a trigger on insert. `seq` is taken at
   * insert but becomes visible at commit, so a lower `seq` can appear after a higher one was read;
   * projectors read in (txid, seq) order and only below the oldest running transaction instead.
   */
  @Column({ type: 'bigint' })
  txid: string;

  /** Record type in the interchange format: `candidate`, `job`, `company`, ... */
  @Column({ type: 'varchar', length: 32 })
  aggregateType: string;

  @Column({ type: 'uuid' })
  aggregateId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'UPSERT' | 'DELETE';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
