import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Candidate } from './candidate.entity';
import { SourcedEntity } from './sourced.entity';

/** Owned by its candidate like Experience. */
@ObjectType()
@Entity('education')
@Unique('uq_education_source_external_id', ['source', 'externalId'])
@Check('ck_education_years', '"start_year" IS NULL OR "end_year" IS NULL OR "start_year" <= "end_year"')
@Index('ix_education_school', ['school'])
export class Education extends SourcedEntity {
  @Index('ix_education_candidate_id')
  @Column({ type: 'uuid' })
  candidateId: string;

  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_education_candidate' })
  candidate?: Candidate;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  school: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  degree: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 200, nullable: true })
  field: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'smallint', nullable: true })
  startYear: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'smallint', nullable: true })
  endYear: number | null;

  @Column({ type: 'smallint' })
  position: number;
}
