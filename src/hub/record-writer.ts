import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError } from '../shared/errors';
import { fromGlobalId, type NodeType } from '../shared/global-id';
import type { SourcedEntity } from './entities/sourced.entity';
import type { InputFor, RecordRefInput } from './inputs';
import type { RecordType } from './records';
import { ApplicationRepository } from './repositories/application.repository';
import { CandidateRepository } from './repositories/candidate.repository';
import { CompanyRepository } from './repositories/company.repository';
import { ConsultantRepository } from './repositories/consultant.repository';
import { JobRepository } from './repositories/job.repository';
import { OccupationRepository } from './repositories/occupation.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { PlacementRepository } from './repositories/placement.repository';
import type { Queryable } from './repositories/queryable';
import { SkillRepository } from './repositories/skill.repository';
import type { Row, SourcedRepository } from './repositories/sourced.repository';

/**
 * Writes validated records in batches of one type, inside the caller's transaction: resolves references,
 * upserts by (source, externalId) with one statement per table (the type's repository), replaces owned
 * children, and records one outbox event per written record in the same transaction. Used by the GraphQL
 * mutations, `import` and `seed` alike. What differs between types is in one table, HANDLERS.
 */

export interface Written {
  /** Index of the record in the batch. */
  index: number;
  id: string;
  created: boolean;
}

export interface RecordFailure {
  index: number;
  error: AppError;
}

/** Types a record can refer to, and their node types (global ids). */
type ReferencedType = 'consultant' | 'company' | 'candidate' | 'job';
const NODE: Record<ReferencedType, NodeType> = {
  consultant: 'Consultant',
  company: 'Company',
  candidate: 'Candidate',
  job: 'Job',
};

const key = (source: string, externalId: string) => `${source}\u0000${externalId}`;

/** The batch's references, skills and occupations, resolved to ids before any row is built. */
class Resolved {
  constructor(
    /** Referenced type -> (`id:<uuid>` or source/externalId key -> uuid). */
    private readonly refs: Map<ReferencedType, Map<string, string>>,
    /** Lower-case skill name or alias -> skill id. */
    private readonly skills: Map<string, string>,
    /** O*NET-SOC code -> occupation id. */
    private readonly occupations: Map<string, string>,
  ) {}

  /** The id a reference names; null for no reference. Throws NOT_FOUND when it names nothing stored. */
  ref(type: ReferencedType, ref: RecordRefInput | undefined, field: string): string | null {
    if (!ref) return null;
    const map = this.refs.get(type);
    const id = ref.id ? map?.get(`id:${refUuid(ref, type)}`) : map?.get(key(ref.source!, ref.externalId!));
    if (!id) {
      const shown = ref.id ?? `${ref.source}/${ref.externalId}`;
      throw new AppError('NOT_FOUND', `${field}: ${NODE[type]} ${shown} does not exist; import it first`);
    }
    return id;
  }

  skill(name: string): string {
    return this.skills.get(name.trim().toLowerCase())!;
  }

  /** An unknown code is no occupation (null), not an error. */
  occupation(code: string | undefined): string | null {
    return code ? (this.occupations.get(code) ?? null) : null;
  }
}

/** Throws BAD_USER_INPUT when a global id is of another node type. */
function refUuid(ref: RecordRefInput, type: ReferencedType): string {
  const parsed = fromGlobalId(ref.id!);
  const expected = NODE[type];
  if (parsed.type !== expected) throw new AppError('BAD_USER_INPUT', `expected a ${expected} id, got a ${parsed.type} id`);
  return parsed.uuid;
}

/** A record after its upsert: its id, its input and the row that was written. */
interface Stored<T extends RecordType> {
  id: string;
  record: InputFor<T>;
  row: Row;
}

/** What the writer does differently for one record type. */
interface RecordHandler<T extends RecordType> {
  /** The type's repository (its table's statements) on the writer's transaction. */
  repository(db: Queryable): SourcedRepository<SourcedEntity>;
  /** References a record makes, with the field that names each (for errors). */
  references?(record: InputFor<T>): [ReferencedType, RecordRefInput | undefined][];
  /** Skill names a record uses (created when missing). */
  skillNames?(record: InputFor<T>): string[];
  /** O*NET-SOC codes a record uses. */
  occupationCodes?(record: InputFor<T>): string[];
  /** The row of the type's table, less `source` and `external_id`; throws AppError for a reference that does not resolve. */
  toRow(record: InputFor<T>, resolved: Resolved): Row;
  /** Fills in what rows take from other tables, before the upsert. */
  completeRows?(rows: Row[], db: Queryable): Promise<void>;
  /** Replaces what the stored records own (lists given in the input; absent lists are kept). */
  writeOwned?(stored: Stored<T>[], resolved: Resolved, db: Queryable): Promise<void>;
  /** Deleting a record changes its candidate's projections: the deleted row's `candidate_id` is re-projected. */
  partOfCandidate?: true;
}

