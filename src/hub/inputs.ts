import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import {
  APPLICATION_STAGES,
  COMPANY_SIZES,
  FEE_BANDS,
  JOB_STATUSES,
  SENIORITIES,
  SKILL_REQUIREMENTS,
  type ApplicationStage,
  type CompanySize,
  type FeeBand,
  type JobStatus,
  type Seniority,
  type SkillRequirement,
} from './records';

/**
 * Input classes shared by the GraphQL mutations and `import` (JSON Lines are turned into these with
 * class-transformer), so both paths validate alike. Fields are optional in GraphQL because updates
 * send only what changes; `validateRecord` applies the required-field rules to the merged record.
 * Enum fields are declared as String here and checked with IsIn, so a bad value in a JSON line gets
 * the same message as in GraphQL.
 */

const TEXT = 300;
const LONG_TEXT = 20_000;
const LIST = 200;

/** A reference to another record: our global `id`, or the `source` + `externalId` it was imported with. */
@InputType()
export class RecordRefInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  id?: string;

  @Field({ nullable: true })
  @ValidateIf((o: RecordRefInput) => !o.id)
  @IsString({ message: 'give either id, or source and externalId' })
  @Length(1, 64)
  source?: string;

  @Field({ nullable: true })
  @ValidateIf((o: RecordRefInput) => !o.id)
  @IsString({ message: 'give either id, or source and externalId' })
  @Length(1, 256)
  externalId?: string;
}

/** Fields of every top-level record; decorated so subclasses inherit them (no GraphQL type of its own is referenced). */
@InputType('SourcedInput')
abstract class SourcedInput {
  /** Defaults to `api` for GraphQL writes. */
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'source may contain letters, digits and _ . : - only' })
  source?: string;

  /** Defaults to a new UUID. */
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  externalId?: string;
}

@InputType()
export class ConsultantInput extends SourcedInput {
  @Field({ nullable: true })
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;
}

@InputType()
export class SkillInput extends SourcedInput {
  @Field({ nullable: true })
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  aliases?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  category?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  onetCommodityCode?: number;
}

@InputType()
export class CompanyInput extends SourcedInput {
  @Field({ nullable: true })
  @IsString()
  @Length(1, TEXT)
  name?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  aliases?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  industry?: string;

  @Field(() => String, { nullable: true, description: `One of ${COMPANY_SIZES.join(', ')}` })
  @IsOptional()
  @IsIn(COMPANY_SIZES as unknown as string[])
  sizeBand?: CompanySize;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;
}

@InputType()
export class ExperienceInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  externalId?: string;

  @Field(() => RecordRefInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordRefInput)
  company?: RecordRefInput;

  @Field({ nullable: true, description: 'Kept as written; filled from the company when only `company` is given.' })
  @IsOptional()
  @IsString()
  @Length(1, TEXT)
  companyName?: string;

  @Field()
  @IsString()
  @Length(1, TEXT)
  title: string;

  @Field({ description: 'YYYY-MM-DD' })
  @IsDateString({ strict: true }, { message: 'startDate must be a date YYYY-MM-DD' })
  startDate: string;

  @Field({ nullable: true, description: 'YYYY-MM-DD; absent while current' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'endDate must be a date YYYY-MM-DD' })
  endDate?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LONG_TEXT)
  description?: string;

  @Field({ nullable: true, description: 'O*NET-SOC code, e.g. 15-1252.00' })
  @IsOptional()
  @Matches(/^\d{2}-\d{4}\.\d{2}$/, { message: 'occupationCode must look like 15-1252.00' })
  occupationCode?: string;
}

@InputType()
export class EducationInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  externalId?: string;

  @Field()
  @IsString()
  @Length(1, TEXT)
  school: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  degree?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  field?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  startYear?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1900)
  @Max(2100)
  endYear?: number;
}

@InputType()
export class CandidateSkillInput {
  @Field({ description: 'Skill name or alias (case-insensitive); unknown names create a skill.' })
  @IsString()
  @Length(1, 200)
  skill: string;

