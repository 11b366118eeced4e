import type { DataSource } from 'typeorm';
import type { CandidateFacts, GraphProjection as GraphFacts, JobFacts } from '../adapters/graph/relation-graph';

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
  constructor(private readonly ds: DataSource) {}

  /** Every fact of the data hub at once, for training and evaluating link prediction. */
  async everything(): Promise<GraphFacts> {
    const byType = new Map<string, Set<string>>();
    for (const type of ['candidate', 'job', 'company', 'skill', 'consultant', 'occupation']) {
      const rows: { id: string }[] = await this.ds.query(`SELECT id FROM "${type}"`);
      byType.set(type, new Set(rows.map((r) => r.id)));
    }
    return this.facts(byType);
  }

  async facts(byType: Map<string, Set<string>>): Promise<GraphFacts> {
    const ids = (t: string) => [...(byType.get(t) ?? [])];
    const q = <T>(sql: string, list: string[]): Promise<T[]> => (list.length ? this.ds.query(sql, [list]) : Promise.resolve([]));
    const [companies, skills, consultants, occupations] = await Promise.all([
      q<{ id: string; name: string; industry: string | null; location: string | null }>(
        `SELECT id, name, industry, location FROM company WHERE id = ANY($1::uuid[])`,
        ids('company'),
      ),
      q<{ id: string; name: string; category: string | null }>(
        `SELECT id, name, category FROM skill WHERE id = ANY($1::uuid[])`,
        ids('skill'),
      ),
      q<{ id: string; name: string }>(`SELECT id, name FROM consultant WHERE id = ANY($1::uuid[])`, ids('consultant')),
      q<{ id: string; title: string; code: string }>(
        `SELECT id, title, code FROM occupation WHERE id = ANY($1::uuid[])`,
        ids('occupation'),
      ),
    ]);
    return {
      companies: companies.map((c) => ({ id: c.id, name: c.name, industry: c.industry ?? undefined, location: c.location ?? undefined })),
      skills: skills.map((s) => ({ id: s.id, name: s.name, category: s.category ?? undefined })),
      consultants,
      occupations: occupations.map((o) => ({ id: o.id, name: o.title, code: o.code })),
      candidates: await this.candidates(ids('candidate')),
      jobs: await this.jobs(ids('job')),
    };
  }

  private async candidates(ids: string[]): Promise<CandidateFacts[]> {
    if (!ids.length) return [];
    const p = [ids];
    const [rows, exp, edu, skills, apps, placements] = await Promise.all([
      this.ds.query(`SELECT id, name, headline, current_title, location, owner_id FROM candidate WHERE id = ANY($1::uuid[])`, p),
      this.ds.query(
        `SELECT candidate_id, company_id, company_name, title, start_date, end_date FROM experience WHERE candidate_id = ANY($1::uuid[]) AND company_id IS NOT NULL ORDER BY position`,
        p,
      ),
      this.ds.query(
        `SELECT candidate_id, school, degree, start_year, end_year FROM education WHERE candidate_id = ANY($1::uuid[]) ORDER BY position`,
        p,
      ),
      this.ds.query(
        `SELECT cs.candidate_id, cs.skill_id, s.name, cs.level, cs.years FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id WHERE cs.candidate_id = ANY($1::uuid[])`,
        p,
      ),
      this.ds.query(`SELECT candidate_id, job_id, stage, updated_at FROM application WHERE candidate_id = ANY($1::uuid[])`, p),
      this.ds.query(`SELECT candidate_id, job_id, start_date FROM placement WHERE candidate_id = ANY($1::uuid[])`, p),
    ]);
    const by = <T extends { candidate_id: string }>(list: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of list) m.set(r.candidate_id, [...(m.get(r.candidate_id) ?? []), r]);
      return m;
    };
    const [expBy, eduBy, skillBy, appBy, plBy] = [by(exp), by(edu), by(skills), by(apps), by(placements)];
    return rows.map((c: any) => ({
      id: c.id,
      name: c.name,
      headline: c.headline ?? undefined,
      currentTitle: c.current_title ?? undefined,
      location: c.location ?? undefined,
      ownerId: c.owner_id ?? undefined,
      experiences: (expBy.get(c.id) ?? []).map((e: any) => ({
        companyId: e.company_id,
        companyName: e.company_name,
        title: e.title,
        from: iso(e.start_date)!,
        to: iso(e.end_date),
      })),
      education: (eduBy.get(c.id) ?? []).map((e: any) => ({
        schoolId: schoolId(e.school),
        schoolName: e.school,
        degree: e.degree ?? undefined,
        fromYear: e.start_year ?? undefined,
        toYear: e.end_year ?? undefined,
      })),
      skills: (skillBy.get(c.id) ?? []).map((s: any) => ({
        skillId: s.skill_id,
        skillName: s.name,
        level: s.level ?? undefined,
        years: s.years === null ? undefined : Number(s.years),
      })),
      applications: (appBy.get(c.id) ?? []).map((a: any) => ({
        jobId: a.job_id,
        stage: a.stage,
        at: new Date(a.updated_at).toISOString(),
      })),
      placements: (plBy.get(c.id) ?? []).map((pl: any) => ({ jobId: pl.job_id, startDate: iso(pl.start_date)! })),
    }));
  }

  private async jobs(ids: string[]): Promise<JobFacts[]> {
    if (!ids.length) return [];
    const [rows, skills] = await Promise.all([
      this.ds.query(
        `SELECT j.id, j.title, j.company_id, c.name AS company_name, j.status, j.opened_at, j.owner_id FROM job j JOIN company c ON c.id = j.company_id WHERE j.id = ANY($1::uuid[])`,
        [ids],
      ),
      this.ds.query(
        `SELECT js.job_id, js.skill_id, s.name, js.requirement FROM job_skill js JOIN skill s ON s.id = js.skill_id WHERE js.job_id = ANY($1::uuid[])`,
        [ids],
      ),
    ]);
    return rows.map((j: any) => ({
      id: j.id,
      title: j.title,
      companyId: j.company_id,
      companyName: j.company_name,
      status: j.status,
      openedAt: iso(j.opened_at),
      ownerId: j.owner_id ?? undefined,
      skills: skills
        .filter((s: any) => s.job_id === j.id)
        .map((s: any) => ({ skillId: s.skill_id, skillName: s.name, requirement: s.requirement })),
    }));
  }
}
