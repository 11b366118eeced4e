import { parseCsv, parseEscoOccupations } from '../../../src/hub/taxonomy/esco-csv-parser';
import { iscoMajorGroupsForSoc, socMajorGroupsForIsco, SOC_TO_ISCO_MAJOR } from '../../../src/hub/taxonomy/isco-soc-crosswalk';
import { occupationLabels } from '../../../src/sync/title-label-projection';

describe('ESCO occupations CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi""\nthere"\r\nd,,e\n')).toEqual([
      ['a', 'b, c', 'say "hi"\nthere'],
      ['d', '', 'e'],
    ]);
    expect(() => parseCsv('a,"open')).toThrow(/not closed/);
  });

  it('gives each occupation its code, ISCO group, label and alternative labels, sorted by code', () => {
    const csv =
      'conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description,code\n' +
      'Occupation,http://e/2,2512,software developer,"software engineer\napplication developer\nsoftware engineer",Writes software.,2512.4\n' +
      'Occupation,http://e/1,2654,technical director,"head of technical",Leads.,2654.1.7\n';
    const [first, second] = parseEscoOccupations(csv);
    expect(first).toEqual({
      uri: 'http://e/2',
      code: '2512.4',
      iscoGroup: '2512',
      title: 'software developer',
      alternateTitles: ['software engineer', 'application developer'],
      description: 'Writes software.',
    });
    expect(second.code).toBe('2654.1.7');
  });

  it('refuses a file without the expected columns', () => {
    expect(() => parseEscoOccupations('conceptUri,preferredLabel\nx,y\n')).toThrow(/header lacks column\(s\) iscoGroup/);
  });
});

describe('ISCO-08 <-> SOC major-group crosswalk', () => {
  it('links both ways and covers every ISCO major group', () => {
    expect(socMajorGroupsForIsco('2512')).toContain('15');
    expect(iscoMajorGroupsForSoc('15-1252.00')).toContain('2');
    expect(socMajorGroupsForIsco('1120')).toEqual(['11']);
    for (const major of '0123456789') expect(socMajorGroupsForIsco(major).length).toBeGreaterThan(0);
    for (const [soc, isco] of Object.entries(SOC_TO_ISCO_MAJOR)) for (const m of isco) expect(socMajorGroupsForIsco(m)).toContain(soc);
  });
});

describe('occupationLabels', () => {
  it('gives every alternate title but the title itself one label, once, with a stable id', () => {
    const o = { id: '00000000-0000-4000-8000-000000000001', code: '29-1141.00', source: 'onet', title: 'Registered Nurses' };
    const labels = occupationLabels({ ...o, alternate_titles: ['Charge Nurse', 'charge  nurse', 'registered nurses', ' ', 'RN'] });
    expect(labels.map((l) => l.label)).toEqual(['Charge Nurse', 'RN']);
    expect(labels[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(
      occupationLabels({ ...o, alternate_titles: ['RN', 'Charge Nurse'] })
        .map((l) => l.id)
        .sort(),
    ).toEqual(labels.map((l) => l.id).sort());
  });
});
