import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  registerEnumType,
} from 'type-graphql';
import type { Context } from '../context';
import { Consultant } from '../../hub/entities/consultant.entity';
import { ROLES, type Role } from '../../shared/roles';

/** The API-key roles, as GraphQL knows them. */
export enum RoleEnum {
  admin = 'admin',
  consultant = 'consultant',
  analyst = 'analyst',
  bi = 'bi',
  frontend = 'frontend',
}
registerEnumType(RoleEnum, { name: 'Role', description: `What a key may do: ${ROLES.join(', ')} (see README, Roles)` });

@ObjectType({ description: 'An API key, without the key itself (only its SHA-256 is stored)' })
class ApiKeyInfo {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => RoleEnum) role: Role;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  /** Not in the schema: `consultant` loads it. */
  consultantId: string | null;
}

@ObjectType()
class CreatedApiKey {
  @Field(() => String, { description: 'The key: shown this once, never again' }) key: string;
  @Field(() => ApiKeyInfo) apiKey: ApiKeyInfo;
}

/**
 * Key management over the API, so an operator needs no CLI beside a running embedded server (the
 * data directory has one owner). The same service the `apikey` CLI commands use.
 */
@Resolver(() => ApiKeyInfo)
export class ApiKeyResolver {
  @Authorized('admin')
  @Query(() => [ApiKeyInfo], { description: 'Every API key, oldest first (admin only)' })
  apiKeys(@Ctx() ctx: Context) {
    return ctx.services.apiKeys.list();
  }

  @Authorized('admin')
  @Mutation(() => CreatedApiKey, { description: 'Makes a key; the key is in the answer only (admin only)' })
  async createApiKey(
    @Arg('name', () => String, { description: 'Who or what uses the key' }) name: string,
    @Arg('role', () => RoleEnum) role: RoleEnum,
    @Arg('consultantId', () => ID, {
      nullable: true,
      description: 'The consultant the key speaks for (Viewer.consultant); NOT_FOUND when there is none of that id',
    })
    consultantId: string | undefined,
    @Ctx() ctx: Context,
  ) {
    const { key, id } = await ctx.services.apiKeys.create(name.slice(0, 200), role, consultantId);
    const apiKey = (await ctx.services.apiKeys.list()).find((k) => k.id === id)!;
    return { key, apiKey };
  }

  @Authorized('admin')
  @Mutation(() => ApiKeyInfo, { description: 'Revokes a key by its id or the start of it (4+ characters); admin only' })
  async revokeApiKey(@Arg('id', () => String) id: string, @Ctx() ctx: Context) {
    const { id: revoked } = await ctx.services.apiKeys.revoke(id);
    return (await ctx.services.apiKeys.list()).find((k) => k.id === revoked)!;
  }

  @FieldResolver(() => Consultant, { nullable: true, description: 'The consultant the key speaks for, if any' })
  consultant(@Root() k: ApiKeyInfo, @Ctx() ctx: Context) {
    return k.consultantId ? ctx.loaders.consultant.load(k.consultantId) : null;
  }
}
