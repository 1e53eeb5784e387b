// The offline street basemap as Mapbox Vector Tiles, from basemap_features (loaded at
// start from data/geography/basemap.geojson.gz). Public OS data: no role, no audit.
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    basemap: BasemapRepository;
  }
}

// What each zoom shows, as a cartographer thins a map: main roads and towns from the
// district view, streets from z12, footpaths, service roads and building names from z14.
const ZOOM_RULES = `
  CASE f.layer
    WHEN 'water' THEN true
    WHEN 'rail' THEN $1 >= 10
    WHEN 'green' THEN $1 >= 11
    WHEN 'waterway' THEN $1 >= 12
    WHEN 'building' THEN $1 >= 13
    WHEN 'path' THEN $1 >= 14
    WHEN 'road' THEN CASE f.class WHEN 'motorway' THEN true WHEN 'primary' THEN true WHEN 'a' THEN true
                                  WHEN 'b' THEN $1 >= 10 WHEN 'minor' THEN $1 >= 11 WHEN 'local' THEN $1 >= 12 ELSE $1 >= 14 END
    WHEN 'place' THEN CASE f.class WHEN 'town' THEN true WHEN 'village' THEN $1 >= 10
                                   WHEN 'locality' THEN $1 >= (15 - f.size) ELSE $1 >= 14 END
    ELSE false
  END`;

// One ST_AsMVT per layer, concatenated (a tile is the concatenation of its layers).
// Geometries are clipped with a 64-unit buffer so lines and labels join across tiles.
const TILE_SQL = `
WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env,
                       ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS wide),
features AS (
  SELECT f.layer, f.class, f.name, f.ref, f.size, f.bridge,
         ST_AsMVTGeom(f.geom, b.env, 4096, 64, true) AS geom
    FROM basemap_features f, bounds b
   WHERE f.geom && b.wide AND ${ZOOM_RULES}
)
SELECT coalesce(string_agg(mvt, ''::bytea), ''::bytea) AS mvt
  FROM (SELECT ST_AsMVT(features.*, layer, 4096, 'geom') AS mvt
          FROM features WHERE geom IS NOT NULL GROUP BY layer) layers`;

export interface BasemapRepository {
  tile(z: number, x: number, y: number, db?: Queryable): Promise<Buffer>;
}

export function basemapRepository(pool: Queryable): BasemapRepository {
  return {
    async tile(z, x, y, db = pool) {
      const { rows } = await db.query<{ mvt: Buffer }>({ name: 'basemap-tile', text: TILE_SQL, values: [z, x, y] });
      return rows[0]!.mvt;
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('basemap', basemapRepository(app.db));
  },
  { name: 'basemap-repository', dependencies: ['database'] },
);
