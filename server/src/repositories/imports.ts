// Import batches: list them, read one and its rejected rows, roll one back. The import
// itself is server/src/imports/pipeline.ts (shared with the CLI).
import type { ImportBatch, ImportRejects, RejectedRow } from '@lantern/shared';
import fp from 'fastify-plugin';
import type pg from 'pg';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    imports: ImportsRepository;
  }
}

export interface RollbackResult {
  batch: ImportBatch;
  removed: number;
  restored: number;
}

export interface ImportsRepository {
  list(limit?: number): Promise<ImportBatch[]>;
  get(id: number): Promise<ImportBatch | null>;
  rejects(id: number, limit: number, offset: number): Promise<ImportRejects | null>;
  rollback(id: number): Promise<RollbackResult>;
}

const SELECT = `
SELECT b.id::int AS id, b.kind, b.filename, b.status, b.is_demo AS "isDemo", b.rows_total AS "rowsTotal",
       b.rows_inserted AS "rowsInserted", b.rows_rejected AS "rowsRejected",
       ((SELECT count(*) FROM incidents i WHERE i.batch_id = b.id)
        + (SELECT count(*) FROM locations_of_concern l WHERE l.batch_id = b.id)
        + (SELECT count(*) FROM areas a WHERE a.batch_id = b.id))::int AS "liveRows",
       b.created_by AS "createdBy",
       to_char(b.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "startedAt",
       to_char(b.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "finishedAt",
       b.error, b.report
  FROM import_batches b`;

interface UndoRow {
  id: number;
  name?: string;
  kind?: string;
  geometry?: string;
  population?: number | null;
  population_10_24?: number | null;
  batch_id: number | null;
  is_demo?: boolean;
}

export function importsRepository(pool: pg.Pool): ImportsRepository {
  const get = async (id: number) => {
    const { rows } = await pool.query<ImportBatch>(`${SELECT} WHERE b.id = $1 AND b.status <> 'running'`, [id]);
    return rows[0] ?? null;
  };
  return {
    async list(limit = 100) {
      const { rows } = await pool.query<ImportBatch>(`${SELECT} WHERE b.status <> 'running' ORDER BY b.id DESC LIMIT $1`, [limit]);
      return rows;
    },
    get,
    async rejects(id, limit, offset) {
      const batch = await pool.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM import_rejects r WHERE r.batch_id = b.id) AS n FROM import_batches b WHERE b.id = $1`, [id]);
      if (!batch.rows[0]) return null;
      const { rows } = await pool.query<RejectedRow>(`
        SELECT row_number AS row, field, coalesce(reason, 'malformed_row') AS reason, message FROM import_rejects
         WHERE batch_id = $1 ORDER BY row_number, message LIMIT $2 OFFSET $3`, [id, limit, offset]);
      return { batchId: id, rejects: rows, total: batch.rows[0].n };
    },
    async rollback(id) {
      const db = await pool.connect();
      try {
        await db.query('BEGIN');
        await db.query('SET LOCAL statement_timeout = 0');
        await db.query(`SELECT pg_advisory_xact_lock(hashtext('lantern-import'))`);
        const found = await db.query<{ status: string; is_demo: boolean; undo: { table: string; rows: UndoRow[]; removed?: UndoRow[] } | null }>(
          'SELECT status, is_demo, undo FROM import_batches WHERE id = $1 FOR UPDATE', [id]);
        const batch = found.rows[0];
        if (!batch || batch.status === 'running') throw new HttpError(404, `id: there is no import batch ${id}`, 'id');
        if (batch.status !== 'committed') throw new HttpError(409, `id: batch ${id} is ${batch.status.replace('_', ' ')}; only a committed batch can be rolled back`, 'id');
        const undo: { table: string; rows: UndoRow[]; removed?: UndoRow[] } = batch.undo ?? { table: '', rows: [] };
        let restored = 0;
        // Rows this batch replaced get their previous values back (unless a later batch
        // has replaced them since); rows it added are deleted.
        if (undo.table === 'locations_of_concern' && undo.rows.length) {
          const result = await db.query(`
            UPDATE locations_of_concern l
               SET name = u.name, kind = u.kind, geom = ST_SetSRID(ST_GeomFromGeoJSON(u.geometry), 4326),
                   batch_id = u.batch_id, is_demo = u.is_demo, approximate = coalesce(u.approximate, l.approximate)
              FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, name text, kind text, geometry text, batch_id bigint, is_demo boolean, approximate boolean)
             WHERE l.id = u.id AND l.batch_id = $1`, [id, JSON.stringify(undo.rows)]);
          restored = result.rowCount ?? 0;
        } else if (undo.table === 'areas' && undo.rows.length) {
          const result = await db.query(`
            UPDATE areas a
               SET name = u.name, geom = ST_SetSRID(ST_GeomFromGeoJSON(u.geometry), 4326), population = u.population,
                   population_10_24 = u.population_10_24, batch_id = u.batch_id, is_demo = u.is_demo
              FROM jsonb_to_recordset($2::jsonb) AS u(id bigint, name text, geometry text, population int,
                                                      population_10_24 int, batch_id bigint, is_demo boolean)
             WHERE a.id = u.id AND a.batch_id = $1`, [id, JSON.stringify(undo.rows)]);
          restored = result.rowCount ?? 0;
        } else if (undo.table === 'population' && undo.rows.length) {
          const result = await db.query(`
            UPDATE areas a SET population = u.population, population_10_24 = u.population_10_24
              FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, population int, population_10_24 int)
             WHERE a.id = u.id`, [JSON.stringify(undo.rows)]);
          restored = result.rowCount ?? 0;
        }
        const incidents = await db.query('DELETE FROM incidents WHERE batch_id = $1', [id]);
        const locations = await db.query('DELETE FROM locations_of_concern WHERE batch_id = $1', [id]);
        const areas = await db.query('DELETE FROM areas WHERE batch_id = $1', [id]);
        // The level's areas this batch replaced come back as they were.
        if (undo.table === 'areas' && undo.removed?.length) {
          const back = await db.query(`
            INSERT INTO areas (id, level, code, name, geom, population, population_10_24, batch_id, is_demo)
            SELECT u.id, u.level, u.code, u.name, ST_SetSRID(ST_GeomFromGeoJSON(u.geometry), 4326), u.population, u.population_10_24, u.batch_id, u.is_demo
              FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, level text, code text, name text, geometry text, population int,
                                                      population_10_24 int, batch_id bigint, is_demo boolean)
            ON CONFLICT (level, code) DO NOTHING`, [JSON.stringify(undo.removed)]);
          restored += back.rowCount ?? 0;
        }
        if ((locations.rowCount ?? 0) > 0 || (undo.table === 'locations_of_concern' && restored > 0)) {
          await db.query('SELECT lantern_link_nearest_locations(150)');
        }
        await db.query(`UPDATE import_batches SET status = 'rolled_back' WHERE id = $1`, [id]);
        await db.query('COMMIT');
        const removed = (incidents.rowCount ?? 0) + (locations.rowCount ?? 0) + (areas.rowCount ?? 0);
        return { batch: (await get(id))!, removed, restored };
      } catch (error) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        db.release();
      }
    },
  };
}

export default fp(async (app) => {
  app.decorate('imports', importsRepository(app.db));
}, { name: 'imports-repository', dependencies: ['database'] });
