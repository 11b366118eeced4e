// GraphiQL for front-end teams at /graphiql, bundled with the explorer (no CDN). The Authorization
// header is prefilled from the explorer's session; headers are not persisted to localStorage.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import type { Fetcher } from '@graphiql/toolkit';
import { createRoot } from 'react-dom/client';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { currentSession } from './session';

const session = currentSession();
// The schema is fetched before the header editor is ready: without headers of its own a request
// carries the session's key.
const sessionHeaders: Record<string, string> = session ? { authorization: `Bearer ${session.apiKey}` } : {};

const fetcher: Fetcher = async (params, opts) => {
  const given = (opts?.headers ?? {}) as Record<string, string>;
  const headers = Object.keys(given).length > 0 ? given : sessionHeaders;
  let operation: string | undefined;
  try {
    operation = getOperationAST(parse(params.query), params.operationName)?.operation;
  } catch {
    // The server reports the syntax error.
  }
  if (operation === 'subscription') {
    const client = createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: headers,
    });
    return client.iterate({
      query: params.query,
      variables: params.variables ?? undefined,
      operationName: params.operationName ?? undefined,
    });
  }
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(params),
  });
  return res.json();
};

const headers = JSON.stringify({ authorization: `Bearer ${session?.apiKey ?? 'paste-your-api-key'}` }, null, 2);

const DEFAULT_QUERY = `# MatchHub's GraphQL API, with the key from the explorer's session (Headers, below).
# Ctrl-Enter runs the query; the Docs button lists every type.
{
  viewer {
    role
  }
}
`;

createRoot(document.getElementById('root')!).render(
  <GraphiQL
    fetcher={fetcher}
    initialHeaders={headers}
    defaultHeaders={headers}
    shouldPersistHeaders={false}
    defaultEditorToolsVisibility="headers"
    defaultQuery={DEFAULT_QUERY}
  />,
);
