import DataLoader from 'dataloader';
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

/** One SELECT ... WHERE id IN (...) per batch; results in key order, null for misses. */
function byId<T extends ObjectLiteral & { id: string }>(finds: EntityFindsRepository, target: EntityTarget<T>, fields: Fields) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await finds.byIds(target, ids, fields());
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** One SELECT per batch for a one-to-many list; `[]` for parents without children. */
function manyBy<T extends ObjectLiteral>(
  finds: EntityFindsRepository,
  target: EntityTarget<T>,
  column: keyof T & string,
  order: Partial<Record<keyof T & string, 'ASC' | 'DESC'>>,
  fields: Fields,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await finds.byKeys(target, column, keys, order, fields());
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const r of rows) groups.get(r[column] as string)?.push(r);
    return keys.map((k) => groups.get(k)!);
  });
}

/** The fields a request selects on a loader's type, asked when a batch runs (the operation is known by then). */
type Fields = () => ReadonlySet<string> | undefined;

/**
 * Fresh loaders for every request: the cache never outlives a request, so one viewer never sees
 * another's cached rows and writes are visible to the next request.
 */
export function createLoaders(db: Queryable, fieldsOf: (type: string) => ReadonlySet<string> | undefined = () => undefined) {
  const finds = new EntityFindsRepository(db);
  const of =
    (type: string): Fields =>
    () =>
      fieldsOf(type);
  return {
    candidate: byId(finds, Candidate, of('Candidate')),
    company: byId(finds, Company, of('Company')),
    job: byId(finds, Job, of('Job')),
    skill: byId(finds, Skill, of('Skill')),
    occupation: byId(finds, Occupation, of('Occupation')),
    consultant: byId(finds, Consultant, of('Consultant')),
    application: byId(finds, Application, of('Application')),
    placement: byId(finds, Placement, of('Placement')),
    experiencesByCandidate: manyBy(finds, Experience, 'candidateId', { position: 'ASC' }, of('Experience')),
    educationByCandidate: manyBy(finds, Education, 'candidateId', { position: 'ASC' }, of('Education')),
    skillsByCandidate: manyBy(finds, CandidateSkill, 'candidateId', { level: 'DESC' }, of('CandidateSkill')),
    skillsByJob: manyBy(finds, JobSkill, 'jobId', { requirement: 'ASC' }, of('JobSkill')),
    applicationsByCandidate: manyBy(finds, Application, 'candidateId', { updatedAt: 'DESC' }, of('Application')),
    applicationsByJob: manyBy(finds, Application, 'jobId', { updatedAt: 'DESC' }, of('Application')),
    placementsByCandidate: manyBy(finds, Placement, 'candidateId', { startDate: 'DESC' }, of('Placement')),
    stageHistory: manyBy(finds, ApplicationStageChange, 'applicationId', { at: 'ASC' }, of('StageChange')),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
