import { parseOnet } from '../../../src/hub/taxonomy/onet-tsv-parser';
import { TaxonomyError } from '../../../src/hub/taxonomy/taxonomy-error';

const occupationData = [
  'O*NET-SOC Code\tTitle\tDescription',
  '15-1252.00\tSoftware Developers\tResearch, design, and develop software.',
  '13-2011.00\tAccountants and Auditors\tExamine financial statements.',
].join('\n');
const alternateTitles = [
  'O*NET-SOC Code\tTitle\tAlternate Title\tShort Title\tSource(s)',
  '15-1252.00\tSoftware Developers\tBackend Engineer\t\t08',
  '15-1252.00\tSoftware Developers\tArtificial Intelligence Specialist (AI Specialist)\tAI Specialist\t08',
  '15-1252.00\tSoftware Developers\tBackend Engineer\t\t04',
].join('\n');
const taskStatements = [
  'O*NET-SOC Code\tTitle\tTask ID\tTask\tTask Type\tIncumbents Responding\tDate\tDomain Source',
  '15-1252.00\tSoftware Developers\t1\tModify existing software.\tSupplemental\t1\t08/2023\tIncumbent',
  '15-1252.00\tSoftware Developers\t2\tAnalyze user needs.\tCore\t1\t08/2023\tIncumbent',
].join('\n');
const technologySkills = [
  'O*NET-SOC Code\tTitle\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand',
  '15-1252.00\tSoftware Developers\tPython\t43232405\tObject or component oriented development software\tY\tY',
  '13-2011.00\tAccountants and Auditors\tPython\t43232405\tObject or component oriented development software\tY\tN',
  '13-2011.00\tAccountants and Auditors\tMicrosoft Excel\t43232110\tSpreadsheet software\tY\tN',
].join('\r\n');

describe('parseOnet', () => {
  const texts = { occupationData, alternateTitles, taskStatements, technologySkills };

  it('assembles occupations with titles and core tasks first', () => {
    const { occupations } = parseOnet(texts);
    expect(occupations.map((o) => o.code)).toEqual(['13-2011.00', '15-1252.00']);
    const dev = occupations[1];
    expect(dev.alternateTitles).toEqual(['Backend Engineer', 'Artificial Intelligence Specialist (AI Specialist)']);
    expect(dev.shortTitles).toEqual(['AI Specialist']);
    expect(dev.tasks).toEqual([
      { text: 'Analyze user needs.', core: true },
      { text: 'Modify existing software.', core: false },
    ]);
  });

  it('merges a technology across occupations and keeps per-occupation demand', () => {
    const { skills } = parseOnet(texts);
    expect(skills.map((s) => s.name)).toEqual(['Microsoft Excel', 'Python']);
    expect(skills[1]).toEqual({
      name: 'Python',
      commodityCode: 43232405,
      commodityTitle: 'Object or component oriented development software',
      hot: true,
      inDemand: true,
      occupationCodes: ['13-2011.00', '15-1252.00'],
      inDemandFor: ['15-1252.00'],
    });
    expect(skills[0].inDemand).toBe(false);
  });

  it('rejects a file without the expected columns, naming the file', () => {
    const bad = { ...texts, taskStatements: 'Code\tTask\n15-1252.00\tx' };
    expect(() => parseOnet(bad)).toThrow(TaxonomyError);
    expect(() => parseOnet(bad)).toThrow(/Task Statements\.txt: header lacks column\(s\) "O\*NET-SOC Code", "Task Type"/);
  });

  it('rejects rows for unknown occupations and malformed codes with the line number', () => {
    const unknown = { ...texts, alternateTitles: `${alternateTitles}\n99-9999.00\tX\tY\t\t08` };
    expect(() => parseOnet(unknown)).toThrow(/Alternate Titles\.tsv: occupation 99-9999\.00 is not in Occupation Data\.txt/);
    const malformed = {
      ...texts,
      technologySkills: technologySkills.replace('13-2011.00\tAccountants and Auditors\tMicrosoft', '13-2011\tA\tMicrosoft'),
    };
    expect(() => parseOnet(malformed)).toThrow(/Technology Skills\.txt:4: "13-2011" is not an O\*NET-SOC code/);
  });
});
