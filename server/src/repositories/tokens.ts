// Personal API tokens (read-only, for desktop GIS): only their SHA-256 is stored.
import type { ApiToken, ApiTokenCreated, UserRole } from '@lantern/shared';
import fp from 'fastify-plugin';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../plugins/database.js';
import { hashToken, type SessionRecord } from './users.js';

declare module 'fastify' {
  interface FastifyInstance {
    tokens: TokensRepository;
  }
}

export const TOKEN_PREFIX = 'lt_';

export interface TokensRepository {
  /** A token living `days` days. */
  create(userId: number, name: string, days: number, db?: Queryable): Promise<ApiTokenCreated>;
  list(userId: number, db?: Queryable): Promise<ApiToken[]>;
  /** Revokes one of the user's own tokens; false if there is no such live token. */
  revoke(userId: number, id: number, db?: Queryable): Promise<boolean>;
  /** The user a live token belongs to (not revoked, not expired, user not disabled), noting its use. */
  viewer(token: string, db?: Queryable): Promise<SessionRecord | null>;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const COLUMNS = `id::int, name, to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS "createdAt",
  to_char(last_used_at AT TIME ZONE 'UTC', ${ISO}) AS "lastUsedAt", to_char(expires_at AT TIME ZONE 'UTC', ${ISO}) AS "expiresAt"`;

export function tokensRepository(pool: Queryable): TokensRepository {
  return {
    async create(userId, name, days, db = pool) {
      const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      const { rows } = await db.query<ApiToken>(
        `INSERT INTO api_tokens (user_id, name, token_hash, expires_at) VALUES ($1, $2, $3, now() + make_interval(days => $4))
         RETURNING ${COLUMNS}`, [userId, name, hashToken(token), days]);
      return { ...rows[0]!, token };
    },
    async list(userId, db = pool) {
      const { rows } = await db.query<ApiToken>(
        `SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC, id DESC`, [userId]);
      return rows;
    },
    async revoke(userId, id, db = pool) {
      const { rowCount } = await db.query(
        'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [id, userId]);
      return (rowCount ?? 0) > 0;
    },
    async viewer(token, db = pool) {
      const { rows } = await db.query<{ id: number; username: string; displayName: string; role: UserRole }>(
        `UPDATE api_tokens t SET last_used_at = now() FROM users u
          WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
         RETURNING u.id, u.username, u.display_name AS "displayName", u.role`, [hashToken(token)]);
      const row = rows[0];
      // No CSRF token: a token may only read (plugins/access.ts refuses other methods).
      return row ? { user: row, csrfToken: '', expiresAt: new Date(8.64e15) } : null;
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('tokens', tokensRepository(app.db));
  },
  { name: 'tokens-repository', dependencies: ['database'] },
);
