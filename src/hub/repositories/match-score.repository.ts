import type { Seniority } from '../records';
import type { Queryable } from './queryable';

export interface ScoredJobFacts {
  id: string;
  status: string;
  company_id: string;
  seniority: Seniority | null;
  location: string | null;
  required: number;
  preferred: number;
}

export interface ScoredCandidateFacts {
  id: string;
  location: string | null;
  years_experience: number | null;
  desired_locations: string[];
  required_held: number;
  preferred_held: number;
}

export interface MatchScoreRow {
  jobId: string;
  candidateId: string;
  score: number;
  keyword: number;
  vector: number;
  vectorProfile: number | null;
  vectorTitle: number | null;
  vectorSkills: number | null;
  skillsRequired: number | null;
  skillsPreferred: number | null;
  seniorityFit: number | null;
  locationFit: number | null;
  talentFlow: number;
  warmPath: number;
  /** The trained link predictor's score for (candidate, hiring company), kind CANDIDATE_COMPANY; null without a trained model. */
  linkPrediction: number | null;
  modelVersion: string;
}

/** A stored row as read back, with its rank within its job (1 = best). */
export interface StoredMatchScore extends MatchScoreRow {
  rank: number;
  computedAt: Date;
}

export interface MatchScorePageArgs {
  jobId?: string;
  candidateId?: string;
  minScore?: number;
  maxRank?: number;
  modelVersion?: string;
  /** Rows to read (the caller asks one more than it shows, to know whether a next page exists). */
  limit: number;
  /** The last row of the previous page: (score, the other side's id). */
  after?: { score: number; id: string };
}

const READ_COLUMNS = `job_id AS "jobId", candidate_id AS "candidateId", rank, score, keyword, vector, vector_profile AS "vectorProfile",
  vector_title AS "vectorTitle", vector_skills AS "vectorSkills", skills_required AS "skillsRequired",
  skills_preferred AS "skillsPreferred", seniority_fit AS "seniorityFit", location_fit AS "locationFit",
  talent_flow AS "talentFlow", warm_path AS "warmPath", link_prediction AS "linkPrediction", model_version AS "modelVersion",
  computed_at AS "computedAt"`;

/**
 * The columns of bi.match_scores, in its order: the CSV export writes the same. A column added later comes
 * last (link_prediction), so a dashboard that reads columns by position keeps working.
 */
export const EXPORT_COLUMNS = [
  'job_id',
  'candidate_id',
  'rank',
  'score',
  'keyword',
  'vector',
  'vector_profile',
  'vector_title',
  'vector_skills',
  'skills_required',
  'skills_preferred',
  'seniority_fit',
  'location_fit',
  'talent_flow',
  'warm_path',
  'model_version',
  'computed_at',
  'link_prediction',
] as const;
export type MatchScoreExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | Date | null>;
export interface ExportPosition {
  jobId: string;
  score: number;
  candidateId: string;
}

const COLUMNS: [keyof MatchScoreRow, string, string][] = [
  ['jobId', 'job_id', 'uuid'],
  ['candidateId', 'candidate_id', 'uuid'],
  ['score', 'score', 'float8'],
  ['keyword', 'keyword', 'float8'],
  ['vector', 'vector', 'float8'],
  ['vectorProfile', 'vector_profile', 'float8'],
  ['vectorTitle', 'vector_title', 'float8'],
  ['vectorSkills', 'vector_skills', 'float8'],
  ['skillsRequired', 'skills_required', 'float8'],
  ['skillsPreferred', 'skills_preferred', 'float8'],
  ['seniorityFit', 'seniority_fit', 'float8'],
  ['locationFit', 'location_fit', 'float8'],
  ['talentFlow', 'talent_flow', 'int4'],
  ['warmPath', 'warm_path', 'int4'],
  ['linkPrediction', 'link_prediction', 'float8'],
  ['modelVersion', 'model_version', 'varchar'],
];

/**
 * The statements of the match-score projection: the facts a score is computed from (no personal field is
 * read) and the rows it writes. Every value is a parameter.
 */
export class MatchScoreRepository {
  constructor(private readonly db: Queryable) {}

  /** The jobs that still exist, with how many required and preferred skills each names. */
  jobFacts(ids: readonly string[]): Promise<ScoredJobFacts[]> {
    return this.db.query(
      `SELECT j.id, j.status, j.company_id, j.seniority, j.location,
              count(js.skill_id) FILTER (WHERE js.requirement = 'REQUIRED')::int AS required,
              count(js.skill_id) FILTER (WHERE js.requirement = 'PREFERRED')::int AS preferred
       FROM job j LEFT JOIN job_skill js ON js.job_id = j.id
       WHERE j.id = ANY($1::uuid[]) GROUP BY j.id`,
      [ids],
    );
  }

