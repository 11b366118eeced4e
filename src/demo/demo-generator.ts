import { AppError } from '../shared/errors';
import {
  ApplicationRecord,
  ApplicationStage,
  CandidateRecord,
  CandidateSkillRecord,
  CompanyRecord,
  CompanySize,
  ConsultantRecord,
  EducationRecord,
  ExperienceRecord,
  FeeBand,
  HubRecord,
  JobRecord,
  JobSkillRecord,
  PlacementRecord,
  Ref,
  Seniority,
  SkillRecord,
  StageChange,
} from '../hub/records';
import { Taxonomy } from '../hub/taxonomy/onet-taxonomy';
import { loadTaxonomy } from '../hub/taxonomy/taxonomy-loader';
import { INDUSTRIES } from './demo-industries';
import { DemoModel, demoModel } from './demo-occupation-model';
import { SeededRandom, WeightTable, weightTable } from '../shared/random';
import {
  chineseCompanyName,
  englishCompanyName,
  experienceDescription,
  inSentence,
  jobTitle,
  personName,
  pickStem,
  schoolName,
} from './demo-text';
import { EN_CITIES, EN_DEGREES, EN_FIELDS } from './demo-vocabulary-en';
import { ZH_CITIES, ZH_DEGREES, zhDuties, ZH_FIELDS } from './demo-vocabulary-zh';

/**
 * Deterministic demo data for the data hub: a recruitment firm's consultants, the O*NET
 * technology skills, companies, candidates with careers, jobs, applications and placements,
 * yielded as HubRecords in import order. Same options -> same records, byte for byte.
 *
 * Memory: companies and a compact plan of every job are held (records reference them), plus
 * a few bytes per candidate for choosing applicants; candidates and their text are streamed.
 */

export const DEMO_SOURCE = 'demo';
/** The first demo consultant's externalId (the demo consultant API key speaks for them). */
export const FIRST_DEMO_CONSULTANT = 'cons-0001';

export interface DemoOptions {
  seed: number;
  candidates: number;
  /** Default: candidates / 40, at least 30 (so every industry has peers to move between), at most 5,000. */
  companies?: number;
  /** Default: candidates / 5, at least 10. */
  jobs?: number;
  /** Default: candidates / 2,500, at least 4, at most 200. */
  consultants?: number;
  /** The day the data set describes ("today"); careers and jobs end by it. Default 2026-01-01. */
  asOf?: string;
  /** Share of candidates written in Chinese, 0..1. Default 0.2. */
  zhShare?: number;
  /** Default: the shipped O*NET copy. */
  taxonomy?: Taxonomy;
}

export type DemoErrorReason = 'DEMO_BAD_OPTIONS';

/** Bad generator options are the caller's mistake: BAD_USER_INPUT, with `reason` DEMO_BAD_OPTIONS. */
export class DemoError extends AppError {
  declare readonly code: 'BAD_USER_INPUT';

  constructor(
    readonly reason: DemoErrorReason,
    message: string,
  ) {
    super('BAD_USER_INPUT', message, { reason });
    this.name = 'DemoError';
  }
}

// Module-level aliases: under jest's VM sandbox each `Math.x` is a slow global lookup.
const { abs, floor, max, min, round } = Math;

const SENIORITY_ORDER: Seniority[] = ['INTERN', 'JUNIOR', 'MID', 'SENIOR', 'LEAD', 'PRINCIPAL', 'DIRECTOR', 'EXECUTIVE'];
const S = Object.fromEntries(SENIORITY_ORDER.map((s, i) => [s, i])) as Record<Seniority, number>;

/** Annual base salary in USD by seniority; multiplied per major group and converted per city. */
const BASE_SALARY_USD = [38_000, 62_000, 88_000, 120_000, 145_000, 175_000, 190_000, 260_000];
const GROUP_PAY: Record<string, number> = {
  '11': 1.25,
  '13': 1.0,
  '15': 1.3,
  '17': 1.1,
  '19': 1.0,
  '23': 1.3,
  '25': 0.7,
  '27': 0.85,
  '29': 1.15,
  '41': 0.9,
  '43': 0.6,
  '47': 0.8,
  '49': 0.7,
  '51': 0.65,
  '53': 0.7,
};
/** Currency and a pay factor (local pay level x exchange rate) for each city's market. */
const CURRENCY_BY_CITY: Record<string, [string, number]> = {
  London: ['GBP', 0.62],
  Singapore: ['SGD', 1.05],
  Toronto: ['CAD', 1.0],
  Berlin: ['EUR', 0.68],
  Sydney: ['AUD', 1.1],
  'Hong Kong': ['HKD', 5.6],
  香港: ['HKD', 5.6],
};
const CNY: [string, number] = ['CNY', 3.0];
const USD: [string, number] = ['USD', 1];

const SIZES: CompanySize[] = ['S1_10', 'S11_50', 'S51_200', 'S201_1000', 'S1001_5000', 'S5001_PLUS'];
const SIZE_SHARE = weightTable([5, 15, 25, 25, 18, 12]);
/** How many people a company of each size band hires, relative to the smallest. */
const SIZE_PULL = [1, 2, 4, 7, 11, 16];

const SENIORITY_FOR_JOBS = weightTable([2, 15, 30, 28, 10, 5, 7, 3]);
/** Years of experience a candidate placed into a job of each seniority has. */
const YEARS_FOR_SENIORITY: [number, number][] = [
  [0, 1],
  [1, 3],
  [3, 6],
  [6, 10],
  [9, 14],
  [12, 20],
  [14, 22],
  [18, 30],
];

// Record streams for SeededRandom.forRecord; fixed numbers so adding a stream changes nothing else.
const STREAM = {
  world: 1,
  consultant: 2,
  company: 3,
  job: 4,
  jobSkills: 5,
  candidate: 6,
  application: 7,
  jobTitle: 8,
  jobText: 9,
  /** A candidate's hidden merit: it moves their applications and nothing in their record shows it. */
  merit: 10,
} as const;

const DAY = 86_400_000;
const EN_CITY_TABLE = weightTable(EN_CITIES.map((c) => c[1]));
const ZH_CITY_TABLE = weightTable(ZH_CITIES.map((c) => c[2]));

interface Company {
  ref: Ref;
  name: string;
  /** A Chinese company's English alias and short name. */
  aliases: string[];
  industry: number;
  zh: boolean;
  size: number;
  location: string;
  /** Companies its people most often move to next (talent flow), best first. */
  destinations: number[];
}

interface JobPlan {
  index: number;
  ref: Ref;
  company: number;
  occupation: number;
  /** The career family (major group) the title belongs to. */
  family: string;
  seniority: number;
  zh: boolean;
  stem: number;
  location: string;
  openedDay: number;
  closedDay: number;
  /** Candidate index placed into the job, or -1. */
  placed: number;
  placementDay: number;
}

