import type { Config } from '../shared/config';
import type { ApiKeyService, Viewer } from '../hub/api-key.service';
import type { ListService } from '../hub/list.service';
import { createLoaders, type Loaders } from './loaders';
import type { Selection } from './selection';
import type { WriteService } from '../hub/write.service';
import type { Database } from '../hub/database';
import type { Embedder } from '../adapters/embedding/embedder';
import type { LinkModel } from '../network/link-scoring';
import type { RelationGraph } from '../adapters/graph/relation-graph';
import type { LinkPredictionService } from '../network/link-prediction.service';
import type { NetworkService } from '../network/network.service';
import type { MatchScoreService } from '../matching/match-scores.service';
import type { SearchService } from '../matching/search.service';
import type { TitleNormalizer } from '../matching/title-normalizer';
import type { SearchIndex } from '../adapters/search/search-index';
import type { RagService } from '../rag/rag.service';
import type { Projector } from '../sync/projector';

/** Long-lived parts the composition root builds once (app.ts). */
export interface Services {
  config: Config;
  db: Database;
  apiKeys: ApiKeyService;
  lists: ListService;
  writes: WriteService;
  embedder: Embedder;
  searchIndex: SearchIndex;
  search: SearchService;
  /** The stored match scores (match_score): computed by the projector, read by GraphQL, CSV and the `bi` views. */
  matchScores: MatchScoreService;
  /** normalizeTitle: job title -> occupations of a taxonomy, by their best label. */
  titles: TitleNormalizer;
  projector: Projector;
  graph: RelationGraph;
  /** Trains and evaluates link prediction; holds the model predictLinks scores with. */
  linkPrediction: LinkPredictionService;
  /** Traversals and link prediction over the graph, ranked with the model below. */
  network: NetworkService;
  /** The latest trained link-prediction model, or null to score with the default heuristic. */
  linkModel(): LinkModel | null;
  /** Questions answered by the LLM over the services above; UNAVAILABLE when no LLM is configured. */
  rag: RagService;
}

/** Per request: who asks, and fresh DataLoaders so no cache is shared across requests or users. */
export interface Context {
  viewer: Viewer | null;
  loaders: Loaders;
  services: Services;
  /** Aborted when the request's time budget runs out or its client goes away; see deadline.ts. */
  signal: AbortSignal;
  /**
   * The fields the operation selects per type (selection.ts): null until it is known, and on
   * subscriptions. A holder, because Apollo gives each operation a shallow copy of the context.
   */
  selection: { current: Selection | null };
  /** The fields selected on `type`, which the reads narrow their columns to; undefined (read all) when unknown. */
  fieldsOf(type: string): ReadonlySet<string> | undefined;
}

const NEVER = new AbortController().signal;

export function createContext(services: Services, viewer: Viewer | null, signal: AbortSignal = NEVER): Context {
  const context: Context = {
    viewer,
    services,
    signal,
    selection: { current: null },
    // A type the operation selects nothing on is still read whole when something loads it (an empty set
    // would read the keys only, and a resolver may use more).
    fieldsOf: (type) => context.selection.current?.get(type),
    loaders: undefined as unknown as Loaders,
  };
  context.loaders = createLoaders(services.db.dataSource, context.fieldsOf);
  return context;
}
