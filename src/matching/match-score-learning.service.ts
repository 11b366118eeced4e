import type { DataSource } from 'typeorm';
import { MatchOutcomeRepository } from '../hub/repositories/match-outcome.repository';
import type { ApplicationStage } from '../hub/records';
import { AppError } from '../shared/errors';
import type { MatchScoreModel } from './match-score-model';
import { fromRow, toRow, type MatchScoreModels } from './match-score-models';
import {
  checkEnough,
  DEFAULT_MINIMUM,
  DEFAULT_SPLIT,
  evaluate,
  fitMatchScoreModel,
  splitAt,
  temporalSplit,
  type EvaluationReport,
  type OutcomeExample,
  type OutcomeMinimum,
  type SplitFractions,
} from './match-score-training';
import type { MatchScoreService } from './match-scores.service';
import { auditScores, type AuditReport } from './match-score-audit';

/** Stages a model may predict the reaching of. */
export const TARGET_STAGES: readonly ApplicationStage[] = ['CONTACTED', 'SCREENING', 'INTERVIEW', 'OFFER', 'PLACED'];

export interface TrainArgs {
  target: ApplicationStage;
  minimum: OutcomeMinimum;
  split: SplitFractions;
  /** Count PLACED applications as outcomes (off by default: see MatchOutcomeRepository.decided). */
  withPlaced: boolean;
  /** Bootstrap resamples of the hold-out report stored with the model. */
  rounds: number;
}
export const DEFAULT_TRAIN_ARGS: TrainArgs = {
  target: 'INTERVIEW',
  minimum: DEFAULT_MINIMUM,
  split: DEFAULT_SPLIT,
  withPlaced: false,
  rounds: 200,
};

export interface TrainResult {
  model: MatchScoreModel;
  sizes: { train: number; calibrate: number; test: number };
  calibrateFrom: string;
  testFrom: string;
  report: EvaluationReport;
  /** Stored rows rescored with the new model (every open job's top K). */
  rescored: number;
  seconds: number;
}

/**
 * Learns the match-score model from the hub's own outcomes (`matchhub scores train`) and judges it on the
 * temporal hold-out (`matchhub scores eval`). The components of each decided application are computed as
 * the projection computes them for stored rows, from the records as they are now.
 */
export class MatchScoreLearning {
  constructor(
    private readonly db: DataSource,
    private readonly scores: MatchScoreService,
  ) {}

  /** Every decided application with its components; a pair the search index does not hold is left out. */
  async examples(target: ApplicationStage, withPlaced: boolean): Promise<OutcomeExample[]> {
    const decided = await new MatchOutcomeRepository(this.db).decided(target, withPlaced);
    const byJob = new Map<string, typeof decided>();
    for (const d of decided) {
      if (!byJob.has(d.job_id)) byJob.set(d.job_id, []);
      byJob.get(d.job_id)!.push(d);
    }
    const out: OutcomeExample[] = [];
    for (const [jobId, rows] of byJob) {
      const components = await this.scores.componentsFor(
        jobId,
        rows.map((r) => ({ id: r.candidate_id, externalId: r.candidate_external_id })),
      );
      for (const r of rows) {
        const c = components.get(r.candidate_id);
        if (!c) continue;
        out.push({
          jobId,
          candidateId: r.candidate_id,
          jobOpenedAt: new Date(r.job_opened_at),
          label: r.reached ? 1 : 0,
          components: c.components,
          fused: c.fused,
        });
      }
    }
    return out;
  }

  /**
   * Fits, calibrates and stores the next model version, then rescores every open job with it. Throws
   * AppError BAD_USER_INPUT for a target that is not a pipeline stage, and when a slice of the temporal
   * split has too few outcomes (nothing is stored then).
   */
  async train(args: TrainArgs = DEFAULT_TRAIN_ARGS): Promise<TrainResult> {
    const started = Date.now();
    checkTarget(args.target);
    const split = temporalSplit(await this.examples(args.target, args.withPlaced), args.split);
    checkEnough(split, args.target, args.minimum);
    const repo = new MatchOutcomeRepository(this.db);
    const model = fitMatchScoreModel(split, await repo.nextVersion(), args.target);
    const report = evaluate(model, split, args.rounds);
    const sizes = { train: split.train.length, calibrate: split.calibrate.length, test: split.test.length };
    await repo.insert({
      version: model.version,
      target: model.target,
      model: toRow(model),
      report: {
        ...sizes,
        calibrateFrom: split.calibrateFrom,
        testFrom: split.testFrom,
        withPlaced: args.withPlaced,
        holdOut: summary(report),
      },
    });
    await this.scores.models.refresh(true);
    const rescored = await this.scores.scoreJobs(await repo.openJobs());
    return {
      model,
      sizes,
      calibrateFrom: split.calibrateFrom,
      testFrom: split.testFrom,
      report,
      rescored,
      seconds: (Date.now() - started) / 1000,
    };
  }

  /**
   * The newest model against prior-1, the fused search score and every single component on the hold-out
   * its training held out (jobs opened from its recorded `testFrom`). Throws AppError BAD_USER_INPUT
   * before any training.
   */
  async evaluate(rounds = 1000): Promise<EvaluationReport> {
    const row = await this.scores.models.newestRow();
    if (!row) throw new AppError('BAD_USER_INPUT', 'no trained match-score model yet; run `matchhub scores train` first');
    const model = fromRow(row);
    const r = row.report as { calibrateFrom: string; testFrom: string; withPlaced?: boolean };
    const split = splitAt(await this.examples(model.target as ApplicationStage, r.withPlaced ?? false), r.calibrateFrom, r.testFrom);
    checkEnough(split, model.target, { examples: 3, perClass: 1 });
    return evaluate(model, split, rounds);
  }
}

function checkTarget(target: string): void {
  if (!(TARGET_STAGES as readonly string[]).includes(target)) {
    throw new AppError('BAD_USER_INPUT', `target must be one of ${TARGET_STAGES.join(', ')}, got ${target}`);
  }
}

function summary(r: EvaluationReport) {
  return r.results.map((s) => ({ name: s.name, auc: s.auc.value, ndcg10: s.ndcg10.value, brier: s.brier.value }));
}

/**
 * Score distributions and selection rates of the stored scores by location, years band and language,
 * with the component whose removal moves each group's selection rate most (match-score-audit.ts). Reads
 * the database only.
 */
export async function auditStoredScores(db: DataSource, models: MatchScoreModels, top = 10): Promise<AuditReport> {
  const rows = await new MatchOutcomeRepository(db).auditRows();
  await models.refresh(true);
  const versions = [...new Set(rows.map((r) => r.model_version))];
  const model = (versions.length === 1 ? models.byVersion(versions[0]) : undefined) ?? models.current();
  return auditScores(
    model,
    rows.map((r) => ({
      jobId: r.job_id,
      candidateId: r.candidate_id,
      components: {
        keyword: r.keyword,
        vector: r.vector,
        vectorProfile: r.vector_profile,
        vectorTitle: r.vector_title,
        vectorSkills: r.vector_skills,
        skillsRequired: r.skills_required,
        skillsPreferred: r.skills_preferred,
        seniorityFit: r.seniority_fit,
        locationFit: r.location_fit,
        talentFlow: r.talent_flow,
        warmPath: r.warm_path,
        linkPrediction: r.link_prediction,
      },
      location: r.location,
      yearsExperience: r.years_experience === null ? null : Number(r.years_experience),
      languages: r.languages ?? [],
    })),
    top,
  );
}
