import { buildSchema, graphql, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { budgetExceeded, startDeadline, stopAtDeadline } from '../../src/shared/deadline';

/** SDL plus resolvers by type and field. */
function executable(sdl: string, resolvers: Record<string, Record<string, GraphQLFieldResolver<any, any>>>): GraphQLSchema {
  const schema = buildSchema(sdl);
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    for (const [name, resolve] of Object.entries(fields)) type.getFields()[name]!.resolve = resolve;
  }
  return schema;
}

describe('stopAtDeadline', () => {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  let schema: GraphQLSchema;
  beforeEach(() => {
    calls.length = 0;
    schema = stopAtDeadline(
      executable(`type Query { slow: Item, fast: Item } type Item { name: String, next: Item }`, {
        Query: {
          slow: () => {
            calls.push('slow');
            return new Promise((resolve) => (release = () => resolve({ name: 'slow' })));
          },
          fast: () => {
            calls.push('fast');
            return { name: 'fast' };
          },
        },
        Item: {
          next: (item: { name: string }) => {
            calls.push(`next of ${item.name}`);
            return { name: `after ${item.name}` };
          },
        },
      }),
    );
  });

  it('stops waiting for a root field when the signal aborts, with the signal reason as the error', async () => {
    const deadline = startDeadline(20, () => budgetExceeded(20, 'GRAPHQL_TIMEOUT_MS'));
    const result = await graphql({ schema, source: '{ slow { name } }', contextValue: { signal: deadline.signal } });
    expect(result.data).toEqual({ slow: null });
    expect(result.errors?.[0]?.message).toMatch(/time budget of 20 ms \(GRAPHQL_TIMEOUT_MS\)/);
    expect((result.errors?.[0]?.originalError as { code?: string }).code).toBe('UNAVAILABLE');
    release();
  });

  it('starts no resolver that loads anything once the signal has aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('spent'));
    const result = await graphql({ schema, source: '{ fast { name next { name } } }', contextValue: { signal: controller.signal } });
    expect(calls).toEqual([]);
    expect(result.errors?.map((e) => e.message)).toEqual(['spent']);
  });

  it('changes nothing while the signal is live, and wraps a schema only once', async () => {
    const live = new AbortController().signal;
    stopAtDeadline(schema);
    const result = await graphql({ schema, source: '{ fast { name next { name } } }', contextValue: { signal: live } });
    expect(result).toEqual({ data: { fast: { name: 'fast', next: { name: 'after fast' } } } });
    expect(calls).toEqual(['fast', 'next of fast']);
  });

  it('lets a deadline be cleared or aborted early', async () => {
    const cleared = startDeadline(10, () => new Error('late'));
    cleared.clear();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cleared.signal.aborted).toBe(false);
    const early = startDeadline(10_000, () => new Error('late'));
    early.abort(new Error('client went away'));
    expect((early.signal.reason as Error).message).toBe('client went away');
  });
});