const HANDLERS: { [T in RecordType]: RecordHandler<T> } = {
  consultant: {
    repository: (db) => new ConsultantRepository(db),
    toRow: (r) => ({ name: r.name, email: r.email ?? null }),
  },
  skill: {
    repository: (db) => new SkillRepository(db),
    toRow: (r) => ({
      name: r.name!.trim(),
      name_key: r.name!.trim().toLowerCase(),
      aliases: [...new Set<string>((r.aliases ?? []).map((a) => a.trim().toLowerCase()))],
      category: r.category ?? null,
      onet_commodity_code: r.onetCommodityCode ?? null,
    }),
  },
  company: {
    repository: (db) => new CompanyRepository(db),
    toRow: (r) => ({
      name: r.name,
      aliases: r.aliases ?? [],
      industry: r.industry ?? null,
      size_band: r.sizeBand ?? null,
      location: r.location ?? null,
    }),
  },
  candidate: {
    repository: (db) => new CandidateRepository(db),
    references: (r) => [
      ['consultant', r.owner],
      ...(r.experiences ?? []).map((e) => ['company', e.company] as [ReferencedType, RecordRefInput | undefined]),
    ],
    skillNames: (r) => (r.skills ?? []).map((s) => s.skill),
    occupationCodes: (r) => (r.experiences ?? []).flatMap((e) => (e.occupationCode ? [e.occupationCode] : [])),
    toRow: (r, resolved) => ({
      name: r.name,
      headline: r.headline ?? null,
      summary: r.summary ?? null,
      location: r.location ?? null,
      years_experience: r.yearsExperience ?? null,
      languages: r.languages ?? [],
      email: r.email ?? null,
      phone: r.phone ?? null,
      current_title: r.currentTitle ?? null,
      desired_roles: r.desiredRoles ?? [],
      desired_locations: r.desiredLocations ?? [],
      desired_salary_min: r.desiredSalaryMin ?? null,
      desired_salary_max: r.desiredSalaryMax ?? null,
      salary_currency: r.salaryCurrency ?? null,
      owner_id: resolved.ref('consultant', r.owner, 'owner'),
    }),
    writeOwned: async (stored, resolved, db) => {
      const candidates = new CandidateRepository(db);
      const withExperiences = stored.filter((s) => s.record.experiences);
      if (withExperiences.length) {
        await candidates.replaceExperiences(
          withExperiences.map((s) => s.id),
          withExperiences.flatMap(({ id, record, row }) =>
            record.experiences!.map((e, i) => ({
              source: row.source as string,
              external_id: e.externalId ?? `${row.external_id}/experience/${i}`,
              candidate_id: id,
              company_id: resolved.ref('company', e.company, `experiences.${i}.company`),
              company_name: e.companyName ?? '',
              title: e.title,
              start_date: e.startDate,
              end_date: e.endDate ?? null,
              description: e.description ?? null,
              occupation_id: resolved.occupation(e.occupationCode),
              position: i,
            })),
          ),
        );
      }
      const withEducation = stored.filter((s) => s.record.education);
      if (withEducation.length) {
        await candidates.replaceEducation(
          withEducation.map((s) => s.id),
          withEducation.flatMap(({ id, record, row }) =>
            record.education!.map((e, i) => ({
              source: row.source as string,
              external_id: e.externalId ?? `${row.external_id}/education/${i}`,
              candidate_id: id,
              school: e.school,
              degree: e.degree ?? null,
              field: e.field ?? null,
              start_year: e.startYear ?? null,
              end_year: e.endYear ?? null,
              position: i,
            })),
          ),
        );
      }
      const withSkills = stored.filter((s) => s.record.skills);
      if (withSkills.length) {
        const links = withSkills.flatMap(({ id, record }) =>
          record.skills!.map((s) => ({
            candidate_id: id,
            skill_id: resolved.skill(s.skill),
            level: s.level ?? null,
            years: s.years ?? null,
          })),
        );
        await candidates.replaceSkills(
          withSkills.map((s) => s.id),
          lastPerPair(links, (l) => `${l.candidate_id}/${l.skill_id}`),
        );
      }
    },
  },
  job: {
    repository: (db) => new JobRepository(db),
    references: (r) => [
      ['company', r.company],
      ['consultant', r.owner],
    ],
    skillNames: (r) => (r.skills ?? []).map((s) => s.skill),
    occupationCodes: (r) => (r.occupationCode ? [r.occupationCode] : []),
    toRow: (r, resolved) => ({
      company_id: resolved.ref('company', r.company, 'company'),
      title: r.title,
      description: r.description ?? null,
      seniority: r.seniority ?? null,
      location: r.location ?? null,
      salary_min: r.salaryMin ?? null,
      salary_max: r.salaryMax ?? null,
      salary_currency: r.salaryCurrency ?? null,
      status: r.status ?? 'OPEN',
      opened_at: r.openedAt ?? null,
      closed_at: r.closedAt ?? null,
      occupation_id: resolved.occupation(r.occupationCode),
      owner_id: resolved.ref('consultant', r.owner, 'owner'),
    }),
    writeOwned: async (stored, resolved, db) => {
      const withSkills = stored.filter((s) => s.record.skills);
      if (withSkills.length === 0) return;
      const links = withSkills.flatMap(({ id, record }) =>
        record.skills!.map((s) => ({ job_id: id, skill_id: resolved.skill(s.skill), requirement: s.requirement })),
      );
      await new JobRepository(db).replaceSkills(
        withSkills.map((s) => s.id),
        lastPerPair(links, (l) => `${l.job_id}/${l.skill_id}`),
      );
    },
  },
  application: {
    repository: (db) => new ApplicationRepository(db),
    references: (r) => [
      ['candidate', r.candidate],
      ['job', r.job],
    ],
    toRow: (r, resolved) => ({
      candidate_id: resolved.ref('candidate', r.candidate, 'candidate'),
      job_id: resolved.ref('job', r.job, 'job'),
      stage: r.stage,
    }),
    writeOwned: async (stored, _resolved, db) => {
      const applications = new ApplicationRepository(db);
      const withHistory = stored.filter((s) => s.record.history);
      const implicit = stored.filter((s) => !s.record.history);
      if (withHistory.length) {
        await applications.replaceHistory(
          withHistory.map((s) => s.id),
          withHistory.flatMap(({ id, record }) => record.history!.map((h) => ({ application_id: id, stage: h.stage, at: h.at }))),
        );
      }
      // A stage set without a history appends to the history when it differs from the latest entry.
      if (implicit.length) await applications.recordStageIfChanged(implicit.map((s) => s.id));
    },
    partOfCandidate: true,
  },
  placement: {
    repository: (db) => new PlacementRepository(db),
    references: (r) => [
      ['candidate', r.candidate],
      ['job', r.job],
    ],
    toRow: (r, resolved) => ({
      candidate_id: resolved.ref('candidate', r.candidate, 'candidate'),
      job_id: resolved.ref('job', r.job, 'job'),
      company_id: null, // the job's company, filled in by completeRows
      start_date: r.startDate,
      fee_band: r.feeBand ?? null,
    }),
    // A placement's company is its job's company; stored for BI, never taken from the input.
    completeRows: async (rows, db) => {
      const companyOf = await new JobRepository(db).companiesOf(rows.map((r) => r.job_id as string));
      for (const row of rows) row.company_id = companyOf.get(row.job_id as string);
    },
    partOfCandidate: true,
  },
};

