import { INDUSTRIES } from '../../../src/demo/demo-industries';
import { demoModel } from '../../../src/demo/demo-occupation-model';
import { ZH_DUTIES, ZH_TITLES, zhDuties } from '../../../src/demo/demo-vocabulary-zh';
import { loadTaxonomy } from '../../../src/hub/taxonomy/taxonomy-loader';

// The hand-written vocabularies name O*NET codes; these catch a typo or a code the
// generator cannot use (too few titles, tasks or skills), which would silently drop it.
describe('demo occupation model', () => {
  const model = demoModel(loadTaxonomy());

  it('can use every occupation the Chinese vocabulary titles', () => {
    expect(Object.keys(ZH_TITLES).filter((code) => !model.byCode.has(code))).toEqual([]);
  });

  it('keys Chinese duty lines by prefixes of usable occupations, most specific first', () => {
    expect(Object.keys(ZH_DUTIES).filter((p) => !model.occupations.some((o) => o.occupation.code.startsWith(p)))).toEqual([]);
    expect(zhDuties('15-2051.01')).toBe(ZH_DUTIES['15-2051.01']);
    expect(zhDuties('15-2051.00')).toBe(ZH_DUTIES['15-2051']);
    expect(zhDuties('15-1252.00')).toBe(ZH_DUTIES['15']);
    expect(zhDuties('53-3032.00')).toBe(ZH_DUTIES['11']);
  });

  it('finds occupations for every prefix an industry hires, in both languages', () => {
    const unmatched = INDUSTRIES.flatMap((industry) =>
      Object.keys(industry.hires)
        .filter((prefix) => !model.occupations.some((o) => o.occupation.code.startsWith(prefix)))
        .map((prefix) => `${industry.name}: ${prefix}`),
    );
    expect(unmatched).toEqual([]);
    for (const industry of model.industries) {
      expect(industry.occupations.length).toBeGreaterThan(10);
      expect(industry.zhOccupations.length).toBeGreaterThan(5);
    }
  });

  it('ranks title stems that share the occupation title words first', () => {
    const dev = model.byCode.get('15-1252.00')!;
    expect(dev.stems[0]).toBe('Software Developer');
    expect(dev.stems.every((t) => !/\b(Senior|Lead|Junior|Chief)\b/.test(t))).toBe(true);
  });

  it('favours hot and in-demand skills when drawing for an occupation', () => {
    const scientist = model.byCode.get('15-2051.00')!;
    const weights = Array.from(scientist.skillTable.cumulative, (c, i) => c - (i > 0 ? scientist.skillTable.cumulative[i - 1] : 0));
    const python = scientist.skills.indexOf(model.skillIndexByName.get('Python')!);
    expect(python).toBeGreaterThanOrEqual(0);
    expect(weights[python]).toBe(Math.max(...weights));
  });
});
