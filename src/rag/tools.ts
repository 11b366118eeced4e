/**
 * The tools a RAG plan may call: a fixed allow-list over the search service, the relation graph and
 * a handful of parameterised SQL aggregates. The model only ever chooses a tool name and JSON
 * arguments; it can never send SQL or Cypher, and every argument is checked against the tool's
 * JSON Schema before anything runs.
 *
 * Records carry only what the caller's role may read (candidates' personal fields, as listed in
 * hub/personal-data.ts, for admin and consultant only) and never vectors; long texts are cut so
 * prompts stay small.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Database } from '../hub/database';
import type { MatchPage, SearchService } from '../matching/search.service';
import type { NetworkService } from '../network/network.service';
import { uuidOf } from '../shared/global-id';
import { CANDIDATE_PERSONAL_FIELDS, mayReadPersonal, personalColumn, redactPersonal } from '../hub/personal-data';
import { JOB_STATUSES } from '../hub/records';
import { ValidationError, type FieldProblem } from '../shared/errors';
import { LINK_KINDS, type LinkKind } from '../adapters/graph/relation-graph';
import { REL_TYPES, type GraphNode, type NodeLabel, type RelType } from '../adapters/graph/relation-graph';
import type { SearchFilter } from '../adapters/search/search-filter';
import type { RetrievedRecord, ToolContext, ToolName, ToolResult, ToolSpec } from './types';

// ---------------------------------------------------------------- JSON Schema subset

/**
 * The subset of JSON Schema the tool specs use. The schema shown to the model is the one ajv checks
 * arguments against (class-validator would need a parallel set of decorated classes that could drift
 * from what the model is told); every problem is reported with a dotted path the planner can be asked
 * to fix. A string that must not be blank says so with `pattern: '\\S'`.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

const NOT_BLANK = '\\S';
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every way `value` breaks `schema`, each with the dotted path of the offending value under `path`. */
export function validateAgainstSchema(schema: JsonSchema, value: unknown, path = ''): FieldProblem[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) compiled.set(key, (validate = ajv.compile(schema)));
  if (validate(value)) return [];
  // An empty string breaks minLength and NOT_BLANK both; one problem says it.
  const errors = (validate.errors ?? []).filter((e) => !(e.keyword === 'pattern' && e.params.pattern === NOT_BLANK && e.data === ''));
  return errors.map((e) => problemOf(e, path));
}

