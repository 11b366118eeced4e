/**
 * The O*NET occupation and technology-skill taxonomy as the data hub uses it: occupations
 * with their alternate titles and task statements, and the software/tools O*NET lists per
 * occupation ("technology skills"). Source: O*NET 29.3 Database, USDOL/ETA, CC BY 4.0.
 */

export const ONET_RELEASE = '29.3';

export interface OccupationTask {
  text: string;
  /** O*NET marks tasks as core (most incumbents perform them) or supplemental. */
  core: boolean;
}

export interface Occupation {
  /** O*NET-SOC code, e.g. `15-1252.00`. */
  code: string;
  title: string;
  description: string;
  alternateTitles: string[];
  /** Abbreviated forms O*NET gives for some alternate titles, e.g. `CEO`. */
  shortTitles: string[];
  /** Core tasks first, each group in O*NET's order. */
  tasks: OccupationTask[];
}

export interface TechnologySkill {
  /** The O*NET example name, e.g. `Microsoft Excel`; unique case-insensitively. */
  name: string;
  /** UNSPSC commodity code, e.g. 43232202. */
  commodityCode: number;
  commodityTitle: string;
  /** O*NET "Hot Technology": frequently named in employer job postings. */
  hot: boolean;
  /** True when O*NET flags it "In Demand" for at least one occupation (see `inDemandFor`). */
  inDemand: boolean;
  /** Occupations that use it, sorted. */
  occupationCodes: string[];
  /** The subset of `occupationCodes` for which postings often ask for it. */
  inDemandFor: string[];
}

export interface Taxonomy {
  release: string;
  occupations: Occupation[];
  skills: TechnologySkill[];
  occupationByCode: ReadonlyMap<string, Occupation>;
  /** Skills per occupation code, in `skills` order. */
  skillsByOccupation: ReadonlyMap<string, TechnologySkill[]>;
}

/** Builds the lookup maps; `occupations` and `skills` are kept as given. */
export function indexTaxonomy(release: string, occupations: Occupation[], skills: TechnologySkill[]): Taxonomy {
  const occupationByCode = new Map(occupations.map((o) => [o.code, o] as const));
  const skillsByOccupation = new Map<string, TechnologySkill[]>();
  for (const skill of skills) {
    for (const code of skill.occupationCodes) {
      let list = skillsByOccupation.get(code);
      if (!list) skillsByOccupation.set(code, (list = []));
      list.push(skill);
    }
  }
  return { release, occupations, skills, occupationByCode, skillsByOccupation };
}
