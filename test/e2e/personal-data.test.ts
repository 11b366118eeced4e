import {
  getNamedType,
  isAbstractType,
  isObjectType,
  isScalarType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ROLES, type Role } from '../../src/shared/roles';
import { toGlobalId } from '../../src/shared/global-id';
import { CANDIDATE_PERSONAL_FIELDS, isPersonalField, mayReadPersonal, personalColumn } from '../../src/hub/personal-data';
import { createSchema } from '../../src/app/schema';
import { scriptedRagModel } from '../support/scripted-rag-model';
import {
  codes,
  startTestServer,
  startTestServerWithLlm,
  type GqlResult,
  type ScriptedLlmTestServer,
  type TestServer,
} from '../support/test-server';

/**
 * Personal data (the list in src/hub/personal-data.ts) on every path that can hand out a
 * candidate, for every role: null or absent for analyst, bi and frontend, the stored values for admin
 * and consultant. The paths are found by walking the served schema, so a new field that reaches a
 * Candidate (or carries free-form JSON, which can hold anything) fails the coverage test until a
 * matrix entry exercises it.
 */

// ---------------------------------------------------------------- the schema walk

/** JSON scalars carry whatever a resolver puts there (graph props, tool results), so they count as candidate carriers. */
const FREE_FORM = new Set(['JSON', 'JSONObject']);

/**
 * `Type.field` coordinates that hand out candidate data directly: typed Candidate (or an interface or
 * union Candidate belongs to, e.g. Node), or free-form JSON; and the root fields from which any of
 * them can be reached.
 */
function candidatePaths(schema: GraphQLSchema): { carriers: Set<string>; roots: Set<string> } {
  const candidate = schema.getType('Candidate')!;
  const carries = (t: GraphQLNamedType) =>
    t === candidate ||
    (isAbstractType(t) && schema.getPossibleTypes(t).some((p) => p === candidate)) ||
    (isScalarType(t) && FREE_FORM.has(t.name));
  const objects = Object.values(schema.getTypeMap()).filter(
    (t) => isObjectType(t) && !t.name.startsWith('__'),
  ) as import('graphql').GraphQLObjectType[];
  const carriers = new Set<string>();
  for (const t of objects)
    for (const f of Object.values(t.getFields())) if (carries(getNamedType(f.type))) carriers.add(`${t.name}.${f.name}`);

  // Types from which a carrier is reachable, to a fixpoint (the schema has cycles: Candidate -> Application -> Candidate).
  const reaching = new Set<GraphQLNamedType>();
  const reaches = (t: GraphQLNamedType): boolean =>
    reaching.has(t) || (isAbstractType(t) && schema.getPossibleTypes(t).some((p) => reaching.has(p)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of objects) {
      if (reaching.has(t)) continue;
      if (Object.values(t.getFields()).some((f) => carriers.has(`${t.name}.${f.name}`) || reaches(getNamedType(f.type)))) {
        reaching.add(t);
        changed = true;
      }
    }
  }
  const roots = new Set<string>();
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const f of Object.values(root?.getFields() ?? {})) {
      if (carriers.has(`${root!.name}.${f.name}`) || reaches(getNamedType(f.type))) roots.add(`${root!.name}.${f.name}`);
    }
  }
  return { carriers, roots };
}

/** Every `Type.field` an operation selects. */
function coordinatesOf(schema: GraphQLSchema, document: string): string[] {
  const info = new TypeInfo(schema);
  const out: string[] = [];
  visit(
    parse(document),
    visitWithTypeInfo(info, {
      Field() {
        const parent = info.getParentType();
        const def = info.getFieldDef();
        if (parent && def) out.push(`${parent.name}.${def.name}`);
      },
    }),
  );
  return out;
}

// ---------------------------------------------------------------- the matrix

