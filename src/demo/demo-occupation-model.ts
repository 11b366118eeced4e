import { Occupation, Taxonomy, TechnologySkill } from '../hub/taxonomy/onet-taxonomy';
import { EXECUTIVE_OCCUPATION, INDUSTRIES, MANAGER_BY_MAJOR_GROUP } from './demo-industries';
import { WeightTable, weightTable } from '../shared/random';
import { ZH_TITLES } from './demo-vocabulary-zh';

/**
 * What the generator needs from the taxonomy, computed once per taxonomy: the occupations
 * that can be generated, their title stems and weighted skills, and each industry's hiring
 * mix. Pure: depends only on the taxonomy.
 */

export interface ModelOccupation {
  index: number;
  occupation: Occupation;
  majorGroup: string;
  /**
   * Alternate titles usable as they are, without seniority words, e.g. `Backend Developer`;
   * the first `commonStems` share words with the occupation's own title (O*NET lists
   * alternate titles alphabetically, with no frequency, so this is our proxy for common).
   */
  stems: string[];
  commonStems: number;
  zhTitles: string[] | undefined;
  /** Indices into `DemoModel.skills`, with draw weights favouring hot and in-demand skills. */
  skills: Int32Array;
  skillTable: WeightTable;
  tasks: string[];
  /** Model index of the management occupation this family leads to, or -1. */
  manager: number;
}

export interface ModelIndustry {
  index: number;
  occupations: Int32Array;
  table: WeightTable;
  /** The subset with Chinese titles. */
  zhOccupations: Int32Array;
  zhTable: WeightTable;
}

export interface DemoModel {
  occupations: ModelOccupation[];
  byCode: Map<string, ModelOccupation>;
  /** Skills the demo uses: those in two or more occupations, or hot, or in demand. */
  skills: TechnologySkill[];
  skillIndexByName: Map<string, number>;
  industries: ModelIndustry[];
  executive: number;
}

const SENIORITY_WORD =
  /\b(Senior|Sr|Lead|Chief|Principal|Junior|Jr|Director|Head|Vice|VP|Assistant|Apprentice|Trainee|Intern|Supervisor|President|Executive|Staff|Associate)\b/i;
const USABLE_TITLE = /^[A-Za-z][A-Za-z&' -]*[A-Za-z]$/;

const cache = new WeakMap<Taxonomy, DemoModel>();

export function demoModel(taxonomy: Taxonomy): DemoModel {
  let model = cache.get(taxonomy);
  if (!model) cache.set(taxonomy, (model = buildModel(taxonomy)));
  return model;
}

function buildModel(taxonomy: Taxonomy): DemoModel {
  const skills = taxonomy.skills.filter((s) => s.occupationCodes.length >= 2 || s.hot || s.inDemand);
  const skillIndexByName = new Map(skills.map((s, i) => [s.name, i] as const));

  const occupations: ModelOccupation[] = [];
  for (const occupation of taxonomy.occupations) {
    const majorGroup = occupation.code.slice(0, 2);
    if (majorGroup === '55') continue;
    const usable = occupation.alternateTitles.filter((t) => USABLE_TITLE.test(t) && t.split(' ').length <= 4 && t.length <= 40);
    const stems = rankStems(
      occupation.title,
      usable.filter((t) => !SENIORITY_WORD.test(t)),
    );
    const own = (taxonomy.skillsByOccupation.get(occupation.code) ?? []).filter((s) => skillIndexByName.has(s.name));
    // Some occupations have unrated tasks only; use those when fewer than three are core.
    const core = occupation.tasks.filter((t) => t.core).map((t) => t.text);
    const tasks = core.length >= 3 ? core : occupation.tasks.map((t) => t.text);
    if (stems.titles.length < 2 || own.length < 3 || tasks.length < 3) continue;
    const skillIdx = Int32Array.from(own, (s) => skillIndexByName.get(s.name)!);
    occupations.push({
      index: occupations.length,
      occupation,
      majorGroup,
      stems: stems.titles,
      commonStems: stems.common,
      zhTitles: ZH_TITLES[occupation.code],
      skills: skillIdx,
      // Hot technologies and those postings ask for most are what resumes and jobs name first.
      skillTable: weightTable(own.map((s) => 1 + (s.hot ? 3 : 0) + (s.inDemandFor.includes(occupation.code) ? 2 : 0))),
      tasks,
      manager: -1,
    });
  }
  const byCode = new Map(occupations.map((o) => [o.occupation.code, o] as const));
  for (const o of occupations) o.manager = byCode.get(MANAGER_BY_MAJOR_GROUP[o.majorGroup] ?? '')?.index ?? -1;

  const industries = INDUSTRIES.map((industry, index): ModelIndustry => {
    const weights = new Map<number, number>();
    const prefixes = Object.keys(industry.hires).sort((a, b) => b.length - a.length);
    const members = new Map<string, ModelOccupation[]>();
    for (const o of occupations) {
      const prefix = prefixes.find((p) => o.occupation.code.startsWith(p));
      if (!prefix) continue;
      let list = members.get(prefix);
      if (!list) members.set(prefix, (list = []));
      list.push(o);
    }
    for (const [prefix, list] of members) {
      // Within a prefix, occupations with many alternate titles are the common ones.
      const commonness = list.map((o) => Math.sqrt(Math.min(o.occupation.alternateTitles.length, 100)));
      const total = commonness.reduce((a, b) => a + b, 0);
      list.forEach((o, i) => weights.set(o.index, (industry.hires[prefix] * commonness[i]) / total));
    }
    const all = [...weights.keys()].sort((a, b) => a - b);
    const zh = all.filter((i) => occupations[i].zhTitles);
    return {
      index,
      occupations: Int32Array.from(all),
      table: weightTable(all.map((i) => weights.get(i)!)),
      zhOccupations: Int32Array.from(zh),
      zhTable: weightTable(zh.map((i) => weights.get(i)!)),
    };
  });

  return {
    occupations,
    byCode,
    skills,
    skillIndexByName,
    industries,
    executive: byCode.get(EXECUTIVE_OCCUPATION)?.index ?? -1,
  };
}

function wordsOf(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 2 && w !== 'and' && w !== 'except' && w !== 'all' && w !== 'other')
    .map((w) => w.replace(/(ies)$/, 'y').replace(/s$/, ''));
}

/**
 * Orders stems so the most typical come first: by words shared with the occupation's own
 * title, then by how common (on average) the stem's words are among the occupation's
 * alternate titles, then shorter first. `common` counts the stems sharing a title word (at
 * most 8). O*NET lists alternate titles without frequencies; this is our proxy for the
 * titles people actually hold.
 */
function rankStems(occupationTitle: string, stems: string[]): { titles: string[]; common: number } {
  const own = new Set(wordsOf(occupationTitle));
  const words = stems.map(wordsOf);
  const frequency = new Map<string, number>();
  for (const list of words) for (const w of new Set(list)) frequency.set(w, (frequency.get(w) ?? 0) + 1);
  const scored = stems.map((title, i) => ({
    title,
    shared: words[i].filter((w) => own.has(w)).length,
    vocabulary: words[i].reduce((sum, w) => sum + (frequency.get(w) ?? 0), 0) / Math.max(1, words[i].length),
  }));
  scored.sort(
    (a, b) => b.shared - a.shared || b.vocabulary - a.vocabulary || a.title.length - b.title.length || (a.title < b.title ? -1 : 1),
  );
  const sharing = scored.filter((s) => s.shared > 0).length;
  return { titles: scored.map((s) => s.title), common: Math.max(1, Math.min(8, sharing)) };
}
