// Ranking locations of concern: each incident counts once, at its nearest open place
// within the radius (edge of an outline), also beyond the 150 m link; the previous equal
// period; and the place's hour x weekday profile counted the same way.
import type { HourWeekdayProfile, LocationCollection } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, insertLocation, linkNearestLocations, pointFrom } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.36, lat: 51.38 };
const at = (east: number, north = 0) => pointFrom(CENTRE, east, north);
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  // An estate: a 100 m square centred on CENTRE. A stairwell 60 m west of its west edge
  // (110 m west of the centre) and a shop 1 km east.
  ids.estate = await insertLocation(db.pool, { name: 'Square estate', kind: 'housing_estate', ...CENTRE, halfSide: 50 });
  ids.stairwell = await insertLocation(db.pool, { name: 'Stairwell', kind: 'stairwell', ...at(-110) });
  ids.shop = await insertLocation(db.pool, { name: 'Corner shop', kind: 'shop', ...at(1000) });
  await insertIncidents(db.pool, [
    // March 2025 (the period under test)
    { local: '2025-03-03 21:00', ...at(0), person: 'a', harm: 10 }, // inside the estate
    { local: '2025-03-04 21:30', ...at(120), person: 'b', harm: 20 }, // 70 m east of the estate's edge
    { local: '2025-03-05 22:00', ...at(-90), person: 'c', harm: 40 }, // 40 m from the estate's edge, 20 m from the stairwell
    { local: '2025-03-06 23:00', ...at(-310), person: 'g', harm: 5 }, // 200 m from the stairwell, 260 m from the estate
    { local: '2025-03-31 12:00', ...at(1005), person: 'd', harm: 1 }, // at the shop
    // February 2025 (the previous 31 days are 29 Jan - 28 Feb)
    { local: '2025-02-10 21:00', ...at(10), person: 'a', harm: 10 },
    { local: '2025-01-29 08:00', ...at(1000), person: 'e', harm: 3 },
    { local: '2025-01-28 08:00', ...at(1000), person: 'f', harm: 1000 }, // a day before the previous period
  ]);
  await linkNearestLocations(db.pool); // as every importer does
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function ranking(query: string): Promise<LocationCollection> {
  const response = await analyst.get(`/api/locations?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const props = (collection: LocationCollection, name: string) =>
  collection.features.find((feature) => feature.id === ids[name])!.properties;

describe('ranking locations of concern', () => {
  it('counts incidents within 100 m of an outline\'s edge, one near two places only at the nearer', async () => {
    const march = await ranking('from=2025-03-01&to=2025-03-31');
    expect(march.parameters.radius).toBe(100);
    // c is within 100 m of both the estate and the stairwell: it counts at the stairwell
    // alone, so the stairwell (harm 40) outranks the estate (10 + 20).
    expect(props(march, 'stairwell')).toMatchObject({ rank: 1, episodes: 1, harm: 40 });
    expect(props(march, 'estate')).toMatchObject({ rank: 2, episodes: 2, people: 2, harm: 30 });
    expect(props(march, 'shop')).toMatchObject({ rank: 3, episodes: 1, harm: 1 });
    expect(march.features.map((feature) => feature.properties.rank)).toEqual([1, 2, 3]);
    // A partition: the places' episodes add up to the incidents within 100 m of any place.
    expect(march.features.reduce((sum, feature) => sum + feature.properties.episodes, 0)).toBe(4);
  });

  it('takes the radius from the request', async () => {
    const tight = await ranking('from=2025-03-01&to=2025-03-31&radius=40');
    expect(tight.parameters.radius).toBe(40);
    expect(props(tight, 'estate')).toMatchObject({ episodes: 1, harm: 10 });
    expect(props(tight, 'stairwell')).toMatchObject({ episodes: 1 });
    // Beyond the 150 m link, the nearest place is looked up for the radius.
    const wide = await ranking('from=2025-03-01&to=2025-03-31&radius=300');
    expect(props(wide, 'stairwell')).toMatchObject({ episodes: 2, harm: 45 });
    expect(props(wide, 'estate')).toMatchObject({ episodes: 2, harm: 30 });
    const inside = await ranking('from=2025-03-01&to=2025-03-31&radius=0');
    expect(props(inside, 'estate')).toMatchObject({ episodes: 1, harm: 10 });
    expect(props(inside, 'stairwell').episodes).toBe(0);
    for (const radius of ['-1', '1001', 'far']) {
      const response = await analyst.get(`/api/locations?radius=${radius}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().field).toBe('radius');
    }
  });

  it('compares with the previous period of equal length', async () => {
    const march = await ranking('from=2025-03-01&to=2025-03-31');
    expect(march.parameters.period).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(march.parameters.previousPeriod).toEqual({ from: '2025-01-29', to: '2025-02-28' });
    expect(props(march, 'estate').previous).toEqual({ episodes: 1, harm: 10 });
    expect(props(march, 'stairwell').previous).toEqual({ episodes: 0, harm: 0 });
    expect(props(march, 'shop').previous).toEqual({ episodes: 1, harm: 3 });
    // Other filters apply to both periods.
    const evenings = await ranking('from=2025-03-01&to=2025-03-31&hours=19-23');
    expect(props(evenings, 'shop')).toMatchObject({ episodes: 0, previous: { episodes: 0, harm: 0 } });
  });

  it('fills an open end from the data and has no comparison without dates', async () => {
    const fromMarch = await ranking('from=2025-03-01');
    expect(fromMarch.parameters.period).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    const all = await ranking('');
    expect(all.parameters.period).toEqual({ from: '2025-01-28', to: '2025-03-31' });
    expect(all.parameters.previousPeriod).toBeNull();
    expect(props(all, 'shop')).toMatchObject({ rank: 1, episodes: 3, previous: null });
  });

  it('gives the hour x weekday profile of a place over the same radius', async () => {
    const profileOf = async (query: string): Promise<HourWeekdayProfile> => {
      const response = await analyst.get(`/api/profile/hour-weekday?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const estate = await profileOf(`from=2025-03-01&to=2025-03-31&locationId=${ids.estate}`);
    expect(estate.totals.episodes).toBe(2);
    expect(estate.episodes[0]![21]).toBe(1); // Monday 3 March, 21:00
    expect(estate.episodes[1]![21]).toBe(1); // Tuesday 4 March, 21:30
    expect(estate.episodes[2]![22]).toBe(0); // Wednesday 5 March, 22:00: nearer the stairwell
    const tight = await profileOf(`from=2025-03-01&to=2025-03-31&locationId=${ids.estate}&radius=0`);
    expect(tight.totals.episodes).toBe(1);
    const wide = await profileOf(`from=2025-03-01&to=2025-03-31&locationId=${ids.stairwell}&radius=300`);
    expect(wide.totals.episodes).toBe(2);
  });
});
