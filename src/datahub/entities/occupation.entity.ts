import { Column, Entity, Index, Unique } from 'typeorm';
import { SourcedEntity } from './sourced.entity';

/** An O*NET-SOC occupation (source `onet`, externalId = code), loaded from the taxonomy at seed time. */
@Entity('occupation')
@Unique('uq_occupation_source_external_id', ['source', 'externalId'])
@Index('ix_occupation_title_trgm', { synchronize: false })
export class Occupation extends SourcedEntity {
  @Index('uq_occupation_code', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  alternateTitles: string[];
}
