import { registerEnumType } from 'type-graphql';
import { APPLICATION_STAGES, COMPANY_SIZES, FEE_BANDS, JOB_STATUSES, SENIORITIES, SKILL_REQUIREMENTS } from '../records';

/** GraphQL enums whose values are the interchange format's strings, so both speak one vocabulary. */
const asEnum = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const SeniorityEnum = asEnum(SENIORITIES);
export const CompanySizeEnum = asEnum(COMPANY_SIZES);
export const JobStatusEnum = asEnum(JOB_STATUSES);
export const ApplicationStageEnum = asEnum(APPLICATION_STAGES);
export const SkillRequirementEnum = asEnum(SKILL_REQUIREMENTS);
export const FeeBandEnum = asEnum(FEE_BANDS);

registerEnumType(SeniorityEnum, { name: 'Seniority' });
registerEnumType(CompanySizeEnum, { name: 'CompanySize', description: 'Head-count band' });
registerEnumType(JobStatusEnum, { name: 'JobStatus' });
registerEnumType(ApplicationStageEnum, {
  name: 'ApplicationStage',
  description: 'Pipeline order; PLACED, REJECTED and WITHDRAWN end an application',
});
registerEnumType(SkillRequirementEnum, { name: 'SkillRequirement' });
registerEnumType(FeeBandEnum, { name: 'FeeBand' });
