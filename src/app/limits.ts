import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError } from '../shared/errors';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Fields at the root of one operation, aliases included. */
  maxRootFields: number;
  /** Field selections of one operation, every use of a fragment counted. */
  maxFields: number;
}

type Args = Record<string, unknown>;

/**
 * What a field costs when the default rule (1, and a page multiplies what it selects by its size)
 * would under-price it: `call` is the work of one call whatever it returns, `results` how many
 * results the arguments ask for (a page size, a list of ids, a node limit), each costing `perResult`
 * plus what the query selects inside it. Cost = call + results x (perResult + selection).
 */
export interface Price {
  call: number | ((args: Args) => number);
  results: (args: Args) => number;
  perResult: number;
}

const int = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
/** Clamped to what the service accepts: it refuses larger values itself, but the price must not be negative or absurd. */
const arg =
  (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  (args: Args) =>
    Math.min(max, Math.max(0, int(args[name], fallback)));
const listLength = (name: string) => (args: Args) => (Array.isArray(args[name]) ? (args[name] as unknown[]).length : 1);
const one = () => 1;

/**
 * Prices of the fields that do real work, in cost units. One unit is one field of one record in a
 * page: `candidates(first: 1000)` selecting six fields per record (cost 9,001 by the default rule)
 * takes 0.3-0.5 s on the embedded server, so a unit is 36-56 µs and GRAPHQL_MAX_COST 20,000 is
 * 0.7-1.1 s of server work. Each price is the measured time of one call in those units, from
 * `npm run bench:cost`: the embedded server of test/support/test-server.ts with 1,000 demo
 * candidates, on 2 cores shared with other test runs, three runs (lowest-highest):
 *
 *   one call (default first / limit)               measured, units       priced
 *   plain field: one more alias of viewer { role }  below the noise (<1)  1
 *   nodes(ids) per id; one more alias of node(id)   1-2                   1 + selection, per id
 *   searchCandidates, searchJobs (first 10)         205-790               700 + (2 + selection) per hit
 *   candidatesForJob, jobsForCandidate (first 10)   200-295               200 + (2 + selection) per hit
 *   normalizeTitle (first 5)                        210-630               600 + (2 + selection) per match
 *   neighborhood depth 1 / 2 / 3, limit 100         6-21 / 120-160 / 135-185    20 + depth x limit / 2:
 *                                                                          70 / 120 / 170, + selection
 *   neighborhood depth 3, limit 500                 665-960               770 + selection
 *   introductionPaths maxHops 3 / 4                 290-500 / 995-2,240   100 x 4^(maxHops-2): 400 / 1,600
 *   talentFlow, colleagues, alumni                  0-70                  20 + (1 + selection) per result
 *   predictLinks (first 10, both candidate sources) 14-16                 50 + (1 + selection) per result
 *   importRecords, per record (row + outbox event)  0-28                  10
 *
 * Search is priced near the busy end of its range: its cost is embedding the query on the CPU,
 * which is what slows down when the machine is loaded. A neighbourhood's nodes and edges are built
 * in memory by the call, so its selection counts once, not per node. predictLinks scores its whole
 * candidate pool (up to 1,500 targets) whatever `first` is, so `first` adds only the rows it
 * returns, priced like a page's: `first: 1000` with every field costs 19,050, under the default
 * GRAPHQL_MAX_COST. `ask`, `rerunRagStep` and `askStream` cannot be timed here (the LLM is
 * scripted in tests): a question is two LLM calls (tens of seconds with DeepSeek-R1, paid per
 * token) and up to RAG_MAX_STEPS (8) tool calls priced as above (700 for a search), so it costs
 * 10,000: at most two per operation. Re-measure with `npm run bench:cost` when a service changes
 * how much work a call does.
 */
export const PRICES: Readonly<Record<string, Price>> = {
  'Query.nodes': { call: 1, results: listLength('ids'), perResult: 1 },
  'Query.searchCandidates': { call: 700, results: arg('first', 10), perResult: 2 },
  'Query.searchJobs': { call: 700, results: arg('first', 10), perResult: 2 },
  'Query.candidatesForJob': { call: 200, results: arg('first', 10), perResult: 2 },
  'Query.jobsForCandidate': { call: 200, results: arg('first', 10), perResult: 2 },
  'Query.normalizeTitle': { call: 600, results: arg('first', 5), perResult: 2 },
  'Query.neighborhood': {
    call: (a) => 20 + Math.ceil((arg('depth', 1, 3)(a) * arg('limit', 100, 500)(a)) / 2),
    results: one,
    perResult: 0,
  },
  'Query.introductionPaths': { call: (a) => 100 * 4 ** (arg('maxHops', 3, 4)(a) - 2), results: arg('first', 10), perResult: 1 },
  'Query.talentFlow': { call: 20, results: arg('first', 20), perResult: 1 },
  'Query.colleagues': { call: 20, results: arg('first', 50), perResult: 1 },
  'Query.alumni': { call: 20, results: arg('first', 50), perResult: 1 },
  'Query.predictLinks': { call: 50, results: arg('first', 10, 1000), perResult: 1 },
  'Mutation.ask': { call: 10_000, results: one, perResult: 0 },
  'Mutation.rerunRagStep': { call: 10_000, results: one, perResult: 0 },
  'Subscription.askStream': { call: 10_000, results: one, perResult: 0 },
  // The result (counts and one line per record) is selected once, not per record.
  'Mutation.importRecords': { call: (a) => 10 * listLength('records')(a), results: one, perResult: 0 },
};

/** The page size a field asks for: first/last, 20 for a connection that names neither, else 1. */
function pageSize(field: GraphQLField<unknown, unknown>, args: Args): number {
  const paged = String(field.type).replace(/!$/, '').endsWith('Connection');
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : paged ? 20 : 1;
  return Math.max(1, size);
}

/** A priced field costs call + results x (perResult + selection); any other field 1 + selection x page size. */
const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const price = PRICES[`${type.name}.${field.name}`];
  if (!price) return 1 + childComplexity * pageSize(field, args);
  const call = typeof price.call === 'number' ? price.call : price.call(args);
  return call + price.results(args) * (price.perResult + childComplexity);
};