const P = `fragment P on Candidate { __typename uuid ${CANDIDATE_PERSONAL_FIELDS.join(' ')} }`;
const RAG_STEP = `stepId tool args resolvedArgs data records { uuid type label fields }`;
const RAG_ANSWER = `turnId conversationId answer plan { args } steps { ${RAG_STEP} } citations { uuid node { ... on Candidate { ...P } } }`;
const QUESTION = 'Personal data matrix: who fits, with contact details and desired salary?';

/** Ids the entries use, found in the demo data once. */
interface Fixture {
  candidate: string;
  applicant: string;
  application: string;
  placement: string;
  jobWithApplications: { id: string; title: string; status: string };
  companyWithAlumni: string;
  candidateWithColleagues: string;
  /** A consultant who owns someone working at the company now (a one-hop path to it). */
  ownerOfEmployee: { consultant: string; company: string };
  freePairs: { candidate: string; job: string }[];
  /** A job with match scores, and a candidate scored for it. */
  scored: { job: string; candidate: string };
}

/** What one role's run keeps for the next entries (its RAG turn, the records it created). */
interface RoleState {
  turnId?: string;
  conversationId?: string;
}

interface Entry {
  name: string;
  document: string;
  variables?: (f: Fixture, role: Role, state: RoleState) => Record<string, unknown>;
  /** Typed candidates an allowed role must get back (false: the path is empty by construction; say why). */
  candidates: true | string;
  /** Candidate records in RAG step results carry the personal fields for allowed roles. */
  ragRecords?: boolean;
  /** Writes: other roles are refused outright. */
  write?: boolean;
  /** Over graphql-ws. */
  subscription?: boolean;
  /** Roles refused the whole operation (FORBIDDEN, no data), whatever they may read elsewhere. */
  refuses?: readonly Role[];
  after?: (body: any, state: RoleState) => void;
}

const g = (type: 'Candidate' | 'Consultant' | 'Job' | 'Company' | 'Application' | 'Placement', uuid: string) => toGlobalId(type, uuid);
const hits = (field: string, inner: string) => `${field} { edges { node { ${inner} } } }`;

