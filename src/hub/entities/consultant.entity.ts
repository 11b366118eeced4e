import { Column, Entity, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { SourcedEntity } from './sourced.entity';

@ObjectType({ implements: Node })
@Entity('consultant')
@Unique('uq_consultant_source_external_id', ['source', 'externalId'])
export class Consultant extends SourcedEntity {
  @Field(() => String)
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;
}