  /** What the score reads of each candidate, and how many of the job's required and preferred skills they hold. */
  async candidateFacts(jobId: string, candidateIds: readonly string[]): Promise<ScoredCandidateFacts[]> {
    const rows: ScoredCandidateFacts[] = await this.db.query(
      `SELECT c.id, c.location, c.years_experience, c.desired_locations,
              count(js.skill_id) FILTER (WHERE js.requirement = 'REQUIRED')::int AS required_held,
              count(js.skill_id) FILTER (WHERE js.requirement = 'PREFERRED')::int AS preferred_held
       FROM candidate c
       LEFT JOIN candidate_skill cs ON cs.candidate_id = c.id
       LEFT JOIN job_skill js ON js.skill_id = cs.skill_id AND js.job_id = $1
       WHERE c.id = ANY($2::uuid[]) GROUP BY c.id`,
      [jobId, candidateIds],
    );
    return rows.map((r) => ({ ...r, years_experience: r.years_experience === null ? null : Number(r.years_experience) }));
  }

  /**
   * Career moves into `companyId` (one position to the next, anyone's) from each employer of these
   * candidates, summed per candidate; the hiring company itself does not count as a source.
   */
  async talentFlow(companyId: string, candidateIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { candidate_id: string; moves: number }[] = await this.db.query(
      `WITH inflow AS (
         SELECT prev.company_id, count(*)::int AS moves
         FROM experience cur JOIN experience prev ON prev.candidate_id = cur.candidate_id AND prev.position = cur.position + 1
         WHERE cur.company_id = $1 AND prev.company_id IS NOT NULL AND prev.company_id <> $1
         GROUP BY prev.company_id
       ), employers AS (
         SELECT DISTINCT candidate_id, company_id FROM experience WHERE candidate_id = ANY($2::uuid[]) AND company_id IS NOT NULL
       )
       SELECT e.candidate_id, sum(i.moves)::int AS moves FROM employers e JOIN inflow i ON i.company_id = e.company_id GROUP BY e.candidate_id`,
      [companyId, candidateIds],
    );
    return new Map(rows.map((r) => [r.candidate_id, r.moves]));
  }

  /** Per candidate: people who overlapped with them at an employer and hold a current position at `companyId`. */
  async warmPaths(companyId: string, candidateIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { candidate_id: string; n: number }[] = await this.db.query(
      `WITH insiders AS (SELECT DISTINCT candidate_id FROM experience WHERE company_id = $1 AND end_date IS NULL)
       SELECT me.candidate_id, count(DISTINCT other.candidate_id)::int AS n
       FROM experience me
       JOIN experience other ON other.company_id = me.company_id AND other.candidate_id <> me.candidate_id
         AND other.start_date <= COALESCE(me.end_date, 'infinity'::date) AND COALESCE(other.end_date, 'infinity'::date) >= me.start_date
       JOIN insiders i ON i.candidate_id = other.candidate_id
       WHERE me.candidate_id = ANY($2::uuid[]) AND me.company_id IS NOT NULL AND me.company_id <> $1
       GROUP BY me.candidate_id`,
      [companyId, candidateIds],
    );
    return new Map(rows.map((r) => [r.candidate_id, r.n]));
  }

  /** The jobs these candidates are scored for now. */
  async jobsOf(candidateIds: readonly string[]): Promise<string[]> {
    const rows: { job_id: string }[] = await this.db.query(`SELECT DISTINCT job_id FROM match_score WHERE candidate_id = ANY($1::uuid[])`, [
      candidateIds,
    ]);
    return rows.map((r) => r.job_id);
  }

