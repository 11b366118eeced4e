import { Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Consultant } from '../../hub/entities/consultant.entity';

@ObjectType({ description: 'Who the API key belongs to' })
export class Viewer {
  @Field() role: string;
  /** Not in the schema: `consultant` loads it. */
  consultantId: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the API key belongs to' })
  viewer(@Ctx() ctx: Context): Viewer {
    return { role: ctx.viewer!.role, consultantId: ctx.viewer!.consultantId };
  }

  @FieldResolver(() => Consultant, {
    nullable: true,
    description: 'The consultant the key speaks for (`apikey create --consultant`); null for a key that speaks for none',
  })
  consultant(@Root() v: Viewer, @Ctx() ctx: Context) {
    return v.consultantId ? ctx.loaders.consultant.load(v.consultantId) : null;
  }
}
