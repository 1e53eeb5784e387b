// Users and sessions. Session tokens are stored as SHA-256 hashes.
import type { UserRole, UserSummary } from '@lantern/shared';
import fp from 'fastify-plugin';
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../plugins/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    users: UsersRepository;
  }
}

export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  role: UserRole;
  passwordHash: string;
  disabled: boolean;
  lockedUntil: Date | null;
  failedLogins: number;
}

export interface SessionRecord {
  user: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'role'>;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * A session's idle clock moves at most this often: a session then expires up to this much
 * sooner than its idle time after the last request, in exchange for requests that do not
 * write (and wait for the disk).
 */
export const SESSION_TOUCH_SECONDS = 30;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const USER_COLUMNS = `id, username, display_name AS "displayName", role, password_hash AS "passwordHash",
  disabled_at IS NOT NULL AS disabled, locked_until AS "lockedUntil", failed_logins AS "failedLogins"`;

/** Failed sign-ins on one account in an hour, from any addresses, before it is held for an hour (ASVS 2.2.1: at most 100). */
export const ACCOUNT_FAILURES_PER_HOUR = 100;

export interface UsersRepository {
  byUsername(username: string, db?: Queryable): Promise<UserRecord | null>;
  create(user: { username: string; displayName: string; role: UserRole; passwordHash: string; isDemo?: boolean }, db?: Queryable): Promise<number>;
  list(db?: Queryable): Promise<UserSummary[]>;
  setPassword(username: string, passwordHash: string, db?: Queryable): Promise<boolean>;
  setDisabled(username: string, disabled: boolean, db?: Queryable): Promise<boolean>;
  /** Is sign-in held up for this user name from this address, or for the account as a whole? */
  signInHeld(username: string, address: string, db?: Queryable): Promise<boolean>;
  /**
   * Counts a failed sign-in for the user name from the address: after `threshold` of them
   * the pair is held for lockMinutes, doubling with each further lock (at most a day);
   * and an account with ACCOUNT_FAILURES_PER_HOUR failures in an hour, from any
   * addresses, is held for an hour.
   */
  recordFailure(username: string, address: string, threshold: number, lockMinutes: number, db?: Queryable): Promise<void>;
  /** Forgets the failures of this user name from this address. */
  recordSuccess(id: number, username: string, address: string, db?: Queryable): Promise<void>;
  createSession(userId: number, options: { idleMinutes: number; absoluteHours: number; address?: string; userAgent?: string }, db?: Queryable): Promise<{ token: string; csrfToken: string; expiresAt: Date }>;
  /** The live session for a cookie token, sliding its idle expiry; null when expired or revoked. */
  session(token: string, idleMinutes: number, db?: Queryable): Promise<SessionRecord | null>;
  revokeSession(token: string, db?: Queryable): Promise<void>;
  revokeSessionsOf(userId: number, db?: Queryable): Promise<void>;
}

export function usersRepository(pool: Queryable): UsersRepository {
  return {
    async byUsername(username, db = pool) {
      const { rows } = await db.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username]);
      return rows[0] ?? null;
    },
    async create(user, db = pool) {
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO users (username, display_name, role, password_hash, is_demo) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [user.username, user.displayName, user.role, user.passwordHash, user.isDemo ?? false]);
      return rows[0]!.id;
    },
    async list(db = pool) {
      const { rows } = await db.query<UserSummary>(
        `SELECT username, display_name AS "displayName", role, disabled_at IS NOT NULL AS disabled,
                to_char(locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lockedUntil",
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"
           FROM users ORDER BY username LIMIT 10000`);
      return rows;
    },
    async setPassword(username, passwordHash, db = pool) {
      const { rowCount } = await db.query(
        `UPDATE users SET password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = NULL
          WHERE username = $1`, [username, passwordHash]);
      if (rowCount) await db.query('UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = $1)', [username]);
      return (rowCount ?? 0) > 0;
    },
    async setDisabled(username, disabled, db = pool) {
      const { rowCount } = await db.query(
        `UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END WHERE username = $1`, [username, disabled]);
      if (rowCount && disabled) await db.query('UPDATE sessions SET revoked_at = now() WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE username = $1)', [username]);
      return (rowCount ?? 0) > 0;
    },
    async signInHeld(username, address, db = pool) {
      const { rows } = await db.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM sign_in_throttle WHERE username = lower($1) AND address = $2 AND locked_until > now())
             OR EXISTS (SELECT 1 FROM users WHERE lower(username) = lower($1) AND locked_until > now()) AS held`, [username, address]);
      return rows[0]!.held;
    },
    async recordFailure(username, address, threshold, lockMinutes, db = pool) {
      await db.query(
        `INSERT INTO sign_in_throttle AS t (username, address, failures) VALUES (lower($1), $2, 1)
         ON CONFLICT (username, address) DO UPDATE SET
           failures = CASE WHEN t.failures + 1 >= $3 THEN 0 ELSE t.failures + 1 END,
           locks = t.locks + CASE WHEN t.failures + 1 >= $3 THEN 1 ELSE 0 END,
           locked_until = CASE WHEN t.failures + 1 >= $3
             THEN now() + least(interval '1 minute' * $4::float8 * power(2, least(t.locks, 12)), interval '1 day') ELSE t.locked_until END,
           last_failure = now()`, [username, address, threshold, lockMinutes]);
      // The account as a whole: failures within the hour (the count restarts after a quiet hour).
      await db.query(
        `UPDATE users SET failed_logins = CASE WHEN failed_logins_at > now() - interval '1 hour' THEN failed_logins + 1 ELSE 1 END,
                failed_logins_at = now(),
                locked_until = CASE WHEN failed_logins_at > now() - interval '1 hour' AND failed_logins + 1 >= $2
                                    THEN now() + interval '1 hour' ELSE locked_until END
          WHERE lower(username) = lower($1)`, [username, ACCOUNT_FAILURES_PER_HOUR]);
    },
    async recordSuccess(id, username, address, db = pool) {
      await db.query('DELETE FROM sign_in_throttle WHERE username = lower($1) AND address = $2', [username, address]);
      await db.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
    },
    async createSession(userId, options, db = pool) {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      const { rows } = await db.query<{ expiresAt: Date }>(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, address, user_agent)
         VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5, $6) RETURNING expires_at AS "expiresAt"`,
        [hashToken(token), userId, csrfToken, options.absoluteHours, options.address ?? null, options.userAgent?.slice(0, 300) ?? null]);
      return { token, csrfToken, expiresAt: rows[0]!.expiresAt };
    },
    async session(token, idleMinutes, db = pool) {
      // One statement: find the live session (not revoked, not past its absolute expiry,
      // seen within the idle window, user not disabled) and slide its idle clock, but only
      // once it is SESSION_TOUCH_SECONDS old. Every request of a session wrote its row
      // before, so the map's parallel tile requests took that row's lock one after another,
      // each until the previous one's commit. Now most requests only read it. (No change
      // measured on the bench machine, whose disk syncs quickly; the write is saved.)
      const { rows } = await db.query<{ id: number; username: string; displayName: string; role: UserRole; csrfToken: string; expiresAt: Date }>({
        name: 'lantern-session',
        text: `WITH live AS (
           SELECT s.token_hash, s.last_seen_at, u.id, u.username, u.display_name AS "displayName", u.role,
                  s.csrf_token AS "csrfToken", s.expires_at AS "expiresAt"
             FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = $1
              AND s.revoked_at IS NULL AND s.expires_at > now()
              AND s.last_seen_at > now() - make_interval(mins => $2)
              AND u.disabled_at IS NULL
         ), touched AS (
           UPDATE sessions s SET last_seen_at = now() FROM live
            WHERE s.token_hash = live.token_hash AND live.last_seen_at < now() - make_interval(secs => ${SESSION_TOUCH_SECONDS})
         )
         SELECT id, username, "displayName", role, "csrfToken", "expiresAt" FROM live`,
        values: [hashToken(token), idleMinutes],
      });
      const row = rows[0];
      return row ? { user: { id: row.id, username: row.username, displayName: row.displayName, role: row.role }, csrfToken: row.csrfToken, expiresAt: row.expiresAt } : null;
    },
    async revokeSession(token, db = pool) {
      await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [hashToken(token)]);
    },
    async revokeSessionsOf(userId, db = pool) {
      await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('users', usersRepository(app.db));
  },
  { name: 'users-repository', dependencies: ['database'] },
);
