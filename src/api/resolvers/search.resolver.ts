import {
  Args,
  ArgsType,
  Arg,
  Authorized,
  Ctx,
  Field,
  Float,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
} from 'type-graphql';
import type { Context } from '../context';
import { Candidate } from '../../hub/entities/candidate.entity';
import { Job } from '../../hub/entities/job.entity';
import { Occupation } from '../../hub/entities/occupation.entity';
import { expectGlobalId } from '../../shared/global-id';
import { JobStatusEnum, SeniorityEnum } from '../../hub/entities/graphql-enums';
import type { JobStatus, Seniority } from '../../hub/records';
import { AppError } from '../../shared/errors';
import { SEARCH_DEFAULTS } from '../../adapters/search/search-index';
import { SearchService, type MatchPage } from '../../matching/search.service';
import { NORMALIZE_TITLE_DEFAULTS } from '../../matching/title-normalizer';
import { RERANK_DEFAULTS } from '../../matching/bi-encoder-reranker';
import type { SearchFilter } from '../../adapters/search/search-filter';
import { checkProjections } from '../../sync/sync-check';
import { PageInfo } from './connection';
import { FloatRange, IntRange } from '../../hub/list-filters';

export enum FusionType {
  RELATIVE_SCORE = 'relativeScore',
  RANKED = 'ranked',
}
registerEnumType(FusionType, {
  name: 'FusionType',
  description:
    'How keyword and vector results are combined (as Weaviate defines them). RELATIVE_SCORE (default) min-max scales both scores; RANKED adds 1/(rank+60).',
});

@InputType({ description: 'Every field narrows the result; leave out what you do not need' })
export class SearchFilterInput {
  @Field({ nullable: true, description: 'Exact location' }) location?: string;
  @Field(() => FloatRange, { nullable: true }) yearsExperience?: FloatRange;
  @Field(() => [SeniorityEnum], { nullable: true }) seniority?: Seniority[];
  @Field(() => IntRange, { nullable: true, description: 'Jobs whose salary range overlaps this one' }) salary?: IntRange;
  @Field(() => JobStatusEnum, { nullable: true }) status?: JobStatus;
  @Field(() => [String], { nullable: true, description: 'Has all of these skills (case-insensitive)' }) skills?: string[];
  @Field(() => [ID], { nullable: true, description: 'Worked at (candidates) or posted by (jobs) any of these companies' })
  companyIds?: string[];
  @Field(() => [String], { nullable: true, description: 'O*NET-SOC codes' }) occupationCodes?: string[];
  @Field(() => [String], { nullable: true }) languages?: string[];
  @Field({ nullable: true, description: 'Only records of this import source (the `source` they were written with), e.g. onet, esco, demo' })
  source?: string;
  @Field({ nullable: true, description: 'Only records whose externalId starts with this (case-sensitive; no * or ?)' })
  externalIdPrefix?: string;
}

@ObjectType()
export class VectorMatch {
  @Field({ description: 'Section: profile, title, skills, experience, summary, description' }) name: string;
  @Field(() => Float) similarity: number;
}

@ObjectType({ description: 'Why a record ranks where it does' })
export class MatchExplanation {
  @Field(() => [String], { description: 'Query terms found in the record' }) matchedTerms: string[];
  @Field(() => [VectorMatch], { description: 'Sections most similar to the query, best first' }) matchedVectors: VectorMatch[];
  @Field({ description: 'One line for a consultant' }) summary: string;
}

@ObjectType('ScoredHit')
abstract class ScoredHit {
  @Field(() => Float, { description: 'Fused score; higher is better' }) score: number;
  @Field(() => Float, { nullable: true, description: 'BM25 score; null when no query term matched' }) keywordScore: number | null;
  @Field(() => Float, { nullable: true, description: 'Cosine similarity of the weighted section vectors' }) vectorScore: number | null;
  @Field(() => MatchExplanation) explanation: MatchExplanation;
}

@ObjectType()
export class CandidateHit extends ScoredHit {
  @Field(() => Candidate) candidate: Candidate;
}

@ObjectType()
export class JobHit extends ScoredHit {
  @Field(() => Job) job: Job;
}

@ObjectType()
export class OccupationMatch extends ScoredHit {
  @Field(() => Occupation) occupation: Occupation;
}

@ObjectType()
class CandidateHitEdge {
  @Field() cursor: string;
  @Field(() => CandidateHit) node: CandidateHit;
}

