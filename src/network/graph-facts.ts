import type { CandidateFacts, GraphProjection as GraphFacts, JobFacts } from '../adapters/graph/relation-graph';
import { AggregateTablesRepository } from '../hub/repositories/aggregate-tables.repository';
import { GraphFactsRepository } from '../hub/repositories/graph-facts.repository';
import type { Queryable } from '../hub/repositories/queryable';

// uuid ships ES modules only; Node 22 loads them with require, which TypeScript's `module: node16` does not
// model for a static import from this CommonJS file, so the import is a require with uuid's own types.
const { v5: uuidv5 } = require('uuid') as typeof import('uuid', { with: { 'resolution-mode': 'import' } });

/** MatchHub's namespace for school node ids (a fixed random UUID; changing it changes every school's id). */
const SCHOOL_NAMESPACE = 'accd1dca-05fa-45f3-b873-9e0172439607';

/**
 * Schools are not hub records, so their node id is derived from the normalised name (an RFC 4122
 * version 5 UUID in SCHOOL_NAMESPACE): the same school from two resumes is one node.
 */
export function schoolId(name: string): string {
  return uuidv5(name.trim().toLowerCase().replace(/\s+/g, ' '), SCHOOL_NAMESPACE);
}

const iso = (d: string | Date | null): string | undefined =>
  d === null ? undefined : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10);

/** Reads data-hub rows as graph facts: for the projection, and whole for link-prediction training. */
export class GraphFactsReader {
  private readonly rows: GraphFactsRepository;
  private readonly tables: AggregateTablesRepository;

  constructor(db: Queryable) {
    this.rows = new GraphFactsRepository(db);
    this.tables = new AggregateTablesRepository(db);
  }

  /** Every fact of the data hub at once, for training and evaluating link prediction. */
  async everything(): Promise<GraphFacts> {
    const byType = new Map<string, Set<string>>();
    for (const type of ['candidate', 'job', 'company', 'skill', 'consultant', 'occupation'] as const) {
      byType.set(type, new Set(await this.tables.ids(type)));
    }
    return this.facts(byType);
  }

  async facts(byType: Map<string, Set<string>>): Promise<GraphFacts> {
    const ids = (t: string) => [...(byType.get(t) ?? [])];
    const [companies, skills, consultants, occupations] = await Promise.all([
      this.rows.companies(ids('company')),
      this.rows.skills(ids('skill')),
      this.rows.consultants(ids('consultant')),
      this.rows.occupations(ids('occupation')),
    ]);
    return {
      companies: companies.map((c) => ({ id: c.id, name: c.name, industry: c.industry ?? undefined, location: c.location ?? undefined })),
      skills: skills.map((s) => ({ id: s.id, name: s.name, category: s.category ?? undefined })),
      consultants: consultants.map((c) => ({ id: c.id, name: c.name })),
      occupations: occupations.map((o) => ({ id: o.id, name: o.title, code: o.code })),
      candidates: await this.candidates(ids('candidate')),
      jobs: await this.jobs(ids('job')),
    };
  }

  /** The candidates that these applications or placements are facts of. */
  async candidatesOf(type: 'application' | 'placement', ids: string[]): Promise<string[]> {
    return type === 'application' ? this.rows.candidatesOfApplications(ids) : this.rows.candidatesOfPlacements(ids);
  }

  private async candidates(ids: string[]): Promise<CandidateFacts[]> {
    if (!ids.length) return [];
    const [{ candidates: rows, experiences: exp, education: edu, skills }, apps, placements] = await Promise.all([
      this.rows.candidates(ids),
      this.rows.applicationsOfCandidates(ids),
      this.rows.placementsOfCandidates(ids),
    ]);
    const by = <T extends { candidate_id: string }>(list: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of list) m.set(r.candidate_id, [...(m.get(r.candidate_id) ?? []), r]);
      return m;
    };
    const [expBy, eduBy, skillBy, appBy, plBy] = [by(exp), by(edu), by(skills), by(apps), by(placements)];
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      headline: c.headline ?? undefined,
      currentTitle: c.current_title ?? undefined,
      location: c.location ?? undefined,
      ownerId: c.owner_id ?? undefined,
      experiences: (expBy.get(c.id) ?? []).map((e) => ({
        companyId: e.company_id,
        companyName: e.company_name,
        title: e.title,
        from: iso(e.start_date)!,
        to: iso(e.end_date),
      })),
      education: (eduBy.get(c.id) ?? []).map((e) => ({
        schoolId: schoolId(e.school),
        schoolName: e.school,
        degree: e.degree ?? undefined,
        fromYear: e.start_year ?? undefined,
        toYear: e.end_year ?? undefined,
      })),
      skills: (skillBy.get(c.id) ?? []).map((s) => ({
        skillId: s.skill_id,
        skillName: s.name,
        level: s.level ?? undefined,
        years: s.years === null ? undefined : Number(s.years),
      })),
      applications: (appBy.get(c.id) ?? []).map((a) => ({
        jobId: a.job_id,
        stage: a.stage,
        at: new Date(a.updated_at).toISOString(),
      })),
      placements: (plBy.get(c.id) ?? []).map((pl) => ({ jobId: pl.job_id, startDate: iso(pl.start_date)! })),
    }));
  }

  private async jobs(ids: string[]): Promise<JobFacts[]> {
    if (!ids.length) return [];
    const { jobs: rows, skills } = await this.rows.jobs(ids);
    return rows.map((j) => ({
      id: j.id,
      title: j.title,
      companyId: j.company_id,
      companyName: j.company_name,
      status: j.status,
      openedAt: iso(j.opened_at),
      ownerId: j.owner_id ?? undefined,
      skills: skills.filter((s) => s.job_id === j.id).map((s) => ({ skillId: s.skill_id, skillName: s.name, requirement: s.requirement })),
    }));
  }
}