/** One link per (owner, skill): a skill named twice (by name and alias, say) keeps its last mention. */
function lastPerPair<L>(links: L[], pair: (link: L) => string): L[] {
  return [...new Map(links.map((l) => [pair(l), l])).values()];
}

/** The repository of a record type's table on `db` (a DataSource or a transaction's EntityManager). */
export function recordRepository(type: RecordType, db: Queryable): SourcedRepository<SourcedEntity> {
  return HANDLERS[type].repository(db);
}

export class RecordWriter {
  private readonly outbox: OutboxRepository;

  constructor(private readonly em: EntityManager) {
    this.outbox = new OutboxRepository(em);
  }

  /**
   * Writes `records` (all of `type`). Records whose references cannot be resolved are returned as
   * failures and not written; a constraint violation fails the whole call (callers isolate records with
   * savepoints when they need per-record errors).
   */
  async write<T extends RecordType>(type: T, records: InputFor<T>[]): Promise<{ written: Written[]; failures: RecordFailure[] }> {
    const handler = HANDLERS[type] as RecordHandler<T>;
    const failures: RecordFailure[] = [];
    const rows: { index: number; row: Row; record: InputFor<T> }[] = [];
    const resolved = new Resolved(
      await this.resolveRefs(records.flatMap((r) => handler.references?.(r) ?? [])),
      await this.resolveSkills(records.flatMap((r) => handler.skillNames?.(r) ?? [])),
      await new OccupationRepository(this.em).idsByCode([...new Set(records.flatMap((r) => handler.occupationCodes?.(r) ?? []))]),
    );

    records.forEach((record, index) => {
      try {
        const input = record as { source?: string; externalId?: string };
        input.source = input.source ?? 'api';
        input.externalId = input.externalId ?? randomUUID();
        rows.push({ index, row: { source: input.source, external_id: input.externalId, ...handler.toRow(record, resolved) }, record });
      } catch (err) {
        if (err instanceof AppError) failures.push({ index, error: err });
        else throw err;
      }
    });
    if (rows.length === 0) return { written: [], failures };
    await handler.completeRows?.(
      rows.map((r) => r.row),
      this.em,
    );

    const result = await handler.repository(this.em).upsert(rows.map((r) => r.row));
    const idByKey = new Map(result.map((r) => [key(r.source, r.external_id), r]));
    const written: Written[] = rows.map(({ index, row }) => {
      const r = idByKey.get(key(row.source as string, row.external_id as string));
      if (!r) throw new AppError('CONFLICT', `record ${row.source}/${row.external_id} appears twice in one batch`);
      return { index, id: r.id, created: r.created };
    });
    const idOf = new Map(written.map((w) => [w.index, w.id]));
    await handler.writeOwned?.(
      rows.map(({ index, record, row }) => ({ id: idOf.get(index)!, record, row })),
      resolved,
      this.em,
    );
    await this.outbox.append(
      type,
      written.map((w) => w.id),
    );
    return { written, failures };
  }

