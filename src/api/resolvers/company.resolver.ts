import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { Company } from '../../hub/entities/company.entity';
import { expectGlobalId } from '../../shared/global-id';
import { CompanyInput } from '../../hub/inputs';
import { notFound } from '../../shared/errors';
import { ConnectionArgs } from './args';
import { Connection, pageConnection } from './connection';
import { CompanyFilter } from '../../hub/list-filters';

const CompanyConnection = Connection(Company, 'Company');

@Resolver(() => Company)
export class CompanyResolver {
  @Query(() => Company, { nullable: true })
  company(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.loaders.company.load(expectGlobalId(id, 'Company'));
  }

  @Query(() => CompanyConnection)
  async companies(
    @Args() page: ConnectionArgs,
    @Arg('filter', () => CompanyFilter, { nullable: true }) filter: CompanyFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return pageConnection(ctx, 'Company', await ctx.services.lists.companies(filter, page, ctx.fieldsOf('Company')));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Company)
  async createCompany(@Arg('input', () => CompanyInput) input: CompanyInput, @Ctx() ctx: Context) {
    return load(ctx, await ctx.services.writes.create('company', input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => Company)
  async updateCompany(@Arg('id', () => ID) id: string, @Arg('input', () => CompanyInput) input: CompanyInput, @Ctx() ctx: Context) {
    return load(ctx, await ctx.services.writes.update('company', id, input));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ID, { description: 'Fails with CONFLICT while jobs or placements refer to the company' })
  async deleteCompany(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    await ctx.services.writes.delete('company', id);
    return id;
  }
}

async function load(ctx: Context, id: string) {
  const c = await ctx.loaders.company.load(id);
  if (!c) throw notFound('Company', id);
  return c;
}
