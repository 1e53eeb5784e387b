// SQL for the hotspot engine: the study area and its hexagon grid, nearest-neighbour
// distances for the automatic cell size, and the statements both counting engines run
// (counts per hexagon, incident points snapped for kernel density; counting/). All
// metric work in British National Grid (EPSG:27700).
import type { Filters } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';

declare module 'fastify' {
  interface FastifyInstance {
    hotspotStudy: HotspotStudyRepository;
  }
}

// The study area is the district (not the bounding box of the points): its outline if
// loaded, else the union of all areas, else the incidents' convex hull grown by 500 m.
const STUDY_AREA_SQL = `
  SELECT coalesce(
    (SELECT ST_Union(geom_bng) FROM areas WHERE level = 'district'),
    (SELECT ST_Union(geom_bng) FROM areas),
    (SELECT ST_Buffer(ST_ConvexHull(ST_Collect(geom_bng)), 500) FROM incidents)) AS geom`;

// ST_HexagonGrid's cell (i, j) of side `size` is centred at x = 1.5·size·i,
// y = √3·size·(j + ½·(i mod 2)) (checked against PostGIS in the integration tests), as
// SQL that PostgreSQL and DuckDB evaluate alike (float8 throughout).
const CENTRE_X = (i: string, size: string) => `1.5 * ${size}::float8 * ${i}`;
const CENTRE_Y = (i: string, j: string, size: string) => `sqrt(3) * ${size}::float8 * (${j} + 0.5::float8 * (${i} & 1))`;

// Every hexagon of ST_HexagonGrid(size) touching the study area: index (i, j), centre
// and outline in WGS84. It depends only on the size and the areas, so it is kept per
// data version (hotspots/data.ts) instead of being rebuilt on every request. The centre
// is the lattice point of (i, j) rather than ST_Centroid of the outline, which carries
// up to 1e-6 m of floating-point noise.
const STUDY_GRID_SQL = `
WITH study AS (${STUDY_AREA_SQL})
SELECT hex.i, hex.j, ${CENTRE_X('hex.i', '$1')} AS x, ${CENTRE_Y('hex.i', 'hex.j', '$1')} AS y,
       ST_AsGeoJSON(ST_Transform(hex.geom, 4326), 6) AS geometry
  FROM study, ST_HexagonGrid($1, study.geom) AS hex
 WHERE ST_Intersects(hex.geom, study.geom)
 ORDER BY hex.i, hex.j`;

// Each row of `points` (British National Grid x, y and any other columns) with its
// hexagon (i, j) of ST_HexagonGrid(size), found by arithmetic instead of a
// point-in-polygon join: one pass over the rows, whatever the number of cells.
// A point's hexagon is the one with the nearest centre (CENTRE_X, CENTRE_Y), and that
// centre lies in column floor(x / 1.5·size) or the next one. PostgreSQL reads x, y from the stored float columns bng_x/bng_y, not
// ST_X(geom_bng). The statement runs unchanged in PostgreSQL and in the column copy's
// DuckDB (counting/duckdb/copy.ts), so both engines place a point alike: all arithmetic is
// float8, and rounding is floor(v + 0.5) in both (their round() breaks ties differently).
export const HEXAGON_ROWS_SQL = (points: string, size: string) => `
WITH p AS (
  SELECT points.*, floor(x / (1.5 * ${size}::float8))::int AS c0
    FROM (${points}) points
),
candidates AS (
  SELECT p.*, floor(y / (sqrt(3) * ${size}::float8) - 0.5::float8 * (c0 & 1) + 0.5::float8)::int AS r0,
              floor(y / (sqrt(3) * ${size}::float8) - 0.5::float8 * ((c0 + 1) & 1) + 0.5::float8)::int AS r1
    FROM p
),
distances AS (
  SELECT candidates.*,
         (x - ${CENTRE_X('c0', size)}) ^ 2 + (y - ${CENTRE_Y('c0', 'r0', size)}) ^ 2 AS d0,
         (x - ${CENTRE_X('(c0 + 1)', size)}) ^ 2 + (y - ${CENTRE_Y('(c0 + 1)', 'r1', size)}) ^ 2 AS d1
    FROM candidates
)
SELECT CASE WHEN d0 <= d1 THEN c0 ELSE c0 + 1 END AS i, CASE WHEN d0 <= d1 THEN r0 ELSE r1 END AS j, distances.*
  FROM distances`;

