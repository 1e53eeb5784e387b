// GET /api/tiles/incidents/{z}/{x}/{y}.mvt: real MVT from PostGIS, decoded here.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileAt } from '../../scripts/bench/measure.js';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, offsetMetres } from '../helpers/fixtures.js';

const BATH = { lon: -2.359, lat: 51.381 };
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;


async function tile(z: number, query = '') {
  const { x, y } = tileAt(BATH.lon, BATH.lat, z);
  const response = await analyst.get(`/api/tiles/incidents/${z}/${x}/${y}.mvt${query}`);
  expect(response.statusCode, response.body).toBe(200);
  const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.incidents;
  const features = layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)) : [];
  return { response, features };
}

beforeAll(async () => {
  db = await createTestDatabase();
  // 30 incidents within 60 m of Bath centre: 20 after school, 10 at night.
  const rows = Array.from({ length: 30 }, (_, i) => {
    const [lon, lat] = offsetMetres(BATH.lon, BATH.lat, (i % 6) * 10, Math.floor(i / 6) * 10);
    return {
      local: i < 20 ? `2025-03-0${1 + (i % 5)} 16:${String(i).padStart(2, '0')}` : `2025-03-08 23:${String(i).padStart(2, '0')}`,
      lon, lat, category: i < 20 ? 'robbery' : 'serious_violence', age: 16, person: `p${i % 12}`,
    };
  });
  await insertIncidents(db.pool, rows);
  app = await testApp(db.url, { TILE_FEATURE_LIMIT: 100 });
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('incident tiles', () => {
  it('carries points with attributes from zoom 14', async () => {
    const { response, features } = await tile(16);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(response.headers['cache-control']).toBe('private, max-age=300');
    expect(features).toHaveLength(30);
    expect(features.every((feature) => feature.type === 1)).toBe(true);
    const robbery = features.find((feature) => feature.properties.category === 'robbery')!;
    expect(robbery.properties).toMatchObject({ hour: 16, ageBand: '15-17', count: 1 });
  });

  it('aggregates into hexagons below zoom 14, counting every incident once', async () => {
    const { features } = await tile(12);
    expect(features.length).toBeGreaterThan(0);
    expect(features.every((feature) => feature.type === 3)).toBe(true);
    const total = features.reduce((sum, feature) => sum + Number(feature.properties.count), 0);
    expect(total).toBe(30);
    // Episodes, harm and density only: people are counted per place, area and Gi* cell.
    expect(features.every((feature) => Object.keys(feature.properties).sort().join() === 'count,density,harm')).toBe(true);
    expect(features.every((feature) => Number(feature.properties.density) > 0)).toBe(true);
  });

  it('applies the shared filters', async () => {
    const night = await tile(16, '?hours=22-4');
    expect(night.features).toHaveLength(10);
    expect(night.features.every((feature) => feature.properties.category === 'serious_violence')).toBe(true);
    const hexagons = await tile(12, '?categories=robbery');
    expect(hexagons.features.reduce((sum, feature) => sum + Number(feature.properties.count), 0)).toBe(20);
  });

  it('keeps a tile until the data changes, then draws it anew', async () => {
    const total = async () => (await tile(11, '?categories=drugs')).features.reduce((sum, feature) => sum + Number(feature.properties.count), 0);
    expect(await total()).toBe(0);
    const hits = app.results.stats.hits;
    expect(await total()).toBe(0);
    expect(app.results.stats.hits).toBe(hits + 1);
    await insertIncidents(db.pool, [{ ...BATH, local: '2025-03-09 12:00', category: 'drugs' }]);
    expect(await total()).toBe(1);
    await db.pool.query(`DELETE FROM incidents WHERE category = 'drugs'`);
    expect(await total()).toBe(0);
  });

  it('shows hexagons, not a cut of the points, in a point tile holding more than the cap', async () => {
    const KEYNSHAM = { lon: -2.497, lat: 51.413 };
    await insertIncidents(db.pool, Array.from({ length: 150 }, (_, i) => {
      const [lon, lat] = offsetMetres(KEYNSHAM.lon, KEYNSHAM.lat, (i % 15) * 5, Math.floor(i / 15) * 5);
      return { local: '2025-05-01 12:00', lon, lat, category: i < 50 ? 'drugs' : 'serious_violence' };
    }));
    const { x, y } = tileAt(KEYNSHAM.lon, KEYNSHAM.lat, 15);
    const response = await analyst.get(`/api/tiles/incidents/15/${x}/${y}.mvt`);
    const layer = new VectorTile(new PbfReader(response.rawPayload)).layers.incidents!;
    const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
    expect(features.length).toBeGreaterThan(0);
    expect(response.headers['x-feature-count']).toBe(String(features.length));
    // Zoom 13's hexagons (type 3: polygon), every incident counted, no person attributes.
    expect(features.every((feature) => feature.type === 3)).toBe(true);
    expect(features.reduce((sum, feature) => sum + Number(feature.properties.count), 0)).toBe(150);
    expect(Object.keys(features[0]!.properties).sort()).toEqual(['count', 'density', 'harm']);
    // Under a filter leaving fewer than the cap, the same tile has points again.
    const filtered = await analyst.get(`/api/tiles/incidents/15/${x}/${y}.mvt?categories=drugs`);
    const points = new VectorTile(new PbfReader(filtered.rawPayload)).layers.incidents!;
    expect(points.length).toBe(50);
    expect(points.feature(0).type).toBe(1);
    expect(points.feature(0).properties.category).toBe('drugs');
  });

  it('answers an empty tile far away with no features', async () => {
    const response = await analyst.get('/api/tiles/incidents/14/0/0.mvt');
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.length).toBe(0);
  });

  it('refuses tiles out of range and bad coordinates with 400 naming the field', async () => {
    for (const [url, field] of [
      ['/api/tiles/incidents/3/8/1.mvt', 'x'],
      ['/api/tiles/incidents/23/0/0.mvt', 'z'],
      ['/api/tiles/incidents/-1/0/0.mvt', 'z'],
      ['/api/tiles/incidents/10/abc/0.mvt', 'x'],
      ['/api/tiles/incidents/10/0/0.mvt?hours=24', 'hours'],
    ] as const) {
      const response = await analyst.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().field, url).toBe(field);
    }
  });
});
