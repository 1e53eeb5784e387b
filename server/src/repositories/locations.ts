// Locations of concern with their filtered incident counts, as GeoJSON built by PostGIS.
import type { Filters, LocationCollection, LocationKind } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';
import { SqlParams } from '../sql/filters.js';
import { incidentsAtPlaces } from '../sql/places.js';

declare module 'fastify' {
  interface FastifyInstance {
    locations: LocationsRepository;
  }
}

// Each place counts the filtered incidents that count at it (sql/places.ts: within the
// radius, and no other open place nearer), so an incident beside two places counts once.
// The previous period, when there is one, is counted in the same pass.
export const PLACE_COUNTS_SQL = (where: string, previousWhere: string | null, radius: number, radiusSql: string) => `
  SELECT i.place_id AS id,
         count(*) FILTER (WHERE current)::int AS episodes,
         count(DISTINCT i.person_key) FILTER (WHERE current)::int AS people,
         coalesce(sum(i.harm_weight::float8) FILTER (WHERE current), 0) AS harm,
         count(*) FILTER (WHERE current AND i.local_hour IS NULL)::int AS time_unknown,
         count(*) FILTER (WHERE previous)::int AS previous_episodes,
         coalesce(sum(i.harm_weight::float8) FILTER (WHERE previous), 0) AS previous_harm
    FROM (${incidentsAtPlaces(
      `i.person_key, i.harm_weight, i.local_hour, (${where}) AS current, ${previousWhere ? `(${previousWhere})` : 'false'} AS previous`,
      previousWhere ? `(${where}) OR (${previousWhere})` : where, radius, radiusSql)}) i
   GROUP BY i.place_id`;

/** The counting engine's place counts (counting/counter.ts), as arrays of one row per place. */
const GIVEN_COUNTS_SQL = (ids: string, episodes: string, people: string, harm: string, timeUnknown: string, previousEpisodes: string, previousHarm: string) => `
  SELECT * FROM unnest(${ids}::bigint[], ${episodes}::int[], ${people}::int[], ${harm}::float8[], ${timeUnknown}::int[],
                       ${previousEpisodes}::int[], ${previousHarm}::float8[])
           AS s(id, episodes, people, harm, time_unknown, previous_episodes, previous_harm)`;

const LOCATIONS_SQL = (counts: string, withPrevious: boolean, placeWhere: string, limit: string) => `
WITH places AS (
  SELECT l.* FROM locations_of_concern l WHERE ${placeWhere}
),
stats AS (${counts}
),
ranked AS (
  -- Ranked by the harm as shown (two decimals), so sums made in another order (by the
  -- column copy) cannot reorder places whose harm is the same.
  SELECT p.*, coalesce(s.episodes, 0) AS episodes, coalesce(s.people, 0) AS people,
         round(coalesce(s.harm, 0)::numeric, 2) AS harm, coalesce(s.time_unknown, 0) AS time_unknown,
         coalesce(s.previous_episodes, 0) AS previous_episodes, round(coalesce(s.previous_harm, 0)::numeric, 2) AS previous_harm,
         row_number() OVER (ORDER BY round(coalesce(s.harm, 0)::numeric, 2) DESC, coalesce(s.episodes, 0) DESC, p.id) AS rank
    FROM places p
    LEFT JOIN stats s ON s.id = p.id
   ORDER BY rank
   LIMIT ${limit}
)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', r.id,
    'geometry', ST_AsGeoJSON(r.geom, 6)::json,
    'properties', json_build_object(
      'id', r.id, 'name', r.name, 'kind', r.kind, 'status', r.status, 'rank', r.rank,
      'episodes', r.episodes, 'people', r.people, 'harm', r.harm,
      'timeUnknown', r.time_unknown,
      'previous', ${withPrevious ? `json_build_object('episodes', r.previous_episodes, 'harm', r.previous_harm)` : 'null'},
      'reviewDate', r.review_date,
      'source', r.source, 'attribution', r.attribution, 'note', r.notes, 'approximate', r.approximate, 'demo', r.is_demo)
  ) ORDER BY r.rank), '[]'::json)
) AS collection
FROM ranked r`;

