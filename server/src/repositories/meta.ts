// What the database holds: counts, date range, extent, area levels, demo flag.
import { IMPORT_KIND_LABELS, type ImportKind, type Meta } from '@lantern/shared';
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

// Two passes over the incidents (the distinct people most of the time), with each count's
// cell key for the panel's perturbation (docs/disclosure.md): the column copy runs the
// same SQL when it holds the data (questions.ts askIncidentTotals).
export const INCIDENT_TOTALS_SQL = `
SELECT i.incidents, p.people, i."timeUnknown", i.incidents_key AS "incidentsKey", p.people_key AS "peopleKey", i.time_unknown_key AS "timeUnknownKey"
  FROM (SELECT count(*) AS incidents, count(*) FILTER (WHERE local_hour IS NULL) AS "timeUnknown",
               (coalesce(sum(record_key), 0) % 256)::int AS incidents_key,
               (coalesce(sum(record_key) FILTER (WHERE local_hour IS NULL), 0) % 256)::int AS time_unknown_key
          FROM incidents WHERE in_district) i,
       (SELECT count(*) AS people, (coalesce(sum(person_key & 255), 0) % 256)::int AS people_key
          FROM (SELECT DISTINCT person_key FROM incidents WHERE person_key IS NOT NULL AND in_district) d) p`;

const SUMMARY_SQL = `
SELECT
  (SELECT count(*) FROM locations_of_concern WHERE status <> 'closed') AS locations,
  (SELECT count(*) FROM areas) AS areas,${DATE_RANGE_COLUMNS},
  -- Extent of what there is to see: areas if loaded, else incidents.
  (SELECT ST_Extent(geom)::box2d FROM (
     SELECT geom FROM areas UNION ALL
     SELECT geom FROM incidents WHERE NOT EXISTS (SELECT 1 FROM areas)) g) AS extent_box,
  EXISTS (SELECT 1 FROM import_batches WHERE is_demo AND status = 'committed') AS demo,
  EXISTS (SELECT 1 FROM import_batches WHERE NOT is_demo AND status = 'committed' AND kind NOT IN ('population-csv', 'reference')) AS imported,
  EXISTS (SELECT 1 FROM incidents WHERE NOT in_district) AS outside`;

const EXTENT_SQL = `SELECT ST_XMin($1::box2d) AS w, ST_YMin($1::box2d) AS s, ST_XMax($1::box2d) AS e, ST_YMax($1::box2d) AS n`;

const SOURCES_SQL = `
SELECT is_demo, kind, count(*)::int AS files, to_char(max(finished_at) AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS last
  FROM import_batches WHERE status = 'committed'
 GROUP BY is_demo, kind ORDER BY is_demo DESC, kind`;

const LEVELS_SQL = `SELECT level, count(*)::int AS count FROM areas GROUP BY level ORDER BY level`;

/** What /api/meta says of the database, but the incidents' totals (incidentTotals). */
export type MetaSummary = Omit<Meta, 'vocabulary' | 'timeZone' | 'basemapStyleUrl' | 'counts'> & {
  counts: { locations: number; areas: number };
};

/** How many incidents, distinct people and incidents without a known time the data holds. */
export interface IncidentTotals {
  incidents: number;
  people: number;
  timeUnknown: number;
  /** The three counts' cell keys (docs/disclosure.md), for the panel; never sent. */
  keys: { incidents: number; people: number; timeUnknown: number };
}

export const incidentTotalsOf = (row: Record<string, unknown>): IncidentTotals => ({
  incidents: Number(row.incidents), people: Number(row.people), timeUnknown: Number(row.timeUnknown),
  keys: { incidents: Number(row.incidentsKey), people: Number(row.peopleKey), timeUnknown: Number(row.timeUnknownKey) },
});

export interface MetadataRepository {
  summary(db?: Queryable): Promise<MetaSummary>;
  /** Only the incidents' date range. */
  dateRange(db?: Queryable): Promise<MetaSummary['dateRange']>;
  /** The area levels that hold areas, with how many each, by level name. */
  areaLevels(db?: Queryable): Promise<MetaSummary['areaLevels']>;
  /** Where the data came from, in words: one line per kind of committed import (demo first). */
  sources(db?: Queryable): Promise<string[]>;
  ping(db?: Queryable): Promise<void>;
}

interface SummaryRow {
  locations: number;
  areas: number;
  dateFrom: string | null;
  dateTo: string | null;
  extent_box: string | null;
  demo: boolean;
  imported: boolean;
  outside: boolean;
}

const rangeOf = (row: Pick<SummaryRow, 'dateFrom' | 'dateTo'>): MetaSummary['dateRange'] =>
  (row.dateFrom && row.dateTo ? { from: row.dateFrom, to: row.dateTo } : null);

export function metadataRepository(pool: Queryable): MetadataRepository {
  const repository: MetadataRepository = {
    async summary(db = pool) {
      const [{ rows }, areaLevels] = await Promise.all([db.query<SummaryRow>(SUMMARY_SQL), repository.areaLevels(db)]);
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
        outsideDistrict: row.outside,
        counts: { locations: row.locations, areas: row.areas },
        dateRange: rangeOf(row),
        extent,
        areaLevels,
      };
    },
    async dateRange(db = pool) {
      const { rows } = await db.query<Pick<SummaryRow, 'dateFrom' | 'dateTo'>>(`SELECT ${DATE_RANGE_COLUMNS}`);
      return rangeOf(rows[0]!);
    },
    async areaLevels(db = pool) {
      return (await db.query<{ level: string; count: number }>(LEVELS_SQL)).rows;
    },
    async sources(db = pool) {
      const { rows } = await db.query<{ is_demo: boolean; kind: string; files: number; last: string }>(SOURCES_SQL);
      return rows.map((row) => (row.is_demo
        ? `Demo data: generated by Lantern, not real (loaded ${row.last})`
        : row.kind === 'reference'
        ? 'Real geography shipped with Lantern: B&NES district, 2019 wards, 2011 LSOAs and MSOAs; residents from the 2011 Census (ONS usual residents; LSOA counts shared to wards and MSOAs by area); places of concern from open data; OS street basemap'
        : `${IMPORT_KIND_LABELS[row.kind as ImportKind] ?? row.kind}: ${row.files} file${row.files === 1 ? '' : 's'}, last imported ${row.last}`));
    },
    async ping(db = pool) {
      await db.query('SELECT 1');
    },
  };
  return repository;
}

export default fp(
  async (app) => {
    app.decorate('metadata', metadataRepository(app.db));
  },
  { name: 'metadata-repository', dependencies: ['database'] },
);
