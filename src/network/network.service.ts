import type {
  Alumnus,
  Colleague,
  FlowPartner,
  IntroductionPath,
  IntroductionPathsQuery,
  LinkKind,
  LinkPair,
  NeighborhoodQuery,
  Page,
  PageQuery,
  RelationGraph,
  Subgraph,
  TalentFlowQuery,
} from '../adapters/graph/relation-graph';
import { intIn, MAX_PREDICTIONS } from '../adapters/graph/graph-input';
import { kindModelFor, scoreWithKindModel, scorerOf, type LinkModel, type LinkScorer } from './link-scoring';
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
   * The trained model's score of each pair of `kind` (its new-link model, as predictLinks mode NEW ranks
   * with), features from one engine call for the whole batch; `asOfYear` as LinkCandidatesQuery's (default
   * this year). Every score is null when no trained model has the kind (the default heuristic's scores are
   * not on a 0..1 scale), and a pair's is null when the engine has no features for it.
   */
  async linkScores(
    kind: LinkKind,
    pairs: readonly LinkPair[],
    asOfYear = new Date().getUTCFullYear(),
  ): Promise<{ scoredBy: LinkScorer; scores: (number | null)[] }> {
    const model = this.linkModel() ?? undefined;
    const km = kindModelFor(kind, model, 'NEW');
    if (!km || pairs.length === 0) return { scoredBy: scorerOf(kind, km ? model : undefined), scores: pairs.map(() => null) };
    const features = await this.graph.linkFeatures(kind, pairs, asOfYear);
    return { scoredBy: scorerOf(kind, model), scores: pairs.map((_, i) => (features[i] ? scoreWithKindModel(km, features[i]) : null)) };
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
