import type { DataSource } from 'typeorm';
import type { Embedder } from '../adapters/embedding/embedder';
import {
  candidateSections,
  jobSections,
  occupationSections,
  type CandidateRow,
  type ExperienceRow,
  type JobRow,
  type OccupationRow,
  type SkillRow,
} from '../matching/profile-sections';
import { embedProfile, type ProfileText } from '../matching/profile-embedding';
import type { SearchDocument, SearchIndex } from '../adapters/search/search-index';
import { SEARCH_COLLECTIONS, type SearchCollection } from '../adapters/search/search-schema';
import type { Projection, ProjectionEvent } from './projection';

const COLLECTION: Partial<Record<string, SearchCollection>> = { candidate: 'candidate', job: 'job', occupation: 'occupation' };

/** Keeps the search index a projection of the data hub: reads current rows, embeds, upserts. */
export class SearchProjection implements Projection {
  readonly name = 'search';

  constructor(
    private readonly ds: DataSource,
    private readonly index: SearchIndex,
    private readonly embedder: Embedder,
  ) {}

  /** Vectors from two models are not comparable: a model change rebuilds the index. */
  get version(): string {
    return `embedding:${this.embedder.modelId}/${this.embedder.dimensions}`;
  }

  async apply(events: ProjectionEvent[]): Promise<void> {
    const ids = new Map<SearchCollection, string[]>();
    for (const e of events) {
      const collection = COLLECTION[e.type];
      if (!collection) continue;
      if (!ids.has(collection)) ids.set(collection, []);
      ids.get(collection)!.push(e.id);
    }
    // A skill rename changes what its holders' documents say.
    const skillIds = events.filter((e) => e.type === 'skill').map((e) => e.id);
    if (skillIds.length) {
      const holders: { candidate_id: string }[] = await this.ds.query(
        `SELECT DISTINCT candidate_id FROM candidate_skill WHERE skill_id = ANY($1::uuid[]) LIMIT 5000`,
        [skillIds],
      );
      ids.set('candidate', [...(ids.get('candidate') ?? []), ...holders.map((h) => h.candidate_id)]);
    }
    for (const [collection, list] of ids) {
      const unique = [...new Set(list)];
      const docs = await this.documents(collection, unique);
      const present = new Set(docs.map((d) => d.id));
      const gone = unique.filter((id) => !present.has(id));
      if (docs.length) await this.index.upsert(collection, docs);
      if (gone.length) await this.index.delete(collection, gone);
    }
  }

  async clear(): Promise<void> {
    for (const collection of SEARCH_COLLECTIONS) await this.index.clear(collection);
  }

  /** Documents for the records that still exist; missing ids are simply absent. */
  async documents(collection: SearchCollection, ids: string[]): Promise<SearchDocument[]> {
    if (ids.length === 0) return [];
    if (collection === 'candidate') return this.candidateDocuments(ids);
    if (collection === 'job') return this.jobDocuments(ids);
    return this.occupationDocuments(ids);
  }

