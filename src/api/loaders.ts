import DataLoader from 'dataloader';
import { In, type DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
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

/** One SELECT ... WHERE id IN (...) per batch; results in key order, null for misses. */
function byId<T extends ObjectLiteral & { id: string }>(ds: DataSource, target: EntityTarget<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await ds.getRepository(target).findBy({ id: In([...ids]) } as never);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

/** One SELECT per batch for a one-to-many list; `[]` for parents without children. */
function manyBy<T extends ObjectLiteral>(
  ds: DataSource,
  target: EntityTarget<T>,
  column: keyof T & string,
  order: Record<string, 'ASC' | 'DESC'>,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await ds.getRepository(target).find({ where: { [column]: In([...keys]) } as never, order: order as never });
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const r of rows) groups.get(r[column] as string)?.push(r);
    return keys.map((k) => groups.get(k)!);
  });
}

/**
 * Fresh loaders for every request: the cache never outlives a request, so one viewer never sees
 * another's cached rows and writes are visible to the next request.
 */
export function createLoaders(ds: DataSource) {
  return {
    candidate: byId(ds, Candidate),
    company: byId(ds, Company),
    job: byId(ds, Job),
    skill: byId(ds, Skill),
    occupation: byId(ds, Occupation),
    consultant: byId(ds, Consultant),
    application: byId(ds, Application),
    placement: byId(ds, Placement),
    experiencesByCandidate: manyBy(ds, Experience, 'candidateId', { position: 'ASC' }),
    educationByCandidate: manyBy(ds, Education, 'candidateId', { position: 'ASC' }),
    skillsByCandidate: manyBy(ds, CandidateSkill, 'candidateId', { level: 'DESC' }),
    skillsByJob: manyBy(ds, JobSkill, 'jobId', { requirement: 'ASC' }),
    applicationsByCandidate: manyBy(ds, Application, 'candidateId', { updatedAt: 'DESC' }),
    applicationsByJob: manyBy(ds, Application, 'jobId', { updatedAt: 'DESC' }),
    placementsByCandidate: manyBy(ds, Placement, 'candidateId', { startDate: 'DESC' }),
    stageHistory: manyBy(ds, ApplicationStageChange, 'applicationId', { at: 'ASC' }),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