const MATRIX: Entry[] = [
  {
    name: 'candidate(id)',
    document: `query($id: ID!) { candidate(id: $id) { ...P } } ${P}`,
    variables: (f) => ({ id: g('Candidate', f.candidate) }),
    candidates: true,
  },
  {
    name: 'candidates, and their applications and placements',
    document: `{ candidates(first: 5) { edges { node { ...P applications { candidate { ...P } } placements { candidate { ...P } } } } } } ${P}`,
    candidates: true,
  },
  {
    name: 'node(id)',
    document: `query($id: ID!) { node(id: $id) { ... on Candidate { ...P } } } ${P}`,
    variables: (f) => ({ id: g('Candidate', f.candidate) }),
    candidates: true,
  },
  {
    name: 'nodes(ids): a candidate, an application and a placement',
    document: `query($ids: [ID!]!) { nodes(ids: $ids) {
      ... on Candidate { ...P } ... on Application { candidate { ...P } } ... on Placement { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ ids: [g('Candidate', f.candidate), g('Application', f.application), g('Placement', f.placement)] }),
    candidates: true,
  },
  {
    name: 'searchCandidates',
    document: `{ ${hits('searchCandidates(query: "engineer manager", first: 5)', 'candidate { ...P }')} } ${P}`,
    candidates: true,
  },
  {
    name: 'candidatesForJob',
    document: `query($job: ID!) { ${hits('candidatesForJob(jobId: $job, first: 5)', 'candidate { ...P }')} } ${P}`,
    variables: (f) => ({ job: g('Job', f.jobWithApplications.id) }),
    candidates: true,
  },
  {
    name: 'applications -> candidate',
    document: `{ ${hits('applications(first: 5)', 'candidate { ...P }')} } ${P}`,
    candidates: true,
  },
  {
    name: 'placements -> candidate',
    document: `{ ${hits('placements(first: 5)', 'candidate { ...P }')} } ${P}`,
    candidates: true,
  },
  {
    name: 'job(id) -> applications -> candidate',
    document: `query($id: ID!) { job(id: $id) { applications { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ id: g('Job', f.jobWithApplications.id) }),
    candidates: true,
  },
  {
    name: 'jobs -> applications -> candidate',
    document: `query($t: String!) { ${hits('jobs(first: 5, filter: { text: $t })', 'applications { candidate { ...P } }')} } ${P}`,
    variables: (f) => ({ t: f.jobWithApplications.title }),
    candidates: true,
  },
  {
    name: 'searchJobs -> job -> applications -> candidate',
    document: `query($q: String!) { ${hits('searchJobs(query: $q, first: 10)', 'job { applications { candidate { ...P } } }')} } ${P}`,
    variables: (f) => ({ q: f.jobWithApplications.title }),
    candidates: true,
  },
  {
    name: 'jobsForCandidate -> job -> applications -> candidate',
    document: `query($c: ID!) { ${hits('jobsForCandidate(candidateId: $c, first: 50)', 'job { applications { candidate { ...P } } }')} } ${P}`,
    variables: (f) => ({ c: g('Candidate', f.applicant) }),
    candidates: true,
  },
  {
    name: 'alumni(companyId)',
    document: `query($co: ID!) { alumni(companyId: $co, first: 10) { items { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ co: g('Company', f.companyWithAlumni) }),
    candidates: true,
  },
  {
    name: 'colleagues(candidateId)',
    document: `query($c: ID!) { colleagues(candidateId: $c, first: 10) { items { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ c: g('Candidate', f.candidateWithColleagues) }),
    candidates: true,
  },
  {
    name: 'introductionPaths(to: a company) -> employee.candidate',
    document: `query($from: ID!, $to: ID!) { introductionPaths(from: $from, to: $to, maxHops: 2, first: 3) { employee { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ from: g('Consultant', f.ownerOfEmployee.consultant), to: g('Company', f.ownerOfEmployee.company) }),
    candidates: true,
  },
  {
    name: 'matchScores(jobId), matchScores(candidateId), Job.topMatches, Candidate.topJobs -> candidate',
    document: `query($j: ID!, $c: ID!) {
      byJob: matchScores(jobId: $j, first: 5) { edges { node { candidate { ...P } } } }
      byCandidate: matchScores(candidateId: $c, first: 5) { edges { node { candidate { ...P } } } }
      job(id: $j) { topMatches(first: 5) { candidate { ...P } } }
      candidate(id: $c) { topJobs(first: 5) { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ j: g('Job', f.scored.job), c: g('Candidate', f.scored.candidate) }),
    candidates: true,
    refuses: ['frontend'],
  },
  {
    name: 'neighborhood: node and edge props',
    document: `query($id: ID!) { neighborhood(id: $id, depth: 2, limit: 200) { nodes { label props } edges { type props } } }`,
    variables: (f) => ({ id: g('Candidate', f.candidate) }),
    candidates: 'graph props are free-form JSON, never typed candidates; the projection carries no personal fields for anyone',
  },
  {
    name: 'ask: RAG tool outputs, citations',
    document: `mutation($q: String!) { ask(question: $q) { ${RAG_ANSWER} } } ${P}`,
    variables: () => ({ q: QUESTION }),
    candidates: true,
    ragRecords: true,
    after: (body, state) => {
      state.turnId = body.data.ask.turnId;
      state.conversationId = body.data.ask.conversationId;
    },
  },
  {
    name: 'rerunRagStep',
    document: `mutation($t: ID!, $a: JSONObject!) { rerunRagStep(turnId: $t, stepId: "s1", args: $a) { ${RAG_ANSWER} } } ${P}`,
    variables: (_f, _r, state) => ({ t: state.turnId, a: { query: 'engineer', first: 4 } }),
    candidates: true,
    ragRecords: true,
  },
  {
    name: 'ragConversation -> turns',
    document: `query($id: ID!) { ragConversation(id: $id) { turns { ${RAG_ANSWER} } } } ${P}`,
    variables: (_f, _r, state) => ({ id: state.conversationId }),
    candidates: true,
    ragRecords: true,
  },
  {
    name: 'askStream (graphql-ws)',
    document: `subscription($q: String!) { askStream(question: $q) {
      type step { ${RAG_STEP} } citations { uuid node { ... on Candidate { ...P } } } answer { ${RAG_ANSWER} } } } ${P}`,
    variables: () => ({ q: QUESTION }),
    candidates: true,
    ragRecords: true,
    subscription: true,
  },
  {
    name: 'createCandidate',
    document: `mutation($in: CandidateInput!) { createCandidate(input: $in) { ...P } } ${P}`,
    variables: (_f, role) => ({
      in: {
        source: 'matrix',
        externalId: `cand-${role}`,
        name: `Matrix ${role}`,
        email: `matrix.${role}@example.com`,
        phone: '+1-555-0100',
        desiredSalaryMin: 100000,
        desiredSalaryMax: 150000,
        salaryCurrency: 'USD',
      },
    }),
    candidates: true,
    write: true,
  },
  {
    name: 'updateCandidate',
    document: `mutation($id: ID!) { updateCandidate(id: $id, input: { headline: "Matrix checked" }) { ...P } } ${P}`,
    variables: (f) => ({ id: g('Candidate', f.candidate) }),
    candidates: true,
    write: true,
  },
  {
    name: 'createApplication -> candidate',
    document: `mutation($in: ApplicationInput!) { createApplication(input: $in) { candidate { ...P } } } ${P}`,
    variables: (f, role) => {
      const pair = f.freePairs[ROLES.indexOf(role)]!;
      return {
        in: {
          source: 'matrix',
          externalId: `app-${role}`,
          stage: 'SOURCED',
          candidate: { id: g('Candidate', pair.candidate) },
          job: { id: g('Job', pair.job) },
        },
      };
    },
    candidates: true,
    write: true,
  },
  {
    name: 'updateApplication -> candidate',
    document: `mutation($id: ID!) { updateApplication(id: $id, input: { stage: "INTERVIEW" }) { candidate { ...P } } } ${P}`,
    variables: (f) => ({ id: g('Application', f.application) }),
    candidates: true,
    write: true,
  },
  {
    name: 'createPlacement -> candidate',
    document: `mutation($in: PlacementInput!) { createPlacement(input: $in) { candidate { ...P } } } ${P}`,
    variables: (f, role) => {
      const pair = f.freePairs[ROLES.indexOf(role)]!;
      return {
        in: {
          source: 'matrix',
          externalId: `pl-${role}`,
          candidate: { id: g('Candidate', pair.candidate) },
          job: { id: g('Job', pair.job) },
          startDate: '2024-03-01',
        },
      };
    },
    candidates: true,
    write: true,
  },
  {
    name: 'updatePlacement -> candidate',
    document: `mutation($id: ID!) { updatePlacement(id: $id, input: { feeBand: "A" }) { candidate { ...P } } } ${P}`,
    variables: (f) => ({ id: g('Placement', f.placement) }),
    candidates: true,
    write: true,
  },
  {
    name: 'createJob -> applications -> candidate',
    document: `mutation($co: ID!, $x: String!) { createJob(input: { source: "matrix", externalId: $x, title: "Matrix role", company: { id: $co } }) {
      applications { candidate { ...P } } } } ${P}`,
    variables: (f, role) => ({ co: g('Company', f.companyWithAlumni), x: `job-${role}` }),
    candidates: 'a new job has no applications yet; updateJob checks the same selection on a job that has some',
    write: true,
  },
  {
    name: 'updateJob -> applications -> candidate',
    document: `mutation($id: ID!, $s: String!) { updateJob(id: $id, input: { status: $s }) { applications { candidate { ...P } } } } ${P}`,
    variables: (f) => ({ id: g('Job', f.jobWithApplications.id), s: f.jobWithApplications.status }),
    candidates: true,
    write: true,
  },
];

// ---------------------------------------------------------------- the checks

type Stored = Record<string, unknown> & { id: string };

/** Every object in `value` with its path. */
function* objects(value: unknown, path = '$'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* objects(value[i], `${path}[${i}]`);
  } else if (value && typeof value === 'object') {
    yield [path, value as Record<string, unknown>];
    for (const [k, v] of Object.entries(value)) yield* objects(v, `${path}.${k}`);
  }
}

/** Personal values anywhere in a response: `path: value` for each non-null personal key. */
function personalValues(body: unknown): string[] {
  const found: string[] = [];
  for (const [path, o] of objects(body))
    for (const [k, v] of Object.entries(o))
      if (isPersonalField(k) && v !== null && v !== undefined) found.push(`${path}.${k}: ${String(v)}`);
  return found;
}

/** The step results the model was sent between <data> and </data>, parsed. */
function fencedData(requestBody: { messages?: { content?: unknown }[] }): unknown[] {
  return (requestBody.messages ?? []).flatMap((m) =>
    [...String(m.content ?? '').matchAll(/<data>\n([\s\S]*?)\n<\/data>/g)].map((x) => JSON.parse(x[1]!)),
  );
}

/** The personal fields of `o` that differ from the stored candidate (all of them when it is unknown). */
function mismatches(o: Record<string, unknown>, stored: Stored | undefined): string[] {
  return CANDIDATE_PERSONAL_FIELDS.filter((f) => !stored || stored[f] === null || o[f] !== stored[f]).map(
    (f) => `${f}: got ${String(o[f])}, stored ${String(stored?.[f])}`,
  );
}

describe('personal data on every path that can return a candidate, for every role', () => {
  let s: ScriptedLlmTestServer;
  let schema: GraphQLSchema;
  let fixture: Fixture;
  const states = new Map<Role, RoleState>(ROLES.map((r) => [r, {}]));

  beforeAll(async () => {
    s = await startTestServerWithLlm({ candidates: 20, env: { LLM_TIMEOUT_MS: '10000' } });
    await s.services.projector.drain(600_000);
    schema = await createSchema();
    s.llm.setDefault(
      scriptedRagModel({
        plan: () => ({
          steps: [
            { id: 's1', tool: 'searchCandidates', args: { query: 'engineer manager', first: 5 } },
            { id: 's2', tool: 'getRecords', args: { ids: '$s1.ids' } },
            { id: 's3', tool: 'graphNeighborhood', args: { id: '$s1.ids[0]', depth: 1 } },
          ],
        }),
      }),
    );

    const one = async (sql: string) => {
      const [row] = await s.sql(sql);
      if (!row) throw new Error(`the demo data has nothing for: ${sql}`);
      return row;
    };
    const app = await one(
      `SELECT a.id, a.candidate_id, a.job_id, j.title, j.status FROM application a JOIN job j ON j.id = a.job_id ORDER BY a.id LIMIT 1`,
    );
    const placement = await one(`SELECT id FROM placement ORDER BY id LIMIT 1`);
    const company = await one(
      `SELECT company_id AS id FROM experience WHERE company_id IS NOT NULL GROUP BY 1 ORDER BY count(DISTINCT candidate_id) DESC, 1 LIMIT 1`,
    );
    const colleague = await one(
      `SELECT a.candidate_id AS id FROM experience a JOIN experience b ON a.company_id = b.company_id AND a.candidate_id <> b.candidate_id
       AND a.start_date < coalesce(b.end_date, now()) AND b.start_date < coalesce(a.end_date, now()) ORDER BY 1 LIMIT 1`,
    );
    const owner = await one(
      `SELECT c.owner_id AS consultant, e.company_id AS company FROM candidate c JOIN experience e ON e.candidate_id = c.id
       WHERE c.owner_id IS NOT NULL AND e.company_id IS NOT NULL AND e.end_date IS NULL AND e.start_date < now() - interval '1 month'
       ORDER BY 1, 2 LIMIT 1`,
    );
    const pairs = await s.sql(
      `SELECT c.id AS candidate, j.id AS job FROM candidate c CROSS JOIN job j
       WHERE NOT EXISTS (SELECT 1 FROM application a WHERE a.candidate_id = c.id AND a.job_id = j.id) ORDER BY c.id, j.id LIMIT 200`,
    );
    const byCandidate = [...new Map(pairs.map((p) => [p.candidate, p])).values()];
    const scored = await one(
      `SELECT job_id AS job, candidate_id AS candidate FROM match_score ORDER BY score DESC, job_id, candidate_id LIMIT 1`,
    );
    fixture = {
      candidate: app.candidate_id,
      applicant: app.candidate_id,
      application: app.id,
      placement: placement.id,
      jobWithApplications: { id: app.job_id, title: app.title, status: app.status },
      companyWithAlumni: company.id,
      candidateWithColleagues: colleague.id,
      ownerOfEmployee: { consultant: owner.consultant, company: owner.company },
      freePairs: byCandidate.slice(0, ROLES.length),
      scored: { job: scored.job, candidate: scored.candidate },
    };
    expect(fixture.freePairs).toHaveLength(ROLES.length);
  }, 900_000);

  afterAll(async () => s?.close());

  /** The stored personal fields of every candidate, read fresh (writes in the matrix add some). */
  async function storedCandidates(): Promise<Map<string, Stored>> {
    const columns = CANDIDATE_PERSONAL_FIELDS.map((f) => `${personalColumn(f)} AS "${f}"`).join(', ');
    const rows: Stored[] = await s.sql(`SELECT id, ${columns} FROM candidate`);
    return new Map(rows.map((r) => [r.id, r]));
  }

  async function run(entry: Entry, role: Role): Promise<GqlResult['body']> {
    const variables = entry.variables?.(fixture, role, states.get(role)!) ?? {};
    if (!entry.subscription) {
      const r = await s.gql(entry.document, variables, role);
      return r.body;
    }
    const client = createClient({
      url: s.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${s.keys[role]}` },
      retryAttempts: 0,
    });
    try {
      const events: { data?: unknown; errors?: GqlResult['body']['errors'] }[] = [];
      for await (const e of client.iterate({ query: entry.document, variables })) events.push(e as (typeof events)[number]);
      const errors = events.flatMap((e) => e.errors ?? []);
      return { data: { events: events.map((e) => e.data) }, ...(errors.length ? { errors } : {}) };
    } finally {
      await client.dispose();
    }
  }

  it('the matrix covers every schema path that can return candidate data', () => {
    const { carriers, roots } = candidatePaths(schema);
    // The walk finds what we know is there, so it is not vacuous.
    for (const known of ['Query.candidate', 'Application.candidate', 'Query.node', 'RagRecord.fields', 'GraphNodeView.props'])
      expect(carriers).toContain(known);
    for (const known of ['Query.jobs', 'Mutation.ask', 'Subscription.askStream', 'Query.alumni']) expect(roots).toContain(known);

    const covered = new Set(MATRIX.flatMap((e) => coordinatesOf(schema, e.document)));
    const missing = [...carriers, ...roots].filter((c) => !covered.has(c)).sort();
    // A new path to candidate data needs a matrix entry that selects it (and the role checks below).
    expect(missing).toEqual([]);
  });

  for (const role of ROLES) {
    const allowed = mayReadPersonal(role);
    describe(`${role} (${allowed ? 'sees' : 'never sees'} personal fields)`, () => {
      for (const entry of MATRIX) {
        it(entry.name, async () => {
          const requestsBefore = s.llm.requests.length;
          const body = await run(entry, role);
          const stored = await storedCandidates();
          const typed = [...objects(body.data)].filter(([, o]) => o.__typename === 'Candidate');
          const ragCandidates = [...objects(body.data)].filter(
            ([, o]) => o.type === 'candidate' && typeof o.uuid === 'string' && o.fields && typeof o.fields === 'object',
          );
          const sentToModel = s.llm.requests.slice(requestsBefore).map((r) => JSON.stringify(r.body));
          const modelData = s.llm.requests.slice(requestsBefore).flatMap((r) => fencedData(r.body));
          if (body.data) entry.after?.(body, states.get(role)!);

          if (entry.refuses?.includes(role)) {
            expect(codes({ status: 200, body })).toContain('FORBIDDEN');
            expect(body.data ?? null).toBeNull();
            return;
          }
          if (!allowed) {
            if (entry.write) {
              expect(codes({ status: 200, body })).toContain('FORBIDDEN');
              expect(body.data ?? null).toBeNull();
            } else {
              expect(body.data).toBeTruthy();
              if (entry.candidates === true) expect(typed.length).toBeGreaterThan(0);
              if (typed.length) expect(codes({ status: 200, body })).toContain('FORBIDDEN');
            }
            expect(personalValues(body)).toEqual([]);
            // Not under another name either: no stored email or phone anywhere in the response or in what the model was sent.
            const text = [JSON.stringify(body), ...sentToModel].join('\n');
            const leaked = [...stored.values()].flatMap((c) => [c.email, c.phone]).filter((v) => typeof v === 'string' && text.includes(v));
            expect(leaked).toEqual([]);
            expect(personalValues(modelData)).toEqual([]);
            return;
          }

          expect(body.errors).toBeUndefined();
          if (entry.candidates === true) expect(typed.length).toBeGreaterThan(0);
          const wrong = typed.flatMap(([path, o]) => mismatches(o, stored.get(o.uuid as string)).map((m) => `${path} ${m}`));
          expect(wrong).toEqual([]);
          if (entry.ragRecords) {
            // Records from the data hub (getRecords, searchCandidates) carry every personal field, as stored.
            const full = ragCandidates.filter(
              ([, o]) => mismatches(o.fields as Record<string, unknown>, stored.get(o.uuid as string)).length === 0,
            );
            expect(full.length).toBeGreaterThan(0);
            // ... and so did what the model was sent to answer from.
            if (modelData.length) expect(personalValues(modelData).length).toBeGreaterThan(0);
          }
        });
      }
    });
  }
});

describe('errors never echo personal fields', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ candidates: 5 });
  }, 300_000);
  afterAll(() => s?.close());

  const bad = {
    type: 'candidate',
    source: 'hr',
    externalId: 'p-salary',
    name: 'Mei Secret',
    email: 'mei.secret@example.com',
    phone: '+86-555-0101-0202',
    desiredSalaryMin: 987654,
    desiredSalaryMax: 123456,
    salaryCurrency: 'CNY',
  };
  const personal = [bad.email, bad.phone, String(bad.desiredSalaryMin), String(bad.desiredSalaryMax), bad.name];

  it('an import that breaks a constraint names the constraint and the record key, nothing of the row', async () => {
    const r = await s.gql(
      `mutation($r: [JSONObject!]!) { importRecords(records: $r) { failed results { line ok code message } } }`,
      { r: [bad] },
      'admin',
    );
    expect(r.body.errors).toBeUndefined();
    const [line] = r.body.data.importRecords.results;
    expect(line).toMatchObject({ line: 1, ok: false, code: 'BAD_USER_INPUT' });
    expect(line.message).toContain('ck_candidate_salary');
    expect(line.message).toContain('hr/p-salary');
    for (const p of personal) expect(line.message).not.toContain(p);
  });

  it('the same record through createCandidate fails with the constraint only', async () => {
    const { type: _t, ...input } = bad;
    const r = await s.gql(`mutation($in: CandidateInput!) { createCandidate(input: $in) { id } }`, { in: input }, 'admin');
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors![0].message).toContain('ck_candidate_salary');
    for (const p of personal) expect(JSON.stringify(r.body)).not.toContain(p);
  });
});
