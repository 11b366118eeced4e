/**
 * The link between the two taxonomies, at the only level the data we ship supports: ISCO-08 major
 * groups (the first digit of an ESCO code; ../shared/data/esco/ISCOGroups_en.csv) and SOC 2018 major
 * groups (the first two digits of an O*NET-SOC code). Read from both classifications' definitions
 * (skill level and field of work), not from an official occupation-level crosswalk: coarse, since an
 * ISCO major group corresponds to 1 to 19 SOC major groups (Technicians: 19 of 23). The occupation-level link
 * (`linkedCodes`) is the closest occupation by label within these groups (scripts/build-esco.ts).
 */
export const ISCO_MAJOR_GROUPS: Readonly<Record<string, string>> = {
  '0': 'Armed forces occupations',
  '1': 'Managers',
  '2': 'Professionals',
  '3': 'Technicians and associate professionals',
  '4': 'Clerical support workers',
  '5': 'Service and sales workers',
  '6': 'Skilled agricultural, forestry and fishery workers',
  '7': 'Craft and related trades workers',
  '8': 'Plant and machine operators and assemblers',
  '9': 'Elementary occupations',
};

/** SOC major group -> the ISCO-08 major groups whose occupations it holds. */
export const SOC_TO_ISCO_MAJOR: Readonly<Record<string, readonly string[]>> = {
  '11': ['1', '6'], // Management (farmers and ranchers: ISCO 61)
  '13': ['2', '3'], // Business and financial operations
  '15': ['2', '3'], // Computer and mathematical
  '17': ['2', '3'], // Architecture and engineering
  '19': ['2', '3'], // Life, physical and social science
  '21': ['2', '3'], // Community and social service
  '23': ['2', '3'], // Legal
  '25': ['2', '3', '5'], // Educational instruction and library (teaching assistants: ISCO 5312)
  '27': ['2', '3'], // Arts, design, entertainment, sports and media
  '29': ['2', '3'], // Healthcare practitioners and technical
  '31': ['3', '5'], // Healthcare support
  '33': ['3', '5'], // Protective service
  '35': ['3', '5', '9'], // Food preparation and serving (chefs: ISCO 3434)
  '37': ['5', '6', '9'], // Building and grounds cleaning and maintenance
  '39': ['3', '5'], // Personal care and service (fitness instructors: ISCO 3423)
  '41': ['3', '5', '9'], // Sales and related
  '43': ['3', '4'], // Office and administrative support
  '45': ['6', '9'], // Farming, fishing and forestry
  '47': ['3', '7', '8', '9'], // Construction and extraction (supervisors: ISCO 3123)
  '49': ['3', '7'], // Installation, maintenance and repair (telecom technicians: ISCO 3522)
  '51': ['3', '7', '8', '9'], // Production (supervisors, process controllers: ISCO 312, 313)
  '53': ['3', '5', '8', '9'], // Transportation and material moving (pilots: ISCO 315; flight attendants: 5111)
  '55': ['0'], // Military specific
};

/** SOC major groups ("15") that an ISCO-08 group code (any level, "2512") corresponds to. */
export function socMajorGroupsForIsco(iscoGroup: string): string[] {
  const major = iscoGroup.charAt(0);
  return Object.entries(SOC_TO_ISCO_MAJOR)
    .filter(([, isco]) => isco.includes(major))
    .map(([soc]) => soc);
}

/** ISCO-08 major groups that an O*NET-SOC code ("15-1252.00") corresponds to; [] for an unknown major group. */
export function iscoMajorGroupsForSoc(socCode: string): string[] {
  return [...(SOC_TO_ISCO_MAJOR[socCode.slice(0, 2)] ?? [])];
}
