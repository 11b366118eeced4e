import { ragSuite } from '../support/rag.suite';
import { codes, startTestServer, type TestServer } from '../support/test-server';

describe('RAG over the demo data with a scripted LLM (embedded defaults)', () => {
  ragSuite(() => ({ candidates: 60 }));
});

describe('RAG without an LLM configured', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 5 });
  }, 300_000);
  afterAll(async () => s?.close());

  it('answers ask with UNAVAILABLE saying how to configure one; everything else works', async () => {
    const r = await s.gql(`mutation { ask(question: "Who knows Python?") { answer } }`);
    expect(codes(r)).toEqual(['UNAVAILABLE']);
    expect(r.body.errors![0].message).toContain('LLM_BASE_URL');
    expect((await s.gql('{ candidates(first: 2) { edges { node { id } } } }')).body.data.candidates.edges).toHaveLength(2);
  });
});
