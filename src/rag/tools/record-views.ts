/**
 * Records as the RAG tools show them: only what the caller's role may read (candidates' personal
 * fields, as listed in hub/personal-data.ts, for admin and consultant only), never vectors, and long
 * texts cut so prompts stay small.
 */
import type { AggregatesRepository } from '../../hub/repositories/aggregates.repository';
import type { CandidateRepository } from '../../hub/repositories/candidate.repository';
import type { CompanyRepository } from '../../hub/repositories/company.repository';
import type { JobRepository } from '../../hub/repositories/job.repository';
import type { OccupationRepository } from '../../hub/repositories/occupation.repository';
import { CANDIDATE_PERSONAL_FIELDS, mayReadPersonal, redactPersonal } from '../../hub/personal-data';
import type { GraphNode, NodeLabel } from '../../adapters/graph/relation-graph';
import type { MatchPage } from '../../matching/search.service';
import type { Role } from '../../shared/roles';
import type { RetrievedRecord, ToolResult } from '../types';
import { round } from './tool-args';

const TEXT_LIMIT = 400;
const SKILL_LIMIT = 15;
const short = (text: unknown) =>
  typeof text === 'string' && text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : (text ?? null);
/** Drops nulls, empty arrays and empty strings: they cost prompt tokens and say nothing. */
const compact = (fields: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)),
  );

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows as the repositories return them
type Row = Record<string, any>;

/** The repositories the views read. */
export interface RecordViewRepositories {
  candidates: CandidateRepository;
  jobs: JobRepository;
  companies: CompanyRepository;
  occupations: OccupationRepository;
  aggregates: AggregatesRepository;
}

/** Hub records by id as tool records, in the order of the ids asked for; unknown ids are left out. */
export class RecordViews {
  constructor(private readonly repos: RecordViewRepositories) {}

  /** Personal columns are not even selected for other roles; {@link forRole} also strips whatever a tool returned. */
  async candidates(uuids: string[], role: Role): Promise<RetrievedRecord[]> {
    if (!uuids.length) return [];
    const rows = await this.repos.candidates.toolViews(uuids, mayReadPersonal(role));
    return inOrder(uuids, rows.map(candidateRecord));
  }

  async jobs(uuids: string[]): Promise<RetrievedRecord[]> {
    if (!uuids.length) return [];
    return inOrder(uuids, (await this.repos.jobs.toolViews(uuids)).map(jobRecord));
  }

  async companies(uuids: string[]): Promise<RetrievedRecord[]> {
    if (!uuids.length) return [];
    return (await this.repos.companies.toolViews(uuids)).map(companyRecord);
  }

  async occupations(uuids: string[]): Promise<RetrievedRecord[]> {
    if (!uuids.length) return [];
    return (await this.repos.occupations.profiles(uuids)).map(occupationRecord);
  }

  /** Names of hub records (candidates, companies, jobs) for ids the graph returned without them. */
  labels(uuids: string[]): Promise<Map<string, string>> {
    return uuids.length ? this.repos.aggregates.recordLabels(uuids) : Promise.resolve(new Map());
  }
}

/**
 * A tool's result as `role` may see it. What a tool returns is what the model and the caller see, so
 * personal fields leave only for roles that may read them, whichever tool produced them.
 */
export function forRole(result: ToolResult, role: Role): ToolResult {
  return redactPersonal(result, role);
}

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

export const LABEL_TYPES: Record<NodeLabel, RetrievedRecord['type']> = {
  Candidate: 'candidate',
  Company: 'company',
  Job: 'job',
  Skill: 'skill',
  School: 'school',
  Occupation: 'occupation',
  Consultant: 'consultant',
};

/** A graph node as a record, its label from the node's own props (personal props go in {@link forRole}, as for every tool). */
export function nodeRecord(node: GraphNode): RetrievedRecord {
  const name = node.props.name ?? node.props.title;
  return {
    id: node.id,
    type: LABEL_TYPES[node.label],
    label: typeof name === 'string' && name ? name : node.id,
    fields: compact(Object.fromEntries(Object.entries(node.props).map(([k, v]) => [k, short(v)]))),
  };
}

/** Score and the reason a search ranked the record, in the terms the GraphQL explanation uses. */
export function matchFields(hit: MatchPage['hits'][number]) {
  return {
    score: round(hit.score),
    keywordScore: hit.keywordScore === null ? null : round(hit.keywordScore),
    vectorScore: hit.vectorScore === null ? null : round(hit.vectorScore),
    matchedTerms: hit.explanation.matchedTerms.slice(0, 8),
    matchedSections: hit.explanation.matchedVectors.slice(0, 3).map((v) => `${v.name} ${v.similarity.toFixed(2)}`),
  };
}

function inOrder(uuids: string[], records: RetrievedRecord[]): RetrievedRecord[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  return uuids.flatMap((id) => byId.get(id) ?? []);
}
