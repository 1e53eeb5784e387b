// Personal API tokens for desktop GIS (QGIS, ArcGIS, GDAL) reading /ogc: make one (shown
// once, with the connection address), list and revoke.
import type { ApiToken, ApiTokenCreated } from '@lantern/shared';
import { useState } from 'react';
import { api } from '../api';
import { useFetch } from '../hooks';

export function ApiTokens() {
  const [version, setVersion] = useState(0);
  const [name, setName] = useState('');
  const [made, setMade] = useState<ApiTokenCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useFetch<{ tokens: ApiToken[] }>(`tokens|${version}`, (signal) => api.tokens(signal));
  const ogc = `${window.location.origin}/ogc`;

  const make = async () => {
    setError(null);
    try {
      setMade(await api.makeToken(name));
      setName('');
      setVersion((v) => v + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const revoke = async (token: ApiToken) => {
    if (!window.confirm(`Revoke "${token.name}"? Programs using it stop working.`)) return;
    try {
      await api.revokeToken(token.id);
      setVersion((v) => v + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <details className="tokens">
      <summary data-testid="tokens-open">API tokens</summary>
      <div className="tokens-panel">
        <p className="hint">For QGIS, ArcGIS or GDAL: add an OGC API - Features connection to <code>{ogc}</code> with the header
          <code> Authorization: Bearer &lt;token&gt;</code>, or append <code>?token=&lt;token&gt;</code>. Tokens can only read what your role may read.</p>
        <form onSubmit={(e) => { e.preventDefault(); void make(); }}>
          <label>Name<input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required placeholder="QGIS on my laptop" data-testid="token-name" /></label>
          <button type="submit" data-testid="token-make">Make token</button>
        </form>
        {made && (
          <p className="made" role="status" data-testid="token-made">Copy it now, it is not shown again: <code>{made.token}</code></p>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <ul>
          {(list.data?.tokens ?? []).map((token) => (
            <li key={token.id}>
              <span data-testid="token-expires">
                {token.name} · made {token.createdAt.slice(0, 10)}{token.lastUsedAt ? ` · last used ${token.lastUsedAt.slice(0, 10)}` : ' · not used yet'}
                {' '}· expires {token.expiresAt.slice(0, 10)}
              </span>
              <button type="button" className="link" onClick={() => void revoke(token)}>Revoke</button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
