import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SKILL_REQUIREMENTS, type SkillRequirement } from '../records';
import { Job } from './job.entity';
import { Skill } from './skill.entity';

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

  @Column({ type: 'enum', enum: SKILL_REQUIREMENTS, enumName: 'skill_requirement' })
  requirement: SkillRequirement;
}
