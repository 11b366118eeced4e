/**
 * The tools a RAG plan may call, as the model sees them: a fixed allow-list, each with a description
 * and the JSON Schema its arguments are checked against before anything runs. The model only ever
 * chooses a tool name and JSON arguments; it can never send SQL or Cypher.
 */
import { AGGREGATE_METRICS } from '../../hub/repositories/aggregates.repository';
import { JOB_STATUSES } from '../../hub/records';
import { LINK_KINDS, REL_TYPES } from '../../adapters/graph/relation-graph';
import type { ToolName, ToolSpec } from '../types';
import { NOT_BLANK, type JsonSchema } from './tool-schema';

/** A string argument: not blank, at most `max` characters. */
const text = (max: number, description?: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: max,
  pattern: NOT_BLANK,
  ...(description ? { description } : {}),
});

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

export const TOOL_SPECS: Record<ToolName, { description: string; parameters: JsonSchema }> = {
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
      'Warm introduction paths from a candidate or consultant to another person, or to a company, through colleagues (overlapping tenure), schoolmates, owning consultants and placements, strongest first. ' +
      'With a company id as `to`, each path ends at someone who works there now (the strongest path to each such person), given as its employee with their title. ' +
      'maxHops is 1 to 4 (default 3). Returns the people on the paths as records and the paths (strength 0..1, node ids, hop kinds, employee) in data.',
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
      "COMPANY_COMPANY (where a company's leavers will go next, among companies it sends nobody to yet), CANDIDATE_JOB (graph fit of a candidate to jobs), CANDIDATE_CANDIDATE (people who likely know each other). " +
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

/** The specs, for planning and plan validation (pure). */
export function ragToolSpecs(): ToolSpec[] {
  return (Object.keys(TOOL_SPECS) as ToolName[]).map((name) => ({
    name,
    description: TOOL_SPECS[name].description,
    parameters: TOOL_SPECS[name].parameters as Record<string, unknown>,
  }));
}
