// The sign-in form: an API token (or user token) is exchanged for an HttpOnly session cookie; the
// token itself is not kept by the page.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { describeError, request } from './api';
import { ErrorNote } from './components/notice';
import type { Session } from './types';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }): JSX.Element {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await request<Session>('POST', '/v1/session', { token: token.trim() });
      setToken('');
      onSignedIn(session);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Flotilla</h1>
      <form onSubmit={submit}>
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        <p class="hint">An API token (flt_…) or the bootstrap admin token. The console keeps a session cookie, never the token.</p>
        <ErrorNote error={error} />
        <button type="submit" class="primary" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
