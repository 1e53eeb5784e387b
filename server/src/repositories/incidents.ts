// Incident reads: vector tiles and hour x weekday profiles. Owns its SQL.
import type { Filters, HourWeekdayProfile } from '@lantern/shared';
import { POINT_ZOOM } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';
import { CONDITION_COLUMNS } from '../counting/conditions.js';
import { BUFFER, drawHexagonTile, EXTENT, hexagonCentre, tileEnvelope, WORLD_WIDTH, type DrawnTile, type TileAddress } from '../tiles/hexagons.js';
import type { IncidentCounter } from '../counting/counter.js';

declare module 'fastify' {
  interface FastifyInstance {
    incidents: IncidentsRepository;
  }
}

/** Hexagons per tile width when aggregating: about 10 screen pixels across on a 512 px tile. */
const HEXAGONS_PER_TILE = 48;

/** Edge length, in EPSG:3857 units, of the aggregation hexagons at zoom z. */
export function hexagonSize(z: number): number {
  return WORLD_WIDTH / 2 ** z / HEXAGONS_PER_TILE;
}

// Points: one feature per incident. The query envelope is the tile grown by the
// buffer (64/4096 of a tile) so points on the edge are drawn in both tiles; the clip
// envelope given to ST_AsMVTGeom is the exact tile. Which incidents a tile draws is a
// counting question (counting/counter.ts tileIncidents: the column copy's, or
// TILE_INCIDENTS_SQL's); PostgreSQL then draws them by id. A point tile is drawn only
// when the hexagon counts bound its incidents by the feature cap, so no cut is made.
//
// PostgreSQL's own answer finds the tile's incidents by the spatial index alone (the
// subquery "near", kept apart by OFFSET 0), then filters them. Incidents are stored in
// space order (imports and the demo write them so), so one tile's rows share few pages,
// which the planner cannot know: left to itself it ANDs the spatial bitmap with another
// index's, which costs more than the tile.
// The index's && compares boxes rounded out to single precision (a point a centimetre
// outside passes), so the envelope is tested again exactly, as the column copy tests it.
export const TILE_INCIDENTS_SQL = (where: string, z: string, x: string, y: string, limit: string) => `
WITH bounds AS (SELECT ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${BUFFER / EXTENT}) AS query)
SELECT i.id
  FROM (SELECT ${CONDITION_COLUMNS.map((column) => `i.${column}`).join(', ')}, ST_X(i.geom_3857) AS x, ST_Y(i.geom_3857) AS y
          FROM incidents i, bounds
         WHERE i.geom_3857 && bounds.query
        OFFSET 0) i, bounds
 WHERE i.x BETWEEN ST_XMin(bounds.query) AND ST_XMax(bounds.query)
   AND i.y BETWEEN ST_YMin(bounds.query) AND ST_YMax(bounds.query)
   AND ${where}
 LIMIT ${limit}`;

const POINT_TILE_SQL = (ids: string, z: string, x: string, y: string, personLevel: boolean) => `
SELECT ST_AsMVT(tile, 'incidents', ${EXTENT}, 'geom', 'id') AS mvt, count(*)::int AS features
FROM (
  SELECT i.id,
         ST_AsMVTGeom(i.geom_3857, ST_TileEnvelope(${z}, ${x}, ${y}), ${EXTENT}, ${BUFFER}, true) AS geom,
         i.category,
         to_char(i.local_date, 'YYYY-MM-DD') AS date,
         i.local_hour AS hour,
         i.original_outcome AS outcome,
${personLevel ? '         i.age_band AS "ageBand",\n' : ''}         i.harm_weight AS harm,
         1 AS count
    FROM incidents i
   WHERE i.id = ANY(${ids}::bigint[])
) tile`;

