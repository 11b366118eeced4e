import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** How far a projection (search index, relation graph) has applied the outbox. */
@Entity('projection_checkpoint')
export class ProjectionCheckpoint {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  projection: string;

  /** The last event applied, in commit order: (lastTxid, lastSeq) (see OutboxEvent.txid). */
  @Column({ type: 'bigint', default: 0 })
  lastSeq: string;

  @Column({ type: 'bigint', default: 0 })
  lastTxid: string;

  /** The projector process that may apply this projection until `leaseUntil` (one at a time). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  leaseOwner: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** What the projection's stored state was built with (Projection.version); null before it was recorded. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  version: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/**
 * An event a projection failed to apply. Retried with exponential backoff; after the last attempt it is
 * parked (kept, visible in `syncStatus`, retried only on request) so one poisoned record cannot stall sync.
 */
@Entity('projection_failure')
@Index('ix_projection_failure_due', ['projection', 'nextAttemptAt'], { where: '"parked_at" IS NULL' })
export class ProjectionFailure {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  projection: string;

  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'integer', default: 1 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ type: 'text' })
  lastError: string;

  @Column({ type: 'timestamptz', nullable: true })
  parkedAt: Date | null;
}
