// Lantern's web app: sign in, then the view the role is for. The server enforces what
// each role may see; the app only offers what the role can use.
import type { Meta, SignedInUser } from '@lantern/shared';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, ApiError, setCsrfToken } from './api';
import { Header } from './components/Header';
import { SignIn } from './components/SignIn';
import { MapPage } from './pages/MapPage';

// The map page is in the first chunk: its libraries are most of the code, the summary's
// map needs them too, and loading them after sign-in put about 1.5 s into the first map
// paint (the bench's browser case). The other views are chunks of their own, fetched when
// a role first opens one, or ahead when the page is idle.
const loaders = {
  admin: () => import('./pages/AdminPage'),
  imports: () => import('./components/ImportsPanel'),
  meeting: () => import('./pages/MeetingPage'),
  patrol: () => import('./pages/PatrolPage'),
  summary: () => import('./pages/SummaryPage'),
};
const AdminPage = lazy(() => loaders.admin().then((module) => ({ default: module.AdminPage })));
const ImportsPanel = lazy(() => loaders.imports().then((module) => ({ default: module.ImportsPanel })));
const MeetingPage = lazy(() => loaders.meeting().then((module) => ({ default: module.MeetingPage })));
const PatrolPage = lazy(() => loaders.patrol().then((module) => ({ default: module.PatrolPage })));
const SummaryPage = lazy(() => loaders.summary().then((module) => ({ default: module.SummaryPage })));
const VIEWS_OF: Record<SignedInUser['role'], (keyof typeof loaders)[]> = {
  analyst: ['summary', 'patrol', 'meeting', 'imports'], police: ['patrol'], panel: ['summary'], admin: ['admin'],
};

const VIEWS = ['map', 'summary', 'patrol', 'meeting', 'imports'] as const;
type View = (typeof VIEWS)[number];

type Session = { state: 'loading' } | { state: 'signed-out' } | { state: 'signed-in'; user: SignedInUser };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Analysts switch between the map, area summaries and imports; #summary and #imports open those.
  const [chosenView, setView] = useState<View>(() => VIEWS.find((v) => `#${v}` === window.location.hash) ?? 'map');
  const showView = (next: View) => {
    setView(next);
    window.history.replaceState(null, '', next === 'map' ? window.location.pathname + window.location.search : `#${next}`);
  };

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
  const loadMeta = useCallback(() => {
    api.meta().then(setMeta, (failure: Error) => setError(failure.message));
  }, []);
  useEffect(() => {
    if (user) loadMeta();
  }, [user, loadMeta]);
  const role = user?.role;
  const signedOut = session.state === 'signed-out';
  useEffect(() => {
    // Signed in, fetch the role's other views when the page is idle (the summary also while
    // someone types their password: it is the panel's first view).
    const views = signedOut ? (['summary'] as const) : role ? VIEWS_OF[role] : [];
    if (views.length === 0) return undefined;
    const idle = (work: () => void) => (typeof window.requestIdleCallback === 'function' ? window.requestIdleCallback(work, { timeout: 3000 }) : window.setTimeout(work, 1500));
    const timer = window.setTimeout(() => idle(() => views.forEach((view) => void loaders[view]().catch(() => undefined))), signedOut ? 200 : 1500);
    return () => window.clearTimeout(timer);
  }, [role, signedOut]);

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    setMeta(null);
    setSession({ state: 'signed-out' });
  };

  if (session.state === 'loading') return error ? <p role="alert" className="error">{error}</p> : null;
  if (session.state === 'signed-out') return <SignIn onSignedIn={signedIn} />;
  const signedInUser = session.user;
  // Police have the map and patrol plans only; a shared #summary or #imports link opens their map.
  const view = signedInUser.role === 'police' && chosenView !== 'patrol' ? 'map' : chosenView;
  return (
    <div className="app" data-role={signedInUser.role}>
      <Header meta={meta} user={signedInUser} onSignOut={signOut} />
      {error && <div className="error" role="alert">Could not load data: {error}</div>}
      {(signedInUser.role === 'analyst' || signedInUser.role === 'police') && (
        <nav className="views no-print" aria-label="Views">
          <button type="button" aria-pressed={view === 'map'} onClick={() => showView('map')}>Map</button>
          <button type="button" aria-pressed={view === 'patrol'} onClick={() => showView('patrol')} data-testid="view-patrol">Patrol plan</button>
          {signedInUser.role === 'analyst' && (
            <button type="button" aria-pressed={view === 'summary'} onClick={() => showView('summary')} data-testid="view-summary">Area summary</button>
          )}
          {signedInUser.role === 'analyst' && (
            <button type="button" aria-pressed={view === 'meeting'} onClick={() => showView('meeting')} data-testid="view-meeting">Meeting pack</button>
          )}
          {signedInUser.role === 'analyst' && (
            <button type="button" aria-pressed={view === 'imports'} onClick={() => showView('imports')} data-testid="view-imports">Imports</button>
          )}
        </nav>
      )}
      <Suspense fallback={<p className="hint loading-view" role="status">Loading…</p>}>
      {meta && signedInUser.role === 'analyst' && view === 'imports' && (
        <main className="imports-page"><ImportsPanel onDataChanged={loadMeta} /></main>
      )}
      {meta && (signedInUser.role === 'analyst' || signedInUser.role === 'police') && view === 'patrol' && (
        <PatrolPage meta={meta} user={signedInUser} />
      )}
      {meta && (signedInUser.role === 'analyst' || signedInUser.role === 'police') && view === 'map' && (
        <MapPage meta={meta} role={signedInUser.role} />
      )}
      {meta && (signedInUser.role === 'panel' || (signedInUser.role === 'analyst' && view === 'summary')) && (
        <SummaryPage meta={meta} user={signedInUser} />
      )}
      {meta && signedInUser.role === 'analyst' && view === 'meeting' && <MeetingPage meta={meta} user={signedInUser} />}
      {meta && signedInUser.role === 'admin' && <AdminPage onDataChanged={loadMeta} self={signedInUser.username} />}
      </Suspense>
    </div>
  );
}
