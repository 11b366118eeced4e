import DataLoader from 'dataloader';
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { Context } from '../context';
import { Candidate } from '../../hub/entities/candidate.entity';
import { Job } from '../../hub/entities/job.entity';
import { MATCH_SCORE_ROLES, type ExplainedMatchScore } from '../../matching/match-scores.service';
import { AppError } from '../../shared/errors';
import { expectGlobalId } from '../../shared/global-id';
import { PageInfo } from './connection';

const SCORE_ROLES = MATCH_SCORE_ROLES;

@ObjectType({ description: 'What a match score was computed from (columns of bi.match_scores)' })
class MatchComponents {
  @Field(() => Float, { description: 'Raw BM25F score for the job title and skills; 0 when not among the keyword hits' })
  keyword: number;
  @Field(() => Float, { description: 'Weighted cosine similarity of the section vectors' }) vector: number;
  @Field(() => Float, { nullable: true }) vectorProfile: number | null;
  @Field(() => Float, { nullable: true }) vectorTitle: number | null;
  @Field(() => Float, { nullable: true }) vectorSkills: number | null;
  @Field(() => Float, { nullable: true, description: "Share of the job's required skills held; null when it names none" })
  skillsRequired: number | null;
  @Field(() => Float, { nullable: true }) skillsPreferred: number | null;
  @Field(() => Float, { nullable: true, description: "Years of experience against the seniority's usual band, 0..1" })
  seniorityFit: number | null;
  @Field(() => Float, { nullable: true }) locationFit: number | null;
  @Field(() => Int, { description: "Career moves from the candidate's employers to the hiring company" }) talentFlow: number;
  @Field(() => Int, { description: 'Former colleagues of the candidate who work at the hiring company now' }) warmPath: number;
  @Field(() => Float, {
    nullable: true,
    description:
      "The trained link predictor's score (0..1, ranks, not a probability) that the candidate moves to the hiring company next (predictLinks kind CANDIDATE_COMPANY); null while no link model is trained (`matchhub linkpred train`), and then it does not move the score",
  })
  linkPrediction: number | null;
}

@ObjectType({ description: 'A stored match score of one candidate for one open job (bi.match_scores)' })
class MatchScore {
  @Field(() => Int, { description: 'Place among the job’s scored candidates, 1 = best' }) rank: number;
  @Field(() => Float, { description: "The model's probability that the candidate reaches its target stage" }) score: number;
  @Field(() => MatchComponents) components: MatchComponents;
  @Field({ description: "The three components that moved the score most, against the job's other scored candidates" })
  explanation: string;
  @Field() modelVersion: string;
  @Field(() => Date) computedAt: Date;
  jobId: string;
  candidateId: string;
}

@ObjectType()
class MatchScoreEdge {
  @Field() cursor: string;
  @Field(() => MatchScore) node: MatchScore;
}