interface World {
  seed: number;
  model: DemoModel;
  asOfDay: number;
  zhShare: number;
  consultants: Ref[];
  skillNames: string[];
  companies: Company[];
  /** Per industry x language (0 en, 1 zh): company indices and weights by size. */
  companyPools: { members: Int32Array; table: WeightTable }[][];
  allCompanies: { members: Int32Array; table: WeightTable }[];
  /** Companies whose people move on to a given company (reverse of `destinations`). */
  sources: number[][];
  jobs: JobPlan[];
  placedJobOfCandidate: Int32Array;
  skillIndex: Map<string, number>;
}

/** Throws DemoError DEMO_BAD_OPTIONS naming every bad option. */
export function* generateDemo(options: DemoOptions): Generator<HubRecord, void, undefined> {
  const world = planWorld(options);
  const { seed } = world;

  for (const ref of world.consultants) {
    const rng = SeededRandom.forRecord(seed, STREAM.consultant, Number(ref.externalId.slice(5)));
    const { name, emailLocal } = personName(rng, rng.chance(0.4));
    const number = ref.externalId.slice(5);
    const record: ConsultantRecord = {
      type: 'consultant',
      ...ref,
      name,
      email: `${emailLocal}.${number}@example.com`,
    };
    yield record;
  }

  for (const record of skillRecords(world.model)) yield record;

  for (const company of world.companies) yield companyRecord(company);

  // What applications need to know about each candidate, a few bytes each.
  const n = options.candidates;
  const pool: CandidatePool = {
    byOccupation: new Map(),
    byBroadGroup: new Map(),
    seniority: new Uint8Array(n),
    careerStart: new Int32Array(n),
    occupation: new Int32Array(n),
    city: new Int32Array(n),
    cities: new Map(),
    employers: new Int32Array(n * MAX_EMPLOYERS).fill(-1),
    skills: new Int32Array(n * MAX_SKILLS).fill(-1),
    merit: new Float32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const { record, occupation, seniority, careerStart, employers } = candidateRecord(world, i);
    pool.seniority[i] = seniority;
    pool.careerStart[i] = careerStart;
    pool.occupation[i] = occupation;
    pool.city[i] = cityCode(pool, record.location!);
    employers.slice(-MAX_EMPLOYERS).forEach((c, k) => (pool.employers[i * MAX_EMPLOYERS + k] = c));
    record.skills!.slice(0, MAX_SKILLS).forEach((sk, k) => (pool.skills[i * MAX_SKILLS + k] = world.skillIndex.get(sk.skill) ?? -1));
    pool.merit[i] = SeededRandom.forRecord(world.seed, STREAM.merit, i).normal(0, 1);
    listIn(pool.byOccupation, occupation).push(i);
    listIn(pool.byBroadGroup, world.model.occupations[occupation].occupation.code.slice(0, 6)).push(i);
    yield record;
  }

  for (let j = 0; j < world.jobs.length; j++) yield jobRecord(world, j);

  let applicationNo = 0;
  for (let j = 0; j < world.jobs.length; j++) {
    for (const application of applicationsFor(world, j, pool)) {
      application.externalId = `app-${pad(++applicationNo, 7)}`;
      yield application;
    }
  }

  for (const job of world.jobs) {
    if (job.placed < 0) continue;
    const record: PlacementRecord = {
      type: 'placement',
      source: DEMO_SOURCE,
      externalId: `plc-${job.ref.externalId.slice(4)}`,
      candidate: candidateRef(job.placed),
      job: job.ref,
      startDate: isoDate(job.placementDay),
      feeBand: feeBand(job),
    };
    yield record;
  }
}

function validate(options: DemoOptions): string[] {
  const problems: string[] = [];
  const count = (name: string, value: unknown, limit: number) => {
    if (value !== undefined && (!Number.isInteger(value) || (value as number) < 0 || (value as number) > limit)) {
      problems.push(`${name} must be a whole number from 0 to ${limit}, got ${String(value)}`);
    }
  };
  // Seeds are folded to 32 bits; a wider one would silently collide with a narrow one.
  if (!Number.isInteger(options.seed) || options.seed < -(2 ** 31) || options.seed >= 2 ** 31) {
    problems.push(`seed must be an integer from -2147483648 to 2147483647, got ${String(options.seed)}`);
  }
  count('candidates', options.candidates, 10_000_000);
  if (options.candidates === undefined) problems.push('candidates is required');
  count('companies', options.companies, 1_000_000);
  count('jobs', options.jobs, 5_000_000);
  count('consultants', options.consultants, 100_000);
  if (options.companies === 0 && ((options.jobs ?? 0) > 0 || options.candidates > 0)) {
    problems.push('candidates and jobs need employers: set companies >= 1 (or leave it out for the default)');
  }
  if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    problems.push(`asOf must be a date YYYY-MM-DD, got ${options.asOf}`);
  } else if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf))) {
    problems.push(`asOf ${options.asOf} is not a calendar date`);
  }
  if (options.zhShare !== undefined && !(options.zhShare >= 0 && options.zhShare <= 1)) {
    problems.push(`zhShare must be between 0 and 1, got ${options.zhShare}`);
  }
  return problems;
}

