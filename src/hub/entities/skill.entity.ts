import { Column, Entity, Index, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { SourcedEntity } from './sourced.entity';

/** Candidates and jobs refer to skills by name or alias; `nameKey` (lower-cased name) makes that lookup exact. */
@ObjectType({ implements: Node })
@Entity('skill')
@Unique('uq_skill_source_external_id', ['source', 'externalId'])
@Index('ix_skill_name_trgm', { synchronize: false })
@Index('ix_skill_aliases', { synchronize: false })
export class Skill extends SourcedEntity {
  @Field(() => String)
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('uq_skill_name_key', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  nameKey: string;

  /** Lower-cased alternative names. */
  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Field(() => String, { nullable: true })
  @Index('ix_skill_category')
  @Column({ type: 'varchar', length: 200, nullable: true })
  category: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  onetCommodityCode: number | null;
}
