// Small hand-built datasets for integration tests: exactly the rows a test needs.
import type pg from 'pg';

export interface IncidentRow {
  ref?: string;
  category?: string;
  /** Local wall-clock time in Europe/London, 'YYYY-MM-DD HH:MM' (or a month 'YYYY-MM' with precision month). */
  local: string;
  precision?: 'minute' | 'day' | 'month';
  lon: number;
  lat: number;
  age?: number | null;
  ageBand?: string;
  gender?: string;
  ethnicity?: string;
  person?: string | null;
  harm?: number;
  source?: string;
  role?: string;
  outcome?: string;
}

let counter = 0;

/** Inserts incidents; local times become instants in Europe/London as the importers do. */
export async function insertIncidents(pool: pg.Pool, rows: IncidentRow[]): Promise<void> {
  const values = rows.map((row) => ({
    source: row.source ?? 'police',
    ref: row.ref ?? `test-${++counter}`,
    category: row.category ?? 'serious_violence',
    local: row.precision === 'month' ? `${row.local}-01 00:00` : row.local,
    precision: row.precision ?? 'minute',
    lon: row.lon,
    lat: row.lat,
    age: row.age ?? null,
    ageBand: row.ageBand ?? null,
    gender: row.gender ?? 'unknown',
    ethnicity: row.ethnicity ?? 'unknown',
    person: row.person === undefined ? `person-${counter}` : row.person,
    harm: row.harm ?? 1,
    role: row.role ?? 'unknown',
    outcome: row.outcome ?? 'unknown',
  }));
  await pool.query(
    `INSERT INTO incidents (source, source_ref, category, occurred_at, time_precision, geom, age, age_band,
                            gender, person_ref, harm_weight, ethnicity, role, outcome)
     SELECT source, ref, category, local::timestamp AT TIME ZONE 'Europe/London', precision,
            ST_SetSRID(ST_MakePoint(lon, lat), 4326), age, age_band, gender, person, harm, ethnicity, role, outcome
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[],
                   $8::int[], $9::text[], $10::text[], $11::text[], $12::float8[], $13::text[], $14::text[], $15::text[])
            AS t(source, ref, category, local, precision, lon, lat, age, age_band, gender, person, harm, ethnicity, role, outcome)`,
    [
      values.map((v) => v.source), values.map((v) => v.ref), values.map((v) => v.category),
      values.map((v) => v.local), values.map((v) => v.precision), values.map((v) => v.lon),
      values.map((v) => v.lat), values.map((v) => v.age), values.map((v) => v.ageBand),
      values.map((v) => v.gender), values.map((v) => v.person), values.map((v) => v.harm),
      values.map((v) => v.ethnicity), values.map((v) => v.role), values.map((v) => v.outcome),
    ],
  );
}

/** A square area of the given half-size (degrees) around a point. */
export async function insertArea(pool: pg.Pool, area: { level: string; code: string; name: string; lon: number; lat: number; half?: number }) {
  const half = area.half ?? 0.01;
  await pool.query(
    `INSERT INTO areas (level, code, name, population, geom)
     VALUES ($1, $2, $3, 1000, ST_Multi(ST_MakeEnvelope($4::float8 - $6::float8, $5::float8 - $6::float8, $4::float8 + $6::float8, $5::float8 + $6::float8, 4326)))`,
    [area.level, area.code, area.name, area.lon, area.lat, half],
  );
}

/** A point place, or with halfSide (metres) a square outline around the point. */
export async function insertLocation(
  pool: pg.Pool,
  location: { name: string; kind: string; lon: number; lat: number; halfSide?: number },
): Promise<number> {
  const point = 'ST_SetSRID(ST_MakePoint($3, $4), 4326)';
  const geom = location.halfSide === undefined
    ? point
    : `ST_Multi(ST_Transform(ST_Expand(ST_Transform(${point}, 27700), $5::float8), 4326))`;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO locations_of_concern (name, kind, geom) VALUES ($1, $2, ${geom}) RETURNING id`,
    [location.name, location.kind, location.lon, location.lat, ...(location.halfSide === undefined ? [] : [location.halfSide])],
  );
  return Number(rows[0]!.id);
}

export async function linkNearestLocations(pool: pg.Pool, radius = 150) {
  await pool.query('SELECT lantern_link_nearest_locations($1)', [radius]);
}

/** Metres east/north of a point, as [lon, lat] (good to a metre at these distances). */
export function offsetMetres(lon: number, lat: number, east: number, north: number): [number, number] {
  return [lon + east / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + north / 111_320];
}

/** The point `east` and `north` metres from an origin, as { lon, lat }. */
export function pointFrom(origin: { lon: number; lat: number }, east: number, north = 0): { lon: number; lat: number } {
  const [lon, lat] = offsetMetres(origin.lon, origin.lat, east, north);
  return { lon, lat };
}
