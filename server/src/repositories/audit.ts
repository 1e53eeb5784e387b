// The audit log: one row for every read of incident data and every export.
import type { AuditEntry, AuditQuery } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    audit: AuditRepository;
  }
}

export interface AuditWrite {
  userId: number | null;
  username: string | null;
  role: string | null;
  action: string;
  method: string;
  path: string;
  filters: Record<string, unknown>;
  rowsReturned: number | null;
  status: number;
  justification?: string | null;
  address?: string | null;
}

export interface AuditRepository {
  write(entry: AuditWrite, db?: Queryable): Promise<void>;
  search(query: AuditQuery, db?: Queryable): Promise<AuditEntry[]>;
}

export function auditRepository(pool: Queryable): AuditRepository {
  return {
    async write(entry, db = pool) {
      await db.query(
        `INSERT INTO audit_log (user_id, username, role, action, method, path, filters, rows_returned, status, justification, address)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [entry.userId, entry.username, entry.role, entry.action, entry.method, entry.path.slice(0, 2000),
          JSON.stringify(entry.filters), entry.rowsReturned, entry.status, entry.justification ?? null, entry.address ?? null]);
    },
    async search(query, db = pool) {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const add = (value: unknown) => `$${values.push(value)}`;
      if (query.username) conditions.push(`username = ${add(query.username)}`);
      if (query.action) conditions.push(`action ILIKE '%' || ${add(query.action.replace(/[\\%_]/g, '\\$&'))} || '%'`);
      if (query.from) conditions.push(`at >= (${add(query.from)}::date)::timestamp AT TIME ZONE 'Europe/London'`);
      if (query.to) conditions.push(`at < ((${add(query.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`);
      const { rows } = await db.query<AuditEntry>(
        `SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, username, role, action, path, filters,
                rows_returned AS "rowsReturned", status, justification
           FROM audit_log ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY id DESC LIMIT ${add(query.limit ?? 200)}`, values);
      return rows;
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('audit', auditRepository(app.db));
  },
  { name: 'audit-repository', dependencies: ['database'] },
);
