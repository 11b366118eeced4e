import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Application } from '../../hub/entities/application.entity';
import { ApplicationStageChange } from '../../hub/entities/application-stage-change.entity';
import { Candidate } from '../../hub/entities/candidate.entity';
import { Company } from '../../hub/entities/company.entity';
import { Job } from '../../hub/entities/job.entity';
import { Placement } from '../../hub/entities/placement.entity';
import { ApplicationInput, PlacementInput } from '../../hub/inputs';
import { notFound } from '../../shared/errors';
import { ConnectionArgs } from './args';
import { Connection, pageConnection } from './connection';
import { ApplicationFilter, PlacementFilter } from '../../hub/list-filters';

const ApplicationConnection = Connection(Application, 'Application');
const PlacementConnection = Connection(Placement, 'Placement');

@Resolver(() => Application)
export class ApplicationResolver {
  @Query(() => ApplicationConnection)
  async applications(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => ApplicationFilter, { nullable: true }) filter: ApplicationFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Application', await ctx.services.lists.applications(filter, page, ctx.fieldsOf('Application')));
  }

  @FieldResolver(() => Candidate)
  candidate(@Root() a: Application, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Application', 'candidate', a);
  }

  @FieldResolver(() => Job)
  job(@Root() a: Application, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Application', 'job', a);
  }

  @FieldResolver(() => [ApplicationStageChange], { description: 'Oldest first' })
  history(@Root() a: Application, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Application', 'history', a);
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Application)
  async createApplication(@Arg('input', () => ApplicationInput) input: ApplicationInput, @Ctx() ctx: Context) {
    return loadApplication(ctx, await ctx.services.writes.create('application', input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Application, { description: 'Setting a new stage appends it to the history' })
  async updateApplication(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ApplicationInput) input: ApplicationInput,
    @Ctx() ctx: Context,
  ) {
    return loadApplication(ctx, await ctx.services.writes.update('application', id, input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ID)
  async deleteApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('application', id);
    return id;
  }
}

@Resolver(() => Placement)
export class PlacementResolver {
  @Query(() => PlacementConnection)
  async placements(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => PlacementFilter, { nullable: true }) filter: PlacementFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Placement', await ctx.services.lists.placements(filter, page, ctx.fieldsOf('Placement')));
  }

  @FieldResolver(() => Candidate)
  candidate(@Root() p: Placement, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Placement', 'candidate', p);
  }

  @FieldResolver(() => Job)
  job(@Root() p: Placement, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Placement', 'job', p);
  }

  @FieldResolver(() => Company)
  company(@Root() p: Placement, @Ctx() ctx: Context) {
    return ctx.loaders.follow('Placement', 'company', p);
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Placement)
  async createPlacement(@Arg('input', () => PlacementInput) input: PlacementInput, @Ctx() ctx: Context) {
    return loadPlacement(ctx, await ctx.services.writes.create('placement', input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Placement)
  async updatePlacement(@Arg('id', () => ID) id: string, @Arg('input', () => PlacementInput) input: PlacementInput, @Ctx() ctx: Context) {
    return loadPlacement(ctx, await ctx.services.writes.update('placement', id, input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ID)
  async deletePlacement(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('placement', id);
    return id;
  }
}

async function loadApplication(ctx: Context, id: string) {
  const a = await ctx.loaders.application.load(id);
  if (!a) throw notFound('Application', id);
  return a;
}

async function loadPlacement(ctx: Context, id: string) {
  const p = await ctx.loaders.placement.load(id);
  if (!p) throw notFound('Placement', id);
  return p;
}
