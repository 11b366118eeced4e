import type { Config } from './config';
import type { ApiKeyService, Viewer } from './datahub/api-key.service';
import type { ListService } from './datahub/list.service';
import { createLoaders, type Loaders } from './datahub/loaders';
import type { WriteService } from './datahub/write.service';
import type { Database } from './datahub/database';
import type { Embedder } from './embedding/embedder';
import type { LinkModel } from './graph/link-features';
import type { RelationGraph } from './graph/relation-graph';
import type { LinkPredictionService } from './linkpred/link-prediction.service';
import type { SearchService } from './matching/search.service';
import type { SearchIndex } from './search/search-index';
import type { RagService } from './rag/rag.service';
import type { Projector } from './sync/projector';

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
  projector: Projector;
  graph: RelationGraph;
  /** Trains and evaluates link prediction; holds the model predictLinks scores with. */
  linkPrediction: LinkPredictionService;
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
}

const NEVER = new AbortController().signal;

export function createContext(services: Services, viewer: Viewer | null, signal: AbortSignal = NEVER): Context {
  return { viewer, loaders: createLoaders(services.db.dataSource), services, signal };
}
