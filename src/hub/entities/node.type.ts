import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: every record is refetchable by its global id with `node(id:)`. */
@InterfaceType({ resolveType: (value: object) => value.constructor.name })
export abstract class Node {
  @Field(() => ID, { name: 'id', description: 'Global id; pass it to node(id:) or to mutations' })
  globalId: string;
}
