import { Seniority } from '../hub/records';
import { INDUSTRIES } from './demo-industries';
import { ModelOccupation } from './demo-occupation-model';
import { SeededRandom } from '../shared/random';
import {
  EN_COMPANY_HEADS,
  EN_COMPANY_SUFFIXES,
  EN_COMPANY_TAILS,
  EN_DIRECTOR_TITLES,
  EN_EXECUTIVE_TITLES,
  EN_FIRST_NAMES,
  EN_LAST_NAMES,
  EN_SCHOOL_PATTERNS,
  EN_SCHOOL_ROOTS,
  EN_SENIORITY_PREFIX,
} from './demo-vocabulary-en';
import {
  ZH_BRAND_SYLLABLES,
  zhDuties,
  ZH_EXECUTIVE_DEFAULT,
  ZH_EXECUTIVE_TITLES,
  ZH_GIVEN_CHARS,
  ZH_LEAD_SUFFIX,
  ZH_SCHOOL_SUFFIXES,
  ZH_SENIORITY_PREFIX,
  ZH_SURNAMES,
  ZH_TITLES,
} from './demo-vocabulary-zh';

/** Text builders for generated records, English and Chinese. Pure apart from the draws. */

/** Picks a stem index, leaning to the common stems; a career keeps its stem so titles read as one path. */
export function pickStem(rng: SeededRandom, occupation: ModelOccupation): number {
  if (rng.chance(0.85)) {
    // Earlier common stems (closest to the occupation title) come up more often.
    const i = Math.floor(occupation.commonStems * rng.float() * rng.float());
    return Math.min(i, occupation.commonStems - 1);
  }
  return rng.int(0, occupation.stems.length - 1);
}

/**
 * A job title for an occupation at a seniority. `family` is the major group the career
 * belongs to, used for director and executive titles. `stem` indexes the occupation's stems
 * (English) or Chinese titles; pass the same value along a career.
 */
export function jobTitle(
  rng: SeededRandom,
  occupation: ModelOccupation,
  seniority: Seniority,
  family: string,
  stem: number,
  zh: boolean,
): string {
  if (zh) {
    if (seniority === 'EXECUTIVE') return rng.pick(ZH_EXECUTIVE_TITLES[family] ?? ZH_EXECUTIVE_DEFAULT);
    const titles = occupation.zhTitles ?? ZH_TITLES['11-1021.00'];
    const base = titles[stem % titles.length];
    if (seniority === 'DIRECTOR' || occupation.majorGroup === '11') return base;
    if (seniority === 'INTERN') return `${base}（实习）`;
    // "经理组长" reads wrong: a lead of a manager-type title is just its senior form.
    const managerial = /(经理|总监|主管|店长|长)$/.test(base);
    if (seniority === 'LEAD' && !managerial) return base + ZH_LEAD_SUFFIX[stem % ZH_LEAD_SUFFIX.length];
    const prefix = ZH_SENIORITY_PREFIX[seniority === 'LEAD' ? 'SENIOR' : seniority];
    return prefix ? prefix[stem % prefix.length] + base : base;
  }
  if (seniority === 'EXECUTIVE') return rng.pick(EN_EXECUTIVE_TITLES[family] ?? EN_EXECUTIVE_TITLES['11']);
  if (seniority === 'DIRECTOR') return rng.pick(EN_DIRECTOR_TITLES[family] ?? EN_DIRECTOR_TITLES['11']);
  const base = occupation.stems[stem % occupation.stems.length];
  if (seniority === 'INTERN') return `${base} Intern`;
  // "Staff" is an engineering ladder word; elsewhere it reads as a job of its own.
  if (seniority === 'PRINCIPAL' && (family === '15' || family === '17') && stem % 2 === 1) return `Staff ${base}`;
  // The stem also fixes the wording ("Sr." or "Senior"), so one resume does not mix them.
  const prefix = EN_SENIORITY_PREFIX[seniority];
  return prefix ? `${prefix[stem % prefix.length]} ${base}` : base;
}

export function personName(rng: SeededRandom, zh: boolean): { name: string; emailLocal: string } {
  if (zh) {
    const surname = rng.pick(ZH_SURNAMES);
    const first = rng.pick(ZH_GIVEN_CHARS);
    const second = rng.chance(0.7) ? rng.pick(ZH_GIVEN_CHARS) : undefined;
    const given = second ? first[0] + second[0] : first[0];
    const givenPinyin = second ? first[1] + second[1] : first[1];
    return { name: surname[0] + given, emailLocal: `${givenPinyin}.${surname[1]}` };
  }
  const first = rng.pick(EN_FIRST_NAMES);
  const last = rng.pick(EN_LAST_NAMES);
  return { name: `${first} ${last}`, emailLocal: asciiLower(`${first}.${last}`) };
}

function asciiLower(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase();
}

export function englishCompanyName(rng: SeededRandom, industry: number): string {
  const root = rng.pick(EN_COMPANY_HEADS) + rng.pick(EN_COMPANY_TAILS);
  const suffix = rng.pick(EN_COMPANY_SUFFIXES);
  const word = rng.pick(INDUSTRIES[industry].nameWords);
  return suffix ? `${root} ${word} ${suffix}` : `${root} ${word}`;
}

/** A Chinese company's registered name, its short name and an English alias. */
export function chineseCompanyName(rng: SeededRandom, industry: number, city: string): { name: string; shortName: string; alias: string } {
  const a = rng.pick(ZH_BRAND_SYLLABLES);
  let b = rng.pick(ZH_BRAND_SYLLABLES);
  while (b[0] === a[0]) b = rng.pick(ZH_BRAND_SYLLABLES);
  const words = INDUSTRIES[industry];
  const w = rng.int(0, words.nameWordsZh.length - 1);
  const brand = a[0] + b[0];
  const registered = rng.chance(0.4) ? `${city}市${brand}${words.nameWordsZh[w]}有限公司` : `${brand}${words.nameWordsZh[w]}有限公司`;
  return {
    name: registered,
    shortName: brand + words.nameWordsZh[w].slice(0, 2),
    alias: `${a[1]}${b[1].toLowerCase()} ${words.nameWordsZhAlias[w]} Co., Ltd.`,
  };
}

export function schoolName(rng: SeededRandom, zh: boolean): string {
  if (zh) {
    const a = rng.pick(ZH_BRAND_SYLLABLES)[0];
    const b = rng.pick(ZH_BRAND_SYLLABLES)[0];
    return a + b + rng.pick(ZH_SCHOOL_SUFFIXES);
  }
  return rng.pick(EN_SCHOOL_PATTERNS).replace('{root}', rng.pick(EN_SCHOOL_ROOTS));
}

/** One or two duty lines for an experience, from O*NET task statements or our Chinese duty lines. */
export function experienceDescription(rng: SeededRandom, occupation: ModelOccupation, zh: boolean): string {
  if (zh) {
    const duties = zhDuties(occupation.occupation.code);
    const first = rng.pick(duties);
    const second = rng.pick(duties);
    return first === second ? `${first}。` : `${first}；${second}。`;
  }
  const first = rng.pick(occupation.tasks);
  const second = rng.pick(occupation.tasks);
  return first === second ? first : `${first} ${second}`;
}

/** Lower-cases a task statement's first letter so it reads inside a sentence. */
export function inSentence(task: string): string {
  return task.charAt(0).toLowerCase() + task.slice(1).replace(/\.$/, '');
}
