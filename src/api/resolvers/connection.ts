import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { Page } from '../../hub/pagination';
import type { Context } from '../context';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** A getter, so the COUNT runs only when the field is selected. */
  readonly totalCount: Promise<number>;
}

/** Relay connection type for `Node`: `XConnection { edges { cursor node } pageInfo totalCount }`. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'All matches, ignoring pagination (costs one COUNT)' })
    totalCount: Promise<number>;
  }
  return ConnectionClass;
}

export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  return {
    edges: page.nodes.map((node, i) => ({ node, cursor: page.cursors[i] })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors[page.cursors.length - 1] ?? null,
    },
    get totalCount() {
      return page.totalCount();
    },
  };
}

/** A list page as a connection, with the relations the operation selects on its records read first (loaders.ts). */
export async function pageConnection<T extends object>(ctx: Context, type: string, page: Page<T>): Promise<ConnectionShape<T>> {
  await ctx.loaders.prefetch(type, page.nodes);
  return toConnection(page);
}
