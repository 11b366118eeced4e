import path from 'node:path';
import type { Config } from '../shared/config';
import type { Services } from '../api/context';
import { openDataHub, type DataHub, type OpenOptions } from './data-hub';
import type { SeedService } from '../demo/seed.service';
import type { Embedder } from '../adapters/embedding/embedder';
import { CachingEmbedder, EmbeddingCacheStore } from '../adapters/embedding/embedding-cache';
import { resolveModelDir } from '../adapters/embedding/model-manifest';
import { OnnxEmbedder } from '../adapters/embedding/onnx-embedder';
import { OpenAiEmbedder } from '../adapters/embedding/openai-embedder';
import { EmbeddedRelationGraph } from '../adapters/graph/embedded-relation-graph';
import { Neo4jRelationGraph } from '../adapters/graph/neo4j-relation-graph';
import type { RelationGraph } from '../adapters/graph/relation-graph';
import { LinkPredictionService } from '../network/link-prediction.service';
import { NetworkService } from '../network/network.service';
import type { Logger } from '../shared/logger';
import { SearchDocuments } from '../matching/search-documents';
import { SearchService } from '../matching/search.service';
import { DEFAULT_MATCH_SCORE_OPTIONS, MatchScoreService } from '../matching/match-scores.service';
import { MatchScoreModels } from '../matching/match-score-models';
import { MatchScoreProjection } from '../sync/match-score-projection';
import { EmbeddedSearchIndex } from '../adapters/search/embedded-search-index';
import type { SearchIndex } from '../adapters/search/search-index';
import { WeaviateSearchIndex } from '../adapters/search/weaviate-search-index';
import { GraphProjection } from '../sync/graph-projection';
import { DEFAULT_PROJECTOR_OPTIONS, Projector } from '../sync/projector';
import { SearchProjection } from '../sync/search-projection';
import { TitleLabelProjection } from '../sync/title-label-projection';
import type { Projection } from '../sync/projection';
import { occupationRerankTexts, TitleNormalizer } from '../matching/title-normalizer';
import { BiEncoderReranker } from '../matching/bi-encoder-reranker';
import { createLlmClient } from '../adapters/llm/llm-client';
import { RagService } from '../rag/rag.service';
import { RagTools } from '../rag/tools/rag-tools';

export type AppServices = Services & { seeds: SeedService; close(): Promise<void> };
export { openDataHub, type DataHub, type OpenOptions } from './data-hub';

async function createEmbedder(config: Config): Promise<Embedder> {
  const { openaiBaseUrl, openaiApiKey, openaiModel, openaiDimensions, cacheDir, cacheMaxBytes } = config.embedding;
  // Switching models changes the vector space: run `matchhub reindex` afterwards.
  const model: Embedder = openaiBaseUrl
    ? new OpenAiEmbedder({ baseURL: openaiBaseUrl, apiKey: openaiApiKey ?? 'none', model: openaiModel!, dimensions: openaiDimensions! })
    : await OnnxEmbedder.create({ modelDir: config.embedding.modelDir ?? resolveModelDir(), intraOpNumThreads: config.embedding.threads });
  if (!cacheDir) return model;
  return new CachingEmbedder(model, new EmbeddingCacheStore(cacheDir, model.modelId, model.dimensions, cacheMaxBytes));
}

function createSearchIndex(config: Config, hub: DataHub, command?: string): SearchIndex {
  const { weaviateUrl, weaviateGrpcPort, weaviateApiKey, collectionPrefix } = config.search;
  if (weaviateUrl)
    return new WeaviateSearchIndex({ url: weaviateUrl, grpcPort: weaviateGrpcPort, apiKey: weaviateApiKey ?? undefined, collectionPrefix });
  // The embedded data hub already holds the data directory's lock; on PostgreSQL the index takes its own.
  const lock = hub.db.kind === 'embedded' ? 'caller' : 'own';
  return new EmbeddedSearchIndex({ dataDir: path.join(config.database.dataDir, 'search'), lock, command });
}

function createGraph(config: Config): { graph: RelationGraph; volatile: boolean } {
  const { neo4jUri, neo4jUser, neo4jPassword, neo4jGraphName } = config.graph;
  if (neo4jUri) {
    return {
      graph: new Neo4jRelationGraph({ uri: neo4jUri, user: neo4jUser, password: neo4jPassword!, graphName: neo4jGraphName }),
      volatile: false,
    };
  }
  return { graph: new EmbeddedRelationGraph(), volatile: true };
}

/**
 * The composition root: picks each port's adapter from config and wires services. Nothing else
 * constructs services, so tests and the CLI get the same wiring as the server.
 */
export async function createServices(config: Config, log: Logger, options: OpenOptions = {}): Promise<AppServices> {
  const hub = await openDataHub(config, log, options);
  const { db } = hub;
  const closers: (() => Promise<void>)[] = [() => hub.close()];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => log.warn('close failed', { err }));
  };
  try {
    const embedder = await createEmbedder(config);
    closers.push(() => embedder.close());
    const searchIndex = createSearchIndex(config, hub, options.command);
    await searchIndex.ensureSchema();
    closers.push(() => searchIndex.close());
    const searchProjection = new SearchProjection(db.dataSource, searchIndex, embedder);
    const { graph, volatile } = createGraph(config);
    await graph.init();
    closers.push(() => graph.close());
    const documents = new SearchDocuments(db.dataSource, embedder);
    const search = new SearchService(searchIndex, embedder, documents);
    const linkPrediction = LinkPredictionService.forDataDir(db.dataSource, config.database.dataDir, log);
    const network = new NetworkService(graph, () => linkPrediction.current());
    const matchScores = new MatchScoreService(
      db.dataSource,
      search,
      documents,
      new MatchScoreModels(db.dataSource),
      { ...DEFAULT_MATCH_SCORE_OPTIONS, topK: config.matchScores.topK },
      network,
    );
    const projections: Projection[] = [
      searchProjection,
      new GraphProjection(db.dataSource, graph, volatile),
      new MatchScoreProjection(matchScores),
    ];
    if (config.search.titleLabels) projections.push(new TitleLabelProjection(db.dataSource, searchIndex, embedder));
    const projector = new Projector(db.dataSource, projections, log, {
      ...DEFAULT_PROJECTOR_OPTIONS,
      retentionMs: config.projector.outboxRetentionMs,
      idlePollMs: config.projector.idlePollMs,
    });
    closers.push(() => projector.stop());
    await projector.reconcile();
    const base = {
      ...hub,
      embedder,
      searchIndex,
      search,
      matchScores,
      titles: new TitleNormalizer(searchIndex, embedder, new BiEncoderReranker(embedder, occupationRerankTexts(db.dataSource)), () =>
        projector.caughtUp('titles', 'occupation'),
      ),
      projector,
      graph,
      linkPrediction,
      linkModel: () => linkPrediction.current(),
      network,
      close,
    };
    // The tools call the services above, so the RAG service is wired last.
    const llm = createLlmClient(config.llm, { maxRetries: config.llm.maxRetries, prices: config.llm.prices });
    return { ...base, rag: new RagService(db.dataSource, llm, new RagTools(base), config.rag, log) };
  } catch (err) {
    await close();
    throw err;
  }
}
