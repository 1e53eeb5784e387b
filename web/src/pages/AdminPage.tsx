// Administrators: imports, the audit log (search, CSV export; a map view's tile reads as
// one entry), the users (add, reset, disable) and the harm weights.
import type { AuditLog } from '@lantern/shared';
import { useState } from 'react';
import { api } from '../api';
import { useFetch } from '../hooks';
import { HarmWeightsEditor } from '../components/HarmWeightsEditor';
import { ImportsPanel } from '../components/ImportsPanel';
import { UsersPanel } from '../components/UsersPanel';

export function AdminPage({ onDataChanged, self }: { onDataChanged(): void; self: string }) {
  const [query, setQuery] = useState<Record<string, string>>({ limit: '200' });
  const [draft, setDraft] = useState<Record<string, string>>({});
  const audit = useFetch<AuditLog>(JSON.stringify(query), (signal) => api.audit(query, signal));
  const field = (name: string, label: string, type = 'text') => (
    <label>{label}<input type={type} value={draft[name] ?? ''} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} /></label>
  );
  const search = () => setQuery(Object.fromEntries(Object.entries({ ...draft, limit: '200' }).filter(([, v]) => v)));

  return (
    <main className="admin-page">
      <ImportsPanel onDataChanged={onDataChanged} />
      <section aria-label="Audit log">
        <h2>Audit log</h2>
        <form className="audit-search" onSubmit={(e) => { e.preventDefault(); search(); }}>
          {field('username', 'User')}
          {field('action', 'Action contains')}
          {field('from', 'From', 'date')}
          {field('to', 'To', 'date')}
          <label className="radio"><input type="checkbox" checked={draft.group === 'none'} onChange={(e) => setDraft({ ...draft, group: e.target.checked ? 'none' : '' })} data-testid="audit-each" />
            Each request (otherwise a map view's tiles are one entry)</label>
          <button type="submit">Search</button>
          <a href={api.auditCsvUrl(query)} download>Export CSV</a>
        </form>
        {audit.error && <p className="error" role="alert">{audit.error}</p>}
        <table data-testid="audit-table">
          <thead><tr><th>When (UTC)</th><th>User</th><th>Role</th><th>Action</th><th>Filters</th><th>Rows</th><th>Status</th></tr></thead>
          <tbody>
            {audit.data?.entries.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.at.replace('T', ' ').slice(0, 19)}</td><td>{entry.username ?? '–'}</td><td>{entry.role ?? '–'}</td>
                <td>{entry.action}{entry.requests > 1 ? ` (${entry.requests.toLocaleString('en-GB')} tiles of one view)` : ''}</td><td className="filters-cell">{Object.entries(entry.filters).map(([k, v]) => `${k}=${String(v)}`).join(' ')}</td>
                <td>{entry.rowsReturned ?? ''}</td><td>{entry.status ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <UsersPanel self={self} />
      <HarmWeightsEditor />
    </main>
  );
}