function planWorld(options: DemoOptions): World {
  const problems = validate(options);
  if (problems.length > 0) throw new DemoError('DEMO_BAD_OPTIONS', `bad demo options: ${problems.join('; ')}`);
  const seed = options.seed | 0;
  const n = options.candidates;
  const model = demoModel(options.taxonomy ?? loadTaxonomy());
  const asOfDay = floor(Date.parse(options.asOf ?? '2026-01-01') / DAY);
  const zhShare = options.zhShare ?? 0.2;
  const rng = SeededRandom.forRecord(seed, STREAM.world, 0);

  const consultantCount = options.consultants ?? min(200, max(4, round(n / 2500)));
  const consultants = Array.from({ length: consultantCount }, (_, i) => ({ source: DEMO_SOURCE, externalId: `cons-${pad(i + 1, 4)}` }));

  const companyCount = options.companies ?? min(5000, max(30, round(n / 40)));
  const companies = planCompanies(seed, companyCount, zhShare);
  const pools = INDUSTRIES.map((_, industry) => [false, true].map((zh) => pool(companies, (c) => c.industry === industry && c.zh === zh)));
  const allCompanies = [false, true].map((zh) => pool(companies, (c) => c.zh === zh));
  const sources: number[][] = companies.map(() => []);
  for (let c = 0; c < companies.length; c++) {
    const company = companies[c];
    const peers = pools[company.industry][company.zh ? 1 : 0];
    const others = pools[company.industry][company.zh ? 0 : 1];
    const wanted = rng.int(3, 5);
    for (let tries = 0; tries < 20 && company.destinations.length < wanted; tries++) {
      // Mostly peers in the same market; some flow crosses to the other language's companies.
      const from = rng.chance(0.92) || others.members.length === 0 ? peers : others;
      const d = from.members[rng.weighted(from.table)];
      if (d === undefined || d === c || company.destinations.includes(d)) continue;
      company.destinations.push(d);
      sources[d].push(c);
    }
  }

  const jobCount = companies.length === 0 ? 0 : (options.jobs ?? max(10, round(n / 5)));
  const placedJobOfCandidate = new Int32Array(n).fill(-1);
  const jobs: JobPlan[] = [];
  for (let j = 0; j < jobCount; j++) {
    const jr = SeededRandom.forRecord(seed, STREAM.job, j);
    // The market first, then a company in it by size: the Chinese share of jobs then follows
    // zhShare instead of whichever companies happen to be large.
    const market = jr.chance(min(1, zhShare * 1.1)) ? 1 : 0;
    const from = allCompanies[market].members.length > 0 ? allCompanies[market] : allCompanies[1 - market];
    const company = from.members[jr.weighted(from.table)];
    const plan = planJob(model, jr, j, companies[company], company, asOfDay, zhShare);
    // Closed jobs were mostly filled by the firm; the placed candidate is built to fit.
    if (plan.closedDay > 0 && n > 0 && jr.chance(0.6)) {
      const candidate = jr.int(0, n - 1);
      if (placedJobOfCandidate[candidate] < 0) {
        placedJobOfCandidate[candidate] = j;
        plan.placed = candidate;
        plan.placementDay = min(asOfDay - 1, plan.closedDay + jr.int(14, 60));
      }
    }
    jobs.push(plan);
  }

  return {
    seed,
    model,
    asOfDay,
    zhShare,
    consultants,
    skillNames: model.skills.map((s) => s.name),
    companies,
    companyPools: pools,
    allCompanies,
    sources,
    jobs,
    placedJobOfCandidate,
    skillIndex: new Map(model.skills.map((sk, k) => [sk.name, k])),
  };
}

function pool(companies: Company[], keep: (c: Company) => boolean): { members: Int32Array; table: WeightTable } {
  const members: number[] = [];
  for (let i = 0; i < companies.length; i++) if (keep(companies[i])) members.push(i);
  return { members: Int32Array.from(members), table: weightTable(members.map((i) => SIZE_PULL[companies[i].size])) };
}

function planCompanies(seed: number, count: number, zhShare: number): Company[] {
  const industryTable = weightTable(INDUSTRIES.map((i) => i.weight));
  const names = new Set<string>();
  const companies: Company[] = [];
  for (let c = 0; c < count; c++) {
    const rng = SeededRandom.forRecord(seed, STREAM.company, c);
    const industry = rng.weighted(industryTable);
    // Every n-th company rather than a coin per company, so even a dozen companies get their
    // Chinese share; a little above the candidate share, as they also hire English resumes.
    const share = min(1, zhShare * 1.2);
    const zh = floor((c + 1) * share) > floor(c * share);
    const location = zh ? ZH_CITIES[rng.weighted(ZH_CITY_TABLE)][0] : EN_CITIES[rng.weighted(EN_CITY_TABLE)][0];
    let name = '';
    let aliases: string[] = [];
    for (let attempt = 0; attempt < 50 && (name === '' || names.has(name)); attempt++) {
      if (zh) {
        const zhName = chineseCompanyName(rng, industry, location);
        name = zhName.name;
        aliases = [zhName.alias, zhName.shortName];
      } else name = englishCompanyName(rng, industry);
    }
    // Names must be unique; a suffix keeps generation bounded when the word lists run short.
    if (names.has(name)) name = `${name} (${c + 1})`;
    names.add(name);
    companies.push({
      ref: { source: DEMO_SOURCE, externalId: `comp-${pad(c + 1, 5)}` },
      name,
      aliases,
      industry,
      zh,
      size: rng.weighted(SIZE_SHARE),
      location,
      destinations: [],
    });
  }
  return companies;
}

function companyRecord(company: Company): CompanyRecord {
  const record: CompanyRecord = {
    type: 'company',
    ...company.ref,
    name: company.name,
    industry: INDUSTRIES[company.industry].name,
    sizeBand: SIZES[company.size],
    location: company.location,
  };
  if (company.aliases.length > 0) record.aliases = company.aliases;
  return record;
}

function planJob(
  model: DemoModel,
  rng: SeededRandom,
  j: number,
  company: Company,
  companyIndex: number,
  asOfDay: number,
  zhShare: number,
): JobPlan {
  const industry = model.industries[company.industry];
  // Some Chinese companies post in English; none do when everything is to be Chinese.
  const zh = company.zh && rng.chance(zhShare >= 1 ? 1 : 0.9);
  const table = zh ? industry.zhTable : industry.table;
  const list = zh ? industry.zhOccupations : industry.occupations;
  let occupation = list[rng.weighted(table)];
  const family = model.occupations[occupation].majorGroup;
  let seniority = rng.weighted(SENIORITY_FOR_JOBS);
  if (family === '11' && seniority < S.LEAD) seniority = S.LEAD + rng.int(0, 2);
  occupation = occupationAt(model, occupation, seniority, zh);
  const openedDay = asOfDay - rng.int(7, 3 * 365);
  let closedDay = -1;
  const age = asOfDay - openedDay;
  if (rng.chance(age > 150 ? 0.92 : 0.3)) closedDay = min(asOfDay - 1, openedDay + rng.int(25, max(26, min(age, 160))));
  const location = cityIn(rng.chance(0.85) ? company.location : randomCity(rng, zh), zh);
  return {
    index: j,
    ref: { source: DEMO_SOURCE, externalId: `job-${pad(j + 1, 6)}` },
    company: companyIndex,
    occupation,
    family,
    seniority,
    zh,
    stem: pickStem(rng, model.occupations[occupation]),
    location,
    openedDay,
    closedDay,
    placed: -1,
    placementDay: -1,
  };
}

/** Director and executive roles sit in the family's management occupation when one can be titled. */
function occupationAt(model: DemoModel, occupation: number, seniority: number, zh: boolean): number {
  if (seniority < S.DIRECTOR) return occupation;
  const target = seniority === S.EXECUTIVE && model.executive >= 0 ? model.executive : model.occupations[occupation].manager;
  if (target < 0 || (zh && !model.occupations[target].zhTitles)) return occupation;
  return target;
}

