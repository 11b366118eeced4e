import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Candidate } from './candidate.entity';
import { Job } from './job.entity';

/**
 * One candidate scored for one open job (the job's top K, kept by the match-score projection): the final
 * score, the components it was computed from, and the model that combined them. No personal field of the
 * candidate enters any column. BI reads it through the `bi.match_scores` view, not this table.
 */
@Entity('match_score')
@Index('ix_match_score_job_score', ['jobId', 'score'])
@Index('ix_match_score_candidate_score', ['candidateId', 'score'])
export class MatchScore {
  @PrimaryColumn({ type: 'uuid' })
  jobId: string;

  @PrimaryColumn({ type: 'uuid' })
  candidateId: string;

  @ManyToOne(() => Job, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'job_id', foreignKeyConstraintName: 'fk_match_score_job' })
  job?: Job;

  @ManyToOne(() => Candidate, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'candidate_id', foreignKeyConstraintName: 'fk_match_score_candidate' })
  candidate?: Candidate;

  /** The model's probability that the candidate reaches its target stage (MatchScoreModel.target). */
  @Column({ type: 'double precision' })
  score: number;

  /** Raw BM25F score of the candidate's document for the job's title and skills (0: no keyword matched). */
  @Column({ type: 'double precision' })
  keyword: number;

  /** Weighted cosine similarity of the job's and the candidate's section vectors (profile, title, skills). */
  @Column({ type: 'double precision' })
  vector: number;

  @Column({ type: 'double precision', nullable: true })
  vectorProfile: number | null;

  @Column({ type: 'double precision', nullable: true })
  vectorTitle: number | null;

  @Column({ type: 'double precision', nullable: true })
  vectorSkills: number | null;

  /** Share of the job's required skills the candidate lists; null when the job names none. */
  @Column({ type: 'double precision', nullable: true })
  skillsRequired: number | null;

  /** Share of the job's preferred skills the candidate lists; null when the job names none. */
  @Column({ type: 'double precision', nullable: true })
  skillsPreferred: number | null;

  /** 1 when the candidate's years of experience lie in the job seniority's usual band, falling to 0 away from it. */
  @Column({ type: 'double precision', nullable: true })
  seniorityFit: number | null;

  /** 1 same place, 0.8 a place the candidate wants to work in, 0.5 remote on either side, 0 elsewhere; null when unknown. */
  @Column({ type: 'double precision', nullable: true })
  locationFit: number | null;

  /** Career moves (anyone's) from the candidate's employers to the hiring company. */
  @Column({ type: 'integer' })
  talentFlow: number;

  /** People who worked beside the candidate (same company, overlapping dates) and work at the hiring company now. */
  @Column({ type: 'integer' })
  warmPath: number;

  /**
   * The trained link predictor's score (0-1, ranks but is not a probability) that the candidate moves to the
   * hiring company (kind CANDIDATE_COMPANY, its new-link model); null while no trained model has that kind.
   */
  @Column({ type: 'double precision', nullable: true })
  linkPrediction: number | null;

  @Column({ type: 'varchar', length: 64 })
  modelVersion: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}
