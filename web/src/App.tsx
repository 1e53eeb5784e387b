// Lantern's web app: sign in, then the view the role is for. The server enforces what
// each role may see; the app only offers what the role can use.
import type { Meta, SignedInUser } from '@lantern/shared';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, setCsrfToken } from './api';
import { Header } from './components/Header';
import { SignIn } from './components/SignIn';
import { AdminPage } from './pages/AdminPage';
import { MapPage } from './pages/MapPage';
import { PanelPage } from './pages/PanelPage';

type Session = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; user: SignedInUser };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<string | null>(null);

  const signedIn = useCallback((user: SignedInUser) => {
    setCsrfToken(user.csrfToken);
    setSession({ state: 'signed-in', user });
  }, []);

  useEffect(() => {
    api.me().then(signedIn, (failure: ApiError) =>
      failure.status === 401 ? setSession({ state: 'signed-out' }) : setError(failure.message));
    const onSignedOut = () => setSession({ state: 'signed-out' });
    window.addEventListener('lantern:signed-out', onSignedOut);
    return () => window.removeEventListener('lantern:signed-out', onSignedOut);
  }, [signedIn]);

  const user = session.state === 'signed-in' ? session.user : null;
  useEffect(() => {
    if (!user) return;
    api.meta().then(setMeta, (failure: Error) => setError(failure.message));
  }, [user]);

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setMeta(null);
    setSession({ state: 'signed-out' });
  };

  if (session.state === 'loading') return error ? <p role="alert" className="error">{error}</p> : null;
  if (session.state === 'signed-out') return <SignIn onSignedIn={signedIn} />;
  const signedInUser = session.user;
  return (
    <div className="app" data-role={signedInUser.role}>
      <Header meta={meta} user={signedInUser} onSignOut={signOut} />
      {error && <div className="error" role="alert">Could not load data: {error}</div>}
      {meta && (signedInUser.role === 'analyst' || signedInUser.role === 'police') && <MapPage meta={meta} role={signedInUser.role} />}
      {meta && signedInUser.role === 'panel' && <PanelPage meta={meta} />}
      {meta && signedInUser.role === 'admin' && <AdminPage />}
    </div>
  );
}
