import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Node } from './node.type';
import { ApplicationStageEnum } from './graphql-enums';
import { APPLICATION_STAGES, type ApplicationStage } from '../records';
import { Candidate } from './candidate.entity';
import { Job } from './job.entity';
import { SourcedEntity } from './sourced.entity';

/** One candidate in one job's pipeline; `stage` is the latest entry of its stage history. */
@ObjectType({ implements: Node })
@Entity('application')
@Unique('uq_application_source_external_id', ['source', 'externalId'])
@Unique('uq_application_candidate_job', ['candidateId', 'jobId'])
@Index('ix_application_job_stage', ['jobId', 'stage'])
export class Application extends SourcedEntity {
  @Column({ type: 'uuid' })
  candidateId: string;

  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_application_candidate' })
  candidate?: Candidate;

  @Column({ type: 'uuid' })
  jobId: string;

  @ManyToOne(() => Job, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_application_job' })
  job?: Job;

  @Field(() => ApplicationStageEnum)
  @Index('ix_application_stage')
  @Column({ type: 'enum', enum: APPLICATION_STAGES, enumName: 'application_stage' })
  stage: ApplicationStage;
}
