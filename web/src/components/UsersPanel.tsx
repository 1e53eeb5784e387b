// Users, for administrators: add one (a password is made and shown once), reset a
// password (shown once; their sessions end), disable or enable. The server decides and
// audits; the same is possible with `npm run user`.
import { USER_ROLE_LABELS, USER_ROLES, type UserRole, type UserSummary } from '@lantern/shared';
import { useState } from 'react';
import { api } from '../api';
import { useFetch } from '../hooks';

export function UsersPanel({ self }: { self: string }) {
  const [version, setVersion] = useState(0);
  const users = useFetch(`users-${version}`, (signal) => api.users(signal));
  const [draft, setDraft] = useState<{ username: string; displayName: string; role: UserRole }>({ username: '', displayName: '', role: 'analyst' });
  const [shown, setShown] = useState<{ username: string; password: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (work: () => Promise<{ user: UserSummary; password?: string }>) => {
    setError(null);
    try {
      const { user, password } = await work();
      setShown(password ? { username: user.username, password } : null);
      setVersion((v) => v + 1);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section aria-label="Users" tabIndex={0} data-testid="users">
      <h2>Users</h2>
      <form className="audit-search" onSubmit={(event) => {
        event.preventDefault();
        void act(() => api.addUser({ username: draft.username.trim(), role: draft.role, ...(draft.displayName.trim() ? { displayName: draft.displayName.trim() } : {}) }))
          .then(() => setDraft({ username: '', displayName: '', role: draft.role }));
      }}>
        <label>User name<input value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} required pattern="[a-z0-9._-]{2,40}" data-testid="new-user-name" /></label>
        <label>Full name<input value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} /></label>
        <label>Role<select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as UserRole })} data-testid="new-user-role">
          {USER_ROLES.map((role) => <option key={role} value={role}>{USER_ROLE_LABELS[role]}</option>)}
        </select></label>
        <button type="submit" data-testid="add-user">Add user</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {shown && (
        <p className="notice" role="status" data-testid="new-password">
          Password for <strong>{shown.username}</strong>, shown this once: <code>{shown.password}</code>. Give it to them in person or by a secure route.
        </p>
      )}
      <table data-testid="users-table">
        <thead><tr><th scope="col">User</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">State</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {users.data?.users.map((user) => (
            <tr key={user.username}>
              <td>{user.username}</td><td>{user.displayName}</td><td>{USER_ROLE_LABELS[user.role]}</td>
              <td>{user.disabled ? 'disabled' : user.lockedUntil ? 'locked' : 'active'}</td>
              <td className="actions">
                <button type="button" onClick={() => void act(() => api.resetPassword(user.username))} aria-label={`Reset password for ${user.username}`}>Reset password</button>
                {user.username !== self && (
                  <button type="button" onClick={() => void act(() => api.setUserDisabled(user.username, !user.disabled))}
                    aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`} data-testid={`toggle-${user.username}`}>
                    {user.disabled ? 'Enable' : 'Disable'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