/** Rows with a hexagon (i, j), a slice and a harm_weight, counted per hexagon and slice. */
export const PER_HEXAGON_SQL = (rows: string) => `
SELECT i, j, slice, count(*)::int AS count, sum(harm_weight::float8)::float8 AS harm
  FROM (${rows}) binned
 GROUP BY i, j, slice
 ORDER BY i, j, slice`;

/** The filtered incidents (`points`: x, y, harm_weight, slice: NULL for none) counted per hexagon and slice. */
export const BINNED_SQL = (points: string, size: string) => PER_HEXAGON_SQL(HEXAGON_ROWS_SQL(points, size));

// PostgreSQL's points for BINNED_SQL: slice k of `slices` (a date[] of boundaries) is
// [slices[k], slices[k + 1]).
export const BINNED_POINTS_SQL = (where: string, slices: string | null) => `
  SELECT i.bng_x AS x, i.bng_y AS y, i.harm_weight,
         ${slices ? `width_bucket(i.local_date, ${slices}::date[]) - 1` : 'NULL::int'} AS slice
    FROM incidents i
   WHERE ${where}`;

const STUDY_AREA_M2_SQL = `WITH study AS (${STUDY_AREA_SQL}) SELECT ST_Area(geom) AS area FROM study`;

// Distance from each of up to 5,000 filtered incidents to its nearest filtered
// neighbour that is not at the same spot (KNN on the BNG GiST index).
const NEAREST_NEIGHBOUR_SQL = (whereI: string, whereJ: string) => `
SELECT avg(nn.d)::float8 AS mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY nn.d)::float8 AS median, count(*)::int AS n
  FROM (SELECT i.id, i.geom_bng FROM incidents i WHERE ${whereI} ORDER BY md5(i.id::text) LIMIT 5000) sample
  CROSS JOIN LATERAL (
    SELECT ST_Distance(sample.geom_bng, j.geom_bng) AS d
      FROM incidents j
     WHERE j.id <> sample.id AND NOT ST_Equals(j.geom_bng, sample.geom_bng) AND ${whereJ}
     ORDER BY j.geom_bng <-> sample.geom_bng
     LIMIT 1) nn`;

// Points for kernel density, snapped to a 10 m grid and counted there: the error is
// at most 7 m, small against any bandwidth, and the rows to read shrink many times.
// Snapped as ST_SnapToGrid(geom_bng, 10) does: rint(x / 10) · 10 (SNAPPED_X, SNAPPED_Y;
// the column copy keeps each incident's snapped x, y). Ordered, so that the density's
// sums add in one order whichever engine counted.
export const SNAPPED_X = 'round(i.bng_x / 10) * 10';
export const SNAPPED_Y = 'round(i.bng_y / 10) * 10';
export const SNAPPED_POINTS_SQL = (where: string, x = SNAPPED_X, y = SNAPPED_Y) => `
SELECT x, y, count(*)::int AS count, sum(harm_weight::float8)::float8 AS harm
  FROM (SELECT ${x} AS x, ${y} AS y, i.harm_weight FROM incidents i WHERE ${where}) snapped
 GROUP BY x, y
 ORDER BY x, y`;

const STUDY_BOUNDS_SQL = `WITH study AS (${STUDY_AREA_SQL})
SELECT ST_XMin(geom)::float8 AS xmin, ST_YMin(geom)::float8 AS ymin, ST_XMax(geom)::float8 AS xmax, ST_YMax(geom)::float8 AS ymax
  FROM study`;