@ObjectType()
export class CandidateHitConnection {
  @Field(() => [CandidateHitEdge]) edges: CandidateHitEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType()
class JobHitEdge {
  @Field() cursor: string;
  @Field(() => JobHit) node: JobHit;
}

@ObjectType()
export class JobHitConnection {
  @Field(() => [JobHitEdge]) edges: JobHitEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@ObjectType()
class ProjectionError {
  @Field(() => Int) seq: number;
  @Field() type: string;
  @Field(() => ID, { description: 'uuid of the record' }) id: string;
  @Field(() => Int) attempts: number;
  @Field() error: string;
  @Field() parked: boolean;
}

@ObjectType({ description: 'One projected table, counted in Postgres and in the projection' })
export class SyncCount {
  @Field({ description: 'search, graph or scores' }) projection: string;
  @Field({ description: 'Search collection or graph label' }) of: string;
  @Field() table: string;
  @Field(() => Float) inTable: number;
  @Field(() => Float) inProjection: number;
}

@ObjectType({ description: 'How far a projection (search index, relation graph) is behind the data hub' })
export class SyncStatus {
  @Field() projection: string;
  @Field(() => Float) lastSeq: number;
  @Field(() => Float) headSeq: number;
  @Field(() => Float, { description: 'Outbox events not applied yet' }) lag: number;
  @Field(() => Float, { description: 'Age of the oldest unapplied event' }) lagSeconds: number;
  @Field(() => Int) retrying: number;
  @Field(() => Int, { description: 'Events that kept failing; fix the cause, then retryParked' }) parked: number;
  @Field(() => [ProjectionError]) lastErrors: ProjectionError[];
}

function toFilter(f: SearchFilterInput | undefined): SearchFilter | undefined {
  if (!f) return undefined;
  const parts: SearchFilter[] = [];
  if (f.location) parts.push({ op: 'eq', field: 'location', value: f.location });
  if (f.yearsExperience) parts.push({ op: 'range', field: 'yearsExperience', gte: f.yearsExperience.min, lte: f.yearsExperience.max });
  if (f.seniority?.length) parts.push({ op: 'in', field: 'seniority', values: f.seniority });
  if (f.salary?.min != null) parts.push({ op: 'range', field: 'salaryMax', gte: f.salary.min });
  if (f.salary?.max != null) parts.push({ op: 'range', field: 'salaryMin', lte: f.salary.max });
  if (f.status) parts.push({ op: 'eq', field: 'status', value: f.status });
  if (f.skills?.length) parts.push({ op: 'containsAll', field: 'skills', values: f.skills });
  if (f.companyIds?.length)
    parts.push({ op: 'containsAny', field: 'companyIds', values: f.companyIds.map((id) => expectGlobalId(id, 'Company')) });
  if (f.occupationCodes?.length) parts.push({ op: 'containsAny', field: 'occupationCodes', values: f.occupationCodes });
  if (f.languages?.length) parts.push({ op: 'containsAny', field: 'languages', values: f.languages });
  if (f.source != null) parts.push({ op: 'eq', field: 'source', value: f.source });
  if (f.externalIdPrefix != null) parts.push({ op: 'prefix', field: 'externalId', value: f.externalIdPrefix });
  const clean = parts.map((p) =>
    p.op === 'range' ? (Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as SearchFilter) : p,
  );
  return clean.length === 0 ? undefined : clean.length === 1 ? clean[0] : { op: 'and', filters: clean };
}

function checkAlpha(alpha: number | undefined) {
  if (alpha !== undefined && !(alpha >= 0 && alpha <= 1)) {
    throw new AppError('BAD_USER_INPUT', `alpha must be from 0 (keywords only) to 1 (meaning only), got ${alpha}`);
  }
}

function explain(hit: MatchPage['hits'][number]): MatchExplanation {
  const top = hit.explanation.matchedVectors.slice(0, 2).map((v) => `${v.name} ${v.similarity.toFixed(2)}`);
  const terms = hit.explanation.matchedTerms.slice(0, 8);
  const summary = [
    terms.length ? `matched ${terms.join(', ')}` : 'no keyword matched',
    top.length ? `closest sections: ${top.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { ...hit.explanation, summary };
}

async function hydrate<T>(page: MatchPage, load: (id: string) => Promise<T | null>, key: string) {
  const records = await Promise.all(page.hits.map((h) => load(h.id)));
  const edges = page.hits
    .map((h, i) => ({ h, r: records[i], i }))
    // A record deleted since it was indexed is dropped until the projection catches up.
    .filter((x) => x.r)
    .map(({ h, r, i }) => ({
      cursor: SearchService.cursor(page.offset + i + 1),
      node: { [key]: r, score: h.score, keywordScore: h.keywordScore, vectorScore: h.vectorScore, explanation: explain(h) },
    }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

const ALPHA_DOC = `0 = keywords only, 1 = meaning only; default ${SEARCH_DEFAULTS.alpha}`;

/** What every ranked list takes: filters, the keyword/meaning balance, and a page. */
@ArgsType()
class MatchArgs {
  @Field(() => SearchFilterInput, { nullable: true }) filter?: SearchFilterInput;
  @Field(() => Float, { nullable: true, description: ALPHA_DOC }) alpha?: number;
  @Field(() => FusionType, { nullable: true }) fusion?: FusionType;
  @Field(() => Int, { nullable: true, defaultValue: 10 }) first: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@ArgsType()
class SearchArgs extends MatchArgs {
  @Field({ description: 'Words, a title or a pasted job description, in Chinese or English' }) query: string;
}

export enum TaxonomyKind {
  ONET = 'onet',
  ESCO = 'esco',
}
registerEnumType(TaxonomyKind, {
  name: 'Taxonomy',
  description: 'An occupation taxonomy: ONET (O*NET-SOC 29.3, US) or ESCO (1.2, EU; ISCO-08 based)',
});

@ArgsType()
class NormalizeTitleArgs {
  @Field({ description: 'A job title as written, e.g. "Senior Recommender Systems Engineer"' }) title: string;
  @Field(() => TaxonomyKind, { nullable: true, defaultValue: TaxonomyKind.ONET }) taxonomy: TaxonomyKind;
  @Field(() => Float, { nullable: true, description: `0 = keywords only, 1 = meaning only; default ${NORMALIZE_TITLE_DEFAULTS.alpha}` })
  alpha?: number;
  @Field(() => FusionType, { nullable: true }) fusion?: FusionType;
  @Field(() => Int, { nullable: true, defaultValue: NORMALIZE_TITLE_DEFAULTS.first }) first: number;
  @Field(() => SearchFilterInput, {
    nullable: true,
    description: 'E.g. externalIdPrefix "15-" for one SOC major group (O*NET occupations are keyed by code)',
  })
  filter?: SearchFilterInput;
  @Field({
    nullable: true,
    description: `Re-score the best ${RERANK_DEFAULTS.depth} occupations by their title and description (slower); default ${NORMALIZE_TITLE_DEFAULTS.rerank}`,
  })
  rerank?: boolean;
}

const matchQuery = (a: MatchArgs) => {
  checkAlpha(a.alpha);
  return { filter: toFilter(a.filter), alpha: a.alpha, fusion: a.fusion, first: a.first, after: a.after };
};

@Resolver()
export class SearchResolver {
  @Query(() => CandidateHitConnection, { description: 'Hybrid (keyword + meaning) search over candidates, best first, with the reason' })
  async searchCandidates(@Args() a: SearchArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.search.search('candidate', { ...matchQuery(a), text: a.query });
    return hydrate(page, (id) => ctx.loaders.candidate.load(id), 'candidate');
  }

  @Query(() => JobHitConnection, { description: 'Hybrid search over jobs' })
  async searchJobs(@Args() a: SearchArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.search.search('job', { ...matchQuery(a), text: a.query });
    return hydrate(page, (id) => ctx.loaders.job.load(id), 'job');
  }

  @Query(() => CandidateHitConnection, { description: "Candidates that fit a job, the job's own profile as the query" })
  async candidatesForJob(@Arg('jobId', () => ID) jobId: string, @Args() a: MatchArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.search.matchFor('job', expectGlobalId(jobId, 'Job'), 'candidate', matchQuery(a));
    return hydrate(page, (id) => ctx.loaders.candidate.load(id), 'candidate');
  }

  @Query(() => JobHitConnection, { description: "Jobs that fit a candidate, the candidate's profile as the query" })
  async jobsForCandidate(@Arg('candidateId', () => ID) candidateId: string, @Args() a: MatchArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.search.matchFor('candidate', expectGlobalId(candidateId, 'Candidate'), 'job', matchQuery(a));
    return hydrate(page, (id) => ctx.loaders.job.load(id), 'job');
  }

  @Query(() => [OccupationMatch], {
    description:
      'Occupations of a taxonomy (O*NET by default) a job title most likely means, best first: each occupation ranks by its closest label (title, alternate titles, ESCO labels), meaning and keywords fused',
  })
  async normalizeTitle(@Args() a: NormalizeTitleArgs, @Ctx() ctx: Context) {
    checkAlpha(a.alpha);
    const hits = await ctx.services.titles.normalize({
      title: a.title,
      taxonomy: a.taxonomy,
      alpha: a.alpha,
      fusion: a.fusion,
      first: a.first,
      filter: toFilter(a.filter),
      rerank: a.rerank,
    });
    const page: MatchPage = { hits, offset: 0, hasNextPage: false };
    return (await hydrate(page, (id) => ctx.loaders.occupation.load(id), 'occupation')).edges.map((e) => e.node);
  }

  @Query(() => [SyncStatus], { description: 'Lag and failures of each projection of the data hub' })
  syncStatus(@Ctx() ctx: Context) {
    return ctx.services.projector.status();
  }

  @Query(() => [SyncCount], {
    description: 'Rows of each projected table against the documents and nodes the projections hold: equal once syncStatus shows lag 0',
  })
  syncCheck(@Ctx() ctx: Context) {
    return checkProjections(ctx.services.db.dataSource, ctx.services.searchIndex, ctx.services.graph);
  }

  @Authorized('admin')
  @Mutation(() => Int, { description: 'Rebuilds the search index and the graph from the data hub; returns the events queued' })
  reindex(@Ctx() ctx: Context) {
    return ctx.services.projector.reindex();
  }

  @Authorized('admin')
  @Mutation(() => Int, { description: 'Retries parked events now; returns how many' })
  retryParked(@Arg('projection', () => String, { nullable: true }) projection: string | undefined, @Ctx() ctx: Context) {
    return ctx.services.projector.retryParked(projection);
  }
}