// Hexagons: the grid of ST_HexagonGrid / ST_Hexagon anchored at the projection's
// origin (tiles/hexagons.ts), so a hexagon is the same in every tile of a zoom and its
// count (of all incidents inside it, not only those inside the tile) agrees across tile
// edges. The counts come from the database (or the column copy); the tiles are drawn
// from them in Node (tiles/hexagons.ts).
//
// At zooms 10-13 (HEXAGON_KEY_ZOOMS) each incident's hexagon is stored with it
// (incidents.hexagons, migration 0010). One GROUP BY over the district, by the four keys
// together, gives the counts of all four zooms under one filter (summed per zoom in
// Node) for little more than one zoom's scan, made once and drawn into every tile of
// those zooms.
/** A hexagon key (lantern_hexagon_key, migration 0014) as its column i and row j: i = key >> 32, j = (key & (2^32 - 1)) - 2^31. */
export const HEXAGON_KEY_IJ = (key: string) => `(${key} >> 32)::int, ((${key} & 4294967295) - 2147483648)::int`;

export const HEXAGON_COUNTS_SQL = (where: string) => `
SELECT ${[1, 2, 3, 4].map((k) => HEXAGON_KEY_IJ(`k${k}`)).join(', ')},
       n, harm
  FROM (SELECT i.hexagons[1] AS k1, i.hexagons[2] AS k2, i.hexagons[3] AS k3, i.hexagons[4] AS k4,
               count(*)::int AS n, sum(i.harm_weight::float8) AS harm
          FROM incidents i
         WHERE ${where}
         GROUP BY 1, 2, 3, 4) keyed`;

// Below zoom 10 (a tile or two covers the district) each point is binned in the query by
// lantern_hexagon_key (migration 0014: the arithmetic the stored keys of zooms 10-13 use,
// inlined by PostgreSQL). Points are read from the tile grown by two hexagon radii (a
// hexagon touching it reaches that far). The envelope is written out, not read from
// "bounds", so the planner sees it and picks a sequential scan for a tile holding much of
// the table.
const HEXAGON_BIN_SQL = (where: string, z: string, x: string, y: string, size: string) => `
SELECT ${HEXAGON_KEY_IJ('b.key')}, count(*)::int AS episodes, sum(b.harm_weight)::float8 AS harm
  FROM (SELECT lantern_hexagon_key(ST_X(i.geom_3857), ST_Y(i.geom_3857), ${size}::float8) AS key, i.harm_weight
          FROM incidents i
         WHERE i.geom_3857 && ST_Expand(ST_TileEnvelope(${z}, ${x}, ${y}, margin => ${BUFFER / EXTENT}), 2 * ${size}::float8)
           AND ${where}) b
 GROUP BY b.key`;

/**
 * The distinct people among the rows (`when`: among those rows only). `once` is an
 * expression true on a row whose person has no other incident in the data (the column
 * copy's person_once): those are counted without a DISTINCT, which then sorts only the
 * people seen more than once (a fifth of the rows in the demo data). 'false' where the
 * column is not held (PostgreSQL): a plain DISTINCT.
 */
export function countPeople(key: string, once: string, when?: string): string {
  const filter = (condition: string) => ` FILTER (WHERE ${when ? `(${when}) AND ` : ''}${condition})`;
  if (once === 'false') return `count(DISTINCT ${key})${when ? ` FILTER (WHERE ${when})` : ''}`;
  return `(count(DISTINCT ${key})${filter(`NOT (${once})`)} + count(${key})${filter(once)})`;
}

// The 7 x 24 cells and the totals in one pass (two grouping sets): the totals also count
// incidents whose hour is unknown, which have no cell (their cell row is left out in
// Node): one read of the table instead of two. The column copy returns the same rows from
// its own statement (counting/duckdb/copy.ts PROFILE_SQL).
export const PROFILE_SQL = (where: string) => `
SELECT i.local_weekday AS weekday, i.local_hour AS hour,
       grouping(i.local_weekday, i.local_hour) = 3 AS total,
       count(*)::int AS episodes, count(DISTINCT i.person_key)::int AS people,
       count(*) FILTER (WHERE i.local_hour IS NULL)::int AS "timeUnknown"
  FROM incidents i
 WHERE ${where}
 GROUP BY GROUPING SETS ((i.local_weekday, i.local_hour), ())`;

