import { Arg, Args, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { PersonalDataRead } from '../../hub/entities/personal-data-read.entity';
import { PersonalDataAudit } from '../../hub/personal-data-audit';
import { ConnectionArgs } from './args';
import { Connection, toConnection } from './connection';

const PersonalDataReadConnection = Connection(PersonalDataRead, 'PersonalDataRead');

@Resolver(() => PersonalDataRead)
export class PersonalDataReadResolver {
  @Authorized('admin')
  @Query(() => PersonalDataReadConnection, {
    description: 'Who was sent which personal fields of which record, newest first (admin only)',
  })
  async personalDataReads(
    @Arg('recordId', () => ID, { nullable: true, description: "A candidate's id or uuid" }) recordId: string | undefined,
    @Arg('keyId', () => ID, { nullable: true, description: 'An API key id' }) keyId: string | undefined,
    @Args() page: ConnectionArgs,
    @Ctx() ctx: Context,
  ) {
    const audit = new PersonalDataAudit(ctx.services.db.dataSource);
    return toConnection(await audit.list({ recordId, keyId }, page, ctx.services.config.limits.maxPageSize));
  }
}