  @Field(() => Int, { nullable: true, description: '1 (aware) to 5 (expert)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  level?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(80)
  years?: number;
}

@InputType()
export class CandidateInput extends SourcedInput {
  @Field({ nullable: true })
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  headline?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LONG_TEXT)
  summary?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(80)
  yearsExperience?: number;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { each: true, message: 'languages must be BCP 47 tags such as en or zh-CN' })
  languages?: string[];

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  phone?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  currentTitle?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  desiredRoles?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  desiredLocations?: string[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  desiredSalaryMin?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  desiredSalaryMax?: number;

  @Field({ nullable: true, description: 'ISO 4217, e.g. USD, CNY' })
  @IsOptional()
  @IsISO4217CurrencyCode()
  salaryCurrency?: string;

  @Field(() => RecordRefInput, { nullable: true, description: 'The consultant who owns this candidate' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordRefInput)
  owner?: RecordRefInput;

  @Field(() => [ExperienceInput], { nullable: true, description: 'Replaces all experiences when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ExperienceInput)
  experiences?: ExperienceInput[];

  @Field(() => [EducationInput], { nullable: true, description: 'Replaces all education when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EducationInput)
  education?: EducationInput[];

  @Field(() => [CandidateSkillInput], { nullable: true, description: 'Replaces all skills when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => CandidateSkillInput)
  skills?: CandidateSkillInput[];
}

@InputType()
export class JobSkillInput {
  @Field()
  @IsString()
  @Length(1, 200)
  skill: string;

  @Field(() => String, { description: 'REQUIRED or PREFERRED' })
  @IsIn(SKILL_REQUIREMENTS as unknown as string[])
  requirement: SkillRequirement;
}

@InputType()
export class JobInput extends SourcedInput {
  @Field(() => RecordRefInput, { nullable: true })
  @ValidateNested()
  @Type(() => RecordRefInput)
  company?: RecordRefInput;

  @Field({ nullable: true })
  @IsString()
  @Length(1, TEXT)
  title?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LONG_TEXT)
  description?: string;

  @Field(() => String, { nullable: true, description: `One of ${SENIORITIES.join(', ')}` })
  @IsOptional()
  @IsIn(SENIORITIES as unknown as string[])
  seniority?: Seniority;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  salaryMin?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  salaryMax?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsISO4217CurrencyCode()
  salaryCurrency?: string;

  @Field(() => String, { nullable: true, description: 'OPEN (default) or CLOSED' })
  @IsOptional()
  @IsIn(JOB_STATUSES as unknown as string[])
  status?: JobStatus;

  @Field({ nullable: true })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'openedAt must be a date YYYY-MM-DD' })
  openedAt?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'closedAt must be a date YYYY-MM-DD' })
  closedAt?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(/^\d{2}-\d{4}\.\d{2}$/, { message: 'occupationCode must look like 15-1252.00' })
  occupationCode?: string;

  @Field(() => [JobSkillInput], { nullable: true, description: 'Replaces all skills when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @ValidateNested({ each: true })
  @Type(() => JobSkillInput)
  skills?: JobSkillInput[];

  @Field(() => RecordRefInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordRefInput)
  owner?: RecordRefInput;
}

@InputType()
export class StageChangeInput {
  @Field(() => String)
  @IsIn(APPLICATION_STAGES as unknown as string[])
  stage: ApplicationStage;

  @Field({ description: 'ISO timestamp' })
  @IsDateString({}, { message: 'at must be an ISO timestamp' })
  at: string;
}

@InputType()
export class ApplicationInput extends SourcedInput {
  @Field(() => RecordRefInput, { nullable: true })
  @ValidateNested()
  @Type(() => RecordRefInput)
  candidate?: RecordRefInput;

  @Field(() => RecordRefInput, { nullable: true })
  @ValidateNested()
  @Type(() => RecordRefInput)
  job?: RecordRefInput;

  @Field(() => String, { nullable: true, description: `One of ${APPLICATION_STAGES.join(', ')}` })
  @IsIn(APPLICATION_STAGES as unknown as string[])
  stage?: ApplicationStage;

  @Field(() => [StageChangeInput], { nullable: true, description: 'Oldest first; replaces the history when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => StageChangeInput)
  history?: StageChangeInput[];
}

@InputType()
export class PlacementInput extends SourcedInput {
  @Field(() => RecordRefInput, { nullable: true })
  @ValidateNested()
  @Type(() => RecordRefInput)
  candidate?: RecordRefInput;

  @Field(() => RecordRefInput, { nullable: true })
  @ValidateNested()
  @Type(() => RecordRefInput)
  job?: RecordRefInput;

  @Field({ nullable: true })
  @IsDateString({ strict: true }, { message: 'startDate must be a date YYYY-MM-DD' })
  startDate?: string;

  @Field(() => String, { nullable: true, description: `One of ${FEE_BANDS.join(', ')}` })
  @IsOptional()
  @IsIn(FEE_BANDS as unknown as string[])
  feeBand?: FeeBand;
}

export const INPUT_CLASSES = {
  consultant: ConsultantInput,
  skill: SkillInput,
  company: CompanyInput,
  candidate: CandidateInput,
  job: JobInput,
  application: ApplicationInput,
  placement: PlacementInput,
} as const;
export type InputFor<T extends keyof typeof INPUT_CLASSES> = InstanceType<(typeof INPUT_CLASSES)[T]>;
