import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTaxonomy, writeCompactTaxonomy, COMPACT_FILES } from '../../../src/hub/taxonomy/taxonomy-loader';
import { indexTaxonomy } from '../../../src/hub/taxonomy/onet-taxonomy';

// Reads the compact copy shipped in data/onet: the server depends on it being present and whole.
describe('loadTaxonomy', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'taxonomy-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('loads the shipped O*NET 29.3 copy with its links intact', () => {
    const started = process.hrtime.bigint();
    const taxonomy = loadTaxonomy();
    console.log(`shipped taxonomy loaded in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    expect(taxonomy.release).toBe('29.3');
    expect(taxonomy.occupations).toHaveLength(1016);
    const dev = taxonomy.occupationByCode.get('15-1252.00')!;
    expect(dev.title).toBe('Software Developers');
    expect(dev.alternateTitles.length).toBeGreaterThan(20);
    expect(dev.tasks.length).toBeGreaterThan(10);
    expect(taxonomy.occupationByCode.get('11-1011.00')!.tasks[0].core).toBe(true);
    const names = taxonomy.skillsByOccupation.get('15-1252.00')!.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['Python', 'Git']));
    for (const skill of taxonomy.skills) {
      for (const code of skill.occupationCodes) expect(taxonomy.occupationByCode.has(code)).toBe(true);
    }
  });

  it('round-trips through the compact format', () => {
    const original = loadTaxonomy();
    const small = indexTaxonomy(original.release, original.occupations.slice(0, 3), original.skills.slice(0, 5));
    const dir = join(scratch, 'roundtrip');
    writeCompactTaxonomy(small, dir);
    const back = loadTaxonomy({ dir });
    expect(back.occupations).toEqual(small.occupations);
    expect(back.skills).toEqual(small.skills);
  });

  it('says what is missing when a directory holds neither format', () => {
    expect(() => loadTaxonomy({ dir: join(scratch, 'empty') })).toThrow(
      expect.objectContaining({ reason: 'TAXONOMY_NOT_FOUND', message: expect.stringContaining('Occupation Data.txt') }),
    );
  });

  it('rejects a truncated compact copy instead of loading part of it', () => {
    const original = loadTaxonomy();
    const dir = join(scratch, 'truncated');
    writeCompactTaxonomy(indexTaxonomy(original.release, original.occupations.slice(0, 3), []), dir);
    writeFileSync(join(dir, COMPACT_FILES.manifest), JSON.stringify({ release: '29.3', occupations: 4, skills: 0 }));
    expect(() => loadTaxonomy({ dir })).toThrow(expect.objectContaining({ reason: 'TAXONOMY_MALFORMED' }));
  });
});
