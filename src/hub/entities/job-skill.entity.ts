import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SkillRequirementEnum } from './graphql-enums';
import { SKILL_REQUIREMENTS, type SkillRequirement } from '../records';
import { Job } from './job.entity';
import { Skill } from './skill.entity';

@ObjectType()
@Entity('job_skill')
@Index('ix_job_skill_skill_id', ['skillId', 'jobId'])
export class JobSkill {
  @PrimaryColumn({ type: 'uuid' })
  jobId: string;

  @PrimaryColumn({ type: 'uuid' })
  skillId: string;

  @ManyToOne(() => Job, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_job_skill_job' })
  job?: Job;

  @ManyToOne(() => Skill, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'skill_id', foreignKeyConstraintName: 'fk_job_skill_skill' })
  skill?: Skill;

  @Field(() => SkillRequirementEnum)
  @Column({ type: 'enum', enum: SKILL_REQUIREMENTS, enumName: 'skill_requirement' })
  requirement: SkillRequirement;
}
