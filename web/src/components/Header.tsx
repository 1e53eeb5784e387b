// The top bar: Lantern, the demo badge, what is loaded, and who is signed in.
import { USER_ROLE_LABELS, type Meta, type SignedInUser } from '@lantern/shared';
import { ApiTokens } from './ApiTokens';

interface Props {
  meta: Meta | null;
  user: SignedInUser | null;
  onSignOut?(): void;
}

const count = (value: number | string) => (typeof value === 'number' ? value.toLocaleString('en-GB') : value);

export function Header({ meta, user, onSignOut }: Props) {
  return (
    <header className="top">
      <h1><span className="mark" aria-hidden="true" />Lantern</h1>
      <p className="subtitle">Hotspots for contextual safeguarding and serious violence · Bath and North East Somerset</p>
      {meta?.demo && (
        <span className="badge demo" data-testid="demo-badge"
          title={meta.imported
            ? 'Invented demo incidents, places and boundaries are shown alongside imported data; an administrator removes the demo set with npm run demo:remove'
            : 'Invented incidents, places and approximate boundaries: not real cases'}>
          {meta.imported ? 'Demo + imported data' : 'Demo data'}
        </span>
      )}
      {meta && (
        <span className="counts" data-testid="meta-counts">
          {count(meta.counts.incidents)} incidents · {meta.counts.locations} places
          {meta.dateRange && ` · ${meta.dateRange.from} to ${meta.dateRange.to}`}
        </span>
      )}
      {user && (
        <span className="user" data-testid="signed-in-user">
          <span>{user.displayName}</span>
          <span className="role" data-testid="user-role">{USER_ROLE_LABELS[user.role]}</span>
          <ApiTokens />
          <button type="button" onClick={onSignOut}>Sign out</button>
        </span>
      )}
    </header>
  );
}
