import { Occupation, OccupationTask, TechnologySkill } from './onet-taxonomy';
import { TaxonomyError } from './taxonomy-error';

/**
 * Pure parsers for the O*NET database text files (tab-separated, one header line, no
 * quoting). Split from the file reading so they are tested on strings.
 */

/** The raw files' contents, keyed by their role. */
export interface OnetSourceTexts {
  occupationData: string;
  alternateTitles: string;
  technologySkills: string;
  taskStatements: string;
}

/** File names in the O*NET 29.3 text release (Alternate Titles ships as .tsv in ../shared). */
export const ONET_SOURCE_FILES: Record<keyof OnetSourceTexts, string> = {
  occupationData: 'Occupation Data.txt',
  alternateTitles: 'Alternate Titles.tsv',
  technologySkills: 'Technology Skills.txt',
  taskStatements: 'Task Statements.txt',
};

const SOC_CODE = /^\d\d-\d\d\d\d\.\d\d$/;

/**
 * Yields each data row as an object keyed by the required columns.
 * Throws TAXONOMY_MALFORMED naming the file and line when a column is missing or a code is bad.
 */
function* rows<K extends string>(file: string, text: string, columns: readonly K[]): Generator<Record<K, string>> {
  const lines = text.split(/\r?\n/);
  const header = lines[0].replace(/^\uFEFF/, '').split('\t');
  const index = columns.map((c) => header.indexOf(c));
  const missing = columns.filter((_, i) => index[i] < 0);
  if (missing.length > 0) {
    throw new TaxonomyError(
      'TAXONOMY_MALFORMED',
      `${file}: header lacks column(s) ${missing.map((m) => `"${m}"`).join(', ')}; expected an O*NET 29.x text file`,
    );
  }
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line === '') continue;
    const cells = line.split('\t');
    const row = {} as Record<K, string>;
    for (let i = 0; i < columns.length; i++) {
      const cell = cells[index[i]];
      if (cell === undefined) {
        throw new TaxonomyError('TAXONOMY_MALFORMED', `${file}:${n + 1}: missing column "${columns[i]}"`);
      }
      row[columns[i]] = cell.trim();
    }
    const code = (row as Record<string, string>)['O*NET-SOC Code'];
    if (code !== undefined && !SOC_CODE.test(code)) {
      throw new TaxonomyError('TAXONOMY_MALFORMED', `${file}:${n + 1}: "${code}" is not an O*NET-SOC code (NN-NNNN.NN)`);
    }
    yield row;
  }
}

/** Parses the four O*NET files into occupations (sorted by code) and technology skills (sorted by name). */
export function parseOnet(texts: OnetSourceTexts): { occupations: Occupation[]; skills: TechnologySkill[] } {
  const occupations = new Map<string, Occupation>();
  for (const r of rows(ONET_SOURCE_FILES.occupationData, texts.occupationData, ['O*NET-SOC Code', 'Title', 'Description'])) {
    occupations.set(r['O*NET-SOC Code'], {
      code: r['O*NET-SOC Code'],
      title: r.Title,
      description: r.Description,
      alternateTitles: [],
      shortTitles: [],
      tasks: [],
    });
  }
  const known = (file: string, code: string): Occupation => {
    const occupation = occupations.get(code);
    if (!occupation) {
      throw new TaxonomyError('TAXONOMY_MALFORMED', `${file}: occupation ${code} is not in ${ONET_SOURCE_FILES.occupationData}`);
    }
    return occupation;
  };

  const altFile = ONET_SOURCE_FILES.alternateTitles;
  for (const r of rows(altFile, texts.alternateTitles, ['O*NET-SOC Code', 'Alternate Title', 'Short Title'])) {
    const occupation = known(altFile, r['O*NET-SOC Code']);
    if (r['Alternate Title'] && !occupation.alternateTitles.includes(r['Alternate Title'])) {
      occupation.alternateTitles.push(r['Alternate Title']);
    }
    if (r['Short Title'] && !occupation.shortTitles.includes(r['Short Title'])) occupation.shortTitles.push(r['Short Title']);
  }

  const taskFile = ONET_SOURCE_FILES.taskStatements;
  const supplemental = new Map<string, OccupationTask[]>();
  for (const r of rows(taskFile, texts.taskStatements, ['O*NET-SOC Code', 'Task', 'Task Type'])) {
    const occupation = known(taskFile, r['O*NET-SOC Code']);
    // Some occupations list tasks without a type; O*NET treats those as not rated, so not core.
    const task = { text: r.Task, core: r['Task Type'] === 'Core' };
    if (task.core) occupation.tasks.push(task);
    else {
      let list = supplemental.get(occupation.code);
      if (!list) supplemental.set(occupation.code, (list = []));
      list.push(task);
    }
  }
  for (const [code, tasks] of supplemental) occupations.get(code)!.tasks.push(...tasks);

  const skillFile = ONET_SOURCE_FILES.technologySkills;
  const skills = new Map<string, TechnologySkill>();
  const columns = ['O*NET-SOC Code', 'Example', 'Commodity Code', 'Commodity Title', 'Hot Technology', 'In Demand'] as const;
  for (const r of rows(skillFile, texts.technologySkills, columns)) {
    const code = known(skillFile, r['O*NET-SOC Code']).code;
    const key = r.Example.toLowerCase();
    let skill = skills.get(key);
    if (!skill) {
      const commodityCode = Number(r['Commodity Code']);
      if (!Number.isInteger(commodityCode)) {
        throw new TaxonomyError('TAXONOMY_MALFORMED', `${skillFile}: "${r['Commodity Code']}" is not a commodity code`);
      }
      skill = {
        name: r.Example,
        commodityCode,
        commodityTitle: r['Commodity Title'],
        hot: false,
        inDemand: false,
        occupationCodes: [],
        inDemandFor: [],
      };
      skills.set(key, skill);
    }
    if (r['Hot Technology'] === 'Y') skill.hot = true;
    if (!skill.occupationCodes.includes(code)) skill.occupationCodes.push(code);
    if (r['In Demand'] === 'Y' && !skill.inDemandFor.includes(code)) {
      skill.inDemand = true;
      skill.inDemandFor.push(code);
    }
  }
  for (const skill of skills.values()) {
    skill.occupationCodes.sort();
    skill.inDemandFor.sort();
  }

  return {
    occupations: [...occupations.values()].sort((a, b) => compare(a.code, b.code)),
    skills: [...skills.values()].sort((a, b) => compare(a.name, b.name)),
  };
}

// Locale-independent, so the shipped files are byte-identical on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
