import { Column, Entity, Index, Unique } from 'typeorm';
import { COMPANY_SIZES, type CompanySize } from '../records';
import { SourcedEntity } from './sourced.entity';

@Entity('company')
@Unique('uq_company_source_external_id', ['source', 'externalId'])
// Trigram index for name search, GIN for alias lookup: created in the migration (expression indexes).
@Index('ix_company_name_trgm', { synchronize: false })
@Index('ix_company_aliases', { synchronize: false })
export class Company extends SourcedEntity {
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Index('ix_company_industry')
  @Column({ type: 'varchar', length: 200, nullable: true })
  industry: string | null;

  @Index('ix_company_size_band')
  @Column({ type: 'enum', enum: COMPANY_SIZES, enumName: 'company_size', nullable: true })
  sizeBand: CompanySize | null;

  @Index('ix_company_location')
  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;
}