  /** Replaces every row of these jobs with `rows`; run it in a transaction. */
  async replaceJobs(jobIds: readonly string[], rows: readonly MatchScoreRow[]): Promise<void> {
    await this.db.query(`DELETE FROM match_score WHERE job_id = ANY($1::uuid[])`, [jobIds]);
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await this.db.query(
        `INSERT INTO match_score (${COLUMNS.map(([, c]) => c).join(', ')})
         SELECT * FROM unnest(${COLUMNS.map(([, , t], k) => `$${k + 1}::${t}[]`).join(', ')})`,
        COLUMNS.map(([key]) => chunk.map((r) => r[key])),
      );
    }
  }

  /**
   * One page of a job's candidates or a candidate's jobs, best score first (ties by the other side's id),
   * read from `bi.match_scores` so the rank is the view's. Keyset pagination: `after` is the last row shown.
   */
  page(a: MatchScorePageArgs): Promise<StoredMatchScore[]> {
    const byJob = a.jobId !== undefined;
    const other = byJob ? 'candidate_id' : 'job_id';
    return this.db.query(
      `SELECT ${READ_COLUMNS} FROM bi.match_scores
       WHERE ${byJob ? 'job_id = $1' : 'candidate_id = $1'}
         AND ($2::float8 IS NULL OR score >= $2) AND ($3::int IS NULL OR rank <= $3) AND ($4::text IS NULL OR model_version = $4)
         AND ($5::float8 IS NULL OR (score, ${other}) < ($5, $6::uuid))
       ORDER BY score DESC, ${other} DESC LIMIT $7`,
      [
        byJob ? a.jobId : a.candidateId,
        a.minScore ?? null,
        a.maxRank ?? null,
        a.modelVersion ?? null,
        a.after?.score ?? null,
        a.after?.id ?? null,
        a.limit,
      ],
    );
  }

  /** The best `n` rows of each of these jobs. */
  topForJobs(jobIds: readonly string[], n: number): Promise<StoredMatchScore[]> {
    return this.db.query(
      `SELECT ${READ_COLUMNS} FROM bi.match_scores WHERE job_id = ANY($1::uuid[]) AND rank <= $2 ORDER BY job_id, rank`,
      [jobIds, n],
    );
  }

  /** The `n` best-scored jobs of each of these candidates. */
  topForCandidates(candidateIds: readonly string[], n: number): Promise<StoredMatchScore[]> {
    return this.db.query(
      `SELECT ${READ_COLUMNS} FROM (
         SELECT v.*, row_number() OVER (PARTITION BY candidate_id ORDER BY score DESC, job_id DESC) AS k
         FROM bi.match_scores v WHERE job_id IN (SELECT job_id FROM match_score WHERE candidate_id = ANY($1::uuid[]))
       ) x WHERE candidate_id = ANY($1::uuid[]) AND k <= $2 ORDER BY candidate_id, k`,
      [candidateIds, n],
    );
  }

  /**
   * Per job, the mean of each model feature over its stored rows that know it, transformed as featureVector
   * (match-score-model.ts) transforms one row, and the share of rows that know it (1 but for the
   * link-prediction score): what an explanation compares a candidate with (jobMeanFor).
   */
  async jobMeans(jobIds: readonly string[]): Promise<Map<string, { mean: (number | null)[]; known: number[] }>> {
    const rows: { job_id: string; m: (number | null)[]; link_known: number }[] = await this.db.query(
      `SELECT job_id, ARRAY[avg(ln(1 + greatest(keyword, 0))), avg(vector), avg(coalesce(skills_required, 0.5)),
              avg(coalesce(skills_preferred, 0.5)), avg(coalesce(seniority_fit, 0.5)), avg(coalesce(location_fit, 0.5)),
              avg(ln(1 + talent_flow)), avg(ln(1 + warm_path)),
              avg(ln(least(greatest(link_prediction, 1e-6), 1 - 1e-6) / (1 - least(greatest(link_prediction, 1e-6), 1 - 1e-6))))]::float8[] AS m,
              avg((link_prediction IS NOT NULL)::int)::float8 AS link_known
       FROM match_score WHERE job_id = ANY($1::uuid[]) GROUP BY job_id`,
      [jobIds],
    );
    return new Map(rows.map((r) => [r.job_id, { mean: r.m, known: r.m.map((_, i) => (i === r.m.length - 1 ? r.link_known : 1)) }]));
  }

  /**
   * The next `limit` rows in export order (job, then best score first, ties by candidate id descending: the
   * order of bi.match_scores' rank), after the position `after`; one statement per batch, so an export of any
   * size holds no transaction and no cursor open. Columns as bi.match_scores, rank left to the caller.
   */
  exportBatch(after: ExportPosition | null, limit: number, jobId: string | null): Promise<MatchScoreExportRow[]> {
    return this.db.query(
      `SELECT ${EXPORT_COLUMNS.filter((c) => c !== 'rank').join(', ')} FROM match_score
       WHERE ($1::uuid IS NULL OR job_id = $1)
         AND ($2::uuid IS NULL OR job_id > $2 OR (job_id = $2 AND (score < $3 OR (score = $3 AND candidate_id < $4::uuid))))
       ORDER BY job_id, score DESC, candidate_id DESC LIMIT $5`,
      [jobId, after?.jobId ?? null, after?.score ?? null, after?.candidateId ?? null, limit],
    );
  }

  async clear(): Promise<void> {
    await this.db.query(`TRUNCATE match_score`);
  }

  /** Open jobs, and how many of them have scores. */
  async coverage(): Promise<{ open: number; scored: number; rows: number }> {
    const [r] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM job WHERE status = 'OPEN') AS open,
              (SELECT count(DISTINCT job_id)::int FROM match_score) AS scored,
              (SELECT count(*)::int FROM match_score) AS rows`,
    );
    return r as { open: number; scored: number; rows: number };
  }
}
