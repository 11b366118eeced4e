import { Column, Entity, Index, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { SourcedEntity } from './sourced.entity';

/**
 * An occupation of one of two taxonomies, loaded at seed time: O*NET-SOC (source `onet`, externalId = code)
 * or ESCO (source `esco`, externalId = concept URI, code = ESCO code).
 */
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

  @Field(() => [String], {
    description:
      'Codes of the closest occupations in the other taxonomy: for ESCO, the O*NET occupation nearest by label among the SOC major groups its ISCO major group corresponds to; for O*NET, the ESCO occupations linked to it. A coarse link, not an official crosswalk (README, Taxonomies)',
  })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  linkedCodes: string[];
}
