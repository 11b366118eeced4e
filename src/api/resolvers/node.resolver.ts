import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { fromGlobalId, type NodeType } from '../../shared/global-id';
import { Node } from '../../hub/entities/node.type';
import type { Loaders } from '../loaders';
import { AppError } from '../../shared/errors';

export const LOADER: Record<NodeType, keyof Loaders> = {
  Candidate: 'candidate',
  Company: 'company',
  Job: 'job',
  Skill: 'skill',
  Occupation: 'occupation',
  Application: 'application',
  Placement: 'placement',
  Consultant: 'consultant',
};

const MAX_IMPORT = 1000;

@ObjectType()
export class ImportLineResult {
  @Field(() => Int, { description: 'Position in `records`, from 1' }) line: number;
  @Field() ok: boolean;
  @Field(() => ID, { nullable: true }) uuid?: string;
  @Field({ nullable: true }) created?: boolean;
  @Field({ nullable: true, description: 'extensions.code the error would carry' }) code?: string;
  @Field({ nullable: true }) message?: string;
}

@ObjectType()
export class ImportResult {
  @Field(() => Int) written: number;
  @Field(() => Int) failed: number;
  @Field(() => [ImportLineResult], { description: 'One per record' }) results: ImportLineResult[];
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any record by its global id' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const { type, uuid } = fromGlobalId(id);
    return (ctx.loaders[LOADER[type]] as { load(k: string): Promise<unknown> }).load(uuid);
  }

  @Query(() => [Node], { nullable: 'items', description: 'Records by global id, in the order asked; null where absent' })
  async nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: Context) {
    if (ids.length > 1000) throw new AppError('BAD_USER_INPUT', 'nodes takes at most 1000 ids');
    return Promise.all(ids.map((id) => this.node(id, ctx)));
  }

  @Authorized('admin', 'consultant')
  @Mutation(() => ImportResult, {
    description: `Upserts up to ${MAX_IMPORT} records in the import format ({ type, source, externalId, ... }); bad records are reported, good ones land`,
  })
  async importRecords(@Arg('records', () => [GraphQLJSONObject]) records: object[], @Ctx() ctx: Context) {
    if (records.length > MAX_IMPORT)
      throw new AppError('BAD_USER_INPUT', `importRecords takes at most ${MAX_IMPORT} records; use the CLI import for files`);
    const results = await ctx.services.writes.importRecords(records.map((value, i) => ({ line: i + 1, value })));
    return {
      written: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).length,
      results: results.map((r) => ({ ...r, uuid: r.id })),
    };
  }
}
