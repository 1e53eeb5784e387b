// Areas (district, wards, LSOAs, MSOAs, neighbourhoods) as GeoJSON built by PostGIS.
import type { AreaCollection, AreaLevel } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    areas: AreasRepository;
  }
}

// Simplification happens in British National Grid so the tolerance is in metres,
// and preserves topology so neighbouring outlines do not cross or vanish.
const AREAS_SQL = `
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', a.code,
    'geometry', ST_AsGeoJSON(
      CASE WHEN $2::float8 > 0
           THEN ST_Transform(ST_SimplifyPreserveTopology(a.geom_bng, $2::float8), 4326)
           ELSE a.geom END, 6)::json,
    'properties', json_build_object(
      'code', a.code, 'name', a.name, 'level', a.level,
      'population', a.population, 'population10to24', a.population_10_24,
      'labelPoint', json_build_array(round(ST_X(a.label_point)::numeric, 6), round(ST_Y(a.label_point)::numeric, 6)))
  ) ORDER BY a.code), '[]'::json)
) AS collection
FROM (SELECT * FROM areas WHERE level = $1 ORDER BY code LIMIT 10000) a`;

export interface AreasRepository {
  byLevel(level: AreaLevel, simplifyMetres: number, db?: Queryable): Promise<AreaCollection>;
}

export function areasRepository(pool: Queryable): AreasRepository {
  return {
    async byLevel(level, simplifyMetres, db = pool) {
      const { rows } = await db.query<{ collection: AreaCollection }>(AREAS_SQL, [level, simplifyMetres]);
      return rows[0]!.collection;
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('areas', areasRepository(app.db));
  },
  { name: 'areas-repository', dependencies: ['database'] },
);
