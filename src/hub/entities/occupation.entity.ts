import { Column, Entity, Index, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { SourcedEntity } from './sourced.entity';

/** An O*NET-SOC occupation (source `onet`, externalId = code), loaded from the taxonomy at seed time. */
@ObjectType({ implements: Node })
@Entity('occupation')
@Unique('uq_occupation_source_external_id', ['source', 'externalId'])
@Index('ix_occupation_title_trgm', { synchronize: false })
export class Occupation extends SourcedEntity {
  @Field(() => String)
  @Index('uq_occupation_code', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  alternateTitles: string[];
}
