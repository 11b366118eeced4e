import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Application } from '../../hub/entities/application.entity';
import { Company } from '../../hub/entities/company.entity';
import { Consultant } from '../../hub/entities/consultant.entity';
import { Job } from '../../hub/entities/job.entity';
import { JobSkill } from '../../hub/entities/job-skill.entity';
import { Occupation } from '../../hub/entities/occupation.entity';
import { expectGlobalId } from '../../shared/global-id';
import { JobInput } from '../../hub/inputs';
import { notFound } from '../../shared/errors';
import { ConnectionArgs } from './args';
import { Connection, pageConnection } from './connection';
import { JobFilter, JobSort } from '../../hub/list-filters';

const JobConnection = Connection(Job, 'Job');

@Resolver(() => Job)
export class JobResolver {
  @Query(() => Job, { nullable: true })
  job(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.job.load(expectGlobalId(id, 'Job'));
  }

  @Query(() => JobConnection)
  async jobs(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => JobFilter, { nullable: true }) filter: JobFilter | undefined,
    @Arg('sort', () => JobSort, { nullable: true }) sort: JobSort | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Job', await ctx.services.lists.jobs(filter, sort, page, ctx.fieldsOf('Job')));
  }

  @FieldResolver(() => Company)
  company(@Root() j: Job, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Job', 'company', j);
  }

  @FieldResolver(() => [JobSkill], { description: 'Required skills first' })
  skills(@Root() j: Job, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Job', 'skills', j);
  }

  @FieldResolver(() => Occupation, { nullable: true })
  occupation(@Root() j: Job, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Job', 'occupation', j);
  }

  @FieldResolver(() => Consultant, { nullable: true })
  owner(@Root() j: Job, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Job', 'owner', j);
  }

  @FieldResolver(() => [Application])
  applications(@Root() j: Job, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Job', 'applications', j);
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Job)
  async createJob(@Arg('input', () => JobInput) input: JobInput, @Ctx() ctx: Context) {
    return load(ctx, await ctx.services.writes.create('job', input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Job)
  async updateJob(@Arg('id', () => ID) id: string, @Arg('input', () => JobInput) input: JobInput, @Ctx() ctx: Context) {
    return load(ctx, await ctx.services.writes.update('job', id, input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ID)
  async deleteJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('job', id);
    return id;
  }
}

async function load(ctx: Context, id: string) {
  const j = await ctx.loaders.job.load(id);
  if (!j) throw notFound('Job', id);
  return j;
}
