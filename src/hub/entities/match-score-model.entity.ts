import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A trained match-score model (`matchhub scores train`): every version is kept, the newest scores. `model`
 * is the MatchScoreModel's fitted weights as JSON (match-score-model.ts); `report` what the training saw
 * (examples, split dates, hold-out figures), so `scores eval` holds out what the training held out.
 */
@Entity('match_score_model')
export class MatchScoreModelVersion {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  version: string;

  /** The stage whose reaching the model predicts. */
  @Column({ type: 'varchar', length: 32 })
  target: string;

  @Column({ type: 'jsonb' })
  model: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  report: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  trainedAt: Date;
}
