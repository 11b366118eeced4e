import { Column, Entity, Index, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { CompanySizeEnum } from './graphql-enums';
import { COMPANY_SIZES, type CompanySize } from '../records';
import { SourcedEntity } from './sourced.entity';

@ObjectType({ implements: Node })
@Entity('company')
@Unique('uq_company_source_external_id', ['source', 'externalId'])
// Trigram index for name search, GIN for alias lookup: created in the migration (expression indexes).
@Index('ix_company_name_trgm', { synchronize: false })
@Index('ix_company_aliases', { synchronize: false })
export class Company extends SourcedEntity {
  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Field(() => String, { nullable: true })
  @Index('ix_company_industry')
  @Column({ type: 'varchar', length: 200, nullable: true })
  industry: string | null;

  @Field(() => CompanySizeEnum, { nullable: true })
  @Index('ix_company_size_band')
  @Column({ type: 'enum', enum: COMPANY_SIZES, enumName: 'company_size', nullable: true })
  sizeBand: CompanySize | null;

  @Field(() => String, { nullable: true })
  @Index('ix_company_location')
  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;
}