// Incident points for export: coordinates rounded to 5 decimals (about 1 m), local
// date and hour, category and source; person-level attributes only when asked for.
// person_ref is never exported.
const EXPORT_SQL = (where: string, limit: string, personLevel: boolean) => `
SELECT i.id, i.category, i.source, to_char(i.local_date, 'YYYY-MM-DD') AS date, i.local_hour AS hour,
       i.time_precision AS "timePrecision",
       round(ST_X(i.geom)::numeric, 5)::float8 AS lon, round(ST_Y(i.geom)::numeric, 5)::float8 AS lat,
       l.name AS "nearestPlace", i.harm_weight AS harm, i.outcome, i.original_outcome AS "outcomeWords"
       ${personLevel ? ', i.age_band AS "ageBand", i.gender, i.ethnicity, i.role' : ''}
  FROM incidents i
  LEFT JOIN locations_of_concern l ON l.id = i.nearest_location_id
 WHERE ${where}
 ORDER BY i.local_date, i.id
 LIMIT ${limit}`;

export type ExportRow = Record<string, string | number | null>;

// Incidents as points with their day number, for the Knox test: only those whose day is
// known (a month-only record has no weekday either); how many matched without one beside.
// One statement for both engines (the column copy holds the same columns).
export const POINTS_SQL = (where: string, limit: string) => `
SELECT bng_x AS x, bng_y AS y, CAST(local_date - DATE '1970-01-01' AS INTEGER) AS day
  FROM incidents i
 WHERE ${where} AND local_weekday IS NOT NULL
 ORDER BY id
 LIMIT ${limit}`;
export const MONTHS_ONLY_SQL = (where: string) => `SELECT CAST(count(*) AS INTEGER) AS n FROM incidents i WHERE ${where} AND local_weekday IS NULL`;

export type TileResult = DrawnTile;

/** The zooms whose hexagon each incident stores (incidents.hexagons[1..4], migration 0010). */
export const HEXAGON_KEY_ZOOMS = { min: 10, max: 13 } as const;
if (HEXAGON_KEY_ZOOMS.max !== POINT_ZOOM - 1) throw new Error('hexagon keys must reach the point zoom');

/** Incidents per hexagon of one zoom under one filter, over the whole district. */
export interface HexagonCounts {
  i: Int32Array;
  j: Int32Array;
  episodes: Int32Array;
  harm: Float64Array;
}

/** The counts of each zoom of HEXAGON_KEY_ZOOMS under one filter; a zoom's are summed when first asked for. */
export interface HexagonCountsByZoom {
  at(zoom: number): HexagonCounts;
}

/** Whether a tile of zoom z is drawn from the hexagon counts under its filter (which the caller then gives). */
const drawnFromHexagonCounts = (z: number) => z >= HEXAGON_KEY_ZOOMS.min;

/**
 * How a tile from the point zoom is drawn: empty when the finest stored hexagons under
 * the filter hold no incident near it (most of the district's tiles are fields and
 * woods, answered without reading the table), as those hexagons when they hold more than
 * the feature cap (points would cover the tile and a cut would hide some; the hexagons
 * keep the density true), else point by point. The hexagons meeting the tile's query
 * envelope hold every incident inside it, so their sum bounds the tile's incidents.
 */
export function pointTileDrawing(z: number, x: number, y: number, counts: HexagonCountsByZoom, featureCap: number):
  { drawing: 'empty' | 'hexagons' | 'points'; near: [number[], number[], number[], number[]] } {
  const finest = HEXAGON_KEY_ZOOMS.max;
  const near = hexagonsForTile(z, x, y, counts.at(finest), finest);
  const bound = near[2].reduce((sum, n) => sum + n, 0);
  return { drawing: bound === 0 ? 'empty' : bound > featureCap ? 'hexagons' : 'points', near };
}

