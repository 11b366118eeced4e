import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { FeeBandEnum } from './graphql-enums';
import { FEE_BANDS, type FeeBand } from '../records';
import { Candidate } from './candidate.entity';
import { Company } from './company.entity';
import { Job } from './job.entity';
import { SourcedEntity } from './sourced.entity';

/** A filled role. `companyId` is the job's company, kept here so BI can group placements without a join. */
@ObjectType({ implements: Node })
@Entity('placement')
@Unique('uq_placement_source_external_id', ['source', 'externalId'])
@Index('ix_placement_company_start', ['companyId', 'startDate'])
export class Placement extends SourcedEntity {
  @Index('ix_placement_candidate_id')
  @Column({ type: 'uuid' })
  candidateId: string;

  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_placement_candidate' })
  candidate?: Candidate;

  @Index('ix_placement_job_id')
  @Column({ type: 'uuid' })
  jobId: string;

  @ManyToOne(() => Job, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_placement_job' })
  job?: Job;

  @Column({ type: 'uuid' })
  companyId: string;

  @ManyToOne(() => Company, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'company_id', foreignKeyConstraintName: 'fk_placement_company' })
  company?: Company;

  @Field(() => String)
  @Column({ type: 'date' })
  startDate: string;

  @Field(() => FeeBandEnum, { nullable: true })
  @Column({ type: 'enum', enum: FEE_BANDS, enumName: 'fee_band', nullable: true })
  feeBand: FeeBand | null;
}
