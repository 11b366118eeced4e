import { ValidationError, type FieldProblem } from '../../shared/errors';
import type { Queryable } from './queryable';

/**
 * Counts over the hub for the RAG `aggregate` tool, and the names of records of any type. These
 * statements span tables (experience, candidate_skill, placement, application, job with company and
 * skill), so they live here rather than in one record's repository. Each metric is fixed SQL text;
 * only parameter values come from the caller.
 */

export const AGGREGATE_METRICS = [
  'candidatesByCompany',
  'candidatesBySkill',
  'placementsByCompany',
  'placementsByYear',
  'applicationsByStage',
  'openJobsByCompany',
] as const;
export type AggregateMetric = (typeof AGGREGATE_METRICS)[number];
export type AggregateFilter = 'companyId' | 'skill' | 'since' | 'until';

/** One group of a metric: `groups` is how many groups there are in all, whatever the limit. */
export interface AggregateGroup {
  key: string;
  label: string;
  n: number;
  groups: number;
}

interface MetricSql {
  /** Fixed SQL: `key`, `label`, `n` per group; `{where}` is replaced with the filter conditions. */
  sql: string;
  /** Record type of a group, when a group is a hub record. */
  recordType?: 'company' | 'skill';
  /** Fixed SQL condition per supported filter; `$p` is replaced with the filter's parameter placeholder. */
  filters: Partial<Record<AggregateFilter, string>>;
}

const SKILL_MATCH = `(s.name_key = lower($p) OR lower($p) = ANY(s.aliases))`;
const candidateHasSkill = (candidate: string) =>
  `EXISTS (SELECT 1 FROM candidate_skill cs2 JOIN skill s ON s.id = cs2.skill_id WHERE cs2.candidate_id = ${candidate} AND ${SKILL_MATCH})`;

/** Each metric is fixed SQL text; only parameter values come from the model. */
const METRICS: Record<AggregateMetric, MetricSql> = {
  candidatesByCompany: {
    sql: `SELECT co.id::text AS key, co.name AS label, count(DISTINCT e.candidate_id)::int AS n
      FROM experience e JOIN company co ON co.id = e.company_id {where} GROUP BY co.id, co.name`,
    recordType: 'company',
    filters: {
      companyId: 'e.company_id = $p::uuid',
      skill: candidateHasSkill('e.candidate_id'),
      since: `coalesce(e.end_date, current_date) >= make_date($p::int, 1, 1)`,
      until: `e.start_date <= make_date($p::int, 12, 31)`,
    },
  },
  candidatesBySkill: {
    sql: `SELECT s.id::text AS key, s.name AS label, count(DISTINCT cs.candidate_id)::int AS n
      FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id {where} GROUP BY s.id, s.name`,
    recordType: 'skill',
    filters: {
      companyId: 'EXISTS (SELECT 1 FROM experience e WHERE e.candidate_id = cs.candidate_id AND e.company_id = $p::uuid)',
      skill: SKILL_MATCH,
    },
  },
  placementsByCompany: {
    sql: `SELECT co.id::text AS key, co.name AS label, count(*)::int AS n
      FROM placement p JOIN company co ON co.id = p.company_id {where} GROUP BY co.id, co.name`,
    recordType: 'company',
    filters: {
      companyId: 'p.company_id = $p::uuid',
      skill: candidateHasSkill('p.candidate_id'),
      since: 'p.start_date >= make_date($p::int, 1, 1)',
      until: 'p.start_date <= make_date($p::int, 12, 31)',
    },
  },
  placementsByYear: {
    sql: `SELECT extract(year FROM p.start_date)::int::text AS key, extract(year FROM p.start_date)::int::text AS label, count(*)::int AS n
      FROM placement p {where} GROUP BY 1, 2`,
    filters: {
      companyId: 'p.company_id = $p::uuid',
      skill: candidateHasSkill('p.candidate_id'),
      since: 'p.start_date >= make_date($p::int, 1, 1)',
      until: 'p.start_date <= make_date($p::int, 12, 31)',
    },
  },
  applicationsByStage: {
    sql: `SELECT a.stage::text AS key, a.stage::text AS label, count(*)::int AS n
      FROM application a JOIN job j ON j.id = a.job_id {where} GROUP BY 1, 2`,
    filters: { companyId: 'j.company_id = $p::uuid' },
  },
  openJobsByCompany: {
    sql: `SELECT co.id::text AS key, co.name AS label, count(*)::int AS n
      FROM job j JOIN company co ON co.id = j.company_id {where} GROUP BY co.id, co.name`,
    recordType: 'company',
    filters: {
      companyId: 'j.company_id = $p::uuid',
      skill: `EXISTS (SELECT 1 FROM job_skill js JOIN skill s ON s.id = js.skill_id WHERE js.job_id = j.id AND ${SKILL_MATCH})`,
      since: 'j.opened_at >= make_date($p::int, 1, 1)',
      until: 'j.opened_at <= make_date($p::int, 12, 31)',
    },
  },
};
/** Conditions every row of a metric must meet whatever the filters. */
const METRIC_BASE: Partial<Record<AggregateMetric, string>> = { openJobsByCompany: `j.status = 'OPEN'` };

/** Builds the metric's query: fixed SQL text with positional parameters for the filter values. */
export function aggregateQuery(
  metric: AggregateMetric,
  filters: Partial<Record<AggregateFilter, string | number>>,
  limit: number,
): { sql: string; params: unknown[] } {
  const spec = METRICS[metric];
  const params: unknown[] = [];
  const conditions = METRIC_BASE[metric] ? [METRIC_BASE[metric]!] : [];
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    const condition = spec.filters[name as AggregateFilter];
    if (!condition) {
      problems.push({ path: `filters.${name}`, message: `${metric} cannot be filtered by ${name}` });
      continue;
    }
    params.push(value);
    conditions.push(condition.replaceAll('$p', `$${params.length}`));
  }
  if (typeof filters.since === 'number' && typeof filters.until === 'number' && filters.since > filters.until)
    problems.push({ path: 'filters.until', message: `must not be before since (${filters.since})` });
  if (problems.length) throw new ValidationError(problems, 'Invalid aggregate');
  params.push(limit);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const sql = `SELECT g.key, g.label, g.n, count(*) OVER ()::int AS groups FROM (${spec.sql.replace('{where}', where)}) g
    ORDER BY g.n DESC, g.label LIMIT $${params.length}`;
  return { sql, params };
}

/** Record type of a metric's groups, when a group is a hub record. */
export function aggregateRecordType(metric: AggregateMetric): 'company' | 'skill' | undefined {
  return METRICS[metric].recordType;
}

export class AggregatesRepository {
  constructor(private readonly db: Queryable) {}

  /** The metric's largest groups first (ties by label), at most `limit`; throws ValidationError for a filter the metric does not take. */
  counts(metric: AggregateMetric, filters: Partial<Record<AggregateFilter, string | number>>, limit: number): Promise<AggregateGroup[]> {
    const { sql, params } = aggregateQuery(metric, filters, limit);
    return this.db.query(sql, params);
  }

  /** Names of hub records (candidates, companies, jobs) by id, whatever their type. */
  async recordLabels(ids: readonly string[]): Promise<Map<string, string>> {
    const rows: { id: string; label: string }[] = await this.db.query(
      `SELECT id::text, name AS label FROM candidate WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, name FROM company WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, title FROM job WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.label]));
  }
}
