import { MatchOutcomeRepository, type StoredModelRow } from '../hub/repositories/match-outcome.repository';
import type { Queryable } from '../hub/repositories/queryable';
import type { FittedLogistic } from '../network/logistic-regression';
import { MODEL_FEATURES, PRIOR_MODEL, type MatchScoreModel } from './match-score-model';

/** How often the stored versions are read again, so a model another process trained takes effect. */
const RELOAD_MS = 30_000;

/**
 * The match-score models kept in `match_score_model`: the newest scores new rows; every version stays
 * readable, so a stored row is explained by the model that scored it. Before any training: prior-1.
 */
export class MatchScoreModels {
  private newestFirst: MatchScoreModel[] = [];
  private readAt = 0;

  constructor(private readonly db: Queryable) {}

  /** Reads the versions again when the last read is older than RELOAD_MS (or `force`). */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.readAt < RELOAD_MS) return;
    const rows = await new MatchOutcomeRepository(this.db).models();
    // A version trained on other features (an older build's) cannot score this build's rows: skipped, not fatal.
    this.newestFirst = rows.filter((r) => sameFeatures(r)).map(fromRow);
    this.readAt = Date.now();
  }

  current(): MatchScoreModel {
    return this.newestFirst[0] ?? PRIOR_MODEL;
  }

  byVersion(version: string): MatchScoreModel | undefined {
    return version === PRIOR_MODEL.version ? PRIOR_MODEL : this.newestFirst.find((m) => m.version === version);
  }

  /** The newest stored row itself (with its training report), or null before any training. */
  async newestRow(): Promise<StoredModelRow | null> {
    return new MatchOutcomeRepository(this.db).newest();
  }
}

function sameFeatures(row: StoredModelRow): boolean {
  return ((row.model as { features?: string[] }).features ?? []).join() === MODEL_FEATURES.join();
}

/** Throws when the model was trained on other features than this build's MODEL_FEATURES. */
export function fromRow(row: StoredModelRow): MatchScoreModel {
  const m = row.model as { features: string[]; fitted: FittedLogistic };
  if (m.features.join() !== MODEL_FEATURES.join()) {
    throw new Error(
      `match-score model ${row.version} was trained on features ${m.features.join(', ')}, this build has ${MODEL_FEATURES.join(', ')}`,
    );
  }
  return { version: row.version, target: row.target, fitted: m.fitted, trainedAt: new Date(row.trained_at).toISOString() };
}

export function toRow(model: MatchScoreModel): Record<string, unknown> {
  return { features: [...MODEL_FEATURES], fitted: model.fitted };
}
