// SQL for the hotspot engine: the study area's hexagon grid with filtered counts per
// cell, nearest-neighbour distances for the automatic cell size, and incident points
// (snapped) for kernel density. All metric work in British National Grid (EPSG:27700).
import type { Filters } from '@lantern/shared';
import fp from 'fastify-plugin';
import { outlineOf, packStudyGrid, type GridCounts } from '../hotspots/study-grid.js';
import { readDataVersion, type Queryable } from '../plugins/database.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';

declare module 'fastify' {
  interface FastifyInstance {
    hotspotData: HotspotDataRepository;
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
// and outline in WGS84. It depends only on the size and the areas, so the repository
// keeps it (see studyGrid below) instead of rebuilding it on every request. The centre
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
// DuckDB (columnar/copy.ts), so both engines place a point alike: all arithmetic is
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
const BINNED_POINTS_SQL = (where: string, slices: string | null) => `
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

interface StudyCell {
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

/**
 * Another engine's counts (the column copy, columnar/copy.ts): each answers as the
 * PostgreSQL statement named does, or gives null, and PostgreSQL counts.
 */
export interface HotspotCounter {
  /** BINNED_SQL's rows for the filters; with boundaries, within [first, last) and sliced by them. */
  binned(size: number, filters: Filters, boundaries: string[] | null): Promise<BinnedRow[] | null>;
  snappedPoints(filters: Filters): Promise<SnappedPoints | null>;
}

/** The study area's bounding rectangle in British National Grid metres. */
export interface StudyBounds { xmin: number; ymin: number; xmax: number; ymax: number }

/** The study grid's cells with their counts, and the filtered incidents in no cell. */
export interface Grid {
  cells: GridCell[];
  outside: { count: number; harm: number };
}

/** Counts per cell and slice (one row per cell and slice with incidents, one with no slice for an empty cell), and per slice the incidents in no cell. */
export interface SlicedGrid {
  rows: GridCell[];
  outside: number[];
}

export interface HotspotDataRepository {
  /** The study grid's counts as columns over the kept grid (hotspots/study-grid.ts), for Gi*. */
  gridCounts(size: number, filters: Filters, db?: Queryable): Promise<GridCounts>;
  /** The same as cells with their outlines (evaluation, patrol plans). */
  grid(size: number, filters: Filters, db?: Queryable): Promise<Grid>;
  /** Counts per cell per time slice: slice k covers [boundaries[k], boundaries[k+1]). */
  slicedGrid(size: number, filters: Filters, boundaries: string[], db?: Queryable): Promise<SlicedGrid>;
  studyAreaSquareMetres(db?: Queryable): Promise<number>;
  nearestNeighbourDistances(filters: Filters, db?: Queryable): Promise<{ mean: number | null; median: number | null; n: number }>;
  snappedPoints(filters: Filters, db?: Queryable): Promise<SnappedPoints>;
  studyBounds(db?: Queryable): Promise<StudyBounds | null>;
  /** Which of the given BNG points lie inside the study area. */
  insideStudyArea(x: number[], y: number[], db?: Queryable): Promise<boolean[]>;
  /** BNG points as WGS84 [lon, lat]. */
  toWgs84(points: [number, number][], db?: Queryable): Promise<[number, number][]>;
  /** Builds the study grid of a cell size now (kept until the data changes), so that the first Gi* or emerging hot spots at that size does not wait for it. */
  prepareGrid(size: number, db?: Queryable): Promise<void>;
  /** The cell sizes whose study grid is kept now. */
  preparedGridSizes(): number[];
  /** This repository with its incident counts (grids, snapped points) asked of `counter` first. */
  counting(counter: HotspotCounter): HotspotDataRepository;
}

export function hotspotDataRepository(pool: Queryable): HotspotDataRepository {
  // What depends on the study area only (its grid per cell size, its bounds, its area),
  // kept while data_version (raised by any change to the areas, among others; migration
  // 0004) is unchanged: the study area is a union of the areas' outlines, too costly to
  // work out per request.
  const kept = new Map<string, Promise<unknown>>();
  let keptVersion: number | null = null;
  async function keep<T>(key: string, db: Queryable, make: () => Promise<T>): Promise<T> {
    const version = await readDataVersion(db);
    if (version !== keptVersion) {
      kept.clear();
      keptVersion = version;
    }
    let value = kept.get(key) as Promise<T> | undefined;
    if (!value) {
      value = make();
      value.catch(() => kept.delete(key));
      if (kept.size >= 16) kept.delete(kept.keys().next().value!);
      kept.set(key, value);
    }
    return value;
  }
  const GRID = 'grid ';
  const studyGrid = (size: number, db: Queryable) =>
    keep(`${GRID}${size}`, db, async () => (await db.query<StudyCell>(STUDY_GRID_SQL, [size])).rows);
  // The same grid in shared memory, with each cell's index by "i:j".
  const packedGrid = (size: number, db: Queryable) => keep(`packed ${size}`, db, async () => {
    const cells = await studyGrid(size, db);
    return { grid: packStudyGrid(size, cells), index: new Map(cells.map((cell, k) => [`${cell.i}:${cell.j}`, k])) };
  });

  // Counts from PostgreSQL, for a counter that gave none.
  async function binned(size: number, filters: Filters, boundaries: string[] | null, db: Queryable): Promise<BinnedRow[]> {
    const params = new SqlParams();
    if (!boundaries) {
      const where = incidentConditions(filters, params);
      return (await db.query<BinnedRow>(BINNED_SQL(BINNED_POINTS_SQL(where, null), params.add(size)), params.values)).rows;
    }
    const where = incidentConditions({ ...filters, from: boundaries[0], to: undefined }, params);
    const end = params.add(boundaries[boundaries.length - 1]);
    const points = BINNED_POINTS_SQL(`${where} AND i.local_date < ${end}::date`, params.add(boundaries));
    return (await db.query<BinnedRow>(BINNED_SQL(points, params.add(size)), params.values)).rows;
  }
  async function snappedPoints(filters: Filters, db: Queryable): Promise<SnappedPoints> {
    const params = new SqlParams();
    const { rows } = await db.query<{ x: number; y: number; count: number; harm: number }>(
      SNAPPED_POINTS_SQL(incidentConditions(filters, params)), params.values);
    return { x: rows.map((r) => r.x), y: rows.map((r) => r.y), count: rows.map((r) => r.count), harm: rows.map((r) => r.harm) };
  }

  const repository = (counter: HotspotCounter | null): HotspotDataRepository => ({
    async gridCounts(size, filters, db = pool) {
      const [{ grid, index }, rows] = await Promise.all([
        packedGrid(size, db),
        (async () => await counter?.binned(size, filters, null) ?? binned(size, filters, null, db))(),
      ]);
      const count = new Float64Array(grid.n);
      const harm = new Float64Array(grid.n);
      // Rows in hexagons that are not the study area's were counted outside it.
      const outside = { count: 0, harm: 0 };
      for (const row of rows) {
        const k = index.get(`${row.i}:${row.j}`);
        if (k === undefined) {
          outside.count += row.count;
          outside.harm += row.harm;
        } else {
          count[k] = count[k]! + row.count;
          harm[k] = harm[k]! + row.harm;
        }
      }
      return { grid, count, harm, outside };
    },
    async grid(size, filters, db = pool) {
      const { grid, count, harm, outside } = await repository(counter).gridCounts(size, filters, db);
      const cells = Array.from({ length: grid.n }, (_, k) => ({
        i: grid.i[k]!, j: grid.j[k]!, x: grid.x[k]!, y: grid.y[k]!, geometry: outlineOf(grid, k), count: count[k]!, harm: harm[k]!,
      }));
      return { cells, outside };
    },
    async slicedGrid(size, filters, boundaries, db = pool) {
      const [cells, rows] = await Promise.all([
        studyGrid(size, db),
        (async () => await counter?.binned(size, filters, boundaries) ?? binned(size, filters, boundaries, db))(),
      ]);
      const byCell = new Map<string, BinnedRow[]>();
      for (const row of rows) {
        const key = `${row.i}:${row.j}`;
        const list = byCell.get(key);
        if (list) list.push(row);
        else byCell.set(key, [row]);
      }
      // One row per cell and slice with incidents; one row with no slice for an empty cell.
      const counted = cells.flatMap((cell) => {
        const key = `${cell.i}:${cell.j}`;
        const rows = byCell.get(key);
        byCell.delete(key);
        if (!rows) return [{ ...cell, slice: null, count: 0, harm: 0 }];
        return rows.map((row) => ({ ...cell, slice: row.slice, count: row.count, harm: row.harm }));
      });
      const outside = new Array<number>(boundaries.length - 1).fill(0);
      for (const list of byCell.values()) for (const row of list) outside[row.slice!] = (outside[row.slice!] ?? 0) + row.count;
      return { rows: counted, outside };
    },
    studyAreaSquareMetres: (db = pool) => keep('area', db, async () => {
      const { rows } = await db.query<{ area: number | null }>(STUDY_AREA_M2_SQL);
      return rows[0]?.area ?? 0;
    }),
    async nearestNeighbourDistances(filters, db = pool) {
      const params = new SqlParams();
      const whereI = incidentConditions(filters, params, 'i');
      const whereJ = incidentConditions(filters, params, 'j');
      const { rows } = await db.query<{ mean: number | null; median: number | null; n: number }>(
        NEAREST_NEIGHBOUR_SQL(whereI, whereJ), params.values);
      return rows[0] ?? { mean: null, median: null, n: 0 };
    },
    async snappedPoints(filters, db = pool) {
      return await counter?.snappedPoints(filters) ?? snappedPoints(filters, db);
    },
    studyBounds: (db = pool) => keep('bounds', db, async () => {
      const { rows } = await db.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(STUDY_BOUNDS_SQL);
      const row = rows[0];
      return row && row.xmin !== null ? { xmin: row.xmin, ymin: row.ymin, xmax: row.xmax, ymax: row.ymax } : null;
    }),
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
    async prepareGrid(size, db = pool) {
      await studyGrid(size, db);
    },
    preparedGridSizes: () => [...kept.keys()].filter((key) => key.startsWith(GRID)).map((key) => Number(key.slice(GRID.length))),
    counting: (another) => repository(another),
  });
  return repository(null);
}

export default fp(
  async (app) => {
    app.decorate('hotspotData', hotspotDataRepository(app.db));
  },
  { name: 'hotspot-data-repository', dependencies: ['database'] },
);
