// Entry point: find out whether a session exists, then show the sign-in form or the console.
import { render, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, request, useCsrfToken, whenSignedOut } from './api';
import { Shell } from './shell';
import { SignIn } from './sign-in';
import type { Session } from './types';

function App(): JSX.Element | null {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const accept = (s: Session | null): void => {
    useCsrfToken(s?.csrfToken);
    setSession(s);
  };
  useEffect(() => {
    whenSignedOut(() => accept(null));
    get<Session>('/v1/session').then(accept, () => accept(null));
  }, []);
  if (session === undefined) return <p class="loading">Loading…</p>;
  if (session === null) return <SignIn onSignedIn={accept} />;
  const signOut = async (): Promise<void> => {
    await request('DELETE', '/v1/session').catch(() => undefined);
    accept(null);
  };
  return <Shell session={session} onSignOut={signOut} />;
}

render(<App />, document.getElementById('app')!);
