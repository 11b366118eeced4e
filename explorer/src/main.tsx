import './style.css';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { clearSession, currentSession, type Session } from './session';
import { href, useRoute } from './route';
import { SignIn } from './views/sign-in';
import { SearchView } from './views/search';
import { RecordView } from './views/record';
import { GraphView } from './views/graph';
import { PathsView } from './views/paths';
import { FlowView } from './views/flow';
import { MatchesView } from './views/matches';
import { AskView } from './views/ask';

const NAV: [string, string][] = [
  ['search', 'Search'],
  ['paths', 'Introduction paths'],
  ['ask', 'Ask'],
];

function App() {
  const [session, setSession] = useState<Session | null>(currentSession);
  const route = useRoute();
  if (!session) return <SignIn onSignedIn={setSession} />;
  let view;
  switch (route.view) {
    case 'record':
      view = <RecordView id={route.id!} session={session} />;
      break;
    case 'graph':
      view = <GraphView id={route.id!} params={route.params} />;
      break;
    case 'paths':
      view = <PathsView params={route.params} mine={session.consultant} />;
      break;
    case 'flow':
      view = <FlowView id={route.id!} params={route.params} />;
      break;
    case 'job':
      view = <MatchesView id={route.id!} />;
      break;
    case 'ask':
      view = <AskView />;
      break;
    default:
      view = <SearchView params={route.params} />;
  }
  return (
    <>
      <header className="top">
        <a className="brand" href={href('search')}>
          MatchHub explorer
        </a>
        <nav aria-label="Views">
          {NAV.map(([v, label]) => (
            <a key={v} href={href(v)} aria-current={route.view === v ? 'page' : undefined}>
              {label}
            </a>
          ))}
          <a href="/graphiql">GraphiQL</a>
        </nav>
        <span className="who">
          role <strong data-testid="role">{session.role}</strong>
          {session.consultant && (
            <>
              {' '}
              for <strong data-testid="viewer-consultant">{session.consultant.name}</strong>
            </>
          )}
        </span>
        <button
          type="button"
          onClick={() => {
            clearSession();
            setSession(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main>{view}</main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
