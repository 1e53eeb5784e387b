// The sign-in page: user name and password; errors from the server shown as written.
import type { SignedInUser } from '@lantern/shared';
import { useState, type FormEvent } from 'react';
import { api } from '../api';

export function SignIn({ onSignedIn }: { onSignedIn(user: SignedInUser): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.login(username.trim().toLowerCase(), password));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-label="Sign in">
        <h1><span className="mark" aria-hidden="true" />Lantern</h1>
        <p className="hint">Hotspot map for the Bath and North East Somerset safeguarding partnership. Sign in to continue.</p>
        <label htmlFor="username">User name</label>
        <input id="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        <label htmlFor="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p className="hint">Every view of incident data is recorded in the audit log.</p>
      </form>
    </main>
  );
}
