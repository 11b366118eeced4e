import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: written in the same transaction as the change it announces, so the search
 * index and the relation graph (projections of this database) never miss a write. The projector
 * marks events processed, retries failures with backoff and parks what keeps failing.
 */
@Entity('outbox_event')
@Index('ix_outbox_event_pending', ['seq'], { where: '"processed_at" IS NULL AND "parked_at" IS NULL' })
export class OutboxEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  /** Record type in the interchange format: `candidate`, `job`, `company`, ... */
  @Column({ type: 'varchar', length: 32 })
  aggregateType: string;

  @Column({ type: 'uuid' })
  aggregateId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'UPSERT' | 'DELETE';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  parkedAt: Date | null;
}
