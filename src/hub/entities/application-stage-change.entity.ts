import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ApplicationStageEnum } from './graphql-enums';
import { APPLICATION_STAGES, type ApplicationStage } from '../records';
import { Application } from './application.entity';

/** Append-only stage history; the time a stage was entered, as the source reported it. */
@ObjectType('StageChange')
@Entity('application_stage_change')
@Index('ix_application_stage_change_application', ['applicationId', 'at'])
export class ApplicationStageChange {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column({ type: 'uuid' })
  applicationId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_application_stage_change_application' })
  application?: Application;

  @Field(() => ApplicationStageEnum)
  @Column({ type: 'enum', enum: APPLICATION_STAGES, enumName: 'application_stage' })
  stage: ApplicationStage;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  at: Date;
}
