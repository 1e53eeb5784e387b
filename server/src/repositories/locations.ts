// Locations of concern with their filtered incident counts, as GeoJSON built by PostGIS.
import type { Filters, LocationCollection } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';

declare module 'fastify' {
  interface FastifyInstance {
    locations: LocationsRepository;
  }
}

// Each place counts the filtered incidents within the radius of it (of its edge, for an
// outline; inside counts as 0 m), one GiST probe per place on incidents.geom_bng. An
// incident near two places counts at both: this is "what happens around here", not a
// partition (the map's nearest-place link, lantern_link_nearest_locations, is that).
// The previous period, when there is one, is counted in the same pass.
const LOCATIONS_SQL = (where: string, previousWhere: string | null, placeWhere: string, radius: string, limit: string) => `
WITH places AS (
  SELECT l.* FROM locations_of_concern l WHERE ${placeWhere}
),
stats AS (
  SELECT p.id,
         count(*) FILTER (WHERE current) AS episodes,
         count(DISTINCT i.person_key) FILTER (WHERE current) AS people,
         coalesce(sum(i.harm_weight) FILTER (WHERE current), 0) AS harm,
         count(*) FILTER (WHERE current AND i.local_hour IS NULL) AS time_unknown,
         count(*) FILTER (WHERE previous) AS previous_episodes,
         coalesce(sum(i.harm_weight) FILTER (WHERE previous), 0) AS previous_harm
    FROM places p
    JOIN LATERAL (
      SELECT i.person_key, i.harm_weight, i.local_hour, (${where}) AS current, ${previousWhere ? `(${previousWhere})` : 'false'} AS previous
        FROM incidents i
       WHERE ST_DWithin(i.geom_bng, p.geom_bng, ${radius})
         AND ((${where})${previousWhere ? ` OR (${previousWhere})` : ''})
    ) i ON true
   GROUP BY p.id
),
ranked AS (
  SELECT p.*, coalesce(s.episodes, 0) AS episodes, coalesce(s.people, 0) AS people,
         coalesce(s.harm, 0) AS harm, coalesce(s.time_unknown, 0) AS time_unknown,
         coalesce(s.previous_episodes, 0) AS previous_episodes, coalesce(s.previous_harm, 0) AS previous_harm,
         row_number() OVER (ORDER BY coalesce(s.harm, 0) DESC, coalesce(s.episodes, 0) DESC, p.id) AS rank
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
      'episodes', r.episodes, 'people', r.people, 'harm', round(r.harm::numeric, 2),
      'timeUnknown', r.time_unknown,
      'previous', ${previousWhere ? `json_build_object('episodes', r.previous_episodes, 'harm', round(r.previous_harm::numeric, 2))` : 'null'},
      'reviewDate', r.review_date)
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

export interface LocationsRepository {
  /** dataRange: the incidents' first and last date (metadata.dateRange()), for open period ends. */
  list(filters: Filters, options: { limit: number; radius: number; dataRange: { from: string; to: string } | null }, db?: Queryable): Promise<LocationCollection>;
  exists(id: number, db?: Queryable): Promise<boolean>;
}

export function locationsRepository(pool: Queryable): LocationsRepository {
  return {
    async list(filters, { limit, radius, dataRange }, db = pool) {
      const { period, previousPeriod } = comparisonPeriods(filters, dataRange);
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const previousWhere = previousPeriod
        ? incidentConditions({ ...filters, ...previousPeriod }, params)
        : null;
      const placeConditions = ["l.status <> 'closed'"];
      if (filters.locationKinds) placeConditions.push(`l.kind = ANY(${params.add(filters.locationKinds)}::text[])`);
      if (filters.areas) {
        placeConditions.push(`EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY(${params.add(filters.areas)}::text[])
          AND ST_Intersects(a.geom, l.geom))`);
      }
      const { rows } = await db.query<{ collection: Omit<LocationCollection, 'parameters'> }>(
        LOCATIONS_SQL(where, previousWhere, placeConditions.join(' AND '), params.add(radius), params.add(limit)),
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