  /** Deletes by id; the outbox carries the deletion to the projections. Throws NOT_FOUND when absent. */
  async delete(type: RecordType, id: string): Promise<void> {
    const handler = HANDLERS[type];
    const deleted = await handler.repository(this.em).delete(id, handler.partOfCandidate ? ['candidate_id'] : []);
    if (!deleted) throw new AppError('NOT_FOUND', `${NODE[type as ReferencedType] ?? type} ${id} does not exist`);
    await this.outbox.append(type, [id], 'DELETE');
    // Applications and placements are facts of their candidate in the projections: re-project it.
    if (handler.partOfCandidate && deleted.candidate_id) await this.outbox.append('candidate', [deleted.candidate_id as string]);
  }

  /** Maps every reference in the batch to a UUID: `type -> (ref key -> uuid)`; unresolved ones are absent. */
  private async resolveRefs(references: [ReferencedType, RecordRefInput | undefined][]): Promise<Map<ReferencedType, Map<string, string>>> {
    const wanted = new Map<ReferencedType, RecordRefInput[]>();
    for (const [type, ref] of references) {
      if (!ref) continue;
      if (!wanted.has(type)) wanted.set(type, []);
      wanted.get(type)!.push(ref);
    }
    const out = new Map<ReferencedType, Map<string, string>>();
    for (const [type, list] of wanted) {
      const repository = recordRepository(type, this.em);
      const map = new Map<string, string>();
      const ids = list.filter((r) => r.id).map((r) => refUuid(r, type));
      const pairs = list.filter((r) => !r.id).map((r) => ({ source: r.source!, external_id: r.externalId! }));
      if (ids.length) for (const id of await repository.existing(ids)) map.set(`id:${id}`, id);
      if (pairs.length) for (const f of await repository.byKeys(pairs)) map.set(key(f.source, f.external_id), f.id);
      out.set(type, map);
    }
    return out;
  }

  /** Skill names (and aliases) used by the batch -> skill id, creating skills that do not exist yet. */
  private async resolveSkills(used: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const name of used) names.set(name.trim().toLowerCase(), name.trim());
    if (names.size === 0) return new Map();
    const skills = new SkillRepository(this.em);
    const keys = [...names.keys()];
    const out = new Map<string, string>();
    for (const f of await skills.byNameOrAlias(keys)) {
      out.set(f.name_key, f.id);
      for (const a of f.aliases) if (!out.has(a)) out.set(a, f.id);
    }
    const missing = keys.filter((k) => !out.has(k));
    if (missing.length) {
      const created = await skills.upsert(
        missing.map((k) => ({ source: 'matchhub', external_id: `skill:${k}`, name: names.get(k), name_key: k, aliases: [] })),
      );
      for (const c of created) out.set(c.external_id.slice('skill:'.length), c.id);
      await this.outbox.append(
        'skill',
        created.map((c) => c.id),
      );
    }
    return out;
  }
}
