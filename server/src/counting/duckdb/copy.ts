// The column copy: the columns that the map's counts, the area summary and the hotspot
// engine read (date, hour, weekday, age band, gender, ethnicity, category, harm weight,
// person key, the stored hexagons of zooms 10-13, the nearest place's kind, the British
// National Grid x, y) of every incident, the areas holding it, and which incidents lie
// within the ranking's radius of each place, copied out of PostgreSQL at one
// data_version into an in-process DuckDB database (columnar, vectorised, on every core).
// PostgreSQL stays the one source: every value here was worked out by it (the hexagon
// keys, the ST_DWithin pairs, the area memberships, the projected x, y), or by the same
// SQL PostgreSQL runs (the hotspot cells, repositories/hotspots.ts); the copy only
// counts. Why: under a filter nobody has asked before, each of these questions is a pass
// over every incident, and PostgreSQL's row store reads rows far wider than the columns
// counted; a column store reads only those. Figures in bench/RESULTS.md; the reasoning in
// docs/architecture.md ("The column copy").
//
// A copy answers only for the data_version it was loaded at (plugins/column-copy.ts
// checks), so it can never give an answer PostgreSQL would not. Its tables: incidents
// (the counted columns, the four hexagons as one number into hexagon_sets, the kept
// hotspot cells and snapped point, the area of each level whose areas do not overlap),
// places_near (each place's neighbours within the radius, with the same columns, so
// the ranking and a place's profile read one table without a join), areas and
// area_members (incident_areas).
import { BIGINT, DOUBLE, DuckDBInstance, INTEGER, LIST, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { AREA_LEVELS, DEFAULT_LOCATION_RADIUS, EMERGING_CELL_SIZE, MAP_GISTAR_CELL_SIZE, type AreaLevel, type Filters, type HourWeekdayProfile } from '@lantern/shared';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { countPeople, HEXAGON_KEY_IJ, hexagonCountsOfSets, hexagonSetIndex, MONTHS_ONLY_SQL, POINTS_SQL, profileFromRows, type HexagonCountsByZoom, type HexagonSetIndex, type NearPlace, type ProfileRow } from '../../repositories/incidents.js';
import type { PlaceCounts } from '../../repositories/locations.js';
import { INCIDENT_TOTALS_SQL, incidentTotalsOf, type IncidentTotals } from '../../repositories/meta.js';
import { BINNED_SQL, HEXAGON_ROWS_SQL, PER_HEXAGON_SQL, SNAPPED_POINTS_SQL, type BinnedRow, type SnappedPoints } from '../../repositories/hotspots.js';
import { EPISODES_SQL, PEOPLE_CTES, PEOPLE_SQL, PREVIOUS_SQL, TREND_SQL, type AreaCountRows, type AreaCountsQuestion, type CurrentRow, type PeopleRow, type PreviousRow, type TrendRow } from '../../repositories/summaries.js';
import { columnConditions, duckConditions, DuckParams, ENUM_TYPE, VOCABULARIES, type VocabularyColumn } from './conditions.js';
import { NOT_JUDGED_SQL, notJudgedOf, notJudgedQuestions, splitShared, type NotJudgedCounts } from '../conditions.js';
import type { IncidentPoints, PartialCounter } from '../counter.js';
import { PEOPLE_FLOW_SQL, STEPS, type PeopleFlowQuestion, type PeopleFlowRow } from '../../repositories/people.js';
import { incidentsAtPlaces } from '../../sql/places.js';
import { tileEnvelope, type TileAddress } from '../../tiles/hexagons.js';

/** The hexagon zooms' (i, j) columns, in the order of HEXAGON_COUNTS_SQL. */
const HEXAGON_COLUMNS = [10, 11, 12, 13].flatMap((zoom) => [`i${zoom}`, `j${zoom}`]);

// The ENUM types of the vocabulary columns (conditions.ts VOCABULARIES).
const ENUM_TYPES = Object.entries(VOCABULARIES).map(([column, values]) =>
  `CREATE TYPE ${ENUM_TYPE(column as VocabularyColumn)} AS ENUM (${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(', ')})`);

/** What is copied of each incident, as DuckDB types, in the order of INCIDENTS_COPY. */
const INCIDENT_COLUMNS: Record<string, string> = {
  id: 'BIGINT', local_date: 'DATE', local_hour: 'SMALLINT', local_weekday: 'SMALLINT', age_band: ENUM_TYPE('age_band'),
  gender: ENUM_TYPE('gender'), ethnicity: ENUM_TYPE('ethnicity'), category: ENUM_TYPE('category'), harm_weight: 'FLOAT', person_key: 'BIGINT', record_key: 'SMALLINT',
  source: ENUM_TYPE('source'), role: ENUM_TYPE('role'), outcome: ENUM_TYPE('outcome'), is_demo: 'BOOLEAN', in_district: 'BOOLEAN',
  bng_x: 'DOUBLE', bng_y: 'DOUBLE', merc_x: 'DOUBLE', merc_y: 'DOUBLE',
  ...Object.fromEntries(HEXAGON_COLUMNS.map((column) => [column, 'INTEGER'])),
  nearest_kind: ENUM_TYPE('nearest_kind'),
};

const INCIDENTS_COPY = `COPY (
  SELECT i.id, i.local_date, i.local_hour, i.local_weekday, i.age_band, i.gender, i.ethnicity, i.category, i.harm_weight, i.person_key, i.record_key, i.source, i.role, i.outcome, i.is_demo, i.in_district,
         i.bng_x, i.bng_y, ST_X(i.geom_3857), ST_Y(i.geom_3857),
         ${[1, 2, 3, 4].map((k) => HEXAGON_KEY_IJ(`i.hexagons[${k}]`)).join(', ')},
         l.kind
    FROM incidents i
    LEFT JOIN locations_of_concern l ON l.id = i.nearest_location_id
) TO STDOUT (FORMAT csv)`;

// Each incident with the place it counts at (sql/places.ts: the nearest open place
// within the radius), as the ranking and a place's profile count, in one pass.
const PAIRS_COPY = (radius: number) => `COPY (
  SELECT place_id, id FROM (${incidentsAtPlaces('i.id', 'true', radius, String(Number(radius)))}) pairs
) TO STDOUT (FORMAT csv)`;

const PAIRS_COLUMNS = { place_id: 'BIGINT', incident_id: 'BIGINT' };

// The areas holding each incident (incident_areas: point in polygon decided by
// PostgreSQL when the incident or the area was written), for the area summary.
const AREAS_COPY = 'COPY (SELECT id, level, code FROM areas) TO STDOUT (FORMAT csv)';
const AREAS_COLUMNS = { id: 'BIGINT', level: 'VARCHAR', code: 'VARCHAR' };
const AREA_MEMBERS_COPY = 'COPY (SELECT incident_id, area_id FROM incident_areas) TO STDOUT (FORMAT csv)';
const AREA_MEMBERS_COLUMNS = { incident_id: 'BIGINT', area_id: 'BIGINT' };

// The hexagon sides (m) whose cell each incident keeps (cell_<size>_i, _j: placed by
// repositories/hotspots.ts HEXAGON_ROWS_SQL, as PostgreSQL places them), so that the
// app's own hotspot grids (the map's Gi*, emerging hot spots by default) are one
// GROUP BY instead of the placing arithmetic over every incident: ten times faster at
// 10M. Other sizes are placed when asked.
const KEPT_CELL_SIZES = [MAP_GISTAR_CELL_SIZE, EMERGING_CELL_SIZE];
const CELL_COLUMNS = (size: number) => [`cell_${Math.round(size)}_i`, `cell_${Math.round(size)}_j`] as const;

/** The rows of `source` with each one's cell of the given size. */
const WITH_CELL = (source: string, size: number) => {
  const [i, j] = CELL_COLUMNS(size);
  return `
SELECT * EXCLUDE (x, y, c0, r0, r1, d0, d1, i, j), i AS ${i}, j AS ${j}
  FROM (${HEXAGON_ROWS_SQL(`SELECT *, bng_x AS x, bng_y AS y FROM (${source}) source`, String(size))})`;
};

// After loading, each incident's four hexagons are one number: the index of its set of
// four in hexagon_sets, numbered in the order of the keys (as PostgreSQL's
// HEXAGON_COUNTS_SQL orders its rows), so one small integer is grouped instead of eight.
const HEXAGON_SETS = `
CREATE TABLE hexagon_sets AS
SELECT (row_number() OVER (ORDER BY ${HEXAGON_COLUMNS.join(', ')}) - 1)::INTEGER AS hexagons, *
  FROM (SELECT DISTINCT ${HEXAGON_COLUMNS.join(', ')} FROM loaded)`;

// With each incident's kept cells, and its point snapped for kernel density
// (repositories/hotspots.ts SNAPPED_POINTS_SQL: rint(x / 10), as a whole number of 10 m).
// person_once: the incident's person has no other incident (the area summary, the profile
// and the ranking count such people without a DISTINCT: repositories/incidents.ts countPeople).
// person_no: the people with more than one incident numbered 1, 2, ... (NULL for the
// rest), so the profile counts them with a bitstring per cell (PROFILE_SQL below).
// In date order (and places_near too), so that a question's dates, which nearly every
// question has, pass over whole blocks of rows by their least and greatest date alone.
const COUNTED = `
CREATE TABLE incidents AS
SELECT l.* EXCLUDE (${HEXAGON_COLUMNS.join(', ')}), s.hexagons,
       round_even(l.bng_x / 10, 0)::INTEGER AS snapped_x, round_even(l.bng_y / 10, 0)::INTEGER AS snapped_y,
       coalesce(p.once, false) AS person_once, p.person_no
  FROM (${KEPT_CELL_SIZES.reduce(WITH_CELL, 'SELECT * FROM loaded')}) l
  JOIN hexagon_sets s ON ${HEXAGON_COLUMNS.map((column) => `l.${column} IS NOT DISTINCT FROM s.${column}`).join(' AND ')}
  LEFT JOIN (SELECT person_key, once, CASE WHEN NOT once THEN row_number() OVER (PARTITION BY once ORDER BY person_key) END::INTEGER AS person_no
               FROM (SELECT person_key, count(*) = 1 AS once FROM loaded WHERE person_key IS NOT NULL GROUP BY person_key)) p
    ON p.person_key = l.person_key
 ORDER BY l.local_date`;

// Each place's neighbours with the columns counted, so the ranking reads one table.
const PLACES_NEAR = `
CREATE TABLE places_near AS
SELECT p.place_id, i.* EXCLUDE (hexagons, bng_x, bng_y, merc_x, merc_y, snapped_x, snapped_y, ${KEPT_CELL_SIZES.flatMap(CELL_COLUMNS).join(', ')})
  FROM pairs p
  JOIN incidents i ON i.id = p.incident_id
 ORDER BY i.local_date`;

// The hour x weekday profile (repositories/incidents.ts PROFILE_SQL's rows): people seen
// once counted as rows, the rest as the bits set in a bitstring of their numbers, per
// cell and ORed for the totals: an array of bits per cell where count(DISTINCT) over
// grouping sets kept a hash table of (cell, person). A bitstring is repeated / 8 bytes.
const PROFILE_SQL = (where: string, table: string, repeated: number) => `
WITH cells AS MATERIALIZED (
  SELECT i.local_weekday AS weekday, i.local_hour AS hour, count(*) AS episodes,
         count(i.person_key) FILTER (WHERE i.person_once) AS once,
         ${repeated > 0 ? `bitstring_agg(i.person_no, 1, ${Math.trunc(repeated)})` : 'NULL::BIT'} AS repeated,
         count(*) FILTER (WHERE i.local_hour IS NULL) AS time_unknown
    FROM ${table} i
   WHERE ${where}
   GROUP BY ALL)
SELECT weekday, hour, false AS total, episodes::INTEGER AS episodes,
       (once + coalesce(bit_count(repeated), 0))::INTEGER AS people, time_unknown::INTEGER AS "timeUnknown"
  FROM cells
 UNION ALL
SELECT NULL, NULL, true, coalesce(sum(episodes), 0)::INTEGER, (coalesce(sum(once), 0) + coalesce(bit_count(bit_or(repeated)), 0))::INTEGER,
       coalesce(sum(time_unknown), 0)::INTEGER
  FROM cells`;

const HEXAGON_COUNTS = (where: string) => `
SELECT hexagons, count(*)::INTEGER AS n, sum(harm_weight::DOUBLE) AS harm
  FROM incidents
 WHERE ${where}
 GROUP BY hexagons`;

const PLACE_COUNTS = (where: string, previousWhere: string) => `
SELECT place_id AS id,
       (count(*) FILTER (WHERE current))::INTEGER AS episodes,
       ${countPeople('person_key', 'person_once', 'current')}::INTEGER AS people,
       coalesce(sum(harm_weight::DOUBLE) FILTER (WHERE current), 0) AS harm,
       (count(*) FILTER (WHERE current AND local_hour IS NULL))::INTEGER AS time_unknown,
       (count(*) FILTER (WHERE previous))::INTEGER AS previous_episodes,
       coalesce(sum(harm_weight::DOUBLE) FILTER (WHERE previous), 0) AS previous_harm
  FROM (SELECT place_id, person_key, person_once, harm_weight, local_hour,
               coalesce(${where}, false) AS current, coalesce(${previousWhere}, false) AS previous
          FROM places_near
         WHERE (${where}) OR (${previousWhere}))
 GROUP BY place_id
 ORDER BY place_id`;

// The area summary's one join (repositories/summaries.ts JOINED_SQL), "f" of the four
// counts, which run here as PostgreSQL runs them: the rows of each incident with the
// area of the level holding it, from the incident's own column where it lies in one area
// of the level (BY_COLUMN), and from multi_members for the few that lie in several (on a
// shared edge). person_once stays true only on the first kind: a person seen once whose
// incident lies in two areas is two rows of f, so is counted through the DISTINCTs.
// "code" is the area's id here (areaCounts gives each row its area's code): the counts
// group a small integer, and no row is joined to its area. The month is a date (made
// text in the few rows of the trend's answer): formatting it took longer than the count.
const AREA_ROWS = (areaOf: string, areaId: string, once: string, where: string, inPeriod: string, inComparison: string, inTrend: string,
  trendFrom: string, young: string) => `
SELECT CAST(${areaId} AS INTEGER) AS code, i.category, i.gender, i.ethnicity, i.person_key, i.record_key, ${once} AS person_once,
       list_contains(CAST(${young} AS ${ENUM_TYPE('age_band')}[]), i.age_band) AS young, i.age_band <> 'unknown' AS aged,
       ${inPeriod} AS current, ${inComparison} AS previous,
       CASE WHEN i.local_date >= CAST(${trendFrom} AS DATE) THEN date_trunc('month', i.local_date) END AS month
  ${areaOf}
   AND ${where} AND (${inPeriod} OR ${inComparison} OR ${inTrend})`;

const BY_COLUMN = (column: string) => `FROM incidents i
 WHERE i.${column} IS NOT NULL`;

const IN_SEVERAL = (level: string) => `FROM multi_members i
 WHERE i.area_id IN (SELECT id FROM areas WHERE level = ${level})`;

// Each incident keeps, for each level, the one area of that level holding it
// (area_<level>; null where none or several do), so the summary reads it from the
// incident's row instead of joining the memberships (several rows per incident). The
// incidents in several areas of a level (a point on a shared edge: a handful) are kept in multi_members, each
// membership with the incident's columns: reaching them through the incidents scanned
// the whole table again in each of the four counts. A level without memberships gets no
// column (it would hold only nulls).
const AREA_COLUMN = (level: string) => `area_${level}`;
const LEVELS_PIVOT = `
CREATE TABLE incident_levels AS
SELECT m.incident_id,
       ${AREA_LEVELS.map((level) => `max(m.area_id) FILTER (WHERE a.level = '${level}') AS ${AREA_COLUMN(level)},
       count(*) FILTER (WHERE a.level = '${level}') AS n_${level}`).join(',\n       ')}
  FROM area_members m JOIN areas a ON a.id = m.area_id
 GROUP BY m.incident_id`;
const LEVELS_HELD = `SELECT ${AREA_LEVELS.map((level) => `coalesce(max(n_${level}) >= 1, false) AS "${level}"`).join(', ')} FROM incident_levels`;
const WITH_AREA_COLUMNS = (levels: readonly string[]) => `
CREATE TABLE with_areas AS
SELECT i.*, ${levels.map((level) => `CASE WHEN l.n_${level} = 1 THEN l.${AREA_COLUMN(level)} END AS ${AREA_COLUMN(level)}`).join(', ')}
  FROM incidents i LEFT JOIN incident_levels l ON l.incident_id = i.id`;
const MULTI_MEMBERS = `
CREATE TABLE multi_members AS
SELECT m.area_id, i.*
  FROM area_members m
  JOIN areas a ON a.id = m.area_id
  JOIN incident_levels l ON l.incident_id = m.incident_id
  JOIN incidents i ON i.id = m.incident_id
 WHERE ${AREA_LEVELS.map((level) => `(a.level = '${level}' AND l.n_${level} > 1)`).join(' OR ')}`;

// The filtered incidents for the hotspot grids (repositories/hotspots.ts BINNED_SQL's
// points, or PER_HEXAGON_SQL's rows: `place` selects x, y or a kept cell's i, j), each
// with its time slice (`slice`: an expression of the row, sliceOf's, or an ASOF join on
// `boundaries`: the last boundary at or before its date).
const GRID_ROWS = (place: string, where: string, slice: { expression: string } | { boundaries: string } | null) => {
  if (slice && 'boundaries' in slice) {
    return `
  SELECT ${place}, i.harm_weight, s.slice
    FROM incidents i
    ASOF JOIN (SELECT CAST(unnest(${slice.boundaries}) AS DATE) AS start, (generate_subscripts(${slice.boundaries}, 1) - 1)::INTEGER AS slice) s
      ON i.local_date >= s.start
   WHERE ${where}`;
  }
  return `
  SELECT ${place}, i.harm_weight, ${slice ? slice.expression : 'NULL::INTEGER'} AS slice
    FROM incidents i
   WHERE ${where}`;
};

/**
 * The slice of a row's date as arithmetic, when the boundaries are evenly spaced weeks
 * (7 days) or months (each on the same day of a month, at most the 28th, k months
 * apart): the engine's week, month and quarter slices. Seven times faster than the ASOF
 * join at 10M; null for any other boundaries (the join then).
 */
export function sliceOf(boundaries: readonly string[], params: DuckParams): string | null {
  const days = boundaries.map((date) => Date.parse(`${date}T00:00:00Z`) / 86_400_000);
  const months = boundaries.map((date) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1);
  if (days.some((day) => !Number.isInteger(day)) || boundaries.length < 2) return null;
  if (days.every((day, k) => day - days[0]! === 7 * k)) {
    return `((i.local_date - CAST(${params.add(boundaries[0]!, VARCHAR)} AS DATE)) // 7)::INTEGER`;
  }
  const step = months[1]! - months[0]!;
  const dayOfMonth = Number(boundaries[0]!.slice(8));
  if (step > 0 && dayOfMonth <= 28 && boundaries.every((date, k) => Number(date.slice(8)) === dayOfMonth && months[k]! - months[0]! === step * k)) {
    // A date before the boundaries' day belongs to the month before.
    const month = dayOfMonth === 1 ? 'month(i.local_date)'
      : `month(i.local_date) - CASE WHEN day(i.local_date) < ${params.add(dayOfMonth, INTEGER)} THEN 1 ELSE 0 END`;
    return `((year(i.local_date) * 12 + ${month} - 1 - ${params.add(months[0]!, INTEGER)}) // ${params.add(step, INTEGER)})::INTEGER`;
  }
  return null;
}

/** A counting engine (counting/counter.ts) over a copy of one data version; declines what it does not hold. */
export interface ColumnCopy extends PartialCounter {
  /** The data_version the copy holds. */
  readonly dataVersion: number;
  readonly incidents: number;
  /** The radius (m) of the places' neighbourhoods the copy holds: the ranking's default. */
  readonly radius: number;
  /** The area levels the summary finds by each incident's own column (no incident in two areas of the level). */
  readonly levelColumns: ReadonlySet<AreaLevel>;
  hexagonCounts(filters: Filters): Promise<HexagonCountsByZoom>;
  /** Null near a place at a radius the copy does not hold. */
  hourWeekdayProfile(filters: Filters, near?: NearPlace): Promise<HourWeekdayProfile | null>;
  notJudged(filters: Filters): Promise<NotJudgedCounts>;
  /** Null at a radius the copy does not hold. */
  placeCounts(filters: Filters, previous: Filters | null, radius: number): Promise<PlaceCounts | null>;
  binned(size: number, filters: Filters, boundaries: string[] | null): Promise<BinnedRow[]>;
  snappedPoints(filters: Filters): Promise<SnappedPoints>;
  areaCounts(question: AreaCountsQuestion): Promise<AreaCountRows>;
  incidentTotals(): Promise<IncidentTotals>;
  peopleFlow(question: PeopleFlowQuestion): Promise<PeopleFlowRow[]>;
  incidentPoints(filters: Filters, limit: number): Promise<IncidentPoints>;
  /** Not held: the copy has no link to each incident's place. PostgreSQL answers. */
  peopleRepeats(filters: Filters): Promise<null>;
  /** Not held yet: PostgreSQL answers. */
  peopleSources(filters: Filters): Promise<null>;
  /** Not held: the copy has no link to each incident's place, nor the time precision. PostgreSQL answers. */
  groupIncidents(filters: Filters, limit: number): Promise<null>;
  tileIncidents(filters: Filters, tile: TileAddress, limit: number): Promise<number[]>;
  close(): void;
}

async function rowCount(duck: DuckDBConnection, table: string): Promise<number> {
  return Number((await duck.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0]);
}

/** Copies a query's rows (COPY ... TO STDOUT, CSV) into a new DuckDB table through a private temporary file. */
async function copyTable(client: pg.PoolClient, duck: DuckDBConnection, directory: string, table: string,
  copySql: string, columns: Record<string, string>): Promise<number> {
  const file = path.join(directory, `${table}.csv`);
  const source = client.query(copyTo(copySql));
  await pipeline(source, createWriteStream(file, { mode: 0o600 }));
  const typed = Object.entries(columns).map(([name, type]) => `'${name}': '${type}'`).join(', ');
  await duck.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv('${file}', header = false, allow_quoted_nulls = false,
    auto_detect = false, columns = {${typed}})`);
  await rm(file);
  const copied = await rowCount(duck, table);
  // A short read would be a copy that answers wrongly: refuse it.
  if (copied !== source.rowCount) throw new Error(`column copy: ${table} holds ${copied} rows of ${source.rowCount}`);
  return copied;
}

/**
 * Loads a copy of the data as it stands (one REPEATABLE READ snapshot, so the copy is
 * exactly the data_version it reads). Seconds per million incidents; the caller keeps
 * answering from PostgreSQL meanwhile.
 */
export async function loadColumnCopy(pool: pg.Pool, radius = DEFAULT_LOCATION_RADIUS): Promise<ColumnCopy> {
  const directory = await mkdtemp(path.join(tmpdir(), 'lantern-columns-'));
  let instance: DuckDBInstance | undefined;
  let dataVersion: number;
  let incidents: number;
  /** Each zoom's hexagons, and each set of four hexagons' place among them, by the set's number. */
  let hexagonSets: HexagonSetIndex;
  /** The levels whose area each incident keeps in a column (AREA_COLUMN). */
  let levelColumns: Set<AreaLevel>;
  /** How many people have more than one incident (person_no runs 1 to this). */
  let repeated: number;
  /** Each area's code by its id. */
  let areaCodes: Map<number, string>;
  const clients: pg.PoolClient[] = [];
  try {
    instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Groups whose keys span up to 2^18 values (the hexagon sets, a hotspot grid's
      // cells: about 2^14 each) are counted in an array indexed by the key rather than a
      // hash table: half the time of the default's limit, 2^12. The array is sized by the
      // keys' actual span, so a wider limit costs nothing where it is not used.
      perfect_ht_threshold: '18',
    });
    // Two connections reading one snapshot (the first's, exported to the second), so
    // the incidents and the rest are copied side by side, each into its own DuckDB
    // connection: half the time on two cores.
    for (let k = 0; k < 2; k++) clients.push(await pool.connect());
    const [first, second] = clients as [pg.PoolClient, pg.PoolClient];
    const begin = async (client: pg.PoolClient, snapshot?: string) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (snapshot !== undefined) {
        // Not a bindable statement; PostgreSQL's own snapshot name, checked.
        if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error('column copy: unexpected snapshot name');
        await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
      }
      // The copy's own work: the server's statement timeout is for requests.
      await client.query("SET LOCAL statement_timeout = 0; SET LOCAL datestyle = 'ISO'; SET LOCAL extra_float_digits = 1");
    };
    await begin(first);
    const { rows: [exported] } = await first.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    await begin(second, exported!.snapshot);
    const { rows } = await first.query<{ version: number }>('SELECT version FROM data_version');
    dataVersion = Number(rows[0]?.version ?? 0);
    const ducks = [await instance.connect(), await instance.connect()] as const;
    for (const sql of ENUM_TYPES) await ducks[0].run(sql);
    try {
      // Both run to their end before anything is closed, even when one fails.
      const settled = await Promise.allSettled([
        (async () => {
          const count = await copyTable(first, ducks[0], directory, 'loaded', INCIDENTS_COPY, INCIDENT_COLUMNS);
          await first.query('COMMIT');
          for (const sql of [HEXAGON_SETS, COUNTED, 'DROP TABLE loaded']) await ducks[0].run(sql);
          return count;
        })(),
        (async () => {
          const count = await copyTable(second, ducks[1], directory, 'pairs', PAIRS_COPY(radius), PAIRS_COLUMNS);
          await copyTable(second, ducks[1], directory, 'areas', AREAS_COPY, AREAS_COLUMNS);
          await copyTable(second, ducks[1], directory, 'area_members', AREA_MEMBERS_COPY, AREA_MEMBERS_COLUMNS);
          await second.query('COMMIT');
          return count;
        })(),
      ]);
      const failed = settled.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      const [copied, pairs] = settled.map((result) => (result as PromiseFulfilledResult<number>).value) as [number, number];
      incidents = copied;
      const duck = ducks[0];
      for (const sql of [PLACES_NEAR, 'DROP TABLE pairs', LEVELS_PIVOT]) await duck.run(sql);
      const held = (await duck.runAndReadAll(LEVELS_HELD)).getRowObjectsJS()[0] as Record<string, boolean>;
      levelColumns = new Set(AREA_LEVELS.filter((level) => held[level]));
      if (levelColumns.size > 0) {
        for (const sql of [WITH_AREA_COLUMNS([...levelColumns]), 'DROP TABLE incidents', 'ALTER TABLE with_areas RENAME TO incidents']) await duck.run(sql);
      }
      for (const sql of [MULTI_MEMBERS, 'DROP TABLE incident_levels']) await duck.run(sql);
      if (await rowCount(duck, 'incidents') !== incidents || await rowCount(duck, 'places_near') !== pairs) {
        throw new Error('column copy: rows lost while arranging the copy');
      }
      repeated = Number((await duck.runAndReadAll('SELECT coalesce(max(person_no), 0) FROM incidents')).getRows()[0]![0]);
      areaCodes = new Map((await duck.runAndReadAll('SELECT CAST(id AS INTEGER), code FROM areas')).getRowsJS() as [number, string][]);
      hexagonSets = hexagonSetIndex((await duck.runAndReadAll(`SELECT ${HEXAGON_COLUMNS.join(', ')} FROM hexagon_sets ORDER BY hexagons`))
        .getRowsJS() as number[][]);
      // Nothing this database is asked reads a file: the tables are all it needs.
      await duck.run('SET enable_external_access = false');
    } finally {
      for (const duck of ducks) duck.closeSync();
    }
  } catch (error) {
    for (const client of clients) await client.query('ROLLBACK').catch(() => undefined);
    instance?.closeSync();
    throw error;
  } finally {
    for (const client of clients) client.release();
    await rm(directory, { recursive: true, force: true });
  }
  const loaded = instance;

  // One connection per question: DuckDB runs a connection's statements one at a time.
  const ask = async (sql: string, params: DuckParams) => {
    const connection = await loaded.connect();
    try {
      return await connection.runAndReadAll(sql, params.values, params.types);
    } finally {
      connection.closeSync();
    }
  };

  return {
    dataVersion,
    incidents,
    radius,
    levelColumns,
    async hexagonCounts(filters) {
      const params = new DuckParams();
      const where = columnConditions(filters, params);
      // No rows: no columns.
      const [sets = [], episodes = [], harm = []] = (await ask(HEXAGON_COUNTS(where), params)).getColumnsJS() as number[][];
      return hexagonCountsOfSets(hexagonSets, sets, episodes, harm);
    },
    async notJudged(filters) {
      const questions = notJudgedQuestions(filters);
      if (questions.length === 0) return { counts: {}, keys: {} };
      const params = new DuckParams();
      const { shared, own } = splitShared(questions);
      const parts = own.map(({ field, conditions }) => ({ field, where: duckConditions(conditions, params) }));
      const sql = NOT_JUDGED_SQL(duckConditions(shared, params), parts);
      return notJudgedOf((await ask(sql, params)).getRowObjectsJS()[0]!, parts.map((part) => part.field));
    },
    async hourWeekdayProfile(filters, near) {
      if (near && near.radius !== radius) return null;
      const params = new DuckParams();
      let where = columnConditions(filters, params);
      if (near) where += `\n  AND place_id = ${params.add(BigInt(near.locationId), BIGINT)}`;
      return profileFromRows((await ask(PROFILE_SQL(where, near ? 'places_near' : 'incidents', repeated), params)).getRowObjectsJS() as unknown as ProfileRow[]);
    },
    async placeCounts(filters, previous, atRadius) {
      if (atRadius !== radius) return null;
      const params = new DuckParams();
      const where = columnConditions(filters, params);
      const previousWhere = previous ? columnConditions(previous, params) : 'false';
      const columns = (await ask(PLACE_COUNTS(where, previousWhere), params)).getColumnsJS();
      const numbers = (k: number) => (columns[k] ?? []).map(Number);
      return {
        ids: numbers(0), episodes: numbers(1), people: numbers(2), harm: numbers(3),
        timeUnknown: numbers(4), previousEpisodes: numbers(5), previousHarm: numbers(6),
      };
    },
    async binned(size, filters, boundaries) {
      const params = new DuckParams();
      const sliced = boundaries ? { ...filters, from: boundaries[0], to: undefined } : filters;
      let where = columnConditions(sliced, params);
      if (boundaries) where += `\n  AND local_date < CAST(${params.add(boundaries[boundaries.length - 1]!, VARCHAR)} AS DATE)`;
      const expression = boundaries && sliceOf(boundaries, params);
      const slice = !boundaries ? null
        : expression ? { expression } : { boundaries: params.add(listValue(boundaries), LIST(VARCHAR)) };
      const sql = KEPT_CELL_SIZES.includes(size)
        ? PER_HEXAGON_SQL(GRID_ROWS(CELL_COLUMNS(size).map((column, k) => `i.${column} AS ${'ij'[k]}`).join(', '), where, slice))
        : BINNED_SQL(GRID_ROWS('i.bng_x AS x, i.bng_y AS y', where, slice), params.add(size, DOUBLE));
      return (await ask(sql, params)).getRowObjectsJS() as unknown as BinnedRow[];
    },
    async snappedPoints(filters) {
      const params = new DuckParams();
      const where = columnConditions(filters, params);
      const [x = [], y = [], count = [], harm = []] = (await ask(
        SNAPPED_POINTS_SQL(where, '(i.snapped_x * 10)::DOUBLE', '(i.snapped_y * 10)::DOUBLE'), params)).getColumnsJS() as number[][];
      return { x, y, count, harm };
    },
    async peopleRepeats() {
      return null;
    },
    async peopleSources() {
      return null;
    },
    async groupIncidents() {
      return null;
    },
    async tileIncidents(filters, tile, limit) {
      const params = new DuckParams();
      // Inside the tile grown by its buffer, tested exactly as TILE_INCIDENTS_SQL tests it (Web Mercator x, y copied from geom_3857).
      const [west, south, east, north] = tileEnvelope(tile).map((bound) => params.add(bound, DOUBLE));
      const sql = `SELECT id FROM incidents
 WHERE ${columnConditions(filters, params)}
   AND merc_x BETWEEN ${west} AND ${east} AND merc_y BETWEEN ${south} AND ${north}
 LIMIT ${params.add(limit, INTEGER)}`;
      const [ids = []] = (await ask(sql, params)).getColumnsJS() as bigint[][];
      return ids.map(Number);
    },
    async incidentPoints(filters, limit) {
      const params = new DuckParams();
      const where = columnConditions(filters, params);
      const [x = [], y = [], day = []] = (await ask(POINTS_SQL(where, params.add(limit, INTEGER)), params)).getColumnsJS() as number[][];
      const counted = new DuckParams();
      const monthsOnly = Number((await ask(MONTHS_ONLY_SQL(columnConditions(filters, counted)), counted)).getRows()[0]![0]);
      return { x, y, day, monthsOnly };
    },
    async peopleFlow({ filters, unit, from, to }) {
      const params = new DuckParams();
      const where = columnConditions({ ...filters, from: undefined, to: undefined }, params);
      const sql = PEOPLE_FLOW_SQL(where, params.add(unit, VARCHAR), params.add(STEPS[unit], VARCHAR),
        params.add(from, VARCHAR), params.add(to, VARCHAR), 'duckdb');
      return (await ask(sql, params)).getRowObjectsJS() as unknown as PeopleFlowRow[];
    },
    async incidentTotals() {
      return incidentTotalsOf((await ask(INCIDENT_TOTALS_SQL, new DuckParams())).getRowObjectsJS()[0]!);
    },
    async areaCounts({ level, filters, period, comparison, trend, young }) {
      const params = new DuckParams();
      const where = columnConditions(filters, params, { id: 'i.id' });
      const between = (range: { from: string; to: string } | null) => (range
        ? `(i.local_date BETWEEN CAST(${params.add(range.from, VARCHAR)} AS DATE) AND CAST(${params.add(range.to, VARCHAR)} AS DATE))`
        : 'false');
      const [inPeriod, inComparison, inTrend] = [between(period), between(comparison), between(trend)];
      const trendFrom = params.add(trend?.from ?? '1970-01-01', VARCHAR);
      const youngBands = params.add(listValue([...young]), LIST(VARCHAR));
      const rowsOf = (areaOf: string, areaId: string, once: string) => AREA_ROWS(areaOf, areaId, once, where, inPeriod, inComparison, inTrend, trendFrom, youngBands);
      const several = rowsOf(IN_SEVERAL(params.add(level, VARCHAR)), 'i.area_id', 'false');
      // A level without a column has no memberships: its areas (if any) hold no incident.
      // "f" is each count's own subquery, not a table made once for the four: writing
      // every row once costs more than reading them four times.
      const join = `${levelColumns.has(level) ? `${rowsOf(BY_COLUMN(AREA_COLUMN(level)), `i.${AREA_COLUMN(level)}`, 'i.person_once')} UNION ALL ` : ''}${several}`;
      const connection = await loaded.connect();
      try {
        const rows = async <T extends { code: string | null }>(sql: string) =>
          ((await connection.runAndReadAll(`WITH f AS NOT MATERIALIZED (${join})${sql}`, params.values, params.types))
            .getRowObjectsJS() as unknown as (Omit<T, 'code'> & { code: number | null })[])
            .map((row) => ({ ...row, code: row.code === null ? null : areaCodes.get(row.code)! }) as unknown as T);
        return {
          current: await rows<CurrentRow>(EPISODES_SQL),
          people: await rows<PeopleRow>(`, ${PEOPLE_CTES('person_once')} ${PEOPLE_SQL}`),
          previous: await rows<PreviousRow>(PREVIOUS_SQL('person_once')),
          trend: await rows<TrendRow>(`
SELECT code, strftime(month, '%Y-%m') AS month, all_areas, episodes, key FROM (${TREND_SQL})`),
        };
      } finally {
        connection.closeSync();
      }
    },
    close() {
      loaded.closeSync();
    },
  };
}
