import { parse, subscribe, execute, type ExecutionResult } from 'graphql';
import type { Context, Services } from '../../src/api/context';
import type { Viewer } from '../../src/hub/api-key.service';
import { AppError } from '../../src/shared/errors';
import { GraphError } from '../../src/adapters/graph/graph-errors';
import { formatError, toClientError } from '../../src/api/graphql-errors';
import type { Logger } from '../../src/shared/logger';
import { createSchema } from '../../src/app/schema';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const viewer = { keyId: 'k1', role: 'admin' } as Viewer;

/** A context whose RAG service fails every question with `err`; nothing else is reached. */
function failingContext(err: unknown): Context {
  const rag = { ask: () => Promise.reject(err) };
  return {
    viewer,
    loaders: {} as Context['loaders'],
    services: { rag } as unknown as Services,
    signal: new AbortController().signal,
    selection: { current: null },
    fieldsOf: () => undefined,
  };
}

/** The code a client reads over HTTP (the `ask` mutation, through Apollo's formatter) and over graphql-ws (askStream's ERROR event). */
async function codesFor(err: unknown): Promise<{ http: unknown; subscription: unknown }> {
  const schema = await createSchema();
  const http = (await execute({
    schema,
    document: parse('mutation { ask(question: "Who knows Neo4j?") { answer } }'),
    contextValue: failingContext(err),
  })) as ExecutionResult;
  const formatted = formatError(http.errors![0].toJSON(), http.errors![0], quiet);

  const stream = (await subscribe({
    schema,
    document: parse('subscription { askStream(question: "Who knows Neo4j?") { type error { code message } } }'),
    contextValue: failingContext(err),
  })) as AsyncIterableIterator<ExecutionResult<{ askStream: { type: string; error: { code: string } | null } }>>;
  const events = [];
  for await (const e of stream) events.push(e.data!.askStream);
  expect(events.map((e) => e.type)).toEqual(['ERROR']);
  return { http: formatted.extensions?.code, subscription: events[0].error!.code };
}

describe('one error mapping for HTTP and the askStream subscription', () => {
  it('gives a graph timeout the same code on both: UNAVAILABLE', async () => {
    const err = new GraphError('TIMEOUT', 'The graph transaction ran past its timeout');
    expect(await codesFor(err)).toEqual({ http: 'UNAVAILABLE', subscription: 'UNAVAILABLE' });
  });

  it('gives a database error the input caused the same code on both, and masks the unexpected alike', async () => {
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint "uq_x"'), {
      code: '23505',
      constraint: 'uq_x',
    });
    expect(await codesFor(duplicate)).toEqual({ http: 'CONFLICT', subscription: 'CONFLICT' });
    expect(await codesFor(new TypeError('x is undefined'))).toEqual({ http: 'INTERNAL', subscription: 'INTERNAL' });
  });

  it('maps by class: an error that only looks like ours (a `code` property) is masked', () => {
    const lookalike = Object.assign(new Error('SELECT * FROM secret'), { code: 'NOT_FOUND' });
    expect(toClientError(lookalike)).toEqual({ code: 'INTERNAL', message: 'Internal server error', masked: true });
    expect(toClientError(new AppError('NOT_FOUND', 'Candidate 1 does not exist'))).toMatchObject({ code: 'NOT_FOUND', masked: false });
  });
});
