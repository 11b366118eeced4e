import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Application } from '../../hub/entities/application.entity';
import { Candidate } from '../../hub/entities/candidate.entity';
import { CandidateSkill } from '../../hub/entities/candidate-skill.entity';
import { Consultant } from '../../hub/entities/consultant.entity';
import { Education } from '../../hub/entities/education.entity';
import { Experience } from '../../hub/entities/experience.entity';
import { Placement } from '../../hub/entities/placement.entity';
import { expectGlobalId } from '../../shared/global-id';
import { CandidateInput } from '../../hub/inputs';
import { notFound } from '../../shared/errors';
import { ConnectionArgs } from './args';
import { Connection, pageConnection } from './connection';
import { CandidateFilter, CandidateSort } from '../../hub/list-filters';

const CandidateConnection = Connection(Candidate, 'Candidate');

@Resolver(() => Candidate)
export class CandidateResolver {
  @Query(() => Candidate, { nullable: true })
  candidate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.candidate.load(expectGlobalId(id, 'Candidate'));
  }

  @Query(() => CandidateConnection)
  async candidates(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => CandidateFilter, { nullable: true }) filter: CandidateFilter | undefined,
    @Arg('sort', () => CandidateSort, { nullable: true }) sort: CandidateSort | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Candidate', await ctx.services.lists.candidates(filter, sort, page, ctx.fieldsOf('Candidate')));
  }

  @FieldResolver(() => [Experience], { description: 'Most recent first' })
  experiences(@Root() c: Candidate, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Candidate', 'experiences', c);
  }

  @FieldResolver(() => [Education])
  education(@Root() c: Candidate, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Candidate', 'education', c);
  }

  @FieldResolver(() => [CandidateSkill])
  skills(@Root() c: Candidate, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Candidate', 'skills', c);
  }

  @FieldResolver(() => Consultant, { nullable: true })
  owner(@Root() c: Candidate, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Candidate', 'owner', c);
  }

  @FieldResolver(() => [Application])
  applications(@Root() c: Candidate, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Candidate', 'applications', c);
  }

  @FieldResolver(() => [Placement])
  placements(@Root() c: Candidate, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Candidate', 'placements', c);
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Candidate)
  async createCandidate(@Arg('input', () => CandidateInput) input: CandidateInput, @Ctx() ctx: Context) {
    return load(ctx, await ctx.services.writes.create('candidate', input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Candidate, { description: 'Changes the given fields; lists given replace the stored lists' })
  async updateCandidate(@Arg('id', () => ID) id: string, @Arg('input', () => CandidateInput) input: CandidateInput, @Ctx() ctx: Context) {
    return load(ctx, await ctx.services.writes.update('candidate', id, input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ID, { description: 'Deletes the candidate with their experience, education, skills, applications and placements' })
  async deleteCandidate(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('candidate', id);
    return id;
  }
}

async function load(ctx: Context, id: string) {
  const c = await ctx.loaders.candidate.load(id);
  if (!c) throw notFound('Candidate', id);
  return c;
}
