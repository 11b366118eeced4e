// The shape of src/ (README, "Layout"), checked by `npm run check`. Each rule says which way
// imports may run; `main.ts` (the CLI) and `app/` (composition) are the only places that see
// everything.
/** The ports: what the rest of src/ may know of an adapter folder. */
const PORTS = [
  '^src/adapters/graph/relation-graph\\.ts$',
  '^src/adapters/search/(search-index|search-schema|search-filter)\\.ts$',
  '^src/adapters/embedding/embedder\\.ts$',
  '^src/adapters/llm/llm\\.ts$',
];
/** Adapter implementations: only app/ (and main.ts) construct them. */
const ENGINES = '^src/adapters/[^/]+/(embedded-|neo4j-|weaviate-|onnx-|openai-|llm-client)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Import cycles hide the order things load in.', from: {}, to: { circular: true } },
    {
      name: 'shared-is-a-leaf',
      severity: 'error',
      comment: 'shared/ (errors, config, logger, ids, cursors, random) imports nothing else of ours.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'adapters-import-no-services',
      severity: 'error',
      comment: 'An adapter implements its port; it knows shared/, its own folder and the record types, nothing above.',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/', pathNot: ['^src/shared/', '^src/adapters/$1/', '^src/hub/records\\.ts$'] },
    },
    {
      name: 'hub-imports-no-layer-above',
      severity: 'error',
      comment: 'The system of record (hub/) knows shared/ only: no GraphQL resolvers, projections, search, graph or RAG.',
      from: { path: '^src/hub/' },
      to: { path: '^src/', pathNot: ['^src/shared/', '^src/hub/'] },
    },
    {
      name: 'services-import-no-api-or-app',
      severity: 'error',
      comment: 'Services (matching, network, rag, sync, demo) are called by api/ and wired by app/, never the reverse.',
      from: { path: '^src/(matching|network|rag|sync|demo)/' },
      to: { path: '^src/(api|app)/' },
    },
    {
      name: 'projections-are-downstream',
      severity: 'error',
      comment: 'sync/ reads the hub and feeds search and graph; the hub and the services never wait on it.',
      from: { path: '^src/(hub|matching|network|rag|demo)/' },
      to: { path: '^src/sync/' },
    },
    {
      name: 'api-is-called-by-app-only',
      severity: 'error',
      comment: 'api/ (resolvers, context, loaders, GraphQL inputs) is wired by app/; nothing below it imports it.',
      from: { path: '^src/', pathNot: ['^src/(api|app)/', '^src/main\\.ts$'] },
      to: { path: '^src/api/' },
    },
    {
      name: 'app-is-the-top',
      severity: 'error',
      comment: 'app/ composes everything; only the CLI (main.ts) imports it.',
      from: { path: '^src/', pathNot: ['^src/app/', '^src/main\\.ts$'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'api-sees-ports-only',
      severity: 'error',
      comment: 'A resolver is one call deep: it calls a service and may name a port (types, its constants), never an adapter.',
      from: { path: '^src/api/' },
      to: { path: '^src/adapters/', pathNot: PORTS },
    },
    {
      name: 'services-see-no-engine',
      severity: 'error',
      comment: 'Services reach an engine through its port; app/ picks the adapter (embedded, Neo4j, Weaviate, ONNX, OpenAI-compatible).',
      // The one exception: training replays history into throwaway in-process graphs, one per
      // cut-off year, which no live engine holds (network/link-predictor.ts, snapshotGraph).
      from: { path: '^src/(hub|matching|network|rag|sync|demo)/', pathNot: '^src/network/link-predictor\\.ts$' },
      to: { path: ENGINES },
    },
    {
      name: 'demo-is-seeding-only',
      severity: 'error',
      comment: 'The demo generator is used to seed; no service depends on it.',
      from: { path: '^src/', pathNot: ['^src/demo/', '^src/app/', '^src/main\\.ts$'] },
      to: { path: '^src/demo/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
