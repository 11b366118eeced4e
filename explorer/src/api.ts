// GraphQL over HTTP and graphql-ws against the server that served the page, with the session's key.
import { createClient, type Client } from 'graphql-ws';
import { currentSession } from './session';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

/** What the API answered: data and errors side by side, as a field the role may not read comes back null with FORBIDDEN. */
export interface GqlResult<T> {
  data: T | null;
  errors: GqlError[];
}

export class RequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, apiKey?: string): Promise<GqlResult<T>> {
  const key = apiKey ?? currentSession()?.apiKey;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T | null; errors?: GqlError[] };
  try {
    body = await res.json();
  } catch {
    throw new RequestError(`the server answered ${res.status} without JSON`);
  }
  return { data: body.data ?? null, errors: body.errors ?? [] };
}

/** Data or a thrown RequestError; for views that cannot show anything without the whole answer. */
export async function gqlData<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { data, errors } = await gql<T>(query, variables);
  if (!data || (errors.length > 0 && errors.every((e) => !e.path))) {
    const e = errors[0];
    throw new RequestError(e?.message ?? 'no data', e?.extensions?.code);
  }
  return data;
}

/** Errors of fields the key's role may not read, by dotted path (e.g. `candidate.email`). */
export function forbiddenPaths(errors: GqlError[]): Set<string> {
  return new Set(errors.filter((e) => e.extensions?.code === 'FORBIDDEN' && e.path).map((e) => e.path!.join('.')));
}

let wsClient: { key: string; client: Client } | undefined;

/** One graphql-ws connection per key, opened on first use (askStream). */
export function subscriptions(): Client {
  const key = currentSession()?.apiKey ?? '';
  if (wsClient?.key !== key) {
    void wsClient?.client.dispose();
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    wsClient = { key, client: createClient({ url, connectionParams: { authorization: `Bearer ${key}` }, lazy: true }) };
  }
  return wsClient.client;
}
