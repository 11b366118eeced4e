/**
 * npm run bench:rag [-- --candidates 500 --questions 8]
 *
 * Asks questions whose correct records are known from the demo data through GraphQL `ask`, and prints
 * citation precision and recall, how often the plan used the expected tool, and latency split into
 * planning, tools and answering (p50/p95).
 *
 * Without LLM_BASE_URL the model is the scripted OpenAI-compatible server of the tests: it plans with the
 * expected tool and cites every record of the asked type that its steps returned. Then tool accuracy is
 * 1 by construction, precision and recall measure the tools (retrieval and filters) and the citation
 * checks, and the planning and answering times are MatchHub's own overhead. With LLM_BASE_URL and
 * LLM_API_KEY set (e.g. DeepSeek), the same questions measure the real model's plans and answers.
 * Embedded defaults; data kept in .data/bench-rag-<n>. Figures are printed, never asserted.
 */
import 'reflect-metadata';
import path from 'node:path';
import { createServices } from '../src/app/app';
import { loadConfig } from '../src/shared/config';
import { loadTaxonomy } from '../src/hub/taxonomy/taxonomy-loader';
import { createLogger } from '../src/shared/logger';
import { createSchema } from '../src/app/schema';
import { startServer } from '../src/app/server';
import { startScriptedLlm } from '../test/support/scripted-llm-server';
import { scriptedRagModel } from '../test/support/scripted-rag-model';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

interface Question {
  kind: 'alumni' | 'skill-in-city' | 'open-jobs';
  text: string;
  /** The record type the answer should cite, and the ids that are correct. */
  type: 'candidate' | 'job';
  truth: Set<string>;
  expectedTool: string;
  /** What a model that picked the right tool would plan (the scripted model's plan). */
  plan: unknown;
}

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

async function buildQuestions(q: Query, perKind: number): Promise<Question[]> {
  const out: Question[] = [];
  const companies = await q(
    `SELECT c.id, c.name, array_agg(DISTINCT e.candidate_id) AS ids FROM company c JOIN experience e ON e.company_id = c.id
     GROUP BY c.id, c.name HAVING count(DISTINCT e.candidate_id) BETWEEN 2 AND 40 ORDER BY count(DISTINCT e.candidate_id) DESC, c.id LIMIT $1`,
    [perKind],
  );
  for (const c of companies) {
    out.push({
      kind: 'alumni',
      text: `Which candidates in our network have worked at ${c.name}?`,
      type: 'candidate',
      truth: new Set(c.ids),
      expectedTool: 'graphNeighborhood',
      plan: { steps: [{ id: 's1', tool: 'graphNeighborhood', args: { id: c.id, depth: 1, types: ['WORKED_AT'] } }] },
    });
  }
  const pairs = await q(
    `SELECT k.name AS skill, ca.location, array_agg(DISTINCT ca.id) AS ids FROM candidate_skill cs
       JOIN skill k ON k.id = cs.skill_id JOIN candidate ca ON ca.id = cs.candidate_id
     WHERE ca.location IS NOT NULL GROUP BY k.name, ca.location HAVING count(DISTINCT ca.id) BETWEEN 2 AND 15
     ORDER BY count(DISTINCT ca.id) DESC, k.name, ca.location LIMIT $1`,
    [perKind],
  );
  for (const p of pairs) {
    out.push({
      kind: 'skill-in-city',
      text: `Which candidates know ${p.skill} and are based in ${p.location}?`,
      type: 'candidate',
      truth: new Set(p.ids),
      expectedTool: 'searchCandidates',
      plan: {
        steps: [{ id: 's1', tool: 'searchCandidates', args: { query: p.skill, skills: [p.skill], location: p.location, first: 50 } }],
      },
    });
  }
  const hiring = await q(
    `SELECT c.id, c.name, array_agg(j.id) AS ids FROM company c JOIN job j ON j.company_id = c.id AND j.status = 'OPEN'
     GROUP BY c.id, c.name HAVING count(*) BETWEEN 2 AND 40 ORDER BY count(*) DESC, c.id LIMIT $1`,
    [perKind],
  );
  for (const c of hiring) {
    out.push({
      kind: 'open-jobs',
      text: `Which open roles does ${c.name} have?`,
      type: 'job',
      truth: new Set(c.ids),
      expectedTool: 'searchJobs',
      plan: {
        steps: [{ id: 's1', tool: 'searchJobs', args: { query: `${c.name} open roles`, companyId: c.id, status: 'OPEN', first: 50 } }],
      },
    });
  }
  return out;
}

