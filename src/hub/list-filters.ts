import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ApplicationStageEnum, CompanySizeEnum, JobStatusEnum, SeniorityEnum } from './entities/graphql-enums';
import type { ApplicationStage, CompanySize, JobStatus, Seniority } from './records';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

export enum CandidateSortField {
  UPDATED_AT = 'UPDATED_AT',
  NAME = 'NAME',
  YEARS_EXPERIENCE = 'YEARS_EXPERIENCE',
}
registerEnumType(CandidateSortField, { name: 'CandidateSortField' });

export enum JobSortField {
  UPDATED_AT = 'UPDATED_AT',
  OPENED_AT = 'OPENED_AT',
  TITLE = 'TITLE',
  SALARY_MAX = 'SALARY_MAX',
}
registerEnumType(JobSortField, { name: 'JobSortField' });

@InputType()
export class FloatRange {
  @Field(() => Float, { nullable: true }) min?: number;
  @Field(() => Float, { nullable: true }) max?: number;
}

@InputType()
export class IntRange {
  @Field(() => Int, { nullable: true }) min?: number;
  @Field(() => Int, { nullable: true }) max?: number;
}

@InputType({ description: 'Inclusive; dates as YYYY-MM-DD, timestamps as ISO 8601' })
export class DateRange {
  @Field({ nullable: true }) from?: string;
  @Field({ nullable: true }) to?: string;
}

@InputType()
export class CandidateFilter {
  @Field({ nullable: true, description: 'Contained in name, headline or current title (case-insensitive)' })
  text?: string;
  @Field({ nullable: true, description: 'Contained in location (case-insensitive)' })
  location?: string;
  @Field(() => FloatRange, { nullable: true }) yearsExperience?: FloatRange;
  @Field(() => [String], { nullable: true, description: 'Has all of these skills (names or aliases)' })
  skills?: string[];
  @Field(() => [String], { nullable: true, description: 'Speaks any of these languages' })
  languages?: string[];
  @Field(() => ID, { nullable: true }) ownerId?: string;
  @Field(() => DateRange, { nullable: true }) updatedAt?: DateRange;
  @Field({ nullable: true }) source?: string;
}

@InputType()
export class CandidateSort {
  @Field(() => CandidateSortField) field: CandidateSortField;
  // No GraphQL default: a default of ASC would reach the service as if asked and hide its newest-first fallback.
  @Field(() => SortDirection, { nullable: true, description: 'Default: DESC (newest first) for UPDATED_AT, ASC otherwise' })
  direction?: SortDirection;
}

@InputType()
export class JobFilter {
  @Field({ nullable: true, description: 'Contained in the title (case-insensitive)' }) text?: string;
  @Field(() => JobStatusEnum, { nullable: true }) status?: JobStatus;
  @Field(() => [SeniorityEnum], { nullable: true }) seniority?: Seniority[];
  @Field(() => ID, { nullable: true }) companyId?: string;
  @Field({ nullable: true }) location?: string;
  @Field(() => IntRange, { nullable: true, description: 'Jobs whose salary range overlaps this one' }) salary?: IntRange;
  @Field(() => DateRange, { nullable: true }) openedAt?: DateRange;
  @Field(() => [String], { nullable: true, description: 'Requires or prefers all of these skills' }) skills?: string[];
  @Field({ nullable: true }) source?: string;
}

@InputType()
export class JobSort {
  @Field(() => JobSortField) field: JobSortField;
  @Field(() => SortDirection, { nullable: true, description: 'Default: ASC for TITLE, DESC (newest or highest first) otherwise' })
  direction?: SortDirection;
}

@InputType()
export class CompanyFilter {
  @Field({ nullable: true, description: 'Contained in the name (case-insensitive)' }) text?: string;
  @Field({ nullable: true }) industry?: string;
  @Field(() => [CompanySizeEnum], { nullable: true }) sizeBand?: CompanySize[];
  @Field({ nullable: true }) location?: string;
}

@InputType()
export class ApplicationFilter {
  @Field(() => [ApplicationStageEnum], { nullable: true }) stage?: ApplicationStage[];
  @Field(() => ID, { nullable: true }) candidateId?: string;
  @Field(() => ID, { nullable: true }) jobId?: string;
}

@InputType()
export class PlacementFilter {
  @Field(() => ID, { nullable: true }) companyId?: string;
  @Field(() => DateRange, { nullable: true }) startDate?: DateRange;
}

@InputType()
export class NameFilter {
  @Field({ nullable: true, description: 'Contained in the name or title (case-insensitive)' }) text?: string;
}
