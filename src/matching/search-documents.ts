import type { EmbedPriority, Embedder } from '../adapters/embedding/embedder';
import type { SearchDocument } from '../adapters/search/search-index';
import type { SearchCollection } from '../adapters/search/search-schema';
import { CandidateRepository } from '../hub/repositories/candidate.repository';
import { JobRepository } from '../hub/repositories/job.repository';
import { OccupationRepository } from '../hub/repositories/occupation.repository';
import type { Queryable } from '../hub/repositories/queryable';
import { embedProfiles, type ProfileText } from './profile-embedding';
import { candidateSections, jobSections, occupationSections } from './profile-sections';

/**
 * Occupation sources whose title vector is left to the background label pass (the `titles` projection
 * embeds their title with their labels): ESCO's 3,039 occupations would add about 15 s of embedding to
 * a first start that has no margin left under 3 minutes. Until that pass reaches them they are found by
 * keywords only.
 */
export const LABEL_PASS_ONLY_SOURCES: ReadonlySet<string> = new Set(['esco']);

/**
 * The one builder of search documents: a record's sections (profile-sections.ts), its named
 * vectors and its filter properties, from the data hub's current rows. The search projection
 * indexes them; "matches for this record" queries with them, so both see the same profile.
 */
export class SearchDocuments {
  private readonly candidates: CandidateRepository;
  private readonly jobs: JobRepository;
  private readonly occupations: OccupationRepository;

  constructor(
    db: Queryable,
    private readonly embedder: Embedder,
  ) {
    this.candidates = new CandidateRepository(db);
    this.jobs = new JobRepository(db);
    this.occupations = new OccupationRepository(db);
  }

  /**
   * Documents for the records that still exist; missing ids are simply absent. `priority` is the
   * embedder's: `interactive` when a request waits for the document (matches for one record).
   */
  async build(collection: SearchCollection, ids: string[], priority: EmbedPriority = 'bulk'): Promise<SearchDocument[]> {
    if (ids.length === 0) return [];
    if (collection === 'candidate') return this.candidateDocuments(ids, priority);
    if (collection === 'job') return this.jobDocuments(ids, priority);
    return this.occupationDocuments(ids, priority);
  }

  private async candidateDocuments(ids: string[], priority: EmbedPriority): Promise<SearchDocument[]> {
    const { candidates: rows, experiences, skills } = await this.candidates.profiles(ids);
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
      priority,
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
          source: c.source,
          externalId: c.external_id,
        },
      };
    });
  }

  private async jobDocuments(ids: string[], priority: EmbedPriority): Promise<SearchDocument[]> {
    const { jobs: rows, skills } = await this.jobs.profiles(ids);
    const skillBy = group(skills, (s) => s.owner_id);
    const sections = rows.map((j) => jobSections(j, skillBy.get(j.id) ?? []));
    // A job's description takes the summary's place in the profile and is stored as `description`.
    const vectors = (
      await this.vectors(
        rows.map((j) => ({ title: j.title, skills: (skillBy.get(j.id) ?? []).map((k) => k.name), summary: j.description })),
        ['title', 'skills', 'summary'],
        priority,
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
        source: j.source,
        externalId: j.external_id,
      },
    }));
  }

  /**
   * Named section vectors plus the fused `profile`, every profile's texts in one embedder call (the
   * embedder cuts them into its token-budget batches). A section without text gets the profile vector:
   * both engines drop a document from vector results when it lacks any requested target vector, and a
   * candidate who lists no skills must still be found by a query that also targets skills.
   */
  private async vectors(
    profiles: ProfileText[],
    names: readonly string[],
    priority: EmbedPriority,
  ): Promise<Record<string, Float32Array>[]> {
    return (await embedProfiles(this.embedder, profiles, { priority })).map((v) => {
      const named: Record<string, Float32Array> = { ...(v.sections as Record<string, Float32Array>) };
      if (v.profile) {
        named.profile = v.profile;
        for (const n of names) named[n] ??= v.profile;
      }
      return named;
    });
  }

  private async occupationDocuments(ids: string[], priority: EmbedPriority): Promise<SearchDocument[]> {
    const rows = await this.occupations.profiles(ids);
    const sections = rows.map(occupationSections);
    // Occupations are matched by title: only the title vectors are stored (see the collection schema).
    const vectors = await this.vectors(
      rows.map((o) => ({ title: LABEL_PASS_ONLY_SOURCES.has(o.source) ? null : o.title })),
      ['title'],
      priority,
    );
    return rows.map((o, i) => ({
      id: o.id,
      text: sections[i],
      vectors: vectors[i],
      properties: { occupationCodes: [o.code], source: o.source, externalId: o.external_id },
    }));
  }
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(r);
  }
  return out;
}
