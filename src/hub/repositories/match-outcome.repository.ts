import type { ApplicationStage } from '../records';
import type { Queryable } from './queryable';

/** One application whose outcome is known for a target stage: it reached it, or it was rejected before. */
export interface DecidedApplication {
  job_id: string;
  candidate_id: string;
  candidate_external_id: string;
  job_opened_at: Date;
  reached: boolean;
}

export interface AuditDbRow {
  job_id: string;
  candidate_id: string;
  model_version: string;
  keyword: number;
  vector: number;
  vector_profile: number | null;
  vector_title: number | null;
  vector_skills: number | null;
  skills_required: number | null;
  skills_preferred: number | null;
  seniority_fit: number | null;
  location_fit: number | null;
  talent_flow: number;
  warm_path: number;
  link_prediction: number | null;
  location: string | null;
  years_experience: string | number | null;
  languages: string[] | null;
}

export interface StoredModelRow {
  version: string;
  target: string;
  model: Record<string, unknown>;
  report: Record<string, unknown>;
  trained_at: Date;
}

/** The stages an application has reached once it reached `target` (the pipeline after it, and PLACED). */
export function stagesFrom(target: ApplicationStage): ApplicationStage[] {
  const pipeline: ApplicationStage[] = ['SOURCED', 'CONTACTED', 'SCREENING', 'INTERVIEW', 'OFFER', 'PLACED'];
  return pipeline.slice(pipeline.indexOf(target));
}

/**
 * The statements `matchhub scores train|eval|audit` read and write: outcomes of applications and the
 * trained match-score models. Every value is a parameter.
 */
export class MatchOutcomeRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Applications decided for `target`: those whose stage or history reached it (positives), and those
   * rejected before it (negatives). Withdrawn and still open applications below it say nothing about fit
   * and are left out; so are PLACED applications unless `withPlaced` (a placed candidate's resume now holds
   * the job itself, which no applicant's held when they applied).
   */
  decided(target: ApplicationStage, withPlaced: boolean): Promise<DecidedApplication[]> {
    return this.db.query(
      `SELECT a.job_id, a.candidate_id, c.external_id AS candidate_external_id,
              COALESCE(j.opened_at::timestamptz, min(sc.at), a.created_at) AS job_opened_at,
              (a.stage = ANY($1::application_stage[]) OR bool_or(sc.stage = ANY($1::application_stage[]))) AS reached
       FROM application a
       JOIN job j ON j.id = a.job_id
       JOIN candidate c ON c.id = a.candidate_id
       LEFT JOIN application_stage_change sc ON sc.application_id = a.id
       WHERE $2::boolean OR a.stage <> 'PLACED'
       GROUP BY a.id, c.external_id, j.opened_at
       HAVING a.stage = 'REJECTED' OR a.stage = ANY($1::application_stage[]) OR bool_or(sc.stage = ANY($1::application_stage[]))
       ORDER BY a.job_id, a.candidate_id`,
      [stagesFrom(target), withPlaced],
    );
  }

  /** Every stored model, newest first. */
  models(): Promise<StoredModelRow[]> {
    return this.db.query(`SELECT version, target, model, report, trained_at FROM match_score_model ORDER BY trained_at DESC, version DESC`);
  }

  /** The newest stored model, or null before any training: one row, not every version. */
  async newest(): Promise<StoredModelRow | null> {
    const rows: StoredModelRow[] = await this.db.query(
      `SELECT version, target, model, report, trained_at FROM match_score_model ORDER BY trained_at DESC, version DESC LIMIT 1`,
    );
    return rows[0] ?? null;
  }

  async nextVersion(): Promise<string> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int + 1 AS n FROM match_score_model`);
    return `learned-${n as number}`;
  }

  async insert(row: Omit<StoredModelRow, 'trained_at'>): Promise<void> {
    await this.db.query(`INSERT INTO match_score_model (version, target, model, report) VALUES ($1, $2, $3::jsonb, $4::jsonb)`, [
      row.version,
      row.target,
      JSON.stringify(row.model),
      JSON.stringify(row.report),
    ]);
  }

  /**
   * Every stored score with its components and what `scores audit` groups the candidate by (location,
   * years of experience, languages), ordered by job.
   */
  auditRows(): Promise<AuditDbRow[]> {
    return this.db.query(
      `SELECT m.job_id, m.candidate_id, m.model_version, m.keyword, m.vector, m.vector_profile, m.vector_title, m.vector_skills,
              m.skills_required, m.skills_preferred, m.seniority_fit, m.location_fit, m.talent_flow, m.warm_path,
              m.link_prediction, c.location, c.years_experience, c.languages
       FROM match_score m JOIN candidate c ON c.id = m.candidate_id ORDER BY m.job_id, m.candidate_id`,
    );
  }

  /** The open jobs, for rescoring every stored row with a new model. */
  async openJobs(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM job WHERE status = 'OPEN' ORDER BY id`);
    return rows.map((r) => r.id);
  }
}
