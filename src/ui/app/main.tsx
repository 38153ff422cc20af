import 'uplot/dist/uPlot.min.css';
import './style.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { rememberSignIn, type SessionState, session } from './api.js';
import { Failure, Loading } from './components/bits.js';
import { GroupDetailPage } from './pages/group-detail.js';
import { GroupsPage } from './pages/groups.js';
import { KeysPage } from './pages/keys.js';
import { LivePage } from './pages/live.js';
import { LoginPage } from './pages/login.js';
import { RequestDetailPage } from './pages/request-detail.js';
import { RequestsPage } from './pages/requests.js';
import { SessionDetailPage } from './pages/session-detail.js';
import { SessionsPage } from './pages/sessions.js';
import { SpendPage } from './pages/spend.js';
import { TokensPage } from './pages/tokens.js';
import { UserDetailPage } from './pages/user-detail.js';
import { UsersPage } from './pages/users.js';
import { followLink, page, type Route, useRoute } from './router.js';

const NAVIGATION = [
  { segment: 'spend', label: 'Spend' },
  { segment: 'sessions', label: 'Sessions' },
  { segment: 'requests', label: 'Requests' },
  { segment: 'live', label: 'Live' },
  { segment: 'keys', label: 'Keys' },
  { segment: 'users', label: 'Users' },
  { segment: 'groups', label: 'Groups' },
  { segment: 'tokens', label: 'Service tokens' },
];

function Page({ route }: { route: Route }) {
  const [first = 'spend', second] = route.segments;
  if (first === 'spend') return <SpendPage route={route} />;
  if (first === 'sessions')
    return second ? <SessionDetailPage id={second} /> : <SessionsPage route={route} />;
  if (first === 'requests')
    return second ? <RequestDetailPage id={second} /> : <RequestsPage route={route} />;
  if (first === 'live') return <LivePage />;
  if (first === 'keys') return <KeysPage />;
  if (first === 'users') return second ? <UserDetailPage id={second} /> : <UsersPage />;
  if (first === 'groups') return second ? <GroupDetailPage name={second} /> : <GroupsPage />;
  if (first === 'tokens') return <TokensPage />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        The dashboard has no page <code>{route.segments.join('/')}</code>.{' '}
        <a href={page('spend')}>Go to spend</a>.
      </p>
    </section>
  );
}

function App() {
  const route = useRoute();
  const [state, setState] = useState<SessionState | undefined>();
  const [error, setError] = useState<string | undefined>();
  const signedOut = () => setState((previous) => ({ methods: previous?.methods ?? [], signedIn: false }));
  useEffect(() => {
    session.state().then(setState, (failure: Error) => setError(failure.message));
  }, []);
  if (state) rememberSignIn(state, signedOut);
  if (error) return <Failure message={`The dashboard cannot reach the gateway: ${error}`} />;
  if (!state) return <Loading what="the dashboard" />;
  if (!state.signedIn) return <LoginPage methods={state.methods} onSignedIn={setState} />;
  const active = route.segments[0] ?? 'spend';
  const signOut = () => {
    session.logout().finally(signedOut);
  };
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: only routes link clicks; keyboard activation of links fires click too
    <div class="layout" onClick={(event) => followLink(event as unknown as MouseEvent)}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <nav class="sidebar" aria-label="Dashboard">
        <p class="brand">claude-gateway</p>
        <ul>
          {NAVIGATION.map((item) => (
            <li key={item.segment}>
              <a href={page(item.segment)} aria-current={active === item.segment ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
        <div class="signed-in">
          <span>
            Signed in as <strong>{state.subject}</strong>
          </span>
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main">
        <Page route={route} />
      </main>
    </div>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
