import type {
  Alumnus,
  Colleague,
  FlowPartner,
  IntroductionPath,
  IntroductionPathsQuery,
  NeighborhoodQuery,
  Page,
  PageQuery,
  RelationGraph,
  Subgraph,
  TalentFlowQuery,
} from '../adapters/graph/relation-graph';
import { intIn, MAX_PREDICTIONS } from '../adapters/graph/graph-input';
import type { LinkModel } from './link-scoring';
import { rankPredictions, type LinkPrediction, type PredictLinksQuery } from './link-prediction-ranking';

/**
 * The relation network as the API and the RAG tools see it: traversals from the graph port, and
 * link prediction scored and ranked here, once, whichever engine found the candidates.
 */
export class NetworkService {
  constructor(
    private readonly graph: RelationGraph,
    /** The latest trained model, or null for the default heuristic; read on every prediction. */
    private readonly linkModel: () => LinkModel | null = () => null,
  ) {}

  neighborhood(query: NeighborhoodQuery): Promise<Subgraph> {
    return this.graph.neighborhood(query);
  }

  introductionPaths(query: IntroductionPathsQuery): Promise<IntroductionPath[]> {
    return this.graph.introductionPaths(query);
  }

  talentFlow(query: TalentFlowQuery): Promise<FlowPartner[]> {
    return this.graph.talentFlow(query);
  }

  colleagues(candidateId: string, page?: PageQuery): Promise<Page<Colleague>> {
    return this.graph.colleagues(candidateId, page);
  }

  alumni(companyId: string, page?: PageQuery): Promise<Page<Alumnus>> {
    return this.graph.alumni(companyId, page);
  }

  /**
   * Ranks the engine's candidates by the given model, else the latest trained one, else the default
   * heuristic; mode NEW by the model's new-link part, REPEAT by its repeat-flow part, ANY by the heuristic.
   */
  async predictLinks(query: PredictLinksQuery): Promise<LinkPrediction[]> {
    const first = intIn(query.first, 'first', 1, MAX_PREDICTIONS, 10);
    const candidates = await this.graph.linkCandidates({
      nodeId: query.nodeId,
      kind: query.kind,
      asOfYear: query.asOfYear,
      asOf: query.asOf,
      mode: query.mode,
      excludeExisting: query.excludeExisting,
    });
    const model = query.model ?? this.linkModel() ?? undefined;
    // The engine has refused a mode that contradicts excludeExisting, so this is the mode it answered.
    const mode = query.mode ?? (query.excludeExisting === false ? 'ANY' : 'NEW');
    return rankPredictions(query.nodeId, query.kind, candidates, { vectors: query.vectors, model, mode }, first);
  }
}