/** The cost of the operation in the units of PRICES; the document must be valid against the schema. */
export function queryCost(schema: GraphQLSchema, doc: DocumentNode, variables: Record<string, unknown>, operationName?: string) {
  let known = costs.get(doc);
  if (!known) costs.set(doc, (known = { opaque: opaqueVariables(doc), byVariables: new Map() }));
  const key = JSON.stringify([
    operationName ?? null,
    Object.entries(variables).map(([k, v]) => [k, known.opaque.has(k) && typeof v === 'string' ? '' : v]),
  ]);
  let cost = known.byVariables.get(key);
  if (cost === undefined) {
    cost = getComplexity({ schema, query: doc, variables, operationName, estimators: [estimator] });
    if (known.byVariables.size >= 64) known.byVariables.clear();
    known.byVariables.set(key, cost);
  }
  return cost;
}

/**
 * Costs already computed, per parsed document (Apollo keeps one per query text) and per variables.
 * No price reads an ID or String value, so variables of those types count by presence only: a query
 * asked for one record after another is costed once.
 */
const costs = new WeakMap<DocumentNode, { opaque: ReadonlySet<string>; byVariables: Map<string, number> }>();

/** Variables declared `ID`, `ID!`, `String` or `String!`. */
function opaqueVariables(doc: DocumentNode): ReadonlySet<string> {
  const names = new Set<string>();
  for (const d of doc.definitions) {
    if (d.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of d.variableDefinitions ?? []) {
      const type = v.type.kind === Kind.NON_NULL_TYPE ? v.type.type : v.type;
      if (type.kind === Kind.NAMED_TYPE && (type.name.value === 'ID' || type.name.value === 'String')) names.add(v.variable.name.value);
    }
  }
  return names;
}

// ---------------------------------------------------------------- shape (no schema needed)

interface Walk<T> {
  field(node: { name: { value: string }; selectionSet?: SelectionSetNode }, inner: () => T): T;
  combine(values: T[]): T;
  empty: T;
}

/**
 * Folds a selection set with fragments expanded. Each fragment is folded once and its value reused
 * for every spread, so a document whose fragments spread each other 2^30 times takes linear time;
 * a fragment that spreads itself (invalid anyway) counts as empty.
 */
function fold<T>(doc: DocumentNode, walk: Walk<T>) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, T>();
  const inProgress = new Set<string>();
  const set = (s: SelectionSetNode | undefined): T => {
    if (!s) return walk.empty;
    return walk.combine(
      s.selections.map((sel) => {
        if (sel.kind === Kind.FIELD) return walk.field(sel, () => set(sel.selectionSet));
        if (sel.kind === Kind.INLINE_FRAGMENT) return set(sel.selectionSet);
        const name = sel.name.value;
        if (memo.has(name)) return memo.get(name)!;
        if (inProgress.has(name)) return walk.empty;
        inProgress.add(name);
        const value = set(fragments.get(name)?.selectionSet);
        inProgress.delete(name);
        memo.set(name, value);
        return value;
      }),
    );
  };
  return set;
}

