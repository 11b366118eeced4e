import weaviate, { WeaviateClient } from 'weaviate-client';
import { loadServicesEnv, uniqueName } from './services-env';

/**
 * The Weaviate that `services/up.sh weaviate` runs answers through weaviate-client v3 as the
 * search adapter needs: API-key auth, a named self-provided vector, gse and gse_ch tokenization
 * so BM25 finds words inside unspaced Chinese text, near-vector and hybrid queries, deletes.
 * The test's collection is its own and is dropped afterwards.
 */
jest.setTimeout(60_000);

type Posting = {
  title: string;
  titleZh: string;
};

const POSTINGS: Array<{ id: string; title: string; vector: number[] }> = [
  { id: '00000000-0000-4000-8000-000000000001', title: '高级推荐算法工程师，负责搜索与广告排序', vector: [1, 0, 0, 0] },
  { id: '00000000-0000-4000-8000-000000000002', title: '前端开发工程师，熟悉React', vector: [0, 1, 0, 0] },
  { id: '00000000-0000-4000-8000-000000000003', title: '财务经理', vector: [0, 0, 1, 0] },
];
const [ALGORITHMS, FRONTEND, FINANCE] = POSTINGS.map((p) => p.id);

describe('Weaviate started by services/', () => {
  const name = uniqueName('Smoke');
  let env: ReturnType<typeof loadServicesEnv>['weaviate'];
  let client: WeaviateClient;

  beforeAll(async () => {
    env = loadServicesEnv('weaviate').weaviate;
    try {
      client = await weaviate.connectToCustom({
        httpHost: env.host,
        httpPort: env.httpPort,
        grpcHost: env.host,
        grpcPort: env.grpcPort,
        authCredentials: new weaviate.ApiKey(env.apiKey),
      });
    } catch (e) {
      throw new Error(
        `Weaviate at ${env.url} (gRPC ${env.grpcPort}) did not answer (${(e as Error).message}). Run \`npm run services:up -- weaviate\`.`,
      );
    }
    await client.collections.create<Posting>({
      name,
      properties: [
        { name: 'title', dataType: 'text', tokenization: 'gse' },
        // gse_ch (gse's Chinese dictionary) is what the search adapter uses by default.
        { name: 'titleZh', dataType: 'text', tokenization: 'gse_ch' },
      ],
      vectorizers: weaviate.configure.vectors.selfProvided({ name: 'body' }),
    });
    const result = await client.collections
      .use<string, Posting>(name)
      .data.insertMany(POSTINGS.map((p) => ({ id: p.id, properties: { title: p.title, titleZh: p.title }, vectors: { body: p.vector } })));
    expect(result.hasErrors).toBe(false);
  });

  afterAll(async () => {
    if (!client) return;
    await client.collections.delete(name).catch(() => undefined);
    await client.close();
  });

  const postings = () => client.collections.use<string, Posting>(name);

  it('finds words inside unspaced Chinese text with BM25 (gse and gse_ch tokenization)', async () => {
    for (const property of ['title', 'titleZh'] as const) {
      const algorithms = await postings().query.bm25('算法', { queryProperties: [property] });
      expect(algorithms.objects.map((o) => o.uuid)).toEqual([ALGORITHMS]);

      const engineers = await postings().query.bm25('工程师', { queryProperties: [property] });
      expect(engineers.objects.map((o) => o.uuid).sort()).toEqual([ALGORITHMS, FRONTEND].sort());
    }
  });

  it('ranks by the named vector in a near-vector query', async () => {
    const result = await postings().query.nearVector([0.1, 0.9, 0.1, 0], { targetVector: 'body', limit: 2 });
    expect(result.objects.map((o) => o.uuid)).toEqual([FRONTEND, expect.any(String)]);
  });

  it('fuses keyword and vector evidence in a hybrid query', async () => {
    // The keyword matches the finance posting only; the vector points at the front-end one.
    const result = await postings().query.hybrid('财务', {
      vector: [0, 1, 0, 0],
      targetVector: 'body',
      alpha: 0.5,
      limit: 3,
    });
    const ids = result.objects.map((o) => o.uuid);
    expect(ids.slice(0, 2).sort()).toEqual([FINANCE, FRONTEND].sort());
    expect(ids.indexOf(ALGORITHMS)).toBe(2);
  });

  it('deletes an object so no query returns it', async () => {
    await postings().data.deleteById(FINANCE);
    expect(await postings().query.fetchObjectById(FINANCE)).toBeNull();
    expect((await postings().query.bm25('财务')).objects).toHaveLength(0);
    expect((await postings().aggregate.overAll()).totalCount).toBe(2);
  });

  it('refuses requests without the API key', async () => {
    const response = await fetch(`${env.url}/v1/schema`);
    expect(response.status).toBe(401);
  });
});
