import DataLoader from 'dataloader';
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { Application } from '../hub/entities/application.entity';
import { ApplicationStageChange } from '../hub/entities/application-stage-change.entity';
import { Candidate } from '../hub/entities/candidate.entity';
import { CandidateSkill } from '../hub/entities/candidate-skill.entity';
import { Company } from '../hub/entities/company.entity';
import { Consultant } from '../hub/entities/consultant.entity';
import { Education } from '../hub/entities/education.entity';
import { Experience } from '../hub/entities/experience.entity';
import { Job } from '../hub/entities/job.entity';
import { JobSkill } from '../hub/entities/job-skill.entity';
import { Occupation } from '../hub/entities/occupation.entity';
import { Placement } from '../hub/entities/placement.entity';
import { Skill } from '../hub/entities/skill.entity';
import { EntityFindsRepository } from '../hub/repositories/entity-finds.repository';
import type { Queryable } from '../hub/repositories/queryable';

/**
 * The read model's relations: for each GraphQL type, the fields that lead to other records, with the
 * loader that reads them and the property of the parent that is its key. The schema resolves these
 * fields with `Loaders.follow` (resolveRelationsFromLoaders, below), and a batch that has read rows loads, before it answers, the relations the
 * operation selects on them (`prefetch`): the nested records are then in memory when graphql-js asks,
 * so those fields resolve without a promise each, with the same statements (one per relation and
 * level) that resolving them one by one would batch into.
 */
const RELATIONS = {
  Candidate: {
    experiences: { loader: 'experiencesByCandidate', key: 'id' },
    education: { loader: 'educationByCandidate', key: 'id' },
    skills: { loader: 'skillsByCandidate', key: 'id' },
    owner: { loader: 'consultant', key: 'ownerId' },
    applications: { loader: 'applicationsByCandidate', key: 'id' },
    placements: { loader: 'placementsByCandidate', key: 'id' },
  },
  Experience: {
    company: { loader: 'company', key: 'companyId' },
    occupation: { loader: 'occupation', key: 'occupationId' },
  },
  CandidateSkill: { skill: { loader: 'skill', key: 'skillId' } },
  JobSkill: { skill: { loader: 'skill', key: 'skillId' } },
  Job: {
    company: { loader: 'company', key: 'companyId' },
    skills: { loader: 'skillsByJob', key: 'id' },
    occupation: { loader: 'occupation', key: 'occupationId' },
    owner: { loader: 'consultant', key: 'ownerId' },
    applications: { loader: 'applicationsByJob', key: 'id' },
  },
  Application: {
    candidate: { loader: 'candidate', key: 'candidateId' },
    job: { loader: 'job', key: 'jobId' },
    history: { loader: 'stageHistory', key: 'id' },
  },
  Placement: {
    candidate: { loader: 'candidate', key: 'candidateId' },
    job: { loader: 'job', key: 'jobId' },
    company: { loader: 'company', key: 'companyId' },
  },
} as const satisfies Record<string, Record<string, { loader: LoaderName; key: string }>>;

type LoaderName = keyof ReturnType<typeof loaderSpecs>;
type Related = typeof RELATIONS;
type Fields = (type: string) => ReadonlySet<string> | undefined;

/**
 * A DataLoader that also remembers what it has read, so a record already in memory is returned as is
 * (`get`), not as a promise. A batch remembers its records as soon as they are read, before it
 * prefetches their relations, so a relation that leads back to them (candidate -> applications ->
 * candidate) finds them in memory and never waits on the batch that is waiting for it.
 */
export class RecordLoader<V> {
  private readonly values = new Map<string, V>();
  private readonly loader: DataLoader<string, V>;

  constructor(
    readonly type: string,
    read: (keys: readonly string[]) => Promise<{ values: V[]; rows: ObjectLiteral[] }>,
    prefetch: (type: string, rows: ObjectLiteral[]) => Promise<void>,
  ) {
    this.loader = new DataLoader<string, V>(async (keys) => {
      const { values, rows } = await read(keys);
      keys.forEach((k, i) => this.values.set(k, values[i]));
      await prefetch(type, rows);
      return values;
    });
  }

  load(key: string): Promise<V> {
    return this.loader.load(key);
  }

  /** The record when this request has read it, else a promise of it. */
  get(key: string): V | Promise<V> {
    return this.values.has(key) ? this.values.get(key)! : this.loader.load(key);
  }

  /** Loads the keys not read yet; resolves when they are (a failed read surfaces where its fields resolve). */
  async preload(keys: Iterable<string>): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.values.has(k));
    if (missing.length) await this.loader.loadMany(missing);
  }
}

