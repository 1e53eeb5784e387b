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

// Incidents are attributed to their nearest location of concern (within the link
// radius, see lantern_link_nearest_locations), so a place's counts never include an
// incident also counted at its neighbour. One GROUP BY over the filtered incidents,
// then a join: cheaper than a lateral count per place.
const LOCATIONS_SQL = (where: string, placeWhere: string, limit: string) => `
WITH stats AS (
  SELECT i.nearest_location_id AS id,
         count(*) AS episodes,
         count(DISTINCT i.person_ref) AS people,
         sum(i.harm_weight) AS harm,
         count(*) FILTER (WHERE i.local_hour IS NULL) AS time_unknown
    FROM incidents i
   WHERE i.nearest_location_id IS NOT NULL
     AND ${where}
   GROUP BY i.nearest_location_id
),
ranked AS (
  SELECT l.*, coalesce(s.episodes, 0) AS episodes, coalesce(s.people, 0) AS people,
         coalesce(s.harm, 0) AS harm, coalesce(s.time_unknown, 0) AS time_unknown
    FROM locations_of_concern l
    LEFT JOIN stats s ON s.id = l.id
   WHERE ${placeWhere}
   ORDER BY harm DESC, episodes DESC, l.id
   LIMIT ${limit}
)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', r.id,
    'geometry', ST_AsGeoJSON(r.geom, 6)::json,
    'properties', json_build_object(
      'id', r.id, 'name', r.name, 'kind', r.kind, 'status', r.status,
      'episodes', r.episodes, 'people', r.people, 'harm', round(r.harm::numeric, 2),
      'timeUnknown', r.time_unknown, 'reviewDate', r.review_date)
  ) ORDER BY r.harm DESC, r.episodes DESC, r.id), '[]'::json)
) AS collection
FROM ranked r`;

export interface LocationsRepository {
  list(filters: Filters, limit: number, db?: Queryable): Promise<LocationCollection>;
  exists(id: number, db?: Queryable): Promise<boolean>;
}

export function locationsRepository(pool: Queryable): LocationsRepository {
  return {
    async list(filters, limit, db = pool) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const placeConditions = ["l.status <> 'closed'"];
      if (filters.locationKinds) placeConditions.push(`l.kind = ANY(${params.add(filters.locationKinds)}::text[])`);
      if (filters.areas) {
        placeConditions.push(`EXISTS (SELECT 1 FROM areas a WHERE a.code = ANY(${params.add(filters.areas)}::text[])
          AND ST_Intersects(a.geom, l.geom))`);
      }
      const { rows } = await db.query<{ collection: LocationCollection }>(
        LOCATIONS_SQL(where, placeConditions.join(' AND '), params.add(limit)), params.values);
      return rows[0]!.collection;
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
