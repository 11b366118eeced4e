import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Candidate } from './candidate.entity';
import { Company } from './company.entity';
import { Occupation } from './occupation.entity';
import { SourcedEntity } from './sourced.entity';

/**
 * A position a candidate held. Owned by its candidate: a candidate upsert replaces them all.
 * When the source gives no id of its own, externalId is derived from the candidate's and the position index.
 */
@ObjectType()
@Entity('experience')
@Unique('uq_experience_source_external_id', ['source', 'externalId'])
@Check('ck_experience_dates', '"end_date" IS NULL OR "end_date" >= "start_date"')
@Index('ix_experience_company_dates', ['companyId', 'startDate'])
export class Experience extends SourcedEntity {
  @Index('ix_experience_candidate_id')
  @Column({ type: 'uuid' })
  candidateId: string;

  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_experience_candidate' })
  candidate?: Candidate;

  @Column({ type: 'uuid', nullable: true })
  companyId: string | null;

  @ManyToOne(() => Company, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'company_id', foreignKeyConstraintName: 'fk_experience_company' })
  company?: Company;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  companyName: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => String)
  @Column({ type: 'date' })
  startDate: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Index('ix_experience_occupation_id')
  @Column({ type: 'uuid', nullable: true })
  occupationId: string | null;

  @ManyToOne(() => Occupation, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'occupation_id', foreignKeyConstraintName: 'fk_experience_occupation' })
  occupation?: Occupation;

  /** 0 = most recent; keeps the source's order. */
  @Column({ type: 'smallint' })
  position: number;
}