export interface GridCell {
  i: number;
  j: number;
  slice?: number | null;
  count: number;
  harm: number;
  x: number;
  y: number;
  geometry: string;
}

export interface StudyCell {
  i: number;
  j: number;
  x: number;
  y: number;
  geometry: string;
}

/** A row of BINNED_SQL: the filtered incidents of one hexagon (and time slice). */
export interface BinnedRow {
  i: number;
  j: number;
  slice: number | null;
  count: number;
  harm: number;
}

/** SNAPPED_POINTS_SQL's rows as columns (hundreds of thousands of rows at 10M: no object per row). */
export interface SnappedPoints {
  x: number[];
  y: number[];
  count: number[];
  harm: number[];
}

/** The study area's bounding rectangle in British National Grid metres. */
export interface StudyBounds { xmin: number; ymin: number; xmax: number; ymax: number }

/** The study area (the district) and its hexagon grids; counting under a filter is counting/'s. */
export interface HotspotStudyRepository {
  /** Every hexagon of side `size` touching the study area, in (i, j) order. */
  grid(size: number, db?: Queryable): Promise<StudyCell[]>;
  areaSquareMetres(db?: Queryable): Promise<number>;
  bounds(db?: Queryable): Promise<StudyBounds | null>;
  /** Which of the given BNG points lie inside the study area. */
  insideStudyArea(x: number[], y: number[], db?: Queryable): Promise<boolean[]>;
  /** BNG points as WGS84 [lon, lat]. */
  toWgs84(points: [number, number][], db?: Queryable): Promise<[number, number][]>;
  /** Mean and median distance from filtered incidents to their nearest filtered neighbour (KNN on PostGIS's index). */
  nearestNeighbourDistances(filters: Filters, db?: Queryable): Promise<{ mean: number | null; median: number | null; n: number }>;
}

export function hotspotStudyRepository(pool: Queryable): HotspotStudyRepository {
  return {
    async grid(size, db = pool) {
      return (await db.query<StudyCell>(STUDY_GRID_SQL, [size])).rows;
    },
    async areaSquareMetres(db = pool) {
      const { rows } = await db.query<{ area: number | null }>(STUDY_AREA_M2_SQL);
      return rows[0]?.area ?? 0;
    },
    async bounds(db = pool) {
      const { rows } = await db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(STUDY_BOUNDS_SQL);
      const row = rows[0];
      return row && row.xmin !== null ? { xmin: row.xmin, ymin: row.ymin, xmax: row.xmax, ymax: row.ymax } : null;
    },
    async insideStudyArea(x, y, db = pool) {
      const { rows } = await db.query<{ inside: boolean }>(
        `WITH study AS (${STUDY_AREA_SQL})
         SELECT ST_Intersects(study.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 27700)) AS inside
           FROM study, unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, n) ORDER BY p.n`, [x, y]);
      return rows.map((row) => row.inside);
    },
    async toWgs84(points, db = pool) {
      const { rows } = await db.query<{ lon: number; lat: number }>(
        `SELECT ST_X(g)::float8 AS lon, ST_Y(g)::float8 AS lat FROM (
           SELECT ST_Transform(ST_SetSRID(ST_MakePoint(p.x, p.y), 27700), 4326) AS g, p.n
             FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, n)) t ORDER BY n`,
        [points.map((p) => p[0]), points.map((p) => p[1])]);
      return rows.map((row) => [row.lon, row.lat]);
    },
    async nearestNeighbourDistances(filters, db = pool) {
      const params = new SqlParams();
      const whereI = incidentConditions(filters, params, 'i');
      const whereJ = incidentConditions(filters, params, 'j');
      const { rows } = await db.query<{ mean: number | null; median: number | null; n: number }>(
        NEAREST_NEIGHBOUR_SQL(whereI, whereJ), params.values);
      return rows[0] ?? { mean: null, median: null, n: 0 };
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('hotspotStudy', hotspotStudyRepository(app.db));
  },
  { name: 'hotspot-study-repository', dependencies: ['database'] },
);