  private async candidateDocuments(ids: string[]): Promise<SearchDocument[]> {
    const rows: CandidateRow[] = await this.ds.query(
      `SELECT id, name, headline, summary, current_title, desired_roles, location, years_experience, languages FROM candidate WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const experiences: ExperienceRow[] = await this.ds.query(
      `SELECT e.candidate_id, e.title, e.company_name, e.company_id, e.description, o.code AS occupation_code, e.start_date, e.end_date
       FROM experience e LEFT JOIN occupation o ON o.id = e.occupation_id WHERE e.candidate_id = ANY($1::uuid[]) ORDER BY e.position`,
      [ids],
    );
    const skills: SkillRow[] = await this.ds.query(
      `SELECT cs.candidate_id AS owner_id, s.name, cs.level AS weight FROM candidate_skill cs JOIN skill s ON s.id = cs.skill_id
       WHERE cs.candidate_id = ANY($1::uuid[]) ORDER BY cs.level DESC NULLS LAST, s.name`,
      [ids],
    );
    const expBy = group(experiences, (e) => e.candidate_id);
    const skillBy = group(skills, (s) => s.owner_id);
    const sections = rows.map((c) => candidateSections(c, expBy.get(c.id) ?? [], skillBy.get(c.id) ?? []));
    const vectors = await this.vectors(
      rows.map((c, i) => ({
        title: sections[i].title,
        skills: (skillBy.get(c.id) ?? []).map((k) => k.name),
        experiences: (expBy.get(c.id) ?? [])
          .slice(0, 8)
          .map((e) => ({ title: e.title, company: e.company_name, description: e.description })),
        summary: c.summary,
      })),
      ['title', 'skills', 'experience', 'summary'],
    );
    return rows.map((c, i) => {
      const exp = expBy.get(c.id) ?? [];
      return {
        id: c.id,
        text: sections[i],
        vectors: vectors[i],
        properties: {
          ...(c.location ? { location: c.location } : {}),
          ...(c.years_experience !== null ? { yearsExperience: Number(c.years_experience) } : {}),
          skills: (skillBy.get(c.id) ?? []).map((s) => s.name),
          companyIds: [...new Set(exp.map((e) => e.company_id).filter((x): x is string => Boolean(x)))],
          occupationCodes: [...new Set(exp.map((e) => e.occupation_code).filter((x): x is string => Boolean(x)))],
          languages: c.languages,
        },
      };
    });
  }

  private async jobDocuments(ids: string[]): Promise<SearchDocument[]> {
    const rows: JobRow[] = await this.ds.query(
      `SELECT j.id, j.title, j.description, j.seniority, j.location, j.salary_min, j.salary_max, j.status, j.company_id, c.name AS company_name, o.code AS occupation_code
       FROM job j JOIN company c ON c.id = j.company_id LEFT JOIN occupation o ON o.id = j.occupation_id WHERE j.id = ANY($1::uuid[])`,
      [ids],
    );
    const skills: SkillRow[] = await this.ds.query(
      `SELECT js.job_id AS owner_id, s.name, js.requirement AS weight FROM job_skill js JOIN skill s ON s.id = js.skill_id
       WHERE js.job_id = ANY($1::uuid[]) ORDER BY js.requirement, s.name`,
      [ids],
    );
    const skillBy = group(skills, (s) => s.owner_id);
    const sections = rows.map((j) => jobSections(j, skillBy.get(j.id) ?? []));
    // A job's description takes the summary's place in the profile and is stored as `description`.
    const vectors = (
      await this.vectors(
        rows.map((j) => ({ title: j.title, skills: (skillBy.get(j.id) ?? []).map((k) => k.name), summary: j.description })),
        ['title', 'skills', 'summary'],
      )
    ).map(({ summary, ...rest }) => (summary ? { ...rest, description: summary } : rest));
    return rows.map((j, i) => ({
      id: j.id,
      text: sections[i],
      vectors: vectors[i],
      properties: {
        ...(j.location ? { location: j.location } : {}),
        ...(j.seniority ? { seniority: j.seniority } : {}),
        ...(j.salary_min !== null ? { salaryMin: j.salary_min } : {}),
        ...(j.salary_max !== null ? { salaryMax: j.salary_max } : {}),
        status: j.status,
        skills: (skillBy.get(j.id) ?? []).map((s) => s.name),
        companyIds: [j.company_id],
        occupationCodes: j.occupation_code ? [j.occupation_code] : [],
      },
    }));
  }

  /**
   * Named section vectors plus the fused `profile`, a few profiles at a time (the embedder batches
   * within each). A section without text gets the profile vector: both engines drop a document from
   * vector results when it lacks any requested target vector, and a candidate who lists no skills must
   * still be found by a query that also targets skills.
   */
  private async vectors(profiles: ProfileText[], names: readonly string[]): Promise<Record<string, Float32Array>[]> {
    const out: Record<string, Float32Array>[] = [];
    for (let i = 0; i < profiles.length; i += EMBED_CONCURRENCY) {
      const chunk = await Promise.all(profiles.slice(i, i + EMBED_CONCURRENCY).map((p) => embedProfile(this.embedder, p)));
      for (const v of chunk) {
        const named: Record<string, Float32Array> = { ...(v.sections as Record<string, Float32Array>) };
        if (v.profile) {
          named.profile = v.profile;
          for (const n of names) named[n] ??= v.profile;
        }
        out.push(named);
      }
    }
    return out;
  }

  private async occupationDocuments(ids: string[]): Promise<SearchDocument[]> {
    const rows: OccupationRow[] = await this.ds.query(
      `SELECT id, code, title, description, alternate_titles FROM occupation WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const sections = rows.map(occupationSections);
    // Occupations are matched by title: only the title vectors are stored (see the collection schema).
    const vectors = await this.vectors(
      rows.map((o) => ({ title: o.title })),
      ['title'],
    );
    return rows.map((o, i) => ({ id: o.id, text: sections[i], vectors: vectors[i], properties: { occupationCodes: [o.code] } }));
  }
}

const EMBED_CONCURRENCY = 8;

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(r);
  }
  return out;
}
