// Hexagon tiles bin each incident by arithmetic (server/src/repositories/incidents.ts);
// this checks the result against PostGIS's own ST_HexagonGrid + ST_Intersects, hexagon
// by hexagon, for 600 scattered incidents at zooms 9 to 13, including hexagons that
// straddle the tile's edge (their whole count, not only the part inside the tile).
// Zoom 9 bins in the query; 10-13 count the hexagon stored with each incident
// (migration 0010), so this also checks lantern_hexagon_keys against ST_HexagonGrid.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random, tileAt } from '../../scripts/bench/measure.js';
import type { Queryable } from '../../server/src/plugins/database.js';
import { postgresCounter } from '../../server/src/counting/postgres.js';
import { hexagonSize, incidentsRepository, planPointTile } from '../../server/src/repositories/incidents.js';
import { drawHexagonTile } from '../../server/src/tiles/hexagons.js';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, offsetMetres } from '../helpers/fixtures.js';

const BATH = { lon: -2.359, lat: 51.381 };
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;


beforeAll(async () => {
  db = await createTestDatabase();
  const random = new Random(11);
  await insertIncidents(db.pool, Array.from({ length: 600 }, (_, k) => {
    const [lon, lat] = offsetMetres(BATH.lon, BATH.lat, (random.next() - 0.5) * 12_000, (random.next() - 0.5) * 12_000);
    return { lon, lat, local: `2025-03-0${1 + (k % 9)} 12:00`, category: 'drugs', person: `p${k % 97}` };
  }));
  app = await testApp(db.url, { TILE_FEATURE_LIMIT: 10_000 });
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

/** A tile's features as comparable values: properties, and each ring from its lowest corner, clockwise on screen. */
function features(mvt: Uint8Array) {
  const layer = new VectorTile(new PbfReader(mvt)).layers.incidents;
  return (layer ? Array.from({ length: layer.length }, (_, k) => layer.feature(k)) : []).map((feature) => {
    const ring = feature.loadGeometry()[0]!.map((point) => [point.x, point.y]);
    if (ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]) ring.pop();
    const start = ring.reduce((best, point, k) => (point[0]! < ring[best]![0]! || (point[0] === ring[best]![0] && point[1]! < ring[best]![1]!) ? k : best), 0);
    const { count, harm, density } = feature.properties as { count: number; harm: number; density: number };
    return { type: feature.type, count, harm, density, ring: [...ring.slice(start), ...ring.slice(0, start)] };
  }).sort((a, b) => a.ring[0]![0]! - b.ring[0]![0]! || a.ring[0]![1]! - b.ring[0]![1]! || a.count - b.count);
}

// What PostGIS drew before Lantern drew hexagon tiles itself: the reference.
const POSTGIS_HEXAGON_TILE = `
WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS clip, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS query),
counted AS (SELECT ST_SetSRID(ST_Hexagon($4::float8, h.i, h.j), 3857) AS geom, h.episodes, h.harm
              FROM unnest($5::int[], $6::int[], $7::int[], $8::float8[]) AS h(i, j, episodes, harm))
SELECT ST_AsMVT(tile, 'incidents', 4096, 'geom') AS mvt FROM (
  SELECT ST_AsMVTGeom(counted.geom, bounds.clip, 4096, 64, true) AS geom, counted.episodes::int AS count,
         round(counted.harm::numeric, 2)::float8 AS harm,
         round((counted.episodes / (ST_Area(counted.geom)
           * cos(radians(ST_Y(ST_Transform(ST_Centroid(counted.geom), 4326)))) ^ 2 / 1e6))::numeric, 2)::float8 AS density
    FROM counted, bounds WHERE counted.geom && bounds.query) tile`;

describe('hexagon tiles', () => {
  it('are drawn as PostGIS draws them: the same hexagons, clipped and snapped alike, with the same numbers', async () => {
    const random = new Random(5);
    for (const z of [9, 10, 11, 12, 13]) {
      const size = hexagonSize(z);
      const centre = tileAt(BATH.lon, BATH.lat, z);
      // Every hexagon within two tiles of the centre tile, with made-up counts.
      const [i, j, episodes, harm]: [number[], number[], number[], number[]] = [[], [], [], []];
      const x0 = (centre.x - 2**z / 2) * 2 * 20037508.342789244 / 2 ** z;
      const y0 = (2**z / 2 - centre.y) * 2 * 20037508.342789244 / 2 ** z;
      const tileSize = 2 * 20037508.342789244 / 2 ** z;
      for (let ci = Math.floor((x0 - 2 * tileSize) / (1.5 * size)); ci <= Math.ceil((x0 + 3 * tileSize) / (1.5 * size)); ci += 1) {
        for (let cj = Math.floor((y0 - 3 * tileSize) / (Math.sqrt(3) * size)); cj <= Math.ceil((y0 + 2 * tileSize) / (Math.sqrt(3) * size)); cj += 1) {
          if (random.next() < 0.3) continue;
          i.push(ci); j.push(cj); episodes.push(1 + random.int(500)); harm.push(random.next() * 1000);
        }
      }
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [-1, -1]] as const) {
        const [x, y] = [centre.x + dx, centre.y + dy];
        const { rows: [reference] } = await db.pool.query<{ mvt: Buffer }>(POSTGIS_HEXAGON_TILE, [z, x, y, size, i, j, episodes, harm]);
        const ours = drawHexagonTile(z, x, y, size, { i, j, episodes, harm }, 100_000);
        const [drawn, expected] = [features(ours.mvt), features(reference!.mvt)];
        expect(drawn.length, `z${z}/${x}/${y}`).toBeGreaterThan(100);
        expect(ours.features).toBe(drawn.length);
        // Density to the cent: the latitude of a hexagon's centre, PROJ's against closed form.
        expect(drawn.map(({ density: _density, ...rest }) => rest), `z${z}/${x}/${y}`).toEqual(expected.map(({ density: _density, ...rest }) => rest));
        drawn.forEach((feature, k) => expect(Math.abs(feature.density - expected[k]!.density)).toBeLessThanOrEqual(0.011));
      }
    }
  });


  it('count each hexagon exactly as ST_HexagonGrid and ST_Intersects do', async () => {
    for (const z of [9, 10, 11, 12, 13]) {
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1]] as const) {
        const { x: tx, y: ty } = tileAt(BATH.lon, BATH.lat, z);
        const [x, y] = [tx + dx, ty + dy];
        const response = await analyst.get(`/api/tiles/incidents/${z}/${x}/${y}.mvt`);
        expect(response.statusCode).toBe(200);
        const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.incidents;
        const fromTile = layer ? Array.from({ length: layer.length }, (_, i) => Number(layer.feature(i).properties.count)) : [];
        const { rows } = await db.pool.query<{ n: number }>(
          // What the tile can draw: hexagons that survive clipping to the tile and its buffer.
          `WITH b AS (SELECT ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AS q, ST_TileEnvelope($1, $2, $3) AS clip)
           SELECT count(*)::int AS n FROM b, ST_HexagonGrid($4, b.q) hex JOIN incidents i ON ST_Intersects(i.geom_3857, hex.geom)
            WHERE ST_AsMVTGeom(hex.geom, b.clip, 4096, 64, true) IS NOT NULL
            GROUP BY hex.i, hex.j`, [z, x, y, hexagonSize(z)]);
        const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
        expect(sorted(fromTile), `z${z}/${x}/${y}`).toEqual(sorted(rows.map((row) => row.n)));
      }
    }
  });

  it('counts zooms 10-13 once per filter and data version, for all their tiles and the point tiles', async () => {
    const { x, y } = tileAt(BATH.lon, BATH.lat, 12);
    const ask = (dx: number, dy: number, query = '') => analyst.get(`/api/tiles/incidents/12/${x + dx}/${y + dy}.mvt${query}`);
    const misses = app.results.stats.misses;
    // Four new tiles of zoom 12 at once: four tile misses and one count.
    const first = await Promise.all([ask(0, 0, '?hours=12'), ask(1, 0, '?hours=12'), ask(0, 1, '?hours=12'), ask(1, 1, '?hours=12')]);
    expect(first.every((response) => response.statusCode === 200)).toBe(true);
    expect(app.results.stats.misses - misses).toBe(4 + 1);
    // Zooms 11 and 13 (and the point tiles of 14) were counted with it.
    const { x: x13, y: y13 } = tileAt(BATH.lon, BATH.lat, 13);
    const { x: x14, y: y14 } = tileAt(BATH.lon, BATH.lat, 14);
    for (const url of [`11/${x >> 1}/${y >> 1}`, `13/${x13}/${y13}`, `14/${x14}/${y14}`]) {
      expect((await analyst.get(`/api/tiles/incidents/${url}.mvt?hours=12`)).statusCode).toBe(200);
    }
    expect(app.results.stats.misses - misses).toBe(4 + 1 + 3);
    // Another filter is counted afresh.
    await ask(0, 0, '?hours=13');
    expect(app.results.stats.misses - misses).toBe(4 + 1 + 3 + 2);
    const total = async () => {
      const layer = new VectorTile(new PbfReader((await ask(0, 0, '?categories=robbery')).rawPayload)).layers.incidents;
      return layer ? Array.from({ length: layer.length }, (_, i) => Number(layer.feature(i).properties.count)).reduce((a, b) => a + b, 0) : 0;
    };
    expect(await total()).toBe(0);
    // New data: counted again, not drawn from the old counts.
    await insertIncidents(db.pool, [{ ...BATH, local: '2025-03-09 12:00', category: 'robbery' }]);
    expect(await total()).toBe(1);
  });

  it('draws every incident in point tiles, edges included, whichever tiles the stored hexagons skip', async () => {
    // Every zoom-14 tile over the scattered incidents and a band of zoom-16 tiles: the
    // features drawn are exactly the incidents inside the tile grown by its buffer.
    for (const [z, span] of [[14, 5], [16, 9]] as const) {
      const centre = tileAt(BATH.lon, BATH.lat, z);
      for (let dx = -span; dx <= span; dx += 1) {
        for (const dy of z === 14 ? [-4, -3, -2, -1, 0, 1, 2, 3, 4] : [0]) {
          const [x, y] = [centre.x + dx, centre.y + dy];
          const response = await analyst.get(`/api/tiles/incidents/${z}/${x}/${y}.mvt`);
          const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.incidents;
          const { rows: [expected] } = await db.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM incidents i, ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) q
              WHERE ST_X(i.geom_3857) BETWEEN ST_XMin(q) AND ST_XMax(q) AND ST_Y(i.geom_3857) BETWEEN ST_YMin(q) AND ST_YMax(q)`, [z, x, y]);
          expect(layer?.length ?? 0, `z${z}/${x}/${y}`).toBe(expected!.n);
        }
      }
    }
  });

  it('answers a point tile with nothing under the filter without reading the table', async () => {
    const queries: string[] = [];
    const counting: Queryable = {
      query: ((...args: Parameters<typeof db.pool.query>) => {
        const first = args[0] as string | { text: string };
        queries.push(typeof first === 'string' ? first : first.text);
        return (db.pool.query as (...a: unknown[]) => unknown)(...args);
      }) as typeof db.pool.query,
    };
    const repository = incidentsRepository(counting);
    const filters = { categories: ['drugs' as const] };
    const counts = await postgresCounter(counting).hexagonCounts(filters);
    const { x, y } = tileAt(BATH.lon, BATH.lat, 15);
    queries.length = 0;
    // A tile 40 km west of the incidents: nothing to read.
    const empty = await repository.tile(15, x - 80, y, filters, 10_000, true, counts, { ...planPointTile(15, x - 80, y, counts, 10_000)!, ids: null });
    expect(empty.features).toBe(0);
    expect(queries).toEqual([]);
    // A tile over them finds them, then draws them.
    const ids = await postgresCounter(counting).tileIncidents(filters, { z: 15, x, y }, 10_000);
    const full = await repository.tile(15, x, y, filters, 10_000, true, counts, { ...planPointTile(15, x, y, counts, 10_000)!, ids });
    expect(full.features).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(0);
    expect(queries).toHaveLength(2);
  });
});