/** How tile z/x/y is drawn from the point zoom under the filter whose counts these are (pointTileDrawing); null below it. */
export const planPointTile = (z: number, x: number, y: number, counts: HexagonCountsByZoom | null, featureCap: number) =>
  (counts !== null && z >= POINT_ZOOM ? pointTileDrawing(z, x, y, counts, featureCap) : null);

/** A point-zoom tile's plan with the incidents it draws (counting/counter.ts tileIncidents) where it draws points. */
export type PointTile = ReturnType<typeof pointTileDrawing> & { ids: number[] | null };

/** What a tile is drawn from, asked of an engine: the route asks through the results cache, the bench PostgreSQL itself. */
export type TileQuestions = Pick<IncidentCounter, 'hexagonCounts' | 'tileIncidents'>;

/**
 * Tile z/x/y under the filters as the route serves it: the hexagon counts where the tile
 * is drawn from them, from the point zoom its plan and, where it draws points, their ids.
 */
export async function drawIncidentTile(repository: IncidentsRepository, questions: TileQuestions, { z, x, y }: TileAddress,
  filters: Filters, featureCap: number, personLevel: boolean): Promise<TileResult> {
  const counts = drawnFromHexagonCounts(z) ? await questions.hexagonCounts(filters) : null;
  const plan = planPointTile(z, x, y, counts, featureCap);
  return repository.tile(z, x, y, filters, featureCap, personLevel, counts,
    plan && { ...plan, ids: plan.drawing === 'points' ? await questions.tileIncidents(filters, { z, x, y }, featureCap) : null });
}

export interface IncidentsRepository {
  /**
   * `hexagonCounts`: the counts under `filters` (counting/counter.ts), needed where
   * drawnFromHexagonCounts(z); `pointTile`: from the point zoom, its plan (planPointTile)
   * with the incidents it draws where it draws points. drawIncidentTile gives both.
   */
  tile(z: number, x: number, y: number, filters: Filters, featureCap: number, personLevel: boolean,
    hexagonCounts: HexagonCountsByZoom | null, pointTile?: PointTile | null, db?: Queryable): Promise<TileResult>;
  exportPoints(filters: Filters, limit: number, personLevel: boolean, db?: Queryable): Promise<ExportRow[]>;
}

export interface NearPlace {
  locationId: number;
  radius: number;
}

/**
 * The hexagons of `hexagonZoom`'s grid (the tile's own zoom unless given) whose bounding
 * box meets the tile grown by its buffer (the same test as the SQL's &&, which is applied
 * again there), as arrays for unnest(). Every incident inside the grown tile lies in one
 * of them, so their counts bound the tile's incidents from above.
 */
export function hexagonsForTile(z: number, x: number, y: number, counts: HexagonCounts, hexagonZoom = z): [number[], number[], number[], number[]] {
  const size = hexagonSize(hexagonZoom);
  const halfHeight = (Math.sqrt(3) / 2) * size;
  const slack = size * 1e-6;
  const [minX, minY, maxX, maxY] = tileEnvelope({ z, x, y });
  const [west, east] = [minX - size - slack, maxX + size + slack];
  const [south, north] = [minY - halfHeight - slack, maxY + halfHeight + slack];
  const chosen: [number[], number[], number[], number[]] = [[], [], [], []];
  for (let k = 0; k < counts.i.length; k += 1) {
    const i = counts.i[k]!;
    const [cx, cy] = hexagonCentre(size, i, counts.j[k]!);
    if (cx < west || cx > east || cy < south || cy > north) continue;
    chosen[0].push(i);
    chosen[1].push(counts.j[k]!);
    chosen[2].push(counts.episodes[k]!);
    chosen[3].push(counts.harm[k]!);
  }
  return chosen;
}

/** Each zoom's hexagons among a list of sets of four, ordered by (i, j), and each set's place among them. */
export type HexagonSetIndex = ReadonlyMap<number, { i: Int32Array; j: Int32Array; ofSet: Int32Array }>;