function skillRecords(model: DemoModel): SkillRecord[] {
  const taken = new Set<string>();
  const aliases = skillAliases(model);
  return model.skills.map((skill) => {
    let id = slug(skill.name);
    for (let k = 2; taken.has(id); k++) id = `${slug(skill.name)}-${k}`;
    taken.add(id);
    const record: SkillRecord = {
      type: 'skill',
      source: DEMO_SOURCE,
      externalId: `skill-${id}`,
      name: skill.name,
      category: skill.commodityTitle,
      onetCommodityCode: skill.commodityCode,
    };
    const alias = aliases.get(skill.name);
    if (alias) record.aliases = [alias];
    return record;
  });
}

// Longest first, so `Cisco Systems Webex` loses `Cisco Systems`, not just `Cisco`.
const VENDORS =
  /^(Amazon Web Services|Cisco Systems|Dassault Systemes|Epic Systems|Red Hat|Microsoft|Oracle|Adobe|Apache|Amazon|Google|IBM|SAP|Autodesk|Atlassian|Salesforce|Intuit|Apple|Cisco|VMware|Siemens)\s+(.{2,})$/;

/**
 * `Microsoft Excel` is written `Excel` on resumes, so the vendor-less name becomes an alias,
 * but only when it still names a product: it must have a word that never occurs in O*NET's
 * own prose (descriptions and task statements), so `Microsoft Project` does not claim
 * "Project" and `SAP software` does not claim "software"; an alias two skills would share
 * is dropped as ambiguous.
 */
