import { MatchOutcomeRepository, type StoredModelRow } from '../hub/repositories/match-outcome.repository';
import type { Queryable } from '../hub/repositories/queryable';
import type { FittedLogistic } from '../network/logistic-regression';
import { isModelFeature, MODEL_FEATURES, PRIOR_MODEL, type MatchScoreModel } from './match-score-model';

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
    // A version trained on features this build does not compute (a newer build's) cannot score its rows:
    // skipped, not fatal. One trained on fewer (learned-1, before linkPrediction) scores with those it has.
    this.newestFirst = rows.flatMap((r) => {
      try {
        return [fromRow(r)];
      } catch {
        return [];
      }
    });
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

function featuresOf(row: StoredModelRow): string[] {
  return (row.model as { features?: string[] }).features ?? [];
}

function unknownFeatures(row: StoredModelRow): string[] {
  return featuresOf(row).filter((f) => !isModelFeature(f));
}

/**
 * A stored version as a model: it scores with the features it was trained on, in their order, which may be
 * fewer than this build's MODEL_FEATURES (a version trained before a component existed). Throws when it
 * names a feature this build does not compute, or when its weights do not match its features.
 */
export function fromRow(row: StoredModelRow): MatchScoreModel {
  const m = row.model as { features: string[]; fitted: FittedLogistic };
  const unknown = unknownFeatures(row);
  if (unknown.length > 0) {
    throw new Error(
      `match-score model ${row.version} uses features this build does not compute (${unknown.join(', ')}); this build has ${MODEL_FEATURES.join(', ')}. Train a new version with \`matchhub scores train\``,
    );
  }
  const features = featuresOf(row).filter(isModelFeature);
  if (features.length === 0 || m.fitted.weights.length !== features.length) {
    throw new Error(`match-score model ${row.version} has ${m.fitted.weights.length} weights for ${features.length} features`);
  }
  return { version: row.version, target: row.target, features, fitted: m.fitted, trainedAt: new Date(row.trained_at).toISOString() };
}

export function toRow(model: MatchScoreModel): Record<string, unknown> {
  return { features: [...model.features], fitted: model.fitted };
}