/**
 * The index of sets given as rows of (i, j) for zooms 10, 11, 12 and 13 (more columns
 * after them are ignored). Built once per copy of the data (the column copy's sets) or
 * per answer (PostgreSQL's rows), so that counting is then array arithmetic.
 */
export function hexagonSetIndex(sets: readonly (readonly number[])[]): HexagonSetIndex {
  const index = new Map<number, { i: Int32Array; j: Int32Array; ofSet: Int32Array }>();
  for (let zoom = HEXAGON_KEY_ZOOMS.min; zoom <= HEXAGON_KEY_ZOOMS.max; zoom += 1) {
    const column = 2 * (zoom - HEXAGON_KEY_ZOOMS.min);
    // |i|, |j| < 2^18 at zoom 13, so the key is exact and orders by i, then j.
    const keyOf = (set: readonly number[]) => set[column]! * 2 ** 20 + set[column + 1]!;
    const keys = Float64Array.from(new Set(sets.map(keyOf))).sort();
    const at = new Map<number, number>();
    keys.forEach((key, k) => at.set(key, k));
    const i = new Int32Array(keys.length);
    const j = new Int32Array(keys.length);
    for (const set of sets) {
      const k = at.get(keyOf(set))!;
      i[k] = set[column]!;
      j[k] = set[column + 1]!;
    }
    index.set(zoom, { i, j, ofSet: Int32Array.from(sets, (set) => at.get(keyOf(set))!) });
  }
  return index;
}

/**
 * The counts of each zoom from counts per set (`sets[k]` the set's place in the index,
 * with its episodes and harm): the hexagons counted, in (i, j) order, whichever engine
 * counted and in whatever order it answered. A zoom is summed when a tile first needs it
 * (a filter nobody asked before is often drawn at one zoom only), then kept.
 */
export function hexagonCountsOfSets(index: HexagonSetIndex, sets: ArrayLike<number>, episodes: ArrayLike<number>,
  harm: ArrayLike<number>): HexagonCountsByZoom {
  const summed = new Map<number, HexagonCounts>();
  const sum = (zoom: number): HexagonCounts => {
    const hexagons = index.get(zoom);
    if (!hexagons) throw new Error(`no hexagon counts at zoom ${zoom}`);
    const n = new Int32Array(hexagons.i.length);
    const h = new Float64Array(hexagons.i.length);
    for (let k = 0; k < sets.length; k += 1) {
      const at = hexagons.ofSet[sets[k]!]!;
      n[at] = n[at]! + episodes[k]!;
      h[at] = h[at]! + harm[k]!;
    }
    let kept = 0;
    for (let k = 0; k < n.length; k += 1) if (n[k]! > 0) kept += 1;
    const counts: HexagonCounts = { i: new Int32Array(kept), j: new Int32Array(kept), episodes: new Int32Array(kept), harm: new Float64Array(kept) };
    for (let k = 0, at = 0; k < n.length; k += 1) {
      if (n[k] === 0) continue;
      counts.i[at] = hexagons.i[k]!;
      counts.j[at] = hexagons.j[k]!;
      counts.episodes[at] = n[k]!;
      counts.harm[at] = h[k]!;
      at += 1;
    }
    return counts;
  };
  return {
    at(zoom) {
      let counts = summed.get(zoom);
      if (!counts) summed.set(zoom, counts = sum(zoom));
      return counts;
    },
  };
}

/** Every zoom's counts, summed now (to compare two engines' answers). */
export const everyZoom = (counts: HexagonCountsByZoom): Map<number, HexagonCounts> => new Map(
  Array.from({ length: HEXAGON_KEY_ZOOMS.max - HEXAGON_KEY_ZOOMS.min + 1 }, (_, k) => HEXAGON_KEY_ZOOMS.min + k).map((zoom) => [zoom, counts.at(zoom)]));

