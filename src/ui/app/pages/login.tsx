import { useState } from 'preact/hooks';
import { type SessionState, type SignInMethod, session } from '../api.js';
import { Failure } from '../components/bits.js';

/**
 * Sign-in: the admin key is sent once to /ui/api/login, which answers with an
 * HttpOnly session cookie; the key is never kept by the page. A `redirect`
 * method (the identity provider, for auth.oidc.adminGroups) is a link: its
 * callback sets the same cookie and comes back here.
 */
export function LoginPage({
  methods,
  onSignedIn,
}: {
  methods: SignInMethod[];
  onSignedIn: (state: SessionState) => void;
}) {
  const [adminKey, setAdminKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const state = await session.login(adminKey);
      setAdminKey('');
      onSignedIn(state);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const hasForm = methods.some((method) => method.kind === 'admin-key');
  const redirects = methods.filter((method) => method.kind === 'redirect');
  return (
    <main class="login" id="main">
      <h1>claude-gateway</h1>
      <p class="muted">Sign in to the dashboard.</p>
      {hasForm ? (
        <form onSubmit={submit}>
          <label for="admin-key">Admin key</label>
          <input
            id="admin-key"
            name="admin-key"
            type="password"
            autocomplete="current-password"
            required
            value={adminKey}
            onInput={(event) => setAdminKey((event.target as HTMLInputElement).value)}
          />
          <p class="hint">
            The gateway's <code>server.adminKey</code>. It is exchanged for a session cookie and not stored in
            the browser.
          </p>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      ) : null}
      {hasForm && redirects.length > 0 ? <p class="muted">or</p> : null}
      {redirects.map((method) => (
        <p key={method.id}>
          <a class="button" href={method.url}>
            {method.label}
          </a>
        </p>
      ))}
      {methods.length === 0 ? (
        <p>No sign-in is configured: set server.adminKey, or auth.oidc.adminGroups.</p>
      ) : null}
      <Failure message={error} />
    </main>
  );
}
