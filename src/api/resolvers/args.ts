import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page size from the start (default 20)' }) first?: number;
  @Field({ nullable: true }) after?: string;
  @Field(() => Int, { nullable: true, description: 'Page size from the end' }) last?: number;
  @Field({ nullable: true }) before?: string;
}
