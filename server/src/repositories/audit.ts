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
  /** Settles once the entry's row is committed; fails if it could not be written. */
  write(entry: AuditWrite): Promise<void>;
  search(query: AuditQuery, db?: Queryable): Promise<AuditEntry[]>;
}

/** Most rows in one INSERT. */
const AUDIT_BATCH_MAX = 500;

const INSERT_SQL = `
INSERT INTO audit_log (user_id, username, role, action, method, path, filters, rows_returned, status, justification, address)
SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[],
                     $8::int[], $9::int[], $10::text[], $11::text[])`;

/**
 * Text as PostgreSQL can store it: NUL (which a query string can carry as %00, and which
 * neither text nor jsonb accepts) becomes U+FFFD, in keys and values alike. Without
 * this, a refused request with %00 in its query left no audit row.
 */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD');
  if (Array.isArray(value)) return value.map(storable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storable(key), storable(inner)]));
  }
  return value;
}

/** Query parameters whose values are secrets: never written to the log (also scripts/lib/local-postgres.mjs REDACT_STORED_SECRETS). */
const SECRET_NAMES = 'token|access_token|api_key|apikey|password|secret';
const SECRET_PARAMETERS = new RegExp(`([?&](?:${SECRET_NAMES})=)[^&#]*`, 'gi');

/** A path with the values of secret query parameters replaced by "[redacted]". */
export function withoutSecrets(path: string): string {
  return path.replace(SECRET_PARAMETERS, '$1[redacted]');
}

const SECRET_KEYS = new RegExp(`^(?:${SECRET_NAMES})$`, 'i');
const withoutSecretKeys = (filters: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(filters).filter(([key]) => !SECRET_KEYS.test(key)));

interface Pending {
  entry: AuditWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: while one INSERT is on its way to the database, the entries that arrive
 * wait, then go together in the next one. Each caller still waits for its own row's
 * commit (no answer leaves before its audit row is durable), but a map asking a dozen
 * tiles at once pays for one INSERT and one commit, not twelve. (Cached tiles at zoom 11
 * under 16 clients on the bench machine: ~800 requests/s with a row and a commit each,
 * ~1,100 with no audit at all, 10-15% more than before with group commit alone: its
 * disk syncs quickly; a slower one gains more.) Written here because it is a loop over
 * one queue; node-postgres has no batching of its own.
 */
function groupCommitWriter(pool: Queryable): (entry: AuditWrite) => Promise<void> {
  let queue: Pending[] = [];
  let writing = false;
  async function drain() {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, AUDIT_BATCH_MAX);
      queue = queue.slice(batch.length);
      const column = <T>(pick: (entry: AuditWrite) => T) => batch.map((pending) => storable(pick(pending.entry)));
      try {
        await pool.query({ name: 'lantern-audit-write', text: INSERT_SQL, values: [
          column((e) => e.userId), column((e) => e.username), column((e) => e.role), column((e) => e.action),
          column((e) => e.method), column((e) => withoutSecrets(e.path).slice(0, 2000)), column((e) => JSON.stringify(storable(withoutSecretKeys(e.filters)))),
          column((e) => e.rowsReturned), column((e) => e.status), column((e) => e.justification ?? null),
          column((e) => e.address ?? null),
        ] });
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    writing = false;
  }
  return (entry) => new Promise<void>((resolve, reject) => {
    queue.push({ entry, resolve, reject });
    if (!writing) void drain();
  });
}

const ENTRY_COLUMNS = `id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, username, role, action, path, filters,
       rows_returned AS "rowsReturned", status, justification`;

/**
 * The log with each map view's tile reads as one entry: a tile read starts a new entry
 * unless the same user's previous logged request was a read of the same tiles under the
 * same filters less than a minute before. Reads the most recent 100 rows per entry asked
 * for (at most 100,000), so a search never walks the whole log.
 */
const GROUPED_SQL = (where: string, limit: string) => `
WITH recent AS (
  -- A tile's own z, x and y are not the view's filters.
  SELECT a.*, CASE WHEN a.action LIKE 'GET /api/tiles/%' THEN a.filters - ARRAY['z', 'x', 'y'] ELSE a.filters END AS view_filters
    FROM audit_log a ${where} ORDER BY a.id DESC LIMIT least(${limit}::int * 100, 100000)
), marked AS (
  SELECT r.*, CASE WHEN r.action LIKE 'GET /api/tiles/%'
                    AND lag(r.action) OVER w = r.action AND lag(r.view_filters) OVER w = r.view_filters
                    AND r.at - lag(r.at) OVER w < interval '1 minute' THEN 0 ELSE 1 END AS starts
    FROM recent r
  WINDOW w AS (PARTITION BY r.username ORDER BY r.at, r.id)
), runs AS (
  SELECT m.*, sum(m.starts) OVER (PARTITION BY m.username ORDER BY m.at, m.id) AS run FROM marked m
)
SELECT min(id) AS id, to_char(min(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, username, min(role) AS role, action,
       CASE WHEN count(*) = 1 THEN min(path) END AS path, CASE WHEN count(*) = 1 THEN min(filters::text)::jsonb ELSE view_filters END AS filters,
       sum(rows_returned)::int AS "rowsReturned", max(status) AS status, min(justification) AS justification, count(*)::int AS requests
  FROM runs
 GROUP BY username, run, action, view_filters
 ORDER BY min(id) DESC
 LIMIT ${limit}`;

export function auditRepository(pool: Queryable): AuditRepository {
  return {
    write: groupCommitWriter(pool),
    async search(query, db = pool) {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const add = (value: unknown) => `$${values.push(value)}`;
      if (query.username) conditions.push(`username = ${add(query.username)}`);
      if (query.action) conditions.push(`action ILIKE '%' || ${add(query.action.replace(/[\\%_]/g, '\\$&'))} || '%'`);
      if (query.from) conditions.push(`at >= (${add(query.from)}::date)::timestamp AT TIME ZONE 'Europe/London'`);
      if (query.to) conditions.push(`at < ((${add(query.to)}::date + 1)::timestamp AT TIME ZONE 'Europe/London')`);
      const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      const limit = add(query.limit ?? 200);
      const sql = query.group === 'none'
        ? `SELECT ${ENTRY_COLUMNS}, 1 AS requests FROM audit_log ${where} ORDER BY id DESC LIMIT ${limit}`
        : GROUPED_SQL(where, limit);
      const { rows } = await db.query<AuditEntry>(sql, values);
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
