import type { GraphQLSchema } from 'graphql';
import { buildSchema, type AuthChecker } from 'type-graphql';
import { resolveRelationsFromLoaders } from '../api/loaders';
import type { Context } from '../api/context';
import { stopAtDeadline } from '../shared/deadline';
import { AppError } from '../shared/errors';
import { ApiKeyResolver } from '../api/resolvers/api-key.resolver';
import { CandidateResolver } from '../api/resolvers/candidate.resolver';
import { CandidateSkillResolver, ExperienceResolver, JobSkillResolver } from '../api/resolvers/candidate-parts.resolver';
import { CompanyResolver } from '../api/resolvers/company.resolver';
import { GraphResolver } from '../api/resolvers/graph.resolver';
import { JobResolver } from '../api/resolvers/job.resolver';
import { LinkPredictionResolver } from '../api/resolvers/link-prediction.resolver';
import { CandidateTopJobsResolver, JobTopMatchesResolver, MatchScoreResolver } from '../api/resolvers/match-score.resolver';
import { NodeResolver } from '../api/resolvers/node.resolver';
import { PersonalDataReadResolver } from '../api/resolvers/personal-data-read.resolver';
import { ApplicationResolver, PlacementResolver } from '../api/resolvers/pipeline.resolver';
import { RagCitationResolver, RagResolver } from '../api/resolvers/rag.resolver';
import { SearchResolver } from '../api/resolvers/search.resolver';
import { TaxonomyResolver } from '../api/resolvers/taxonomy.resolver';
import { ViewerResolver } from '../api/resolvers/viewer.resolver';

/** Everything but the public health checks needs an API key; `@Authorized(roles)` narrows further. */
const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  if (!context.viewer) {
    throw new AppError('UNAUTHENTICATED', 'send an API key as "Authorization: Bearer <key>"; `matchhub apikey create` makes one');
  }
  if (roles.length && !roles.includes(context.viewer.role)) {
    throw new AppError('FORBIDDEN', `role ${context.viewer.role} may not do this; it needs one of: ${roles.join(', ')}`);
  }
  return true;
};

export const RESOLVERS = [
  NodeResolver,
  ViewerResolver,
  CandidateResolver,
  ExperienceResolver,
  CandidateSkillResolver,
  JobSkillResolver,
  JobResolver,
  CompanyResolver,
  ApplicationResolver,
  PlacementResolver,
  TaxonomyResolver,
  SearchResolver,
  GraphResolver,
  RagResolver,
  RagCitationResolver,
  PersonalDataReadResolver,
  ApiKeyResolver,
  LinkPredictionResolver,
  MatchScoreResolver,
  JobTopMatchesResolver,
  CandidateTopJobsResolver,
] as const;

/** `emit` writes the sorted SDL to schema/schema.graphql (npm run schema:emit); the server never writes it. */
export async function createSchema(options: { emit?: string } = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [...RESOLVERS],
    authChecker,
    // Anonymous requests are refused once per request by the server (server.ts), not per field here.
    authMode: 'error',
    validate: false,
    // Every subscription brings its own event source (askStream); there are no topics to publish to.
    pubSub: {
      publish: () => {
        throw new Error('MatchHub has no pub/sub topics');
      },
      subscribe: () => {
        throw new Error('MatchHub has no pub/sub topics');
      },
    },
    emitSchemaFile: options.emit ? { path: options.emit, sortedSchema: true } : false,
  });
  // Relation fields read from the loaders directly; then every resolver stops at the request's time
  // budget (GRAPHQL_TIMEOUT_MS). The SDL is unchanged by either.
  return stopAtDeadline(resolveRelationsFromLoaders(schema));
}