const operations = (doc: DocumentNode) => doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
const isIntrospection = (name: string) => name === '__schema' || name === '__type';

/**
 * Depth of the deepest field path, following fragments. Inside introspection (`__schema`, `__type`)
 * the `ofType` chain does not count: it is as deep as a type's list and non-null wrappers, which the
 * schema bounds, and the standard introspection query nests it nine times.
 */
export function queryDepth(doc: DocumentNode): number {
  const depthIn = (introspecting: boolean): ((set: SelectionSetNode | undefined) => number) =>
    fold<number>(doc, {
      empty: 0,
      combine: (values) => Math.max(0, ...values),
      field: (f, inner): number => {
        if (!f.selectionSet) return 1;
        if (!introspecting && isIntrospection(f.name.value)) return 1 + inside(f.selectionSet);
        return (introspecting && f.name.value === 'ofType' ? 0 : 1) + inner();
      },
    });
  const inside = depthIn(true);
  const outside = depthIn(false);
  return Math.max(0, ...operations(doc).map((op) => outside(op.selectionSet)));
}

/** Per operation: root fields (aliases included) and all field selections, each use of a fragment counted. */
export function operationShape(doc: DocumentNode): { name: string | null; rootFields: number; fields: number }[] {
  const root = fold<number>(doc, { empty: 0, combine: (v) => v.reduce((a, b) => a + b, 0), field: () => 1 });
  const all = fold<number>(doc, { empty: 0, combine: (v) => v.reduce((a, b) => a + b, 0), field: (_f, inner) => 1 + inner() });
  return operations(doc).map((op) => ({ name: op.name?.value ?? null, rootFields: root(op.selectionSet), fields: all(op.selectionSet) }));
}

/** True when the operation (the named one, or any when there is no name) reads `__schema` or `__type`. */
export function usesIntrospection(doc: DocumentNode, operationName?: string): boolean {
  const has = fold<boolean>(doc, {
    empty: false,
    combine: (v) => v.some(Boolean),
    field: (f, inner) => isIntrospection(f.name.value) || inner(),
  });
  return operations(doc).some((op) => (!operationName || op.name?.value === operationName) && has(op.selectionSet));
}

/**
 * The checks that need no schema: root fields, field selections and depth. They run before GraphQL
 * validation (whose cost grows with the document) and before the cost, which walks every field.
 * Throws QUERY_TOO_COMPLEX saying what to change.
 */
export function checkShape(doc: DocumentNode, limits: QueryLimits): void {
  for (const op of operationShape(doc)) {
    const which = op.name ? `operation ${op.name}` : 'the operation';
    if (op.rootFields > limits.maxRootFields) {
      throw new AppError(
        'QUERY_TOO_COMPLEX',
        `${which} has ${op.rootFields} root fields (aliases included); at most ${limits.maxRootFields} are allowed: ` +
          'send several requests, fetch many records with one nodes(ids: [...]), or ask for a larger page (first)',
      );
    }
    if (op.fields > limits.maxFields) {
      throw new AppError(
        'QUERY_TOO_COMPLEX',
        `${which} selects ${op.fields} fields (every use of a fragment counted); at most ${limits.maxFields} are allowed: ` +
          'select fewer fields or split it into several requests',
      );
    }
  }
  const depth = queryDepth(doc);
  if (depth > limits.maxDepth) {
    throw new AppError('QUERY_TOO_COMPLEX', `query depth ${depth} exceeds the limit of ${limits.maxDepth}; split it into several queries`);
  }
}

/**
 * Shape, then cost, of a document valid against the schema. Throws QUERY_TOO_COMPLEX before
 * anything runs.
 */
export function enforceLimits(
  schema: GraphQLSchema,
  doc: DocumentNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
  operationName?: string,
) {
  checkShape(doc, limits);
  const cost = queryCost(schema, doc, variables, operationName);
  if (cost > limits.maxCost) {
    throw new AppError(
      'QUERY_TOO_COMPLEX',
      `query cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages (first/last, limit, ids) or fewer ` +
        'nested lists, and fewer calls of search, graph and RAG fields (each call costs hundreds; see "Errors and limits" in the README)',
    );
  }
  return cost;
}