function skillAliases(model: DemoModel): Map<string, string> {
  const prose = new Set<string>();
  for (const o of model.occupations) {
    for (const text of [o.occupation.description, ...o.tasks]) {
      for (const w of text.toLowerCase().split(/[^a-z0-9]+/)) prose.add(w.endsWith('s') ? w.slice(0, -1) : w);
    }
  }
  const names = new Set(model.skills.map((s) => s.name.toLowerCase()));
  const candidates = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const skill of model.skills) {
    const alias = VENDORS.exec(skill.name)?.[2];
    if (!alias || !/^[A-Z0-9.]/.test(alias) || names.has(alias.toLowerCase())) continue;
    const words = alias
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '')
      .map((w) => (w.endsWith('s') ? w.slice(0, -1) : w));
    if (words.every((w) => prose.has(w))) continue;
    candidates.set(skill.name, alias);
    seen.set(alias.toLowerCase(), (seen.get(alias.toLowerCase()) ?? 0) + 1);
  }
  for (const [name, alias] of candidates) if (seen.get(alias.toLowerCase())! > 1) candidates.delete(name);
  return candidates;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/\+/g, '-plus')
      .replace(/#/g, '-sharp')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

interface Segment {
  company: number;
  occupation: number;
  seniority: number;
  startDay: number;
  endDay: number;
  current: boolean;
}

function candidateRecord(
  world: World,
  i: number,
): { record: CandidateRecord; occupation: number; seniority: number; careerStart: number; employers: number[] } {
  const { model, seed } = world;
  const rng = SeededRandom.forRecord(seed, STREAM.candidate, i);
  const placedJob = world.placedJobOfCandidate[i] >= 0 ? world.jobs[world.placedJobOfCandidate[i]] : undefined;

  let zh: boolean;
  let lastCompany: number;
  let baseOccupation: number;
  let finalSeniority: number;
  let years: number;
  if (placedJob) {
    zh = placedJob.zh;
    lastCompany = placedJob.company;
    finalSeniority = placedJob.seniority;
    baseOccupation = feeder(world, placedJob, rng);
    const [lo, hi] = YEARS_FOR_SENIORITY[finalSeniority];
    years = rng.int(lo, hi);
  } else {
    zh = rng.chance(world.zhShare);
    const pools = world.allCompanies[zh ? 1 : 0].members.length > 0 ? world.allCompanies[zh ? 1 : 0] : world.allCompanies[zh ? 0 : 1];
    lastCompany = pools.members.length > 0 ? pools.members[rng.weighted(pools.table)] : -1;
    const industry = model.industries[lastCompany >= 0 ? world.companies[lastCompany].industry : 0];
    baseOccupation = zh ? industry.zhOccupations[rng.weighted(industry.zhTable)] : industry.occupations[rng.weighted(industry.table)];
    years = max(0, min(35, round(rng.normal(9, 6))));
    finalSeniority = -1;
  }

  const segments = career(world, rng, { zh, lastCompany, baseOccupation, finalSeniority, years, placedJob });
  const family = model.occupations[baseOccupation].majorGroup;
  const stems = new Map<number, number>();
  const stemFor = (o: number) => {
    let s = stems.get(o);
    if (s === undefined) stems.set(o, (s = placedJob && o === placedJob.occupation ? placedJob.stem : pickStem(rng, model.occupations[o])));
    return s;
  };

  const experiences: ExperienceRecord[] = [];
  for (let k = segments.length - 1; k >= 0; k--) {
    const seg = segments[k];
    const occupation = model.occupations[seg.occupation];
    const company = seg.company >= 0 ? world.companies[seg.company] : undefined;
    const seniority = SENIORITY_ORDER[seg.seniority];
    const experience: ExperienceRecord = {
      companyName: company?.name ?? '',
      title: jobTitle(rng, occupation, seniority, family, stemFor(seg.occupation), zh),
      startDate: isoDate(seg.startDay),
      description: experienceDescription(rng, occupation, zh),
      occupationCode: occupation.occupation.code,
    };
    if (company) experience.company = company.ref;
    if (!seg.current) experience.endDate = isoDate(seg.endDay);
    experiences.push(experience);
  }
  // The placed job's own title, so the resume shows the role the firm filled.
  if (placedJob && experiences.length > 0) experiences[0].title = jobTitleOf(world, placedJob);

  const skills = candidateSkills(world, rng, segments, placedJob);
  const last = segments[segments.length - 1];
  const lastCompanyRecord = last.company >= 0 ? world.companies[last.company] : undefined;
  const location = cityIn(lastCompanyRecord && rng.chance(0.85) ? lastCompanyRecord.location : randomCity(rng, zh), zh);
  const currentTitle = experiences[0].title;
  const { name, emailLocal } = personName(rng, zh);
  const id = pad(i + 1, 6);
  const topSkills = skills.slice(0, 3).map((s) => s.skill);
  const industry = INDUSTRIES[lastCompanyRecord?.industry ?? 0];
  const nextSeniority = SENIORITY_ORDER[min(S.EXECUTIVE, last.seniority + (rng.chance(0.6) ? 1 : 0))];
  const desiredOccupation = occupationAt(model, last.occupation, S[nextSeniority], zh);
  const desiredRole = jobTitle(rng, model.occupations[desiredOccupation], nextSeniority, family, stemFor(desiredOccupation), zh);
  const [currency, payFactor] = currencyFor(location);
  const pay = salaryUsd(family, S[nextSeniority]) * payFactor * (0.9 + 0.3 * rng.float());
  const desiredLocations = [location];
  if (rng.chance(0.4)) {
    const other = randomCity(rng, zh);
    if (other !== location) desiredLocations.push(other);
  }

  const record: CandidateRecord = {
    type: 'candidate',
    source: DEMO_SOURCE,
    externalId: `cand-${id}`,
    name,
    headline: zh
      ? `${currentTitle}｜${years}年经验｜${topSkills.join(' / ')}`
      : `${currentTitle} · ${topSkills.join(', ')} · ${years}+ years`,
    summary: zh
      ? `${years}年${industry.nameZh}行业经验，现任${lastCompanyRecord?.name ?? ''}${currentTitle}。擅长${topSkills.join('、')}。${rng.pick(zhDuties(model.occupations[last.occupation].occupation.code))}。`
      : `${currentTitle} with ${years} years of experience in ${industry.name}, most recently at ${(lastCompanyRecord?.name ?? 'a private company').replace(/\.$/, '')}. ` +
        `Strong in ${topSkills.join(', ')}. Day to day I ${inSentence(rng.pick(model.occupations[last.occupation].tasks))}.`,
    location,
    yearsExperience: years,
    languages: zh
      ? rng.chance(0.6)
        ? ['zh', 'en']
        : ['zh']
      : rng.chance(0.12)
        ? ['en', rng.pick(['es', 'fr', 'de', 'hi', 'zh'])]
        : ['en'],
    email: `${emailLocal}.${id}@example.com`,
    phone: zh
      ? `+86-555-${pad(rng.int(0, 9999), 4)}-${pad(rng.int(0, 9999), 4)}`
      : `+1-${rng.int(201, 989)}-555-01${pad(rng.int(0, 99), 2)}`,
    currentTitle,
    desiredRoles: [desiredRole],
    desiredLocations,
    desiredSalaryMin: roundK(pay * 0.95),
    desiredSalaryMax: roundK(pay * 1.2),
    salaryCurrency: currency,
    owner: world.consultants.length > 0 ? rng.pick(world.consultants) : undefined,
    experiences,
    education: education(rng, zh, family, segments[0].startDay),
    skills,
  };
  if (!record.owner) delete record.owner;
  return {
    record,
    occupation: last.occupation,
    seniority: last.seniority,
    careerStart: segments[0].startDay,
    employers: segments.filter((seg) => seg.company >= 0).map((seg) => seg.company),
  };
}

/** For a placed job, the occupation the candidate's career grew in (a manager job is reached from its family). */
function feeder(world: World, job: JobPlan, rng: SeededRandom): number {
  const { model } = world;
  const occupation = model.occupations[job.occupation];
  if (occupation.majorGroup !== '11' || job.family === '11') return job.occupation;
  const industry = model.industries[world.companies[job.company].industry];
  const list = job.zh ? industry.zhOccupations : industry.occupations;
  const inFamily = Array.from(list).filter((o) => model.occupations[o].majorGroup === job.family);
  return inFamily.length > 0 ? rng.pick(inFamily) : job.occupation;
}

function jobTitleOf(world: World, job: JobPlan): string {
  const rng = SeededRandom.forRecord(world.seed, STREAM.jobTitle, job.index);
  return jobTitle(rng, world.model.occupations[job.occupation], SENIORITY_ORDER[job.seniority], job.family, job.stem, job.zh);
}

/**
 * Builds a career backwards from its last company: each earlier employer is usually one
 * whose people tend to move to the next one (its `destinations`), else a peer in the same
 * industry and market, so company-to-company talent flow has structure to learn.
 */
function career(
  world: World,
  rng: SeededRandom,
  c: { zh: boolean; lastCompany: number; baseOccupation: number; finalSeniority: number; years: number; placedJob?: JobPlan },
): Segment[] {
  const { model, asOfDay } = world;
  const years = c.years;
  const count = max(1, min(6, 1 + floor(years / (2 + 2.5 * rng.float()))));
  // A placed candidate is still in the placed job unless there was time to leave it since.
  const lastCurrent = c.placedJob ? c.placedJob.placementDay > asOfDay - 120 || rng.chance(0.9) : rng.chance(0.78);
  const careerEnd = lastCurrent ? asOfDay : c.placedJob ? rng.int(c.placedJob.placementDay + 60, asOfDay - 1) : asOfDay - rng.int(20, 300);
  const careerStart = min(careerEnd - 120, asOfDay - round(years * 365.25) - rng.int(0, 90));

  // Tenure shares, then cut points; the placed job fixes the last start.
  const shares = Array.from({ length: count }, () => 0.5 + rng.float());
  const total = shares.reduce((a, b) => a + b, 0);
  const starts: number[] = [];
  let day = careerStart;
  const span = careerEnd - careerStart;
  for (let k = 0; k < count; k++) {
    starts.push(round(day));
    day += (span * shares[k]) / total;
  }
  if (c.placedJob) {
    starts[count - 1] = c.placedJob.placementDay;
    for (let k = count - 2; k >= 0; k--) starts[k] = min(starts[k], starts[k + 1] - 120);
  }

  const segments: Segment[] = [];
  let company = c.lastCompany;
  for (let k = count - 1; k >= 0; k--) {
    const startDay = starts[k];
    const next = segments[0];
    // Leave a short gap now and then between jobs.
    const endDay = k === count - 1 ? careerEnd : max(startDay + 60, next.startDay - (rng.chance(0.3) ? rng.int(7, 120) : 1));
    segments.unshift({ company, occupation: c.baseOccupation, seniority: 0, startDay, endDay, current: k === count - 1 && lastCurrent });
    if (k > 0) company = previousCompany(world, rng, company, c.zh, segments);
  }
  // Ends must not run past the next start; the gap logic above can only push them later for very short spans.
  for (let k = 0; k < segments.length - 1; k++) {
    if (segments[k].endDay >= segments[k + 1].startDay) segments[k].endDay = segments[k + 1].startDay - 1;
    if (segments[k].endDay <= segments[k].startDay) segments[k].startDay = segments[k].endDay - 30;
  }

  // Seniority grows with years worked at each start; a placed job fixes the last one.
  const pace = 0.75 + 0.55 * rng.float();
  let previous = 0;
  for (let k = 0; k < segments.length; k++) {
    const yearsIn = ((segments[k].startDay - segments[0].startDay) / 365.25 + (k === 0 ? 0 : 0.5)) * pace;
    let s = seniorityForYears(yearsIn, rng, k === 0 && segments.length > 1, model.occupations[c.baseOccupation].majorGroup);
    if (c.finalSeniority >= 0) s = k === segments.length - 1 ? c.finalSeniority : min(s, c.finalSeniority);
    s = max(s, previous);
    previous = s;
    segments[k].seniority = s;
    const base = k < segments.length - 1 && rng.chance(0.15) ? sibling(model, c.baseOccupation, rng, c.zh) : c.baseOccupation;
    segments[k].occupation = occupationAt(model, base, s, c.zh);
  }
  if (c.placedJob) segments[segments.length - 1].occupation = c.placedJob.occupation;
  // Internships last a season or two, then a gap until the first real job.
  const first = segments[0];
  if (first.seniority === S.INTERN && segments.length > 1) first.startDay = max(first.startDay, first.endDay - rng.int(60, 270));
  return segments;
}

function seniorityForYears(years: number, rng: SeededRandom, first: boolean, group: string): number {
  if (years < 1) return first && group !== '11' && rng.chance(0.25) ? S.INTERN : S.JUNIOR;
  if (years < 3) return S.JUNIOR;
  if (years < 6) return S.MID;
  if (years < 10) return S.SENIOR;
  if (years < 14) return rng.chance(0.6) ? S.LEAD : S.SENIOR;
  if (years < 18) return rng.pick([S.LEAD, S.PRINCIPAL, S.DIRECTOR]);
  return rng.pick([S.PRINCIPAL, S.DIRECTOR, S.DIRECTOR, S.EXECUTIVE]);
}

/** Another occupation in the same SOC broad group (e.g. 15-125x), for early-career moves. */
function sibling(model: DemoModel, occupation: number, rng: SeededRandom, zh: boolean): number {
  const code = model.occupations[occupation].occupation.code;
  const broad = code.slice(0, 6);
  // Occupations are sorted by code, so the broad group's members sit next to this one.
  const near: number[] = [];
  for (let k = max(0, occupation - 8); k < min(model.occupations.length, occupation + 9); k++) {
    const o = model.occupations[k];
    if (k !== occupation && o.occupation.code.startsWith(broad) && (!zh || o.zhTitles)) near.push(k);
  }
  return near.length > 0 ? rng.pick(near) : occupation;
}

/** An employer before `next`; people rarely return to a company already on their path (later segments). */
function previousCompany(world: World, rng: SeededRandom, next: number, zh: boolean, later: Segment[]): number {
  if (next < 0) return -1;
  const fresh = (c: number | undefined): c is number =>
    c !== undefined && c !== next && (later.every((s) => s.company !== c) || rng.chance(0.1));
  const sources = world.sources[next];
  if (sources.length > 0 && rng.chance(0.65)) {
    for (let tries = 0; tries < 3; tries++) {
      const c = rng.pick(sources);
      if (fresh(c)) return c;
    }
  }
  const company = world.companies[next];
  const peers = rng.chance(0.85) ? world.companyPools[company.industry][zh ? 1 : 0] : world.allCompanies[zh ? 1 : 0];
  const from = peers.members.length > 1 ? peers : world.allCompanies[company.zh ? 1 : 0];
  for (let tries = 0; tries < 6; tries++) {
    const c = from.members[rng.weighted(from.table)];
    if (fresh(c)) return c;
  }
  return next;
}

function candidateSkills(world: World, rng: SeededRandom, segments: Segment[], placedJob?: JobPlan): CandidateSkillRecord[] {
  const { model } = world;
  // Skill indices in the order first met, with the days of work they were used in.
  const order: number[] = [];
  const days: number[] = [];
  const add = (skill: number, d: number) => {
    const k = order.indexOf(skill);
    if (k < 0) {
      order.push(skill);
      days.push(d);
    } else days[k] += d;
  };
  if (placedJob) {
    for (const s of jobSkillIndices(world, placedJob)) if (s.requirement === 'REQUIRED' || rng.chance(0.5)) add(s.skill, 0);
  }
  for (const seg of segments) {
    const occupation = model.occupations[seg.occupation];
    const d = (seg.current ? world.asOfDay : seg.endDay) - seg.startDay;
    const draws = rng.int(3, 6);
    for (let k = 0; k < draws; k++) add(occupation.skills[rng.weighted(occupation.skillTable)], d);
  }
  const count = min(order.length, 15);
  const out: CandidateSkillRecord[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const years = max(1, round(days[k] / 365.25));
    const level = max(1, min(5, 1 + floor(years / 2.5) + rng.int(-1, 1)));
    out[k] = { skill: world.skillNames[order[k]], level, years };
  }
  out.sort((a, b) => b.level! - a.level! || b.years! - a.years!);
  return out;
}

function education(rng: SeededRandom, zh: boolean, family: string, careerStartDay: number): EducationRecord[] {
  const endYear = new Date(careerStartDay * DAY).getUTCFullYear() - (rng.chance(0.3) ? 1 : 0);
  const fields = zh ? (ZH_FIELDS[family] ?? ZH_FIELDS['11']) : (EN_FIELDS[family] ?? EN_FIELDS['11']);
  const field = rng.pick(fields);
  const degree = (d: (typeof EN_DEGREES)[number]) => (zh ? ZH_DEGREES[d] : d);
  const out: EducationRecord[] = [];
  const postgraduate = rng.chance(0.35);
  const phd = postgraduate && ['15', '17', '19', '29'].includes(family) && rng.chance(0.2);
  const bachelorEnd = endYear - (phd ? 7 : postgraduate ? 2 : 0);
  const associate = !postgraduate && ['43', '47', '49', '51', '53'].includes(family) && rng.chance(0.4);
  out.push({
    school: schoolName(rng, zh),
    degree: degree(associate ? 'Associate' : 'Bachelor'),
    field,
    startYear: bachelorEnd - (associate ? 2 : 4),
    endYear: bachelorEnd,
  });
  if (postgraduate) {
    out.push({
      school: schoolName(rng, zh),
      degree: degree(phd ? 'PhD' : 'Master'),
      field: rng.pick(fields),
      startYear: bachelorEnd,
      endYear,
    });
  }
  return out.reverse();
}

/** Required and preferred skills of a job; a pure function of the job so candidates placed there can share them. */
function jobSkillIndices(world: World, job: JobPlan): { skill: number; requirement: 'REQUIRED' | 'PREFERRED' }[] {
  const rng = SeededRandom.forRecord(world.seed, STREAM.jobSkills, job.index);
  const occupation = world.model.occupations[job.occupation];
  const want = min(occupation.skills.length, rng.int(3, 6) + rng.int(1, 4));
  const required = max(1, min(want - 1, rng.int(2, 5)));
  const chosen: number[] = [];
  for (let tries = 0; tries < want * 6 && chosen.length < want; tries++) {
    const s = occupation.skills[rng.weighted(occupation.skillTable)];
    if (!chosen.includes(s)) chosen.push(s);
  }
  return chosen.map((skill, k) => ({ skill, requirement: k < required ? 'REQUIRED' : 'PREFERRED' }));
}

function jobRecord(world: World, j: number): JobRecord {
  const job = world.jobs[j];
  const { model } = world;
  const rng = SeededRandom.forRecord(world.seed, STREAM.jobText, j);
  const occupation = model.occupations[job.occupation];
  const company = world.companies[job.company];
  const title = jobTitleOf(world, job);
  const skills = jobSkillIndices(world, job);
  const names = (r: string) => skills.filter((s) => s.requirement === r).map((s) => world.skillNames[s.skill]);
  const required = names('REQUIRED');
  const preferred = names('PREFERRED');
  const [minYears] = YEARS_FOR_SENIORITY[job.seniority];
  const tasks = pickDistinct(rng, occupation.tasks, 4);
  let description: string;
  if (job.zh) {
    const duties = pickDistinct(rng, zhDuties(occupation.occupation.code), 4);
    description = [
      `${company.name}招聘${title}（${job.location}）。`,
      '岗位职责：',
      ...duties.map((d, k) => `${k + 1}. ${d}；`),
      '任职要求：',
      `1. 本科及以上学历，${minYears > 0 ? `${minYears}年以上相关工作经验` : '应届生或实习生均可'}；`,
      `2. 熟悉${required.join('、')}；`,
      ...(preferred.length > 0 ? [`3. 有${preferred.join('、')}经验者优先。`] : []),
    ].join('\n');
  } else {
    description = [
      `${company.name} is hiring a ${title} in ${job.location}.`,
      '',
      'What you will do:',
      ...tasks.map((t) => `- ${t}`),
      '',
      'What we look for:',
      `- ${minYears > 0 ? `${minYears}+ years of relevant experience` : 'Students and recent graduates welcome'}`,
      `- Hands-on with ${required.join(', ')}`,
      ...(preferred.length > 0 ? [`- Nice to have: ${preferred.join(', ')}`] : []),
    ].join('\n');
  }
  const [currency, factor] = currencyFor(job.location);
  const mid = salaryUsd(job.family, job.seniority) * factor * (0.9 + 0.2 * rng.float());
  const record: JobRecord = {
    type: 'job',
    ...job.ref,
    company: company.ref,
    title,
    description,
    seniority: SENIORITY_ORDER[job.seniority],
    location: job.location,
    salaryMin: roundK(mid * 0.85),
    salaryMax: roundK(mid * 1.2),
    salaryCurrency: currency,
    status: job.closedDay >= 0 ? 'CLOSED' : 'OPEN',
    openedAt: isoDate(job.openedDay),
    occupationCode: occupation.occupation.code,
    skills: skills.map((s): JobSkillRecord => ({ skill: world.skillNames[s.skill], requirement: s.requirement })),
  };
  if (job.closedDay >= 0) record.closedAt = isoDate(job.closedDay);
  if (world.consultants.length > 0) record.owner = rng.pick(world.consultants);
  return record;
}

const PIPELINE: ApplicationStage[] = ['SOURCED', 'CONTACTED', 'SCREENING', 'INTERVIEW', 'OFFER'];
/**
 * How far an application gets is an ordered logit on its latent fit: with u = fit + logistic noise, it
 * passes each stage after SOURCED whose cut u exceeds, so P(reaches INTERVIEW) = sigmoid(fit).
 */
const STAGE_CUTS = [-2.5, -1.5, 0, 1.5];
/** Employers and skills of each candidate that the latent fit looks at (their latest ones, their strongest). */
const MAX_EMPLOYERS = 6;
const MAX_SKILLS = 15;

interface CandidatePool {
  /** Candidate indices by the occupation of their latest job, and by its SOC broad group. */
  byOccupation: Map<number, number[]>;
  byBroadGroup: Map<string, number[]>;
  seniority: Uint8Array;
  careerStart: Int32Array;
  /** The occupation of their latest job. */
  occupation: Int32Array;
  /** Their city, as a code of `cities` (a Chinese city's two spellings share one). */
  city: Int32Array;
  cities: Map<string, number>;
  /** MAX_EMPLOYERS company indices per candidate (-1: none), oldest first. */
  employers: Int32Array;
  /** MAX_SKILLS skill indices per candidate (-1: none), strongest first. */
  skills: Int32Array;
  /** Hidden merit, N(0, 1): what a consultant sees in an interview and no record holds. */
  merit: Float32Array;
}

function cityCode(pool: CandidatePool, location: string): number {
  const key = ZH_CITIES.find((c) => c[0] === location || c[1] === location)?.[0] ?? location;
  let code = pool.cities.get(key);
  if (code === undefined) pool.cities.set(key, (code = pool.cities.size));
  return code;
}

function listIn<K>(map: Map<K, number[]>, key: K): number[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/**
 * The true fit of a candidate to a job on the log-odds scale, from what the generator knows and the hub
 * does not see as such: the same occupation (not only its family), how many of the job's skills are among
 * their strongest (required count double), grades of seniority apart, the same city, whether one of their
 * employers is a company whose people move on to the hiring company (the planned talent flow, not the
 * moves recorded), and their hidden merit. No score component of the hub is computed here.
 */
export function latentFit(facts: {
  sameOccupation: boolean;
  skillShare: number;
  gradesApart: number;
  sameCity: boolean;
  flow: boolean;
  merit: number;
}): number {
  return (
    -1.4 +
    0.8 * (facts.sameOccupation ? 1 : 0) +
    3.5 * facts.skillShare -
    1.1 * facts.gradesApart +
    1.2 * (facts.sameCity ? 1 : 0) +
    1.0 * (facts.flow ? 1 : 0) +
    0.7 * facts.merit
  );
}

function fitOf(world: World, job: JobPlan, pool: CandidatePool, c: number, jobCity: number): number {
  const wanted = jobSkillIndices(world, job);
  const held = pool.skills.subarray(c * MAX_SKILLS, (c + 1) * MAX_SKILLS);
  let got = 0;
  let total = 0;
  for (const s of wanted) {
    const w = s.requirement === 'REQUIRED' ? 2 : 1;
    total += w;
    if (held.includes(s.skill)) got += w;
  }
  const sources = world.sources[job.company];
  const employers = pool.employers.subarray(c * MAX_EMPLOYERS, (c + 1) * MAX_EMPLOYERS);
  return latentFit({
    sameOccupation: pool.occupation[c] === job.occupation,
    skillShare: total > 0 ? got / total : 0,
    gradesApart: abs(pool.seniority[c] - job.seniority),
    sameCity: pool.city[c] === jobCity,
    flow: employers.some((e) => e >= 0 && e !== job.company && sources.includes(e)),
    merit: pool.merit[c],
  });
}

/**
 * How many people a search considers (its long list): a search firm sources and screens a few dozen
 * for a role, most of whom are turned down early; fewer when the hub holds fewer plausible people.
 */
const LONG_LIST: [number, number] = [10, 40];

/**
 * Applicants are people a consultant would plausibly put forward: the job's occupation (or a
 * neighbour in its broad group), a seniority within one grade, already working when the job
 * opened; a few misfits get through, as in any real pipeline. How far each gets depends on their
 * latent fit (`latentFit`) plus noise; withdrawals do not.
 */
function applicationsFor(world: World, j: number, pool: CandidatePool): ApplicationRecord[] {
  const job = world.jobs[j];
  const rng = SeededRandom.forRecord(world.seed, STREAM.application, j);
  const same = pool.byOccupation.get(job.occupation) ?? [];
  const broad = pool.byBroadGroup.get(world.model.occupations[job.occupation].occupation.code.slice(0, 6)) ?? [];
  const wanted = min(broad.length, rng.int(...LONG_LIST));
  const chosen = new Set<number>();
  for (let tries = 0; tries < wanted * 6 && chosen.size < wanted; tries++) {
    const c = rng.pick(same.length > 0 && rng.chance(0.75) ? same : broad);
    if (c === job.placed || pool.careerStart[c] >= job.openedDay) continue;
    if (abs(pool.seniority[c] - job.seniority) > 1 && !rng.chance(0.1)) continue;
    chosen.add(c);
  }
  const windowEnd = job.closedDay >= 0 ? job.closedDay : world.asOfDay;
  const jobCity = cityCode(pool, job.location);
  const out: ApplicationRecord[] = [];
  for (const c of [...chosen].sort((a, b) => a - b)) {
    const u = fitOf(world, job, pool, c, jobCity) + logisticNoise(rng);
    let reached = STAGE_CUTS.filter((cut) => u > cut).length;
    let end: ApplicationStage | undefined;
    if (job.closedDay >= 0) {
      end = rng.chance(0.8) ? 'REJECTED' : 'WITHDRAWN';
    } else if (rng.chance(0.45)) {
      // Still in the pipeline: somewhere on the way to where their fit would take them.
      reached = rng.int(0, reached);
    } else {
      end = rng.chance(0.7) ? 'REJECTED' : 'WITHDRAWN';
    }
    // A withdrawal stops the pipeline wherever it had got, which is no measure of fit.
    if (end === 'WITHDRAWN') reached = rng.int(0, reached);
    const stages = PIPELINE.slice(0, reached + 1).concat(end ? [end] : []);
    out.push(application(rng, job, c, stages, job.openedDay, windowEnd));
  }
  if (job.placed >= 0) {
    out.push(application(rng, job, job.placed, [...PIPELINE, 'PLACED'], job.openedDay, job.closedDay));
  }
  return out;
}

function logisticNoise(rng: SeededRandom): number {
  const p = min(1 - 1e-9, max(1e-9, rng.float()));
  return Math.log(p / (1 - p));
}

function application(
  rng: SeededRandom,
  job: JobPlan,
  candidate: number,
  stages: ApplicationStage[],
  fromDay: number,
  toDay: number,
): ApplicationRecord {
  // Spread the stage changes over the window, strictly increasing, in office hours.
  const span = max(1, toDay - fromDay) * DAY;
  let at = fromDay * DAY + floor(rng.float() * 0.3 * span);
  const step = (fromDay * DAY + span - at) / (stages.length + 1);
  const times = stages.map(() => {
    at += max(3_600_000, floor(step * (0.5 + rng.float())));
    const day = floor(at / DAY) * DAY;
    at = max(at, day + 9 * 3_600_000);
    return at;
  });
  // The last stage must not pass the window's end (a placement before its start date).
  for (let k = times.length - 1; k >= 0; k--) {
    const cap = k === times.length - 1 ? toDay * DAY + 18 * 3_600_000 : times[k + 1] - 3_600_000;
    if (times[k] > cap) times[k] = cap;
  }
  const history: StageChange[] = stages.map((stage, k) => ({ stage, at: isoTimestamp(times[k]) }));
  return {
    type: 'application',
    source: DEMO_SOURCE,
    externalId: '',
    candidate: candidateRef(candidate),
    job: job.ref,
    stage: stages[stages.length - 1],
    history,
  };
}

/** Fee band by the role's pay level in USD terms (the firm's fee is a share of first-year pay). */
function feeBand(job: JobPlan): FeeBand {
  const usd = salaryUsd(job.family, job.seniority);
  return usd < 80_000 ? 'A' : usd < 130_000 ? 'B' : usd < 200_000 ? 'C' : 'D';
}

function salaryUsd(family: string, seniority: number): number {
  return BASE_SALARY_USD[seniority] * (GROUP_PAY[family] ?? 1);
}

function currencyFor(location: string): [string, number] {
  const known = CURRENCY_BY_CITY[location];
  if (known) return known;
  return ZH_CITIES.some((c) => c[0] === location || c[1] === location) ? CNY : USD;
}

/** A Chinese city is written in the record's language: 上海 in Chinese text, Shanghai in English. */
function cityIn(location: string, zh: boolean): string {
  const city = ZH_CITIES.find((c) => c[0] === location || c[1] === location);
  return city ? city[zh ? 0 : 1] : location;
}

function randomCity(rng: SeededRandom, zh: boolean): string {
  return zh ? ZH_CITIES[rng.weighted(ZH_CITY_TABLE)][0] : EN_CITIES[rng.weighted(EN_CITY_TABLE)][0];
}

function pickDistinct<T>(rng: SeededRandom, items: readonly T[], n: number): T[] {
  const out: T[] = [];
  for (let tries = 0; tries < n * 4 && out.length < min(n, items.length); tries++) {
    const item = rng.pick(items);
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

function candidateRef(i: number): Ref {
  return { source: DEMO_SOURCE, externalId: `cand-${pad(i + 1, 6)}` };
}

const ISO_DATES = new Map<number, string>();

/**
 * `YYYY-MM-DD` of a day number (days since 1970-01-01). Memoised: the data set spans a few
 * thousand distinct days and Date#toISOString was the generator's hottest call.
 */
function isoDate(day: number): string {
  let text = ISO_DATES.get(day);
  if (text === undefined) ISO_DATES.set(day, (text = new Date(day * DAY).toISOString().slice(0, 10)));
  return text;
}

/** An ISO timestamp built from the memoised date; same output as Date#toISOString. */
function isoTimestamp(ms: number): string {
  const day = floor(ms / DAY);
  const rest = ms - day * DAY;
  const h = floor(rest / 3_600_000);
  const m = floor((rest % 3_600_000) / 60_000);
  const sec = floor((rest % 60_000) / 1000);
  return `${isoDate(day)}T${pad(h, 2)}:${pad(m, 2)}:${pad(sec, 2)}.${pad(rest % 1000, 3)}Z`;
}

function roundK(n: number): number {
  return round(n / 1000) * 1000;
}

function pad(n: number, width: number): string {
  return `${n}`.padStart(width, '0');
}
