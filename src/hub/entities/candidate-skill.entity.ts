import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Candidate } from './candidate.entity';
import { Skill } from './skill.entity';

/** A link row with no identity of its own: (candidate, skill) is its key. */
@ObjectType()
@Entity('candidate_skill')
@Check('ck_candidate_skill_level', '"level" IS NULL OR "level" BETWEEN 1 AND 5')
@Check('ck_candidate_skill_years', '"years" IS NULL OR "years" >= 0')
@Index('ix_candidate_skill_skill_id', ['skillId', 'candidateId'])
export class CandidateSkill {
  @PrimaryColumn({ type: 'uuid' })
  candidateId: string;

  @PrimaryColumn({ type: 'uuid' })
  skillId: string;

  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_candidate_skill_candidate' })
  candidate?: Candidate;

  @ManyToOne(() => Skill, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'skill_id', foreignKeyConstraintName: 'fk_candidate_skill_skill' })
  skill?: Skill;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'smallint', nullable: true })
  level: number | null;

  @Field(() => Float, { nullable: true })
  @Column({
    type: 'numeric',
    precision: 4,
    scale: 1,
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v === null ? null : Number(v)) },
  })
  years: number | null;
}
