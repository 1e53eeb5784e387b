// The offline street basemap: /api/tiles/basemap from the real OS data loaded at start,
// decoded here, and the label glyphs its style asks for. Public: no session.
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tileAt } from '../../scripts/bench/measure.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// George Street, Bath (the night-time economy's street).
const GEORGE_STREET = { lon: -2.3618, lat: 51.3849 };
let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await createTestDatabase({ geography: true });
  app = await testApp(db.url);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function basemapTile(z: number, at = GEORGE_STREET) {
  const { x, y } = tileAt(at.lon, at.lat, z);
  const response = await app.inject({ method: 'GET', url: `/api/tiles/basemap/${z}/${x}/${y}.mvt` });
  expect(response.statusCode, response.body).toBe(200);
  const tile = new VectorTile(new PbfReader(response.rawPayload));
  const names = (layer: string) => {
    const found = tile.layers[layer];
    return new Set(found ? Array.from({ length: found.length }, (_, i) => found.feature(i).properties.name) : []);
  };
  return { response, tile, names };
}

describe('the basemap tiles', () => {
  it('draws Bath centre at z16 with its street names, green spaces, water and buildings, without a session', async () => {
    const { response, tile, names } = await basemapTile(16);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(response.headers['cache-control']).toMatch(/public, max-age=\d{6,}/);
    expect(names('road')).toContain('George Street');
    expect(names('road')).toContain('Milsom Street');
    expect(Object.keys(tile.layers)).toEqual(expect.arrayContaining(['road', 'building', 'green']));
  });

  it('thins by zoom: main roads with their numbers and the towns at z10, no streets or buildings', async () => {
    const { tile, names } = await basemapTile(10);
    expect(tile.layers.building).toBeUndefined();
    expect(names('place')).toContain('Bath');
    const roads = tile.layers.road!;
    const classes = new Set(Array.from({ length: roads.length }, (_, i) => roads.feature(i).properties.class));
    expect([...classes].every((value) => ['a', 'primary', 'motorway', 'b'].includes(String(value)))).toBe(true);
    const numbers = new Set(Array.from({ length: roads.length }, (_, i) => roads.feature(i).properties.ref));
    expect(numbers).toContain('A4');
    expect(numbers).toContain('A36');
  });

  it('keeps a tile once made, and answers an empty tile away from the district', async () => {
    const { x, y } = tileAt(GEORGE_STREET.lon, GEORGE_STREET.lat, 15);
    const first = await app.inject({ method: 'GET', url: `/api/tiles/basemap/15/${x}/${y}.mvt` });
    const second = await app.inject({ method: 'GET', url: `/api/tiles/basemap/15/${x}/${y}.mvt` });
    expect([first.headers['x-cache'], second.headers['x-cache']]).toEqual(['miss', 'hit']);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const london = await basemapTile(14, { lon: -0.1276, lat: 51.5072 });
    expect(london.response.rawPayload.length).toBe(0);
  });

  it('says what is wrong with a tile address', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/tiles/basemap/3/8/1.mvt' });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/between 0 and 7/);
    expect((await app.inject({ method: 'GET', url: '/api/tiles/basemap/x/1/1.mvt' })).statusCode).toBe(400);
  });
});

describe('the label glyphs', () => {
  it('serves each font the style uses, for Latin and punctuation, without a session', async () => {
    for (const font of ['Noto Sans Regular', 'Noto Sans Medium', 'Noto Sans Italic']) {
      for (const range of ['0-255', '256-511', '8192-8447']) {
        const response = await app.inject({ method: 'GET', url: `/api/basemap/fonts/${encodeURIComponent(font)}/${range}.pbf` });
        expect(response.statusCode, `${font} ${range}`).toBe(200);
        expect(response.headers['content-type']).toBe('application/x-protobuf');
        expect(response.rawPayload.length).toBeGreaterThan(10_000);
      }
    }
  });

  it('takes the first shipped font of a stack, and names what is missing', async () => {
    const stack = await app.inject({ method: 'GET', url: `/api/basemap/fonts/${encodeURIComponent('Open Sans Bold,Noto Sans Regular')}/0-255.pbf` });
    expect(stack.statusCode).toBe(200);
    const unknown = await app.inject({ method: 'GET', url: `/api/basemap/fonts/${encodeURIComponent('Comic Sans')}/0-255.pbf` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/Noto Sans Regular/);
    const range = await app.inject({ method: 'GET', url: `/api/basemap/fonts/${encodeURIComponent('Noto Sans Regular')}/65280-65535.pbf` });
    expect(range.statusCode).toBe(404);
    const traversal = await app.inject({ method: 'GET', url: `/api/basemap/fonts/..%2F..%2Fetc/0-255.pbf` });
    expect(traversal.statusCode).toBe(400);
  });
});
