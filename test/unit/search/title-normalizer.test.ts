import type { EmbedOptions, Embedder } from '../../../src/adapters/embedding/embedder';
import { EmbeddedSearchIndex } from '../../../src/adapters/search/embedded-search-index';
import { TitleNormalizer } from '../../../src/matching/title-normalizer';

/** One axis per word the tests use: "nurse" and "clerk" texts point two different ways. */
class WordEmbedder implements Embedder {
  readonly modelId = 'words';
  readonly dimensions = 2;
  readonly options: EmbedOptions[] = [];
  async embed(texts: readonly string[], options: EmbedOptions): Promise<Float32Array[]> {
    this.options.push(options);
    return texts.map((t) => (/nurse/i.test(t) ? Float32Array.of(1, 0) : Float32Array.of(0, 1)));
  }
  async close(): Promise<void> {}
}

const NURSES = '00000000-0000-4000-8000-000000000001';
const CLERKS = '00000000-0000-4000-8000-000000000002';

describe('TitleNormalizer while the label pass runs', () => {
  let index: EmbeddedSearchIndex;
  beforeAll(async () => {
    index = new EmbeddedSearchIndex();
    await index.ensureSchema();
    const embedder = new WordEmbedder();
    const [clerkVector, nurseVector] = await embedder.embed(['clerk', 'nurse'], { kind: 'passage' });
    // Titles say nothing of nursing; only the Registered Nurses' label does.
    await index.upsert('occupation', [
      { id: NURSES, text: { title: 'Registered RN' }, vectors: { title: clerkVector }, properties: { source: 'onet' } },
      { id: CLERKS, text: { title: 'Office Clerks' }, vectors: { title: clerkVector }, properties: { source: 'onet' } },
    ]);
    await index.upsert('occupationLabel', [
      {
        id: '00000000-0000-4000-8000-000000000003',
        text: { label: 'Charge Nurse' },
        vectors: { label: nurseVector },
        properties: { occupationId: NURSES, source: 'onet' },
      },
    ]);
  });
  afterAll(() => index.close());

  const normalize = (ready?: boolean) =>
    new TitleNormalizer(index, new WordEmbedder(), undefined, ready === undefined ? undefined : () => Promise.resolve(ready)).normalize({
      title: 'head nurse',
      taxonomy: 'onet',
      alpha: 1,
    });

  it('reads label vectors once the labels are all embedded', async () => {
    const [top] = await normalize(true);
    expect(top.id).toBe(NURSES);
    expect(top.explanation.matchedVectors[0].name).toBe('alternateTitle');
  });

  it('ranks by title vectors alone until then, so no occupation gains from being labelled first', async () => {
    const hits = await normalize(false);
    for (const h of hits) expect(h.explanation.matchedVectors.map((v) => v.name)).toEqual(['title']);
    expect(hits[0].vectorScore).toBeCloseTo(hits[1].vectorScore!, 6);
  });

  it('reads whatever labels there are when nothing tells it about the label pass', async () => {
    expect((await normalize())[0].explanation.matchedVectors[0].name).toBe('alternateTitle');
  });

  it('embeds the title as an interactive query, ahead of the bulk passes the projector queued', async () => {
    const embedder = new WordEmbedder();
    await new TitleNormalizer(index, embedder).normalize({ title: 'head nurse', taxonomy: 'onet' });
    expect(embedder.options).toEqual([{ kind: 'query', priority: 'interactive' }]);
  });
});
