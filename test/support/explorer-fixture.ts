/**
 * A MatchHub server with demo data and a scripted LLM behind `askStream`, plus records each explorer
 * view can open: the browser tests, `npm run screenshots` and `bench:explorer` all start this.
 */
import { startTestServerWithLlm, type ScriptedLlmTestServer, type TestServerOptions } from './test-server';
import { scriptedRagModel } from './scripted-rag-model';

export interface ExplorerSamples {
  /** A candidate written in Chinese, with the word to search for them by. */
  zhCandidate: { id: string; name: string; query: string };
  /** Two candidates joined by at least one warm introduction path. */
  pathFrom: { id: string; name: string };
  pathTo: { id: string; name: string };
  /** A company where someone works now whom pathFrom reaches in two or three warm hops. */
  pathCompany: { id: string; name: string };
  /** The consultant who owns pathFrom: one of their contacts has a path to pathTo. */
  consultant: { id: string; name: string };
  /** A company with talent moving in or out. */
  flowCompany: { id: string; name: string };
  /** An open job with matches. */
  job: { id: string; title: string };
}

export interface ExplorerFixture {
  server: ScriptedLlmTestServer;
  samples: ExplorerSamples;
  /** A consultant-role key that speaks for samples.consultant (Viewer.consultant). */
  consultantKey: string;
  close(): Promise<void>;
}

const CJK = /[\u4e00-\u9fff]/;

export async function startExplorerFixture(options: TestServerOptions = {}): Promise<ExplorerFixture> {
  const server = await startTestServerWithLlm({ candidates: 80, ...options });
  try {
    // The scripted model plans one hybrid search for the question and cites what it returned.
    server.llm.setDefault(
      scriptedRagModel({
        plan: (question) => ({ steps: [{ id: 's1', tool: 'searchCandidates', args: { query: question, first: 5 }, why: 'who fits' }] }),
      }),
    );
    // Search and the graph are projections of the hub: every view needs them caught up.
    await server.services.projector.drain(600_000);
    const samples = await findSamples(server);
    const linked = await data(
      server,
      'mutation($c: ID!) { createApiKey(name: "explorer consultant", role: consultant, consultantId: $c) { key } }',
      { c: samples.consultant.id },
    );
    return {
      server,
      samples,
      consultantKey: linked.createApiKey.key,
      close: () => server.close(),
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

async function data(server: ScriptedLlmTestServer, query: string, variables?: Record<string, unknown>): Promise<any> {
  const r = await server.gql(query, variables);
  if (r.body.errors?.length) throw new Error(`fixture query failed: ${r.body.errors[0]!.message}`);
  return r.body.data;
}

async function findSamples(server: ScriptedLlmTestServer): Promise<ExplorerSamples> {
  const people = (await data(server, '{ candidates(first: 200) { edges { node { id name currentTitle } } } }')).candidates.edges.map(
    (e: any) => e.node,
  );
  const zh = people.find((p: any) => CJK.test(p.name) && p.currentTitle && CJK.test(p.currentTitle));
  if (!zh) throw new Error('the demo data has no candidate written in Chinese');

  let pathFrom: ExplorerSamples['pathFrom'] | undefined;
  let pathTo: ExplorerSamples['pathTo'] | undefined;
  for (const p of people) {
    const page = (
      await data(server, 'query($id: ID!) { colleagues(candidateId: $id, first: 20) { items { candidate { id name } } } }', { id: p.id })
    ).colleagues;
    const direct = new Set(page.items.map((c: any) => c.candidate?.id));
    // A colleague's colleague who is not a colleague: a path of two hops.
    for (const c of page.items.slice(0, 5)) {
      if (!c.candidate) continue;
      const second = (
        await data(server, 'query($id: ID!) { colleagues(candidateId: $id, first: 20) { items { candidate { id name } } } }', {
          id: c.candidate.id,
        })
      ).colleagues;
      const far = second.items.find((x: any) => x.candidate && x.candidate.id !== p.id && !direct.has(x.candidate.id));
      if (far) {
        pathFrom = { id: p.id, name: p.name };
        pathTo = { id: far.candidate.id, name: far.candidate.name };
        break;
      }
    }
    if (pathFrom) break;
  }
  if (!pathFrom || !pathTo) throw new Error('the demo data has no two-hop introduction path');
  const consultant = (await data(server, 'query($id: ID!) { candidate(id: $id) { owner { id name } } }', { id: pathFrom.id })).candidate
    .owner;
  if (!consultant) throw new Error(`the demo data gives ${pathFrom.name} no owning consultant`);

  const companies = (await data(server, '{ companies(first: 100) { edges { node { id name } } } }')).companies.edges.map(
    (e: any) => e.node,
  );
  let pathCompany: ExplorerSamples['pathCompany'] | undefined;
  for (const c of companies) {
    const { introductionPaths } = await data(
      server,
      'query($from: ID!, $to: ID!) { introductionPaths(from: $from, to: $to, maxHops: 3, first: 1) { hops { kind } } }',
      { from: pathFrom.id, to: c.id },
    );
    if (introductionPaths[0]?.hops.length >= 2) {
      pathCompany = c;
      break;
    }
  }
  if (!pathCompany) throw new Error(`the demo data gives ${pathFrom.name} no path of two or more hops to a company`);
  let flowCompany: ExplorerSamples['flowCompany'] | undefined;
  let most = 0;
  for (const c of companies) {
    const f = await data(
      server,
      'query($id: ID!) { i: talentFlow(companyId: $id, direction: IN) { total } o: talentFlow(companyId: $id, direction: OUT) { total } }',
      { id: c.id },
    );
    const n = [...f.i, ...f.o].reduce((s: number, x: any) => s + x.total, 0);
    if (n > most) [most, flowCompany] = [n, c];
  }
  if (!flowCompany) throw new Error('the demo data has no talent flow');

  const job = (await data(server, '{ jobs(first: 1, filter: { status: OPEN }) { edges { node { id title } } } }')).jobs.edges[0]?.node;
  if (!job) throw new Error('the demo data has no open job');
  return { zhCandidate: { id: zh.id, name: zh.name, query: zh.currentTitle }, pathFrom, pathTo, pathCompany, consultant, flowCompany, job };
}