/** Every loader: by id (null for misses), or a one-to-many list by a parent key (`[]` for none). */
function loaderSpecs(finds: EntityFindsRepository, fields: Fields) {
  const byId = <T extends ObjectLiteral & { id: string }>(target: EntityTarget<T>, type: string) => ({
    type,
    read: async (ids: readonly string[]) => {
      const rows = await finds.byIds(target, ids, fields(type));
      const map = new Map(rows.map((r) => [r.id, r]));
      return { values: ids.map((id) => map.get(id) ?? null), rows };
    },
  });
  const manyBy = <T extends ObjectLiteral>(
    target: EntityTarget<T>,
    type: string,
    column: keyof T & string,
    order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
  ) => ({
    type,
    read: async (keys: readonly string[]) => {
      const rows = await finds.byKeys(target, column, keys, order, fields(type));
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const r of rows) groups.get(r[column] as string)?.push(r);
      return { values: keys.map((k) => groups.get(k)!), rows };
    },
  });
  return {
    candidate: byId(Candidate, 'Candidate'),
    company: byId(Company, 'Company'),
    job: byId(Job, 'Job'),
    skill: byId(Skill, 'Skill'),
    occupation: byId(Occupation, 'Occupation'),
    consultant: byId(Consultant, 'Consultant'),
    application: byId(Application, 'Application'),
    placement: byId(Placement, 'Placement'),
    experiencesByCandidate: manyBy(Experience, 'Experience', 'candidateId', { position: 'ASC' }),
    educationByCandidate: manyBy(Education, 'Education', 'candidateId', { position: 'ASC' }),
    skillsByCandidate: manyBy(CandidateSkill, 'CandidateSkill', 'candidateId', { level: 'DESC' }),
    skillsByJob: manyBy(JobSkill, 'JobSkill', 'jobId', { requirement: 'ASC' }),
    applicationsByCandidate: manyBy(Application, 'Application', 'candidateId', { updatedAt: 'DESC' }),
    applicationsByJob: manyBy(Application, 'Application', 'jobId', { updatedAt: 'DESC' }),
    placementsByCandidate: manyBy(Placement, 'Placement', 'candidateId', { startDate: 'DESC' }),
    stageHistory: manyBy(ApplicationStageChange, 'StageChange', 'applicationId', { at: 'ASC' }),
  };
}

type Specs = ReturnType<typeof loaderSpecs>;
type Value<N extends LoaderName> = Awaited<ReturnType<Specs[N]['read']>>['values'][number];
export type LoaderMap = { [N in LoaderName]: RecordLoader<Value<N>> };

/**
 * Fresh loaders for every request: the cache never outlives a request, so one viewer never sees
 * another's cached rows and writes are visible to the next request. `fieldsOf` tells what the
 * request's operation selects on each type (selection.ts): reads narrow their columns to it and
 * prefetch the relations in it; when it answers undefined, reads take every column and prefetch nothing.
 */
export function createLoaders(db: Queryable, fieldsOf: Fields = () => undefined) {
  const finds = new EntityFindsRepository(db);
  const specs = loaderSpecs(finds, fieldsOf);

  /** Loads the relations the operation selects on `type` for these rows, one batch per relation. */
  const prefetch = async (type: string, rows: readonly ObjectLiteral[]): Promise<void> => {
    const selected = fieldsOf(type);
    const relations = (RELATIONS as Record<string, Record<string, { loader: LoaderName; key: string }>>)[type];
    if (!selected || !relations || rows.length === 0) return;
    const waits: Promise<void>[] = [];
    for (const [field, { loader, key }] of Object.entries(relations)) {
      if (!selected.has(field)) continue;
      const keys = rows.map((r) => r[key] as string | null).filter((k): k is string => k != null);
      waits.push(loaders[loader].preload(keys));
    }
    await Promise.all(waits);
  };

  const loaders = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, new RecordLoader<unknown>(spec.type, spec.read, prefetch)]),
  ) as unknown as LoaderMap;

  return Object.assign(loaders, {
    prefetch,
    /**
     * The record(s) a relation field leads to (RELATIONS): from memory when prefetched, else batched;
     * null when the parent's key is null.
     */
    follow<T extends keyof Related, F extends keyof Related[T]>(type: T, field: F, parent: object) {
      const { loader, key } = RELATIONS[type][field] as { loader: LoaderName; key: string };
      const k = (parent as Record<string, unknown>)[key] as string | null;
      return k == null ? null : (loaders[loader] as RecordLoader<unknown>).get(k);
    },
  });
}
export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Relation fields resolve straight from RELATIONS: graphql-js calls `follow` itself instead of going
 * through type-graphql's per-call wrapper (parameter list, root conversion, middleware chain) on each
 * of the hundreds of relation fields a nested page has, about 9% of its CPU (BENCHMARKS.md). The
 * resolver classes still declare these fields (type, nullability, description) and resolve them the
 * same way; none has arguments, roles or middleware to skip. Throws at start-up when RELATIONS names
 * a field the schema does not have.
 */
export function resolveRelationsFromLoaders(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(RELATIONS)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`RELATIONS names ${typeName}, which is not an object type of the schema`);
    for (const fieldName of Object.keys(fields)) {
      const field = type.getFields()[fieldName];
      if (!field) throw new Error(`RELATIONS names ${typeName}.${fieldName}, which the schema does not have`);
      const t = typeName as keyof Related;
      const f = fieldName as keyof Related[keyof Related];
      field.resolve = (root: object, _args: unknown, ctx: { loaders: Loaders }) => ctx.loaders.follow(t, f, root);
    }
  }
  return schema;
}