const ASK = `mutation($q: String!) { ask(question: $q) { planSource plan { tool } citations { uuid type } rejectedCitations
  timings { planMs toolsMs answerMs totalMs } usage { requests } } }`;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}
const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

async function main() {
  const candidates = arg('candidates', 500);
  const perKind = arg('questions', 8);
  const scripted = !process.env.LLM_BASE_URL;
  const llm = scripted ? await startScriptedLlm() : null;
  const config = loadConfig({
    ...process.env,
    MATCHHUB_DATA_DIR: path.resolve('.data', `bench-rag-${candidates}`),
    PORT: '0',
    LOG_LEVEL: 'error',
    RAG_MAX_ROWS_PER_STEP: '50',
    ...(llm ? { LLM_BASE_URL: llm.baseURL, LLM_API_KEY: 'scripted', LLM_MODEL: 'deepseek-reasoner' } : {}),
  });
  const log = createLogger('error');
  const services = await createServices(config, log);
  const [{ n }] = await services.db.dataSource.query(`SELECT count(*)::int AS n FROM candidate`);
  if (n < candidates) {
    process.stderr.write(`seeding ${candidates} candidates...\n`);
    await services.seeds.seedDemo({ candidates, seed: 42, taxonomy: loadTaxonomy() });
  }
  await services.projector.drain(3_600_000);
  const questions = await buildQuestions((sql, params) => services.db.dataSource.query(sql, params), perKind);
  const byText = new Map(questions.map((x) => [x.text, x]));
  llm?.setDefault(
    scriptedRagModel({
      plan: (text) => byText.get(text)!.plan,
      citePerStep: 50,
      citeIf: (text, record) => record.type === byText.get(text)?.type,
    }),
  );
  const { key } = await services.apiKeys.create('bench-rag', 'consultant');
  const server = await startServer(services, await createSchema(), log);
  const ask = async (text: string) => {
    const started = performance.now();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: ASK, variables: { q: text } }),
    });
    const body = (await res.json()) as { data?: { ask: any }; errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
    return { a: body.data!.ask, wallMs: performance.now() - started };
  };

  const rows: {
    kind: string;
    p: number;
    r: number;
    tool: number;
    plan: number;
    tools: number;
    answer: number;
    total: number;
    wall: number;
  }[] = [];
  for (const q of questions) {
    const { a, wallMs } = await ask(q.text);
    const cited = new Set<string>(a.citations.filter((c: { type: string }) => c.type === q.type).map((c: { uuid: string }) => c.uuid));
    const hits = [...cited].filter((id) => q.truth.has(id)).length;
    rows.push({
      kind: q.kind,
      p: cited.size ? hits / cited.size : 0,
      r: hits / q.truth.size,
      tool: a.plan.some((s: { tool: string }) => s.tool === q.expectedTool) ? 1 : 0,
      plan: a.timings.planMs,
      tools: a.timings.toolsMs,
      answer: a.timings.answerMs,
      total: a.timings.totalMs,
      wall: wallMs,
    });
  }
  await server.stop();
  await services.close();
  await llm?.close();

  const model = scripted ? 'scripted OpenAI-compatible server' : `${config.llm.model} at ${config.llm.baseUrl}`;
  console.log(`RAG over ${candidates} demo candidates, model: ${model}, ${questions.length} questions`);
  console.log('kind            n  precision  recall  tool-acc  plan p50  tools p50/p95  answer p50  total p50/p95 (ms)');
  const groups = new Map<string, typeof rows>();
  for (const r of rows) groups.set(r.kind, [...(groups.get(r.kind) ?? []), r]);
  groups.set('all', rows);
  for (const [kind, g] of groups) {
    console.log(
      `${kind.padEnd(14)} ${String(g.length).padStart(2)}  ${mean(g.map((x) => x.p))
        .toFixed(3)
        .padStart(9)}  ${mean(g.map((x) => x.r))
        .toFixed(3)
        .padStart(6)}  ` +
        `${mean(g.map((x) => x.tool))
          .toFixed(2)
          .padStart(8)}  ${String(
          pct(
            g.map((x) => x.plan),
            50,
          ),
        ).padStart(8)}  ` +
        `${`${pct(
          g.map((x) => x.tools),
          50,
        )}/${pct(
          g.map((x) => x.tools),
          95,
        )}`.padStart(13)}  ${String(
          pct(
            g.map((x) => x.answer),
            50,
          ),
        ).padStart(10)}  ` +
        `${`${pct(
          g.map((x) => x.total),
          50,
        )}/${pct(
          g.map((x) => x.total),
          95,
        )}`.padStart(13)}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
