import { SearchError } from '../../../src/adapters/search/search-errors';
import type { SearchHit, SearchIndex, SearchRequest } from '../../../src/adapters/search/search-index';
import { CANDIDATE_DOCS, IDS, cosine, topicVector } from './search-fixtures';

export interface ContractSubject {
  index: SearchIndex;
  /** Drops whatever the subject created (collections, directories). */
  cleanup(): Promise<void>;
}

const RECSYS_QUERY = topicVector({ recsys: 1 }, 42, 0.02);
const byId = new Map(CANDIDATE_DOCS.map((d) => [d.id, d]));
const props = (id: string) => byId.get(id)!.properties!;
const ids = (hits: SearchHit[]) => hits.map((h) => h.id);

/**
 * The behaviour every SearchIndex adapter must share. Runs against the embedded index in the
 * contract project and against Weaviate in the integration project.
 */
export function describeSearchIndexContract(name: string, makeSubject: () => Promise<ContractSubject>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let subject: ContractSubject;
    let index: SearchIndex;
    const search = (req: Omit<SearchRequest, 'collection'>) => index.search({ collection: 'candidate', ...req });

    beforeAll(async () => {
      subject = await makeSubject();
      index = subject.index;
      await index.ensureSchema();
      await index.ensureSchema();
      await index.upsert('candidate', CANDIDATE_DOCS);
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('holds every fixture document', async () => {
      expect(await index.count('candidate')).toBe(CANDIDATE_DOCS.length);
      expect(await index.count('job')).toBe(0);
    });

    it('finds English documents by English keywords', async () => {
      const hits = await search({ text: 'recommendation PyTorch', alpha: 0 });
      expect(hits[0].id).toBe(IDS.recsysEn);
      expect(hits[0].explanation.matchedTerms.map((t) => t.toLowerCase())).toEqual(expect.arrayContaining(['recommendation', 'pytorch']));
    });

    it('finds Chinese documents by Chinese keywords', async () => {
      expect((await search({ text: '推荐系统 算法工程师', alpha: 0 }))[0].id).toBe(IDS.recsysZh);
      expect((await search({ text: '税务申报', alpha: 0 }))[0].id).toBe(IDS.accountant);
    });

    it('finds both languages from a mixed query', async () => {
      const hits = await search({ text: 'PyTorch 推荐系统', alpha: 0 });
      expect(new Set(ids(hits).slice(0, 2))).toEqual(new Set([IDS.recsysEn, IDS.recsysZh]));
    });

    it('alpha 0 ranks exactly as keyword-only search', async () => {
      const keywordOnly = await search({ text: 'engineer python', alpha: 0, limit: 20 });
      const withVectors = await search({ text: 'engineer python', alpha: 0, limit: 20, vectors: { profile: RECSYS_QUERY } });
      expect(ids(withVectors)).toEqual(ids(keywordOnly));
      expect(keywordOnly.length).toBeGreaterThan(2);
      for (const h of keywordOnly) expect(h.keywordScore).not.toBeNull();
      const scores = keywordOnly.map((h) => h.keywordScore!);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      // Documents without any query term are not keyword results.
      expect(ids(keywordOnly)).not.toContain(IDS.nanny);
    });

    it('alpha 1 ranks exactly by cosine similarity, keywords ignored', async () => {
      const hits = await search({ text: 'nanny childcare', alpha: 1, vectors: { profile: RECSYS_QUERY }, limit: 10 });
      const expected = CANDIDATE_DOCS.map((d) => ({ id: d.id, s: cosine(d.vectors.profile!, RECSYS_QUERY) })).sort((a, b) => b.s - a.s);
      expect(ids(hits)).toEqual(expected.map((e) => e.id));
      hits.forEach((h, i) => expect(h.vectorScore!).toBeCloseTo(expected[i].s, 4));
      expect(hits[0].explanation.matchedVectors[0].name).toBe('profile');
    });

    it('combines target vectors by their weights', async () => {
      const q = { profile: RECSYS_QUERY, title: topicVector({ web: 1 }, 7, 0.02) };
      const hits = await search({ alpha: 1, vectors: q, targetVectors: { profile: 1, title: 3 }, limit: 10 });
      const expected = CANDIDATE_DOCS.map((d) => ({
        id: d.id,
        s: 1 - (0.25 * (1 - cosine(d.vectors.profile!, q.profile)) + 0.75 * (1 - cosine(d.vectors.title!, q.title))),
      })).sort((a, b) => b.s - a.s);
      expect(ids(hits)).toEqual(expected.map((e) => e.id));
      hits.forEach((h, i) => expect(h.vectorScore!).toBeCloseTo(expected[i].s, 4));
    });

    it('relativeScore fusion: alpha-weighted sum of min-max normalised keyword and vector scores', async () => {
      const text = 'engineer pytorch python';
      const vectors = { profile: RECSYS_QUERY };
      const kw = await search({ text, alpha: 0, limit: 100 });
      const vec = await search({ text, alpha: 1, vectors, limit: 100 });
      const alpha = 0.3;
      const expected = fuseRelative(
        kw.map((h) => [h.id, h.keywordScore!]),
        vec.map((h) => [h.id, h.vectorScore!]),
        alpha,
      );
      const hits = await search({ text, alpha, vectors, fusion: 'relativeScore', limit: 10 });
      expectRanking(hits, expected);
    });

    it('ranked fusion: alpha-weighted sum of 1 / (rank + 60)', async () => {
      const text = 'engineer pytorch python';
      const vectors = { profile: RECSYS_QUERY };
      const kw = await search({ text, alpha: 0, limit: 100 });
      const vec = await search({ text, alpha: 1, vectors, limit: 100 });
      const alpha = 0.6;
      const expected = new Map<string, number>();
      kw.forEach((h, r) => expected.set(h.id, (expected.get(h.id) ?? 0) + (1 - alpha) / (r + 60)));
      vec.forEach((h, r) => expected.set(h.id, (expected.get(h.id) ?? 0) + alpha / (r + 60)));
      const hits = await search({ text, alpha, vectors, fusion: 'ranked', limit: 10 });
      expectRanking(hits, expected);
    });

    it('reports keyword and vector components beside the fused score', async () => {
      const hits = await search({ text: 'pytorch spark', alpha: 0.5, vectors: { profile: RECSYS_QUERY } });
      const top = hits.find((h) => h.id === IDS.recsysEn)!;
      expect(top.keywordScore).toBeGreaterThan(0);
      expect(top.vectorScore).toBeCloseTo(cosine(byId.get(IDS.recsysEn)!.vectors.profile!, RECSYS_QUERY), 4);
      expect(top.explanation.matchedTerms.map((t) => t.toLowerCase())).toEqual(expect.arrayContaining(['pytorch', 'spark']));
    });

    it('ranks the intended document first for fixture queries in both languages (default hybrid)', async () => {
      const cases: Array<[string, Parameters<typeof topicVector>[0], string]> = [
        ['recommendation ranking engineer', { recsys: 1 }, IDS.recsysEn],
        ['推荐算法 工程师', { recsys: 1 }, IDS.recsysZh],
        ['React TypeScript frontend', { web: 1 }, IDS.frontendEn],
        ['前端 Vue', { web: 1 }, IDS.frontendZh],
        ['税务会计', { finance: 1 }, IDS.accountant],
        ['Kubernetes on-call reliability', { ops: 1 }, IDS.sre],
        ['childcare nanny', { care: 1 }, IDS.nanny],
      ];
      const ranks: number[] = [];
      for (const [text, topic, want] of cases) {
        const hits = await search({ text, vectors: { profile: topicVector(topic, 7, 0.02) }, limit: 10 });
        ranks.push(ids(hits).indexOf(want) + 1);
      }
      expect(ranks).toEqual(cases.map(() => 1));
    });

    it('pages with offset and limit', async () => {
      const all = await search({ alpha: 1, vectors: { profile: RECSYS_QUERY }, limit: 10 });
      const page = await search({ alpha: 1, vectors: { profile: RECSYS_QUERY }, limit: 3, offset: 4 });
      expect(ids(page)).toEqual(ids(all).slice(4, 7));
    });

    it('searches only the requested properties', async () => {
      const hits = await search({ text: 'python', alpha: 0, properties: [{ name: 'title', weight: 1 }] });
      expect(ids(hits)).toEqual([IDS.pythonTeacher]);
    });

    describe('filters', () => {
      const vectorAll = { alpha: 1, vectors: { profile: RECSYS_QUERY }, limit: 100 };
      const expectExactly = (hits: SearchHit[], pred: (id: string) => boolean) =>
        expect(new Set(ids(hits))).toEqual(new Set(CANDIDATE_DOCS.map((d) => d.id).filter(pred)));

      it('eq', async () => {
        const hits = await search({ ...vectorAll, filters: { op: 'eq', field: 'location', value: 'Shanghai' } });
        expectExactly(hits, (id) => props(id).location === 'Shanghai');
      });

      it('in', async () => {
        const hits = await search({ ...vectorAll, filters: { op: 'in', field: 'seniority', values: ['LEAD', 'JUNIOR'] } });
        expectExactly(hits, (id) => ['LEAD', 'JUNIOR'].includes(props(id).seniority ?? ''));
      });

      it('range', async () => {
        const hits = await search({ ...vectorAll, filters: { op: 'range', field: 'yearsExperience', gte: 7, lt: 10 } });
        expectExactly(hits, (id) => (props(id).yearsExperience ?? -1) >= 7 && (props(id).yearsExperience ?? -1) < 10);
      });

      it('containsAny on skills, case-insensitive', async () => {
        const hits = await search({ ...vectorAll, filters: { op: 'containsAny', field: 'skills', values: ['PYTORCH', 'go'] } });
        expectExactly(hits, (id) => [IDS.recsysEn, IDS.recsysZh, IDS.sre].includes(id));
      });

      it('and / or', async () => {
        const hits = await search({
          ...vectorAll,
          filters: {
            op: 'or',
            filters: [
              {
                op: 'and',
                filters: [
                  { op: 'eq', field: 'location', value: 'Beijing' },
                  { op: 'range', field: 'salaryMin', gte: 400000 },
                ],
              },
              { op: 'containsAll', field: 'languages', values: ['en', 'zh'] },
            ],
          },
        });
        expectExactly(hits, (id) => id === IDS.recsysZh || id === IDS.recsysEn);
      });

      it('apply to the keyword side too', async () => {
        const hits = await search({ text: 'engineer', alpha: 0, filters: { op: 'eq', field: 'location', value: 'Shenzhen' } });
        expect(ids(hits).length).toBeGreaterThan(0);
        for (const h of hits) expect(props(h.id).location).toBe('Shenzhen');
      });

      it('restrict to one import by source and externalId prefix', async () => {
        const tagged = [
          { id: '44444444-4444-4444-8444-000000000001', source: 'ats', externalId: 'ats:eng-1' },
          { id: '44444444-4444-4444-8444-000000000002', source: 'ats', externalId: 'ats:ops-2' },
          { id: '44444444-4444-4444-8444-000000000003', source: 'crm', externalId: 'ats:eng-3' },
        ];
        await index.upsert(
          'job',
          tagged.map((t) => ({
            id: t.id,
            text: { title: 'platform engineer' },
            vectors: { profile: RECSYS_QUERY },
            properties: { source: t.source, externalId: t.externalId },
          })),
        );
        const jobs = (req: Omit<SearchRequest, 'collection'>) => index.search({ collection: 'job', ...req });
        const fromAts = await jobs({
          text: 'engineer',
          vectors: { profile: RECSYS_QUERY },
          filters: { op: 'eq', field: 'source', value: 'ats' },
        });
        expect(new Set(ids(fromAts))).toEqual(new Set([tagged[0].id, tagged[1].id]));
        const prefixed = await jobs({ text: 'engineer', alpha: 0, filters: { op: 'prefix', field: 'externalId', value: 'ats:eng' } });
        expect(new Set(ids(prefixed))).toEqual(new Set([tagged[0].id, tagged[2].id]));
        const wildcard = await jobs({ text: 'x', filters: { op: 'prefix', field: 'externalId', value: 'ats*' } }).catch((e) => e);
        expect(wildcard.code).toBe('BAD_USER_INPUT');
        await index.delete(
          'job',
          tagged.map((t) => t.id),
        );
      });

      it('reject unknown fields with BAD_USER_INPUT', async () => {
        const err = await search({ text: 'x', filters: { op: 'eq', field: 'age' as never, value: 3 } }).catch((e) => e);
        expect(err).toBeInstanceOf(SearchError);
        expect(err.code).toBe('BAD_USER_INPUT');
      });
    });

    describe('writes', () => {
      const extraId = '22222222-2222-4222-8222-000000000001';
      const extra = {
        id: extraId,
        text: { title: 'Quantum Zebra Wrangler', skills: 'zebras' },
        vectors: { profile: topicVector({ ops: 1 }, 99), title: topicVector({ ops: 1 }, 98) },
        properties: { location: 'Lhasa' },
      };

      it('upsert is idempotent', async () => {
        await index.upsert('candidate', [extra]);
        const first = await search({ text: 'zebra wrangler', alpha: 0 });
        await index.upsert('candidate', [extra]);
        await index.upsert('candidate', [extra, extra]);
        const again = await search({ text: 'zebra wrangler', alpha: 0 });
        expect(await index.count('candidate')).toBe(CANDIDATE_DOCS.length + 1);
        expect(ids(again)).toEqual([extraId]);
        expect(again[0].keywordScore).toBeCloseTo(first[0].keywordScore!, 6);
      });

      it('upsert replaces text, vectors and properties', async () => {
        await index.upsert('candidate', [{ ...extra, text: { title: 'Llama Herder' }, properties: { location: 'Lima' } }]);
        expect(await search({ text: 'zebra', alpha: 0 })).toEqual([]);
        const hits = await search({ text: 'llama', alpha: 0, filters: { op: 'eq', field: 'location', value: 'Lima' } });
        expect(ids(hits)).toEqual([extraId]);
      });

      it('delete removes from keyword and vector search; unknown ids are ignored', async () => {
        await index.delete('candidate', [extraId, '33333333-3333-4333-8333-000000000001']);
        expect(await search({ text: 'llama', alpha: 0 })).toEqual([]);
        const vec = await search({ alpha: 1, vectors: { profile: extra.vectors.profile }, limit: 100 });
        expect(ids(vec)).not.toContain(extraId);
        expect(await index.count('candidate')).toBe(CANDIDATE_DOCS.length);
      });

      it('returns the requested properties; deleteWhere removes what a filter matches', async () => {
        const owner = (n: number) => `55555555-5555-4555-8555-00000000000${n}`;
        const labels = [1, 2, 3].map((n) => ({
          id: `66666666-6666-4666-8666-00000000000${n}`,
          text: { label: `label ${n} wrangler` },
          vectors: { label: topicVector({ ops: 1 }, 200 + n) },
          properties: { occupationId: owner(n === 3 ? 2 : 1), source: 'onet' },
        }));
        await index.upsert('occupationLabel', labels);
        const hits = await index.search({
          collection: 'occupationLabel',
          vectors: { label: labels[0].vectors.label },
          alpha: 1,
          returnProperties: ['occupationId'],
        });
        expect(hits[0].id).toBe(labels[0].id);
        expect(new Map(hits.map((h) => [h.id, h.properties?.occupationId]))).toEqual(
          new Map(labels.map((l) => [l.id, l.properties.occupationId])),
        );
        await index.deleteWhere('occupationLabel', { op: 'in', field: 'occupationId', values: [owner(2)] });
        const left = await index.search({ collection: 'occupationLabel', text: 'wrangler', alpha: 0 });
        expect(new Set(ids(left))).toEqual(new Set([labels[0].id, labels[1].id]));
        await index.clear('occupationLabel');
      });

      it('clear empties one collection, which then takes vectors of another model (dimension)', async () => {
        await index.upsert('job', [{ ...extra, text: { title: 'Zebra Keeper' } }]);
        await index.clear('candidate');
        expect(await index.count('candidate')).toBe(0);
        expect(await search({ text: 'engineer', alpha: 0 })).toEqual([]);
        expect(await index.count('job')).toBe(1);

        const wider = { ...extra, vectors: { profile: [...extra.vectors.profile, ...extra.vectors.profile].map((x) => x / Math.SQRT2) } };
        await index.upsert('candidate', [wider]);
        const hits = await search({ alpha: 1, vectors: { profile: wider.vectors.profile } });
        expect(ids(hits)).toEqual([extraId]);
        expect(hits[0].vectorScore).toBeCloseTo(1, 4);

        await index.clear('candidate');
        await index.upsert('candidate', CANDIDATE_DOCS);
        await index.clear('job');
        expect(await index.count('candidate')).toBe(CANDIDATE_DOCS.length);
        expect(await index.count('job')).toBe(0);
      });
    });
  });
}

function fuseRelative(kw: Array<[string, number]>, vec: Array<[string, number]>, alpha: number): Map<string, number> {
  const out = new Map<string, number>();
  const add = (set: Array<[string, number]>, w: number) => {
    const scores = set.map(([, s]) => s);
    const max = Math.max(...scores);
    const min = Math.min(...scores);
    for (const [id, s] of set) out.set(id, (out.get(id) ?? 0) + w * (max === min ? 1 : (s - min) / (max - min)));
  };
  add(kw, 1 - alpha);
  add(vec, alpha);
  return out;
}

/** Hits must carry the expected fused scores and come in that order (ties in any order). */
function expectRanking(hits: SearchHit[], expected: Map<string, number>): void {
  const best = [...expected.entries()].sort((a, b) => b[1] - a[1]).slice(0, hits.length);
  expect(hits).toHaveLength(best.length);
  hits.forEach((h, i) => {
    expect(h.score).toBeCloseTo(expected.get(h.id) ?? NaN, 4);
    expect(h.score).toBeCloseTo(best[i][1], 4);
  });
}
