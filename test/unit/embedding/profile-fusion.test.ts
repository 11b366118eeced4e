import type { EmbedOptions, Embedder } from '../../../src/adapters/embedding/embedder';
import { embedProfile, embedProfiles, type ProfileVectors } from '../../../src/matching/profile-embedding';

/**
 * Fusion arithmetic only: each distinct text maps to its own axis, so the fused vector's
 * coordinates are exactly the section weights. Model behaviour is tested in onnx-embedder.test.ts.
 */
class AxisEmbedder implements Embedder {
  readonly modelId = 'axis';
  readonly dimensions = 8;
  readonly calls: string[][] = [];
  private readonly axes = new Map<string, number>();
  async embed(texts: readonly string[], _options: EmbedOptions): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    return texts.map((t) => {
      if (!this.axes.has(t)) this.axes.set(t, this.axes.size);
      const v = new Float32Array(this.dimensions);
      v[this.axes.get(t)!] = 1;
      return v;
    });
  }
  async close(): Promise<void> {}
}

describe('embedProfile fusion', () => {
  it('weights present sections, renormalised, in one embed call', async () => {
    const e = new AxisEmbedder();
    const out = await embedProfile(e, {
      title: ' Senior  recommender engineer ',
      skills: ['PyTorch', ' ', 'Spark'],
      experiences: [],
      summary: null,
    });
    expect(e.calls).toEqual([['Senior recommender engineer', 'PyTorch, Spark']]);
    expect(Object.keys(out.sections).sort()).toEqual(['skills', 'title']);
    // title 0.35 and skills 0.30, renormalised over the two present sections, then unit length.
    const norm = Math.hypot(0.35, 0.3);
    expect(out.profile![0]).toBeCloseTo(0.35 / norm, 5);
    expect(out.profile![1]).toBeCloseTo(0.3 / norm, 5);
  });

  it('averages experience lines into the experience section', async () => {
    const e = new AxisEmbedder();
    const out = await embedProfile(e, {
      experiences: [
        { title: 'Engineer', company: 'Acme' },
        { title: 'Lead', description: 'search ranking' },
      ],
    });
    expect(e.calls[0]).toEqual(['Engineer — Acme', 'Lead — search ranking']);
    expect(out.experiences).toHaveLength(2);
    expect(out.sections.experience![0]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(out.sections.experience![1]).toBeCloseTo(Math.SQRT1_2, 5);
    expect(Array.from(out.profile!)).toEqual(Array.from(out.sections.experience!));
  });

  it('returns no profile vector and calls nothing for an empty profile', async () => {
    const e = new AxisEmbedder();
    const out = await embedProfile(e, { title: '  ', skills: [], summary: '' });
    expect(out).toEqual({ sections: {}, experiences: [], profile: null });
    expect(e.calls).toEqual([]);
  });

  it('embeds many profiles in one call, each text once, with the vectors each gets alone', async () => {
    const e = new AxisEmbedder();
    const profiles = [
      { title: 'Data engineer', skills: ['Spark', 'SQL'], experiences: [{ title: 'Engineer', company: 'Acme' }] },
      { title: 'Registered nurse', summary: 'Ten years in intensive care.' },
      { title: 'Data engineer', skills: ['Python'] },
      { title: ' ', skills: [] },
    ];
    const together = await embedProfiles(e, profiles);
    expect(e.calls).toEqual([
      ['Data engineer', 'Spark, SQL', 'Engineer — Acme', 'Registered nurse', 'Ten years in intensive care.', 'Python'],
    ]);
    const alone: ProfileVectors[] = [];
    for (const p of profiles) alone.push(await embedProfile(e, p));
    expect(together).toHaveLength(profiles.length);
    together.forEach((v, i) => {
      expect(Object.keys(v.sections).sort()).toEqual(Object.keys(alone[i].sections).sort());
      if (alone[i].profile === null) expect(v.profile).toBeNull();
      else Array.from(alone[i].profile!).forEach((x, d) => expect(v.profile![d]).toBeCloseTo(x, 6));
    });
    expect(together[3]).toEqual({ sections: {}, experiences: [], profile: null });
  });
});
