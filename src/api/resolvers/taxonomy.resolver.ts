import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Consultant } from '../../hub/entities/consultant.entity';
import { Occupation } from '../../hub/entities/occupation.entity';
import { Skill } from '../../hub/entities/skill.entity';
import { ConsultantInput, SkillInput } from '../../hub/inputs';
import { notFound } from '../../shared/errors';
import { ConnectionArgs } from './args';
import { Connection, pageConnection } from './connection';
import { NameFilter } from '../../hub/list-filters';

const SkillConnection = Connection(Skill, 'Skill');
const OccupationConnection = Connection(Occupation, 'Occupation');
const ConsultantConnection = Connection(Consultant, 'Consultant');

@Resolver()
export class TaxonomyResolver {
  @Query(() => SkillConnection)
  async skills(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => NameFilter, { nullable: true }) filter: NameFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Skill', await ctx.services.lists.skills(filter, page, ctx.fieldsOf('Skill')));
  }

  @Query(() => OccupationConnection, { description: 'O*NET-SOC occupations, by code' })
  async occupations(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => NameFilter, { nullable: true }) filter: NameFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Occupation', await ctx.services.lists.occupations(filter, page, ctx.fieldsOf('Occupation')));
  }

  @Query(() => ConsultantConnection)
  async consultants(@Args() page: ConnectionArgs, @Ctx() ctx: Context) {
    return pageConnection(ctx, 'Consultant', await ctx.services.lists.consultants(page, ctx.fieldsOf('Consultant')));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Skill)
  async createSkill(@Arg('input', () => SkillInput) input: SkillInput, @Ctx() ctx: Context) {
    return load(ctx, 'skill', await ctx.services.writes.create('skill', input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Skill)
  async updateSkill(@Arg('id', () => ID) id: string, @Arg('input', () => SkillInput) input: SkillInput, @Ctx() ctx: Context) {
    return load(ctx, 'skill', await ctx.services.writes.update('skill', id, input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ID)
  async deleteSkill(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('skill', id);
    return id;
  }

  @Authorized('admin')
  @Mutation(() => Consultant)
  async createConsultant(@Arg('input', () => ConsultantInput) input: ConsultantInput, @Ctx() ctx: Context) {
    return load(ctx, 'consultant', await ctx.services.writes.create('consultant', input));
  }

  @Authorized('admin')
  @Mutation(() => Consultant)
  async updateConsultant(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ConsultantInput) input: ConsultantInput,
    @Ctx() ctx: Context,
  ) {
    return load(ctx, 'consultant', await ctx.services.writes.update('consultant', id, input));
  }

  @Authorized('admin')
  @Mutation(() => ID)
  async deleteConsultant(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('consultant', id);
    return id;
  }
}

async function load(ctx: Context, type: 'skill' | 'consultant', id: string) {
  const row = await ctx.loaders[type].load(id);
  if (!row) throw notFound(type === 'skill' ? 'Skill' : 'Consultant', id);
  return row;
}
