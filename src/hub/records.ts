/**
 * The interchange format of the data hub: one JSON object per line (JSON Lines), as read by
 * `matchhub import`, the `importRecords` mutation and produced by the demo generator.
 *
 * Every record is keyed by the system it came from (`source` + `externalId`); importing the
 * same key again updates the record (upsert), so re-imports are exact. References between
 * records use the same key pair, never our internal UUIDs.
 */

export interface Ref {
  source: string;
  externalId: string;
}

export const SENIORITIES = ['INTERN', 'JUNIOR', 'MID', 'SENIOR', 'LEAD', 'PRINCIPAL', 'DIRECTOR', 'EXECUTIVE'] as const;
export type Seniority = (typeof SENIORITIES)[number];

export const COMPANY_SIZES = ['S1_10', 'S11_50', 'S51_200', 'S201_1000', 'S1001_5000', 'S5001_PLUS'] as const;
export type CompanySize = (typeof COMPANY_SIZES)[number];

export const JOB_STATUSES = ['OPEN', 'CLOSED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Pipeline order; PLACED, REJECTED and WITHDRAWN end an application. */
export const APPLICATION_STAGES = ['SOURCED', 'CONTACTED', 'SCREENING', 'INTERVIEW', 'OFFER', 'PLACED', 'REJECTED', 'WITHDRAWN'] as const;
export type ApplicationStage = (typeof APPLICATION_STAGES)[number];

export const SKILL_REQUIREMENTS = ['REQUIRED', 'PREFERRED'] as const;
export type SkillRequirement = (typeof SKILL_REQUIREMENTS)[number];

export const FEE_BANDS = ['A', 'B', 'C', 'D'] as const;
export type FeeBand = (typeof FEE_BANDS)[number];

/** ISO date `YYYY-MM-DD`. */
export type IsoDate = string;

export interface ConsultantRecord extends Ref {
  type: 'consultant';
  name: string;
  email?: string;
}

export interface SkillRecord extends Ref {
  type: 'skill';
  /** Canonical name; candidates and jobs refer to skills by this name or an alias (case-insensitive). */
  name: string;
  aliases?: string[];
  category?: string;
  /** O*NET UNSPSC commodity code of the technology, where known. */
  onetCommodityCode?: number;
}

export interface CompanyRecord extends Ref {
  type: 'company';
  name: string;
  aliases?: string[];
  industry?: string;
  sizeBand?: CompanySize;
  location?: string;
}

export interface ExperienceRecord {
  /** The employer when it is in the hub; `companyName` is kept either way. */
  company?: Ref;
  companyName: string;
  title: string;
  startDate: IsoDate;
  /** Absent while current. */
  endDate?: IsoDate;
  description?: string;
  /** O*NET-SOC code, e.g. `15-1252.00`, where known. */
  occupationCode?: string;
}

export interface EducationRecord {
  school: string;
  degree?: string;
  field?: string;
  startYear?: number;
  endYear?: number;
}

export interface CandidateSkillRecord {
  skill: string;
  /** 1 (aware) to 5 (expert). */
  level?: number;
  years?: number;
}

export interface CandidateRecord extends Ref {
  type: 'candidate';
  name: string;
  headline?: string;
  summary?: string;
  location?: string;
  yearsExperience?: number;
  /** BCP 47 tags, e.g. `en`, `zh`. */
  languages?: string[];
  email?: string;
  phone?: string;
  currentTitle?: string;
  desiredRoles?: string[];
  desiredLocations?: string[];
  desiredSalaryMin?: number;
  desiredSalaryMax?: number;
  /** ISO 4217, e.g. `USD`, `CNY`. */
  salaryCurrency?: string;
  owner?: Ref;
  experiences?: ExperienceRecord[];
  education?: EducationRecord[];
  skills?: CandidateSkillRecord[];
}

export interface JobSkillRecord {
  skill: string;
  requirement: SkillRequirement;
}

export interface JobRecord extends Ref {
  type: 'job';
  company: Ref;
  title: string;
  description?: string;
  seniority?: Seniority;
  location?: string;
  salaryMin?: number;
  salaryMax?: number;
  salaryCurrency?: string;
  status: JobStatus;
  openedAt?: IsoDate;
  closedAt?: IsoDate;
  occupationCode?: string;
  skills?: JobSkillRecord[];
  owner?: Ref;
}

export interface StageChange {
  stage: ApplicationStage;
  /** ISO timestamp. */
  at: string;
}

export interface ApplicationRecord extends Ref {
  type: 'application';
  candidate: Ref;
  job: Ref;
  stage: ApplicationStage;
  /** Oldest first; the last entry's stage equals `stage`. */
  history?: StageChange[];
}

export interface PlacementRecord extends Ref {
  type: 'placement';
  candidate: Ref;
  job: Ref;
  startDate: IsoDate;
  feeBand?: FeeBand;
}

export type HubRecord = ConsultantRecord | SkillRecord | CompanyRecord | CandidateRecord | JobRecord | ApplicationRecord | PlacementRecord;

/** Import order: a record's references must already exist when it is imported. */
export const RECORD_TYPES = ['consultant', 'skill', 'company', 'candidate', 'job', 'application', 'placement'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