const DAY_MS = 86_400_000;
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * The period the filters count (open ends filled from the data's date range) and, when
 * the filters set a date bound, the period of equal length just before it.
 */
export function comparisonPeriods(
  filters: Pick<Filters, 'from' | 'to'>,
  dataRange: { from: string; to: string } | null,
): { period: { from: string; to: string } | null; previousPeriod: { from: string; to: string } | null } {
  const from = filters.from ?? dataRange?.from;
  const to = filters.to ?? dataRange?.to;
  if (!from || !to || dayOf(from) > dayOf(to)) return { period: null, previousPeriod: null };
  const period = { from, to };
  if (!filters.from && !filters.to) return { period, previousPeriod: null };
  const days = (dayOf(to) - dayOf(from)) / DAY_MS + 1;
  const previousTo = dayOf(from) - DAY_MS;
  return { period, previousPeriod: { from: toDate(previousTo - (days - 1) * DAY_MS), to: toDate(previousTo) } };
}

/** Each place's counts under the filters and the previous period's (ids and the columns of LOCATIONS_SQL's stats). */
export interface PlaceCounts {
  ids: number[];
  episodes: number[];
  people: number[];
  harm: number[];
  timeUnknown: number[];
  previousEpisodes: number[];
  previousHarm: number[];
}

export interface ListOptions {
  limit: number;
  radius: number;
  /** What the counts are of: comparisonPeriods(filters, the data's date range). */
  periods: ReturnType<typeof comparisonPeriods>;
  /** The places' counts at `radius` under the filters and the previous period. */
  counts: PlaceCounts;
}

export interface LocationsRepository {
  list(filters: Filters, options: ListOptions, db?: Queryable): Promise<LocationCollection>;
  exists(id: number, db?: Queryable): Promise<boolean>;
  /** Places by id: name, kind and a point on them (WGS84), for answers that name the places they count at. */
  named(ids: number[], db?: Queryable): Promise<Map<number, NamedPlace>>;
}

export interface NamedPlace {
  name: string;
  kind: LocationKind;
  lon: number;
  lat: number;
}

export function locationsRepository(pool: Queryable): LocationsRepository {
  return {
    async named(ids, db = pool) {
      const { rows } = await db.query<NamedPlace & { id: number }>(`
        SELECT id::int, name, kind, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
          FROM locations_of_concern WHERE id = ANY($1::bigint[])`, [ids]);
      return new Map(rows.map(({ id, ...place }) => [id, place]));
    },

    async list(filters, { limit, radius, periods: { period, previousPeriod }, counts: given }, db = pool) {
      const params = new SqlParams();
      const counts = GIVEN_COUNTS_SQL(params.add(given.ids), params.add(given.episodes), params.add(given.people), params.add(given.harm),
        params.add(given.timeUnknown), params.add(given.previousEpisodes), params.add(given.previousHarm));
      const placeConditions = ["l.status <> 'closed'"];
      if (filters.locationKinds) placeConditions.push(`l.kind = ANY(${params.add(filters.locationKinds)}::text[])`);
      if (filters.areas) {
        placeConditions.push(`EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY(${params.add(filters.areas)}::text[])
          AND ST_Intersects(a.geom, l.geom))`);
      }
      const { rows } = await db.query<{ collection: Omit<LocationCollection, 'parameters'> }>(
        LOCATIONS_SQL(counts, previousPeriod !== null, placeConditions.join(' AND '), params.add(limit)),
        params.values);
      return { ...rows[0]!.collection, parameters: { radius, period, previousPeriod } };
    },
    async exists(id, db = pool) {
      const { rowCount } = await db.query('SELECT 1 FROM locations_of_concern WHERE id = $1', [id]);
      return (rowCount ?? 0) > 0;
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('locations', locationsRepository(app.db));
  },
  { name: 'locations-repository', dependencies: ['database'] },
);