/** ajv's error as the planner reads it: `instancePath` (a JSON pointer) turned into a dotted path, and our wording. */
function problemOf(e: ErrorObject, prefix: string): FieldProblem {
  const at = (extra?: string) => {
    let path = prefix;
    for (const part of e.instancePath.split('/').slice(1)) path = join(path, part.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (extra !== undefined) path = join(path, extra);
    return path || '(args)';
  };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return { path: at(), message: `expected ${String(p.type)}, got ${typeOf(e.data)}` };
    case 'required':
      return { path: at(String(p.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      return { path: at(String(p.additionalProperty)), message: `is not an argument; use ${allowed.join(', ')}` };
    }
    case 'enum':
      return { path: at(), message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'minimum':
      return { path: at(), message: `must be >= ${String(p.limit)}` };
    case 'maximum':
      return { path: at(), message: `must be <= ${String(p.limit)}` };
    case 'minLength':
      return { path: at(), message: `must have at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { path: at(), message: `must have at most ${String(p.limit)} characters` };
    case 'minItems':
      return { path: at(), message: `needs at least ${String(p.limit)} items` };
    case 'maxItems':
      return { path: at(), message: `allows at most ${String(p.limit)} items` };
    case 'pattern':
      if (p.pattern === NOT_BLANK) return { path: at(), message: 'must not be blank' };
      return { path: at(), message: `must match ${String(p.pattern)}` };
    default:
      return { path: at(), message: e.message ?? `breaks ${e.keyword}` };
  }
}

/** A string argument: not blank, at most `max` characters. */
const text = (max: number, description?: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: NOT_BLANK,
  ...(description ? { description } : {}),
});

// ---------------------------------------------------------------- specs

const ID: JsonSchema = text(200, 'Record id (UUID) from an earlier step');
const FIRST = (max: number, dflt: number): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  maximum: max,
  description: `How many to return (default ${dflt})`,
});
const YEAR: JsonSchema = { type: 'integer', minimum: 1950, maximum: 2100 };
const obj = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

export const AGGREGATE_METRICS = [
  'candidatesByCompany',
  'candidatesBySkill',
  'placementsByCompany',
  'placementsByYear',
  'applicationsByStage',
  'openJobsByCompany',
] as const;
export type AggregateMetric = (typeof AGGREGATE_METRICS)[number];
type AggregateFilter = 'companyId' | 'skill' | 'since' | 'until';

const TOOL_SPECS: Record<ToolName, { description: string; parameters: JsonSchema }> = {
  searchCandidates: {
    description:
      'Hybrid keyword + meaning search over candidate profiles (titles, skills, experience, summary; Chinese or English). ' +
      'Optional filters narrow the result: skills (has ALL of them, case-insensitive), location (exact city), minYears (years of experience). ' +
      'Returns candidate records best first, each with name, title, location, years, skills, a short summary and the match score with the matched terms.',
    parameters: obj(
      {
        query: text(2000, 'What to look for: a title, skills, a pasted job description'),
        skills: { type: 'array', items: text(100), maxItems: 10 },
        location: text(200),
        minYears: { type: 'number', minimum: 0, maximum: 80 },
        first: FIRST(50, 10),
      },
      ['query'],
    ),
  },
  searchJobs: {
    description:
      'Hybrid keyword + meaning search over job postings (title, skills, description). Optional companyId (jobs posted by that company) and ' +
      'status (OPEN or CLOSED). Returns job records best first with title, company, status, seniority, location, salary range, skills and a short description.',
    parameters: obj(
      {
        query: text(2000),
        companyId: ID,
        status: { type: 'string', enum: JOB_STATUSES },
        first: FIRST(50, 10),
      },
      ['query'],
    ),
  },
  normalizeTitle: {
    description:
      'Maps a free-text job title (any language) to the O*NET occupations it most likely means, best first. ' +
      'Returns occupation records with the O*NET-SOC code, the standard title and a short description.',
    parameters: obj({ title: text(300), first: FIRST(20, 5) }, ['title']),
  },
  graphNeighborhood: {
    description:
      'Nodes and relationships around one record in the relation graph (who worked where, studied where, has which skills, applied to or was placed at which job). ' +
      `depth is 1 or 2 hops; types optionally limits the relationship types (${REL_TYPES.join(', ')}). ` +
      'Returns the nodes as records (candidates, companies, jobs, skills, schools, occupations, consultants) and the edges in data.',
    parameters: obj(
      {
        id: ID,
        depth: { type: 'integer', minimum: 1, maximum: 2, description: 'Hops from the record (default 1)' },
        types: { type: 'array', items: { type: 'string', enum: REL_TYPES }, minItems: 1 },
      },
      ['id'],
    ),
  },
  introductionPaths: {
    description:
      'Warm introduction paths from one candidate to another through colleagues (overlapping tenure), schoolmates, owning consultants and placements, strongest first. ' +
      'maxHops is 1 to 4 (default 3). Returns the people on the paths as records and the paths (strength 0..1, node ids, hop kinds) in data.',
    parameters: obj({ from: ID, to: ID, maxHops: { type: 'integer', minimum: 1, maximum: 4 }, first: FIRST(20, 5) }, ['from', 'to']),
  },
  talentFlow: {
    description:
      'Where a company sends talent (direction OUT) or takes talent from (direction IN), from people moving between employers; since is the first year counted. ' +
      'Returns partner companies as records with the number of moves in total and by year, most moves first.',
    parameters: obj({ companyId: ID, direction: { type: 'string', enum: ['IN', 'OUT'] }, since: YEAR, first: FIRST(50, 10) }, [
      'companyId',
      'direction',
    ]),
  },
  predictLinks: {
    description:
      'Likely future links from a node by link prediction on the relation graph: CANDIDATE_COMPANY (likely next employer of a candidate), ' +
      'COMPANY_COMPANY (talent flow next period), CANDIDATE_JOB (graph fit of a candidate to jobs), CANDIDATE_CANDIDATE (people who likely know each other). ' +
      'Returns the predicted targets as records with the score and the features behind it.',
    parameters: obj({ nodeId: ID, kind: { type: 'string', enum: LINK_KINDS }, first: FIRST(50, 10) }, ['nodeId', 'kind']),
  },
  aggregate: {
    description:
      `Counts from the data hub for one metric: ${AGGREGATE_METRICS.join(', ')}. ` +
      'Optional filters: companyId, skill (a skill name), since and until (years, inclusive; for candidatesByCompany they select tenures overlapping the years). ' +
      'candidatesBySkill and applicationsByStage take no since/until; applicationsByStage takes no skill. Returns the groups, largest first, with their counts in data.rows and one record per company or skill group.',
    parameters: obj(
      {
        metric: { type: 'string', enum: AGGREGATE_METRICS },
        filters: obj({ companyId: ID, skill: text(100), since: YEAR, until: YEAR }),
        first: FIRST(100, 20),
      },
      ['metric'],
    ),
  },
  matchCandidatesForJob: {
    description:
      "Candidates that best fit a job, using the job's own profile (title, skills, description) as the query. " +
      'Returns candidate records best first with the match score, keyword and vector scores and the matched terms and sections.',
    parameters: obj({ jobId: ID, first: FIRST(50, 10) }, ['jobId']),
  },
  getRecords: {
    description:
      'Fetches candidates, jobs and companies by id with their main fields, e.g. to read the details of records an earlier step found. ' +
      'Unknown ids are listed in data.missing.',
    parameters: obj({ ids: { type: 'array', items: ID, minItems: 1, maxItems: 100 } }, ['ids']),
  },
};

// ---------------------------------------------------------------- records

const TEXT_LIMIT = 400;
const SKILL_LIMIT = 15;
const short = (text: unknown) =>
  typeof text === 'string' && text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : (text ?? null);
/** Drops nulls, empty arrays and empty strings: they cost prompt tokens and say nothing. */
const compact = (fields: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)),
  );

/** Accepts the UUIDs tools return, and GraphQL global ids a user may paste. */
function uuidArg(value: string, path: string): string {
  try {
    return uuidOf(value);
  } catch {
    throw new ValidationError([{ path, message: `"${value.slice(0, 60)}" is not a record id; use an id an earlier step returned` }]);
  }
}

const SKILLS_OF = (link: 'candidate_skill' | 'job_skill', owner: string, alias: string) =>
  `(SELECT coalesce(array_agg(s.name ORDER BY s.name), '{}') FROM ${link} l JOIN skill s ON s.id = l.skill_id WHERE l.${owner} = ${alias}.id) AS skills`;

const CANDIDATE_PUBLIC = `c.id, c.name, c.headline, c.current_title, c.location, c.years_experience, c.languages,
  c.desired_roles, c.desired_locations, c.summary, ${SKILLS_OF('candidate_skill', 'candidate_id', 'c')}`;
/** Personal columns are not even selected for other roles; `run` also strips whatever a tool returned. */
const CANDIDATE_PERSONAL = CANDIDATE_PERSONAL_FIELDS.map((f) => `, c.${personalColumn(f)} AS "${f}"`).join('');
const JOB_COLUMNS = `j.id, j.title, j.company_id, co.name AS company_name, j.status, j.seniority, j.location, j.salary_min, j.salary_max,
  j.salary_currency, j.opened_at, j.description, ${SKILLS_OF('job_skill', 'job_id', 'j')}`;

type Row = Record<string, any>;

function candidateRecord(r: Row): RetrievedRecord {
  return {
    id: r.id,
    type: 'candidate',
    label: r.name,
    fields: compact({
      name: r.name,
      headline: r.headline,
      currentTitle: r.current_title,
      location: r.location,
      yearsExperience: r.years_experience === null ? null : Number(r.years_experience),
      languages: r.languages,
      desiredRoles: r.desired_roles,
      desiredLocations: r.desired_locations,
      skills: (r.skills as string[]).slice(0, SKILL_LIMIT),
      summary: short(r.summary),
      ...Object.fromEntries(CANDIDATE_PERSONAL_FIELDS.map((f) => [f, r[f]])),
    }),
  };
}

function jobRecord(r: Row): RetrievedRecord {
  return {
    id: r.id,
    type: 'job',
    label: r.company_name ? `${r.title} @ ${r.company_name}` : r.title,
    fields: compact({
      title: r.title,
      companyId: r.company_id,
      companyName: r.company_name,
      status: r.status,
      seniority: r.seniority,
      location: r.location,
      salaryMin: r.salary_min,
      salaryMax: r.salary_max,
      salaryCurrency: r.salary_currency,
      openedAt: r.opened_at,
      skills: (r.skills as string[]).slice(0, SKILL_LIMIT),
      description: short(r.description),
    }),
  };
}

function companyRecord(r: Row): RetrievedRecord {
  return {
    id: r.id,
    type: 'company',
    label: r.name,
    fields: compact({ name: r.name, industry: r.industry, sizeBand: r.size_band, location: r.location, aliases: r.aliases }),
  };
}

function occupationRecord(r: Row): RetrievedRecord {
  return {
    id: r.id,
    type: 'occupation',
    label: r.title,
    fields: compact({ code: r.code, title: r.title, description: short(r.description) }),
  };
}

const LABEL_TYPES: Record<NodeLabel, RetrievedRecord['type']> = {
  Candidate: 'candidate',
  Company: 'company',
  Job: 'job',
  Skill: 'skill',
  School: 'school',
  Occupation: 'occupation',
  Consultant: 'consultant',
};

/** A graph node as a record, its label from the node's own props (personal props go in `run`, as for every tool). */
function nodeRecord(node: GraphNode): RetrievedRecord {
  const name = node.props.name ?? node.props.title;
  return {
    id: node.id,
    type: LABEL_TYPES[node.label],
    label: typeof name === 'string' && name ? name : node.id,
    fields: compact(Object.fromEntries(Object.entries(node.props).map(([k, v]) => [k, short(v)]))),
  };
}

/** Score and the reason a search ranked the record, in the terms the GraphQL explanation uses. */
function matchFields(hit: MatchPage['hits'][number]) {
  return {
    score: round(hit.score),
    keywordScore: hit.keywordScore === null ? null : round(hit.keywordScore),
    vectorScore: hit.vectorScore === null ? null : round(hit.vectorScore),
    matchedTerms: hit.explanation.matchedTerms.slice(0, 8),
    matchedSections: hit.explanation.matchedVectors.slice(0, 3).map((v) => `${v.name} ${v.similarity.toFixed(2)}`),
  };
}
const round = (n: number) => Math.round(n * 1000) / 1000;

// ---------------------------------------------------------------- aggregates

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

// ---------------------------------------------------------------- the tools

type Args = Record<string, unknown>;
type Handler = (args: Args, ctx: ToolContext) => Promise<ToolResult>;

/** Rows a step returns: what the model asked for, but never more than the context allows. */
const take = (asked: unknown, dflt: number, ctx: ToolContext) => {
  const want = typeof asked === 'number' ? asked : dflt;
  return { want, n: Math.max(1, Math.min(want, ctx.maxRows)) };
};

/** What the tools read: the data hub (aggregates, labels), search and the relation network. */
export interface RagToolDeps {
  db: Database;
  search: SearchService;
  network: NetworkService;
}

export class RagTools {
  private readonly handlers: Record<ToolName, Handler>;

  /** Every service but `rag` itself, which is built on these tools. */
  constructor(private readonly services: RagToolDeps) {
    this.handlers = {
      searchCandidates: (a, c) => this.searchCandidates(a, c),
      searchJobs: (a, c) => this.searchJobs(a, c),
      normalizeTitle: (a, c) => this.normalizeTitle(a, c),
      graphNeighborhood: (a, c) => this.graphNeighborhood(a, c),
      introductionPaths: (a, c) => this.introductionPaths(a, c),
      talentFlow: (a, c) => this.talentFlow(a, c),
      predictLinks: (a, c) => this.predictLinks(a, c),
      aggregate: (a, c) => this.aggregate(a, c),
      matchCandidatesForJob: (a, c) => this.matchCandidatesForJob(a, c),
      getRecords: (a, c) => this.getRecords(a, c),
    };
  }

  specs(): ToolSpec[] {
    return ragToolSpecs();
  }

  /**
   * Validates `args` against the tool's schema (throws ValidationError with paths), then runs it. What
   * it returns is what the model and the caller see, so personal fields leave here only for roles that
   * may read them, whichever tool produced them.
   */
  async run(name: ToolName, args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult> {
    const handler = Object.prototype.hasOwnProperty.call(this.handlers, name) ? this.handlers[name] : undefined;
    if (!handler) throw new ValidationError([{ path: 'tool', message: `unknown tool "${String(name)}"` }]);
    const problems = validateAgainstSchema(TOOL_SPECS[name].parameters, args);
    if (problems.length) throw new ValidationError(problems, `Invalid arguments for ${name}`);
    ctx.signal?.throwIfAborted();
    return redactPersonal(await handler(args, ctx), ctx.role);
  }

  private async searchCandidates(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const parts: SearchFilter[] = [];
    if (a.skills) parts.push({ op: 'containsAll', field: 'skills', values: a.skills as string[] });
    if (a.location) parts.push({ op: 'eq', field: 'location', value: a.location as string });
    if (a.minYears !== undefined) parts.push({ op: 'range', field: 'yearsExperience', gte: a.minYears as number });
    const { want, n } = take(a.first, 10, ctx);
    const page = await this.services.search.search('candidate', { text: a.query as string, filter: allOf(parts), first: n });
    return this.rankedResult(page, await this.candidates(ids(page), ctx), want > n);
  }

  private async searchJobs(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const parts: SearchFilter[] = [];
    if (a.companyId) parts.push({ op: 'containsAny', field: 'companyIds', values: [uuidArg(a.companyId as string, 'companyId')] });
    if (a.status) parts.push({ op: 'eq', field: 'status', value: a.status as string });
    const { want, n } = take(a.first, 10, ctx);
    const page = await this.services.search.search('job', { text: a.query as string, filter: allOf(parts), first: n });
    return this.rankedResult(page, await this.jobs(ids(page)), want > n);
  }

  private async normalizeTitle(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 5, ctx);
    // Titles are short: give keywords (codes, exact alternate titles) as much weight as meaning, as the GraphQL query does.
    const page = await this.services.search.search('occupation', { text: a.title as string, first: n, alpha: 0.5 });
    const rows = await this.query(`SELECT id, code, title, description FROM occupation WHERE id = ANY($1::uuid[])`, [ids(page)]);
    return this.rankedResult(page, rows.map(occupationRecord), want > n);
  }

  private async matchCandidatesForJob(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 10, ctx);
    const page = await this.services.search.matchFor('job', uuidArg(a.jobId as string, 'jobId'), 'candidate', { first: n });
    return this.rankedResult(page, await this.candidates(ids(page), ctx), want > n);
  }

  private async graphNeighborhood(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const g = await this.services.network.neighborhood({
      id: uuidArg(a.id as string, 'id'),
      depth: (a.depth as number | undefined) ?? 1,
      types: a.types as RelType[] | undefined,
      limit: Math.min(ctx.maxRows, 500),
    });
    const nodes = new Set(g.nodes.map((n) => n.id));
    // Edges grow faster than nodes; a few per node is plenty for the model to see the shape.
    const edgeCap = ctx.maxRows * 3;
    const edges = g.edges
      .filter((e) => nodes.has(e.from) && nodes.has(e.to))
      .map((e) => ({ type: e.type, from: e.from, to: e.to, ...e.props }));
    return {
      records: g.nodes.map(nodeRecord),
      data: { edges: edges.slice(0, edgeCap) },
      truncated: g.truncated || edges.length > edgeCap,
    };
  }

  private async introductionPaths(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 5, ctx);
    const paths = await this.services.network.introductionPaths({
      from: uuidArg(a.from as string, 'from'),
      to: uuidArg(a.to as string, 'to'),
      maxHops: a.maxHops as number | undefined,
      first: Math.min(n, 50),
    });
    const people = [...new Set(paths.flatMap((p) => p.nodeIds))];
    const records = await this.candidates(people.slice(0, ctx.maxRows), ctx);
    return {
      records,
      data: { paths: paths.map((p) => ({ strength: round(p.strength), nodeIds: p.nodeIds, hops: p.hops })) },
      truncated: people.length > ctx.maxRows || (want > n && paths.length === n),
    };
  }

  private async talentFlow(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 10, ctx);
    const partners = await this.services.network.talentFlow({
      companyId: uuidArg(a.companyId as string, 'companyId'),
      direction: a.direction as 'IN' | 'OUT',
      since: a.since as number | undefined,
      first: n,
    });
    const records: RetrievedRecord[] = partners.map((p) => ({
      id: p.companyId,
      type: 'company',
      label: p.name ?? p.companyId,
      fields: { moves: p.total, byYear: p.byYear },
    }));
    return { records, data: { direction: a.direction }, truncated: want > n && partners.length === n };
  }

  private async predictLinks(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const { want, n } = take(a.first, 10, ctx);
    const predictions = await this.services.network.predictLinks({
      nodeId: uuidArg(a.nodeId as string, 'nodeId'),
      kind: a.kind as LinkKind,
      first: n,
    });
    const labels = await this.labels(predictions.map((p) => p.targetId));
    const records: RetrievedRecord[] = predictions.map((p) => ({
      id: p.targetId,
      type: LABEL_TYPES[p.targetLabel],
      label: labels.get(p.targetId) ?? p.targetId,
      fields: {
        score: round(p.score),
        commonNeighbours: p.features.commonNeighbours,
        recencyWeightedFlow: round(p.features.recencyWeightedFlow),
        evidencePaths: p.evidence.length,
      },
    }));
    return { records, data: { kind: a.kind }, truncated: want > n && predictions.length === n };
  }

  private async aggregate(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const metric = a.metric as AggregateMetric;
    const filters = { ...((a.filters as Record<string, string | number> | undefined) ?? {}) };
    if (typeof filters.companyId === 'string') filters.companyId = uuidArg(filters.companyId, 'filters.companyId');
    const { n } = take(a.first, 20, ctx);
    const { sql, params } = aggregateQuery(metric, filters, n);
    const rows = await this.query(sql, params);
    const groups = rows[0]?.groups ?? 0;
    const type = METRICS[metric].recordType;
    return {
      records: type ? rows.map((r) => ({ id: r.key, type, label: r.label, fields: { count: r.n } })) : [],
      data: { metric, groups, rows: rows.map((r) => ({ key: r.key, label: r.label, count: r.n })) },
      truncated: rows.length < groups,
    };
  }

  private async getRecords(a: Args, ctx: ToolContext): Promise<ToolResult> {
    const wanted = [...new Set((a.ids as string[]).map((id, i) => uuidArg(id, `ids.${i}`)))];
    const asked = wanted.slice(0, ctx.maxRows);
    const [candidates, jobs, companies] = await Promise.all([
      this.candidates(asked, ctx),
      this.jobs(asked),
      this.query(`SELECT id, name, industry, size_band, location, aliases FROM company WHERE id = ANY($1::uuid[])`, [asked]),
    ]);
    const byId = new Map([...candidates, ...jobs, ...companies.map(companyRecord)].map((r) => [r.id, r]));
    const records = asked.flatMap((id) => byId.get(id) ?? []);
    return { records, data: { missing: asked.filter((id) => !byId.has(id)) }, truncated: wanted.length > asked.length };
  }

  // ---------------------------------------------------------------- helpers

  /** Keeps the ranking's order, drops hits whose record was deleted since indexing, and attaches the score. */
  private rankedResult(page: MatchPage, records: RetrievedRecord[], capped: boolean): ToolResult {
    const byId = new Map(records.map((r) => [r.id, r]));
    const ranked = page.hits.flatMap((hit) => {
      const record = byId.get(hit.id);
      return record ? [{ ...record, fields: { ...record.fields, match: matchFields(hit) } }] : [];
    });
    return { records: ranked, truncated: capped && page.hasNextPage };
  }

  private async candidates(uuids: string[], ctx: ToolContext): Promise<RetrievedRecord[]> {
    if (!uuids.length) return [];
    const columns = CANDIDATE_PUBLIC + (mayReadPersonal(ctx.role) ? CANDIDATE_PERSONAL : '');
    const rows = await this.query(`SELECT ${columns} FROM candidate c WHERE c.id = ANY($1::uuid[])`, [uuids]);
    return inOrder(uuids, rows.map(candidateRecord));
  }

  private async jobs(uuids: string[]): Promise<RetrievedRecord[]> {
    if (!uuids.length) return [];
    const rows = await this.query(
      `SELECT ${JOB_COLUMNS} FROM job j LEFT JOIN company co ON co.id = j.company_id WHERE j.id = ANY($1::uuid[])`,
      [uuids],
    );
    return inOrder(uuids, rows.map(jobRecord));
  }

  /** Names of hub records (candidates, companies, jobs) for ids the graph returned without them. */
  private async labels(uuids: string[]): Promise<Map<string, string>> {
    if (!uuids.length) return new Map();
    const rows = await this.query(
      `SELECT id::text, name AS label FROM candidate WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, name FROM company WHERE id = ANY($1::uuid[])
       UNION ALL SELECT id::text, title FROM job WHERE id = ANY($1::uuid[])`,
      [uuids],
    );
    return new Map(rows.map((r) => [r.id, r.label]));
  }

  private query(sql: string, params: unknown[]): Promise<Row[]> {
    return this.services.db.dataSource.query(sql, params);
  }
}

const ids = (page: MatchPage) => page.hits.map((h) => h.id);
const allOf = (parts: SearchFilter[]): SearchFilter | undefined =>
  parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { op: 'and', filters: parts };
function inOrder(uuids: string[], records: RetrievedRecord[]): RetrievedRecord[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return uuids.flatMap((id) => byId.get(id) ?? []);
}

/** The specs without a Services instance, for planning and plan validation (pure). */
export function ragToolSpecs(): ToolSpec[] {
  return (Object.keys(TOOL_SPECS) as ToolName[]).map((name) => ({
    name,
    description: TOOL_SPECS[name].description,
    parameters: TOOL_SPECS[name].parameters as Record<string, unknown>,
  }));
}
