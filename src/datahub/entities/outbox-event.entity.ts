import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: written in the same transaction as the change it announces, so the search
 * index and the relation graph (projections of this database) never miss a write. Append-only; each
 * projection keeps its own checkpoint and failures (projection-state.entity.ts), so a slow or broken
 * projection never holds back another.
 */
@Entity('outbox_event')
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
}