@ObjectType()
class MatchScoreConnection {
  @Field(() => [MatchScoreEdge]) edges: MatchScoreEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@InputType()
class MatchScoreFilter {
  @Field(() => Float, { nullable: true, description: 'Scores at or above this' }) minScore?: number;
  @Field(() => Int, { nullable: true, description: 'Ranks at or above this within the job (1 = best)' }) maxRank?: number;
  @Field({ nullable: true }) modelVersion?: string;
}

@ArgsType()
class MatchScoreArgs {
  @Field(() => ID, { nullable: true, description: 'A job: its scored candidates' }) jobId?: string;
  @Field(() => ID, { nullable: true, description: 'A candidate: the jobs they are scored for' }) candidateId?: string;
  @Field(() => MatchScoreFilter, { nullable: true }) filter?: MatchScoreFilter;
  @Field(() => Int, { nullable: true, defaultValue: 20 }) first: number;
  @Field(() => String, { nullable: true }) after?: string;
}

const toNode = (r: ExplainedMatchScore): MatchScore => ({
  rank: r.rank,
  score: r.score,
  explanation: r.explanation,
  modelVersion: r.modelVersion,
  computedAt: r.computedAt,
  jobId: r.jobId,
  candidateId: r.candidateId,
  components: {
    keyword: r.keyword,
    vector: r.vector,
    vectorProfile: r.vectorProfile,
    vectorTitle: r.vectorTitle,
    vectorSkills: r.vectorSkills,
    skillsRequired: r.skillsRequired,
    skillsPreferred: r.skillsPreferred,
    seniorityFit: r.seniorityFit,
    locationFit: r.locationFit,
    talentFlow: r.talentFlow,
    warmPath: r.warmPath,
    linkPrediction: r.linkPrediction,
  },
});

/** Per request (the loaders object is fresh per request) and page size: the top lists of many jobs or candidates in one statement. */
const topLoaders = new WeakMap<object, Map<string, DataLoader<string, MatchScore[]>>>();
function topLoader(ctx: Context, side: 'job' | 'candidate', n: number): DataLoader<string, MatchScore[]> {
  let byKey = topLoaders.get(ctx.loaders);
  if (!byKey) topLoaders.set(ctx.loaders, (byKey = new Map()));
  const key = `${side}:${n}`;
  let loader = byKey.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const scores = ctx.services.matchScores;
      const found = side === 'job' ? await scores.topForJobs(ids, n) : await scores.topForCandidates(ids, n);
      return ids.map((id) => (found.get(id) ?? []).map(toNode));
    });
    byKey.set(key, loader);
  }
  return loader;
}

const checkTop = (first: number) => {
  if (!Number.isInteger(first) || first < 1 || first > 100) throw new AppError('BAD_USER_INPUT', 'first must be from 1 to 100');
};

@Resolver(() => MatchScore)
export class MatchScoreResolver {
  @Authorized(...SCORE_ROLES)
  @Query(() => MatchScoreConnection, {
    description:
      "Stored match scores of a job (its top candidates) or of a candidate (the jobs they are scored for), best first; the projector keeps them current (syncStatus: 'scores')",
  })
  async matchScores(@Args() a: MatchScoreArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.matchScores.page({
      jobId: a.jobId === undefined || a.jobId === null ? undefined : expectGlobalId(a.jobId, 'Job'),
      candidateId: a.candidateId === undefined || a.candidateId === null ? undefined : expectGlobalId(a.candidateId, 'Candidate'),
      minScore: a.filter?.minScore ?? undefined,
      maxRank: a.filter?.maxRank ?? undefined,
      modelVersion: a.filter?.modelVersion ?? undefined,
      first: a.first,
      after: a.after ?? undefined,
    });
    return {
      edges: page.nodes.map((n, i) => ({ cursor: page.cursors[i], node: toNode(n) })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      },
    };
  }

  @FieldResolver(() => Job, { nullable: true })
  job(@Root() m: MatchScore, @Ctx() ctx: Context) {
    return ctx.loaders.job.load(m.jobId);
  }

  @FieldResolver(() => Candidate, { nullable: true })
  candidate(@Root() m: MatchScore, @Ctx() ctx: Context) {
    return ctx.loaders.candidate.load(m.candidateId);
  }
}

@Resolver(() => Job)
export class JobTopMatchesResolver {
  @Authorized(...SCORE_ROLES)
  @FieldResolver(() => [MatchScore], { description: 'The best stored match scores of this job (empty unless it is open)' })
  topMatches(@Root() j: Job, @Arg('first', () => Int, { defaultValue: 10 }) first: number, @Ctx() ctx: Context) {
    checkTop(first);
    return topLoader(ctx, 'job', first).load(j.id);
  }
}

@Resolver(() => Candidate)
export class CandidateTopJobsResolver {
  @Authorized(...SCORE_ROLES)
  @FieldResolver(() => [MatchScore], { description: 'The open jobs this candidate scores best for' })
  topJobs(@Root() c: Candidate, @Arg('first', () => Int, { defaultValue: 10 }) first: number, @Ctx() ctx: Context) {
    checkTop(first);
    return topLoader(ctx, 'candidate', first).load(c.id);
  }
}
