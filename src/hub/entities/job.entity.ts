import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { JobStatusEnum, SeniorityEnum } from './graphql-enums';
import { JOB_STATUSES, SENIORITIES, type JobStatus, type Seniority } from '../records';
import { Company } from './company.entity';
import { Consultant } from './consultant.entity';
import { Occupation } from './occupation.entity';
import { SourcedEntity } from './sourced.entity';

@ObjectType({ implements: Node })
@Entity('job')
@Unique('uq_job_source_external_id', ['source', 'externalId'])
@Check('ck_job_salary', '"salary_min" IS NULL OR "salary_max" IS NULL OR "salary_min" <= "salary_max"')
@Check('ck_job_dates', '"closed_at" IS NULL OR "opened_at" IS NULL OR "closed_at" >= "opened_at"')
@Index('ix_job_title_trgm', { synchronize: false })
@Index('ix_job_status_opened_at', ['status', 'openedAt'])
@Index('ix_job_updated_at_id', ['updatedAt', 'id'])
export class Job extends SourcedEntity {
  @Index('ix_job_company_id')
  @Column({ type: 'uuid' })
  companyId: string;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'company_id', foreignKeyConstraintName: 'fk_job_company' })
  company?: Company;

  @Field(() => String)
  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => SeniorityEnum, { nullable: true })
  @Index('ix_job_seniority')
  @Column({ type: 'enum', enum: SENIORITIES, enumName: 'seniority', nullable: true })
  seniority: Seniority | null;

  @Field(() => String, { nullable: true })
  @Index('ix_job_location')
  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  salaryMin: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  salaryMax: number | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'char', length: 3, nullable: true })
  salaryCurrency: string | null;

  @Field(() => JobStatusEnum)
  @Column({ type: 'enum', enum: JOB_STATUSES, enumName: 'job_status', default: 'OPEN' })
  status: JobStatus;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  openedAt: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'date', nullable: true })
  closedAt: string | null;

  @Index('ix_job_occupation_id')
  @Column({ type: 'uuid', nullable: true })
  occupationId: string | null;

  @ManyToOne(() => Occupation, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'occupation_id', foreignKeyConstraintName: 'fk_job_occupation' })
  occupation?: Occupation;

  @Index('ix_job_owner_id')
  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  @ManyToOne(() => Consultant, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_job_owner' })
  owner?: Consultant;
}
