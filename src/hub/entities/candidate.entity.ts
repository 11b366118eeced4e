import { Check, Column, Entity, Index, ManyToOne, JoinColumn, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { PersonalField } from '../personal-data';
import { Consultant } from './consultant.entity';
import { SourcedEntity } from './sourced.entity';

@ObjectType({ implements: Node })
@Entity('candidate')
@Unique('uq_candidate_source_external_id', ['source', 'externalId'])
@Check('ck_candidate_years', '"years_experience" IS NULL OR ("years_experience" >= 0 AND "years_experience" <= 80)')
@Check(
  'ck_candidate_salary',
  '"desired_salary_min" IS NULL OR "desired_salary_max" IS NULL OR "desired_salary_min" <= "desired_salary_max"',
)
@Index('ix_candidate_search_trgm', { synchronize: false })
@Index('ix_candidate_languages', { synchronize: false })
@Index('ix_candidate_updated_at_id', ['updatedAt', 'id'])
@Index('ix_candidate_name_id', ['name', 'id'])
export class Candidate extends SourcedEntity {
  @Field(() => String)
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 300, nullable: true })
  headline: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Field(() => String, { nullable: true })
  @Index('ix_candidate_location')
  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;

  @Field(() => Float, { nullable: true })
  @Index('ix_candidate_years_experience')
  @Column({
    type: 'numeric',
    precision: 4,
    scale: 1,
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) },
  })
  yearsExperience: number | null;

  @Field(() => [String])
  @Column({ type: 'varchar', length: 16, array: true, default: () => "'{}'" })
  languages: string[];

  @PersonalField()
  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @PersonalField()
  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 300, nullable: true })
  currentTitle: string | null;

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  desiredRoles: string[];

  @Field(() => [String])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  desiredLocations: string[];

  @PersonalField()
  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  desiredSalaryMin: number | null;

  @PersonalField()
  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  desiredSalaryMax: number | null;

  @PersonalField()
  @Field(() => String, { nullable: true })
  @Column({ type: 'char', length: 3, nullable: true })
  salaryCurrency: string | null;

  @Index('ix_candidate_owner_id')
  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Consultant, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_candidate_owner' })
  owner?: Consultant;
}
