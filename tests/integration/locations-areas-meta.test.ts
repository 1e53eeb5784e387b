// /api/locations, /api/areas and /api/meta on a hand-built dataset.
import type { AreaCollection, LocationCollection, Meta } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, pointFrom } from '../helpers/fixtures.js';

const PARK = { lon: -2.392, lat: 51.381 };
const TAKEAWAY = { lon: -2.359, lat: 51.381 };
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;
let parkId: number;
let takeawayId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  parkId = await insertLocation(db.pool, { name: 'Test park', kind: 'park', ...PARK });
  takeawayId = await insertLocation(db.pool, { name: 'Test takeaway', kind: 'takeaway', ...TAKEAWAY });
  const near = (place: { lon: number; lat: number }, metres: number) => pointFrom(place, metres);
  await insertIncidents(db.pool, [
    // Park: 3 after school (2 people), 1 at night; one incident 400 m away is not the park's.
    { local: '2025-02-03 15:30', ...near(PARK, 20), person: 'x', harm: 10 },
    { local: '2025-02-04 16:30', ...near(PARK, 40), person: 'x', harm: 10 },
    { local: '2025-02-05 17:30', ...near(PARK, 60), person: 'y', harm: 10 },
    { local: '2025-02-05 23:30', ...near(PARK, 10), person: 'z', harm: 100 },
    { local: '2025-02-05 16:00', ...near(PARK, 400), person: 'w', harm: 1 },
    // Takeaway: 2 at night.
    { local: '2025-02-07 23:00', ...near(TAKEAWAY, 5), person: 'v', harm: 5, category: 'robbery' },
    { local: '2025-02-08 01:00', ...near(TAKEAWAY, 5), person: 'u', harm: 5, category: 'robbery' },
  ]);
  await linkNearestLocations(db.pool, 150);
  await insertArea(db.pool, { level: 'neighbourhood', code: 'T-WEST', name: 'Test west', ...PARK });
  await insertArea(db.pool, { level: 'neighbourhood', code: 'T-EAST', name: 'Test east', ...TAKEAWAY });
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function locations(query = ''): Promise<LocationCollection> {
  const response = await analyst.get(`/api/locations${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const props = (collection: LocationCollection, id: number) =>
  collection.features.find((feature) => feature.id === id)!.properties;

describe('locations of concern', () => {
  it('are GeoJSON with the incidents nearest each, ranked by harm', async () => {
    const all = await locations();
    expect(all.type).toBe('FeatureCollection');
    expect(all.features.map((feature) => feature.id)).toEqual([parkId, takeawayId]);
    expect(all.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [PARK.lon, PARK.lat] });
    expect(props(all, parkId)).toMatchObject({ name: 'Test park', kind: 'park', episodes: 4, people: 3, harm: 130 });
    expect(props(all, takeawayId)).toMatchObject({ episodes: 2, people: 2, harm: 10 });
  });

  it('count under the filters', async () => {
    const after = await locations('?hours=15-19');
    expect(props(after, parkId)).toMatchObject({ episodes: 3, people: 2 });
    expect(props(after, takeawayId)).toMatchObject({ episodes: 0, people: 0, harm: 0 });
    const night = await locations('?hours=22-4&categories=robbery');
    expect(props(night, takeawayId).episodes).toBe(2);
    expect(props(night, parkId).episodes).toBe(0);
  });

  it('narrow to kinds and areas, and respect limit', async () => {
    expect((await locations('?locationKinds=takeaway')).features.map((f) => f.id)).toEqual([takeawayId]);
    expect((await locations('?areas=T-WEST')).features.map((f) => f.id)).toEqual([parkId]);
    expect((await locations('?limit=1')).features).toHaveLength(1);
    for (const limit of ['0', '5001', 'many']) {
      const response = await analyst.get(`/api/locations?limit=${limit}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().field).toBe('limit');
    }
  });
});

describe('areas', () => {
  it('returns one level as GeoJSON with label points', async () => {
    const response = await analyst.get('/api/areas?level=neighbourhood');
    expect(response.statusCode).toBe(200);
    const areas: AreaCollection = response.json();
    expect(areas.features.map((feature) => feature.id)).toEqual(['T-EAST', 'T-WEST']);
    const west = areas.features[1]!;
    expect(west.properties).toMatchObject({ code: 'T-WEST', name: 'Test west', level: 'neighbourhood', population: 1000 });
    expect(west.properties.labelPoint[0]).toBeCloseTo(PARK.lon, 2);
    expect(['Polygon', 'MultiPolygon']).toContain(west.geometry.type);
  });

  it('filters incidents by area code', async () => {
    const response = await analyst.get('/api/profile/hour-weekday?areas=T-EAST');
    expect(response.json().totals.episodes).toBe(2);
  });

  it('needs a known level', async () => {
    for (const url of ['/api/areas', '/api/areas?level=county', '/api/areas?level=ward&simplify=-1']) {
      const response = await analyst.get(url);
      expect(response.statusCode, url).toBe(400);
    }
    expect((await analyst.get('/api/areas')).json().field).toBe('level');
  });
});

describe('meta', () => {
  it('describes what the database holds', async () => {
    const response = await analyst.get('/api/meta');
    expect(response.statusCode).toBe(200);
    const meta: Meta = response.json();
    expect(meta.demo).toBe(false);
    expect(meta.counts).toMatchObject({ incidents: 7, people: 6, locations: 2, areas: 2, timeUnknown: 0 });
    expect(meta.dateRange).toEqual({ from: '2025-02-03', to: '2025-02-08' });
    expect(meta.extent![0]).toBeLessThan(PARK.lon);
    expect(meta.extent![2]).toBeGreaterThan(TAKEAWAY.lon);
    expect(meta.areaLevels).toEqual([{ level: 'neighbourhood', count: 2 }]);
    expect(meta.vocabulary.ageBands).toContain('50plus');
    expect(meta.timeZone).toBe('Europe/London');
  });

  it('counts an incident added since the last page at once (its counts are kept per data version)', async () => {
    const before: Meta = (await analyst.get('/api/meta')).json();
    await insertIncidents(db.pool, [{ local: '2025-02-09 12:00', ...pointFrom(PARK, 30), person: 'x' }]);
    const after: Meta = (await analyst.get('/api/meta')).json();
    expect(after.counts).toEqual({ ...before.counts, incidents: 8 });
    expect(before.counts.incidents).toBe(7);
    expect(after.dateRange).toEqual({ from: '2025-02-03', to: '2025-02-09' });
  });
});