/** The counts of each zoom from rows of (i, j) for zooms 10-13, then episodes and harm, one row per distinct set (HEXAGON_COUNTS_SQL). */
export function hexagonCountsFromRows(rows: readonly (readonly number[])[]): HexagonCountsByZoom {
  return hexagonCountsOfSets(hexagonSetIndex(rows), Int32Array.from(rows, (_, k) => k),
    Int32Array.from(rows, (row) => row[8]!), Float64Array.from(rows, (row) => row[9]!));
}

/** The profile from rows of the 7 x 24 cells and the totals (PROFILE_SQL's grouping sets). */
export function profileFromRows(rows: readonly ProfileRow[]): HourWeekdayProfile {
  const episodes = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const people = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  let total: HourWeekdayProfile['totals'] = { episodes: 0, people: 0, timeUnknown: 0 };
  for (const row of rows) {
    if (row.total) total = { episodes: row.episodes, people: row.people, timeUnknown: row.timeUnknown };
    else if (row.weekday !== null && row.hour !== null) {
      episodes[row.weekday - 1]![row.hour] = row.episodes;
      people[row.weekday - 1]![row.hour] = row.people;
    }
  }
  return { episodes, people, totals: total };
}

export type ProfileRow = { weekday: number | null; hour: number | null; total: boolean } & HourWeekdayProfile['totals'];

export function incidentsRepository(pool: Queryable): IncidentsRepository {
  return {
    async tile(z, x, y, filters, featureCap, personLevel, hexagonCounts, pointTile, db = pool) {
      const countsAt = (zoom: number) => {
        if (!hexagonCounts) throw new Error(`a tile of zoom ${z} is drawn from the hexagon counts`);
        return hexagonCounts.at(zoom);
      };
      if (z >= POINT_ZOOM) {
        if (!pointTile) throw new Error(`tile ${z}/${x}/${y} is drawn from its plan (planPointTile)`);
        const { drawing, near: [i, j, episodes, harm], ids: pointIds } = pointTile;
        if (drawing === 'empty') return { mvt: Buffer.alloc(0), features: 0 };
        if (drawing === 'hexagons') return drawHexagonTile(z, x, y, hexagonSize(HEXAGON_KEY_ZOOMS.max), { i, j, episodes, harm }, featureCap);
        if (!pointIds) throw new Error(`tile ${z}/${x}/${y} is drawn from its incidents' ids`);
        if (pointIds.length === 0) return { mvt: Buffer.alloc(0), features: 0 };
        const params = new SqlParams();
        const sql = POINT_TILE_SQL(params.add(pointIds), params.add(z), params.add(x), params.add(y), personLevel);
        const { rows } = await db.query<{ mvt: Buffer; features: number }>(sql, params.values);
        return { mvt: rows[0]?.mvt ?? Buffer.alloc(0), features: rows[0]?.features ?? 0 };
      }
      if (z >= HEXAGON_KEY_ZOOMS.min) return drawHexagonTile(z, x, y, hexagonSize(z), countsAt(z), featureCap);
      const params = new SqlParams();
      const size = hexagonSize(z);
      const sql = HEXAGON_BIN_SQL(incidentConditions(filters, params), params.add(z), params.add(x), params.add(y), params.add(size));
      const { rows } = await db.query<number[]>({ text: sql, values: params.values, rowMode: 'array' });
      return drawHexagonTile(z, x, y, size, {
        i: rows.map((row) => row[0]!), j: rows.map((row) => row[1]!), episodes: rows.map((row) => row[2]!), harm: rows.map((row) => row[3]!),
      }, featureCap);
    },

    async exportPoints(filters, limit, personLevel, db = pool) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const { rows } = await db.query<ExportRow>(EXPORT_SQL(where, params.add(limit), personLevel), params.values);
      return rows;
    },

  };
}

export default fp(
  async (app) => {
    app.decorate('incidents', incidentsRepository(app.db));
  },
  { name: 'incidents-repository', dependencies: ['database'] },
);
