// What the database holds: counts, date range, extent, area levels, demo flag.
import type { Meta } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    metadata: MetadataRepository;
  }
}

// First and last local date of the incidents: two probes of incidents_local_date_idx.
const DATE_RANGE_COLUMNS = `
  (SELECT to_char(min(local_date), 'YYYY-MM-DD') FROM incidents) AS "dateFrom",
  (SELECT to_char(max(local_date), 'YYYY-MM-DD') FROM incidents) AS "dateTo"`;

const SUMMARY_SQL = `
SELECT
  (SELECT count(*) FROM incidents) AS incidents,
  (SELECT count(DISTINCT person_ref) FROM incidents) AS people,
  (SELECT count(*) FROM incidents WHERE local_hour IS NULL) AS "timeUnknown",
  (SELECT count(*) FROM locations_of_concern WHERE status <> 'closed') AS locations,
  (SELECT count(*) FROM areas) AS areas,${DATE_RANGE_COLUMNS},
  -- Extent of what there is to see: areas if loaded, else incidents.
  (SELECT ST_Extent(geom)::box2d FROM (
     SELECT geom FROM areas UNION ALL
     SELECT geom FROM incidents WHERE NOT EXISTS (SELECT 1 FROM areas)) g) AS extent_box,
  EXISTS (SELECT 1 FROM import_batches WHERE is_demo AND status = 'committed') AS demo,
  EXISTS (SELECT 1 FROM import_batches WHERE NOT is_demo AND status = 'committed' AND kind <> 'population-csv') AS imported`;

const EXTENT_SQL = `SELECT ST_XMin($1::box2d) AS w, ST_YMin($1::box2d) AS s, ST_XMax($1::box2d) AS e, ST_YMax($1::box2d) AS n`;

const LEVELS_SQL = `SELECT level, count(*)::int AS count FROM areas GROUP BY level ORDER BY level`;

export type MetaSummary = Omit<Meta, 'vocabulary' | 'timeZone' | 'basemapStyleUrl' | 'counts'> & {
  counts: { incidents: number; people: number; locations: number; areas: number; timeUnknown: number };
};

export interface MetadataRepository {
  summary(db?: Queryable): Promise<MetaSummary>;
  /** Only the incidents' date range: cheap, unlike summary() (which counts distinct people). */
  dateRange(db?: Queryable): Promise<MetaSummary['dateRange']>;
  ping(db?: Queryable): Promise<void>;
}

interface SummaryRow {
  incidents: number;
  people: number;
  timeUnknown: number;
  locations: number;
  areas: number;
  dateFrom: string | null;
  dateTo: string | null;
  extent_box: string | null;
  demo: boolean;
  imported: boolean;
}

const rangeOf = (row: Pick<SummaryRow, 'dateFrom' | 'dateTo'>): MetaSummary['dateRange'] =>
  (row.dateFrom && row.dateTo ? { from: row.dateFrom, to: row.dateTo } : null);

export function metadataRepository(pool: Queryable): MetadataRepository {
  return {
    async summary(db = pool) {
      const [{ rows }, levels] = await Promise.all([
        db.query<SummaryRow>(SUMMARY_SQL),
        db.query<{ level: string; count: number }>(LEVELS_SQL),
      ]);
      const row = rows[0]!;
      let extent: MetaSummary['extent'] = null;
      if (row.extent_box) {
        const box = await db.query<{ w: number; s: number; e: number; n: number }>(EXTENT_SQL, [row.extent_box]);
        const { w, s, e, n } = box.rows[0]!;
        extent = [w, s, e, n];
      }
      return {
        demo: row.demo,
        imported: row.imported,
        counts: {
          incidents: row.incidents,
          people: row.people,
          locations: row.locations,
          areas: row.areas,
          timeUnknown: row.timeUnknown,
        },
        dateRange: rangeOf(row),
        extent,
        areaLevels: levels.rows,
      };
    },
    async dateRange(db = pool) {
      const { rows } = await db.query<Pick<SummaryRow, 'dateFrom' | 'dateTo'>>(`SELECT ${DATE_RANGE_COLUMNS}`);
      return rangeOf(rows[0]!);
    },
    async ping(db = pool) {
      await db.query('SELECT 1');
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('metadata', metadataRepository(app.db));
  },
  { name: 'metadata-repository', dependencies: ['database'] },
);
