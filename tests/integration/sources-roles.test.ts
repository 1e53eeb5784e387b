// Sources and roles as filters (issue 27 item 1): the Cardiff Model's question (hospital
// attendances against police records) and victims against suspects, on every data
// route (point tiles too), through the one compiled filter, by PostgreSQL and the column
// copy alike; and demo data apart from imported data (issue 27 item 3).
import type { AreaSummary, GiStarResult, HourWeekdayProfile } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, linkNearestLocations, pointFrom, type IncidentRow } from '../helpers/fixtures.js';
import { tileAt } from '../../scripts/bench/measure.js';

const CENTRE = { lon: -2.359, lat: 51.381 };
let db: TestDatabase;
let app: TestApp;
let analyst: Session;
let police: Session;

// Friday 7 March 2025, 22:00-23:59, in one ward: 3 police records of victims, 2 hospital
// attendances of victims, 1 hospital attendance of a suspect.
// The police records carry outcomes: two charged, one with no suspect identified.
const at = (k: number, source: string, role: string): IncidentRow => ({
  local: `2025-03-07 2${2 + (k % 2)}:${String(10 + k).padStart(2, '0')}`, ...pointFrom(CENTRE, k * 40, 0),
  category: 'knife_crime', age: 19, source, role, ...(source === 'police' ? { outcome: k === 2 ? 'no_suspect' : 'charged' } : {}),
});

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'W01', name: 'Centre', ...CENTRE, half: 0.02 });
  await insertIncidents(db.pool, [
    at(0, 'police', 'victim'), at(1, 'police', 'victim'), at(2, 'police', 'victim'),
    at(3, 'hospital_ed', 'victim'), at(4, 'hospital_ed', 'victim'), at(5, 'hospital_ed', 'suspect'),
  ]);
  // The police records stand for the generated demo set, the hospital ones for imported data.
  await db.pool.query(`UPDATE incidents SET is_demo = (source = 'police')`);
  await linkNearestLocations(db.pool);
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
  police = await signIn(app, 'police');
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const ok = async (session: Session, url: string) => {
  const response = await session.get(url);
  expect(response.statusCode, `${url} ${response.body.slice(0, 200)}`).toBe(200);
  return response;
};

describe('sources and roles filter every data route', () => {
  it('narrow the profile, the area summary, Gi*, OGC items and the export alike', async () => {
    const pointTiles = async (query: string) => {
      const { x, y } = tileAt(CENTRE.lon, CENTRE.lat, 15);
      let features = 0;
      for (const dx of [-1, 0, 1]) {
        for (const dy of [-1, 0, 1]) {
          features += Number((await ok(analyst, `/api/tiles/incidents/15/${x + dx}/${y + dy}.mvt?${query}`)).headers['x-feature-count']);
        }
      }
      return features;
    };
    for (const [query, expected] of [['', 6], ['sources=hospital_ed', 3], ['roles=victim', 5], ['sources=hospital_ed&roles=victim', 2], ['sources=social_care', 0],
      ['data=demo', 3], ['data=imported', 3], ['data=imported&roles=victim', 2], ['outcomes=charged', 2], ['outcomes=charged,no_suspect', 3],
      ['outcomes=unknown&sources=hospital_ed', 3]] as const) {
      expect(await pointTiles(query), `point tiles ${query}`).toBe(expected);
      const profile = (await ok(analyst, `/api/profile/hour-weekday?${query}`)).json() as HourWeekdayProfile;
      expect(profile.totals.episodes, query).toBe(expected);
      const summary = (await ok(analyst, `/api/areas/summary?level=ward&${query}`)).json() as AreaSummary;
      expect(summary.total.episodes, query).toBe(expected);
      const gi = (await ok(analyst, `/api/hotspots/gistar?cellSize=150&${query}`)).json() as GiStarResult;
      expect(gi.parameters.incidents + gi.parameters.outside.incidents, query).toBe(expected);
      const items = (await ok(police, `/ogc/collections/incidents/items?limit=100&${query}`)).json() as { numberMatched: number };
      expect(items.numberMatched, query).toBe(expected);
    }
    const csv = (await ok(analyst, '/api/exports/incidents?format=csv&sources=hospital_ed&justification=Cardiff%20Model%20comparison')).body;
    expect(csv.trim().split('\n').length - 1).toBe(3);
  });

  it('narrow a patrol plan and a meeting pack, and are named in words', async () => {
    const episodes = async (body: Record<string, string>) => {
      const plan = await police.post('/api/patrol-plans', { date: '2025-03-14', start: '22:00', end: '02:00', places: 5, ...body });
      expect(plan.statusCode, plan.body).toBe(201);
      return (plan.json().places as { episodes: number }[]).reduce((sum, place) => sum + place.episodes, 0);
    };
    expect(await episodes({})).toBe(6);
    expect(await episodes({ sources: 'hospital_ed' })).toBe(3);
    expect(await episodes({ roles: 'suspect' })).toBe(1);
    expect(await episodes({ outcomes: 'charged' })).toBe(2);
    expect(await episodes({ data: 'imported' })).toBe(3);
    const pack = await ok(analyst, '/api/meeting-pack?meeting=svog&date=2025-04-01&sources=hospital_ed&roles=victim');
    expect(pack.json().sections.length).toBeGreaterThan(0);
    const filtered = (await ok(analyst, '/api/areas/summary.csv?level=ward&sources=hospital_ed&roles=victim')).body;
    expect(filtered).toContain('Sources: Hospital emergency department; Roles: Victim');
  });

  it('turn away a value outside the vocabulary, naming the field', async () => {
    for (const [query, field] of [['sources=twitter', 'sources'], ['outcomes=acquitted', 'outcomes']]) {
      const response = await analyst.get(`/api/profile/hour-weekday?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ field });
    }
  });

  it('say how many incidents an outcome filter could not judge: the records that carry no outcome', async () => {
    const profile = (await ok(analyst, '/api/profile/hour-weekday?outcomes=charged')).json() as HourWeekdayProfile;
    expect(profile.totals.episodes).toBe(2);
    expect(profile.notJudged).toEqual({ outcome: 3 });
    const summary = (await ok(analyst, '/api/areas/summary?level=ward&outcomes=charged')).json() as AreaSummary;
    expect(summary.notJudged).toEqual({ outcome: 3 });
  });

  it('count people by the sources that name them: hospital attendances with no police record (the Cardiff Model)', async () => {
    // The six incidents' people (one each): three seen by the police only, three by the hospital only; then one
    // hospital patient is also in a police record, and one police record's person is seen twice by the police.
    const refs = (await db.pool.query<{ id: string; source: string }>('SELECT id::text, source FROM incidents ORDER BY id')).rows;
    const hospitalRows = refs.filter((r) => r.source === 'hospital_ed');
    const policeRows = refs.filter((r) => r.source === 'police');
    await db.pool.query(`UPDATE incidents SET person_ref = 'shared-person' WHERE id IN ($1, $2)`, [hospitalRows[0]!.id, policeRows[0]!.id]);
    await db.pool.query(`UPDATE incidents SET person_ref = 'twice-police' WHERE id IN ($1, $2)`, [policeRows[1]!.id, policeRows[2]!.id]);
    const response = await analyst.get('/api/people/sources?categories=knife_crime');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      combinations: [
        { sources: ['hospital_ed'], people: 2 },
        { sources: ['hospital_ed', 'police'], people: 1 },
        { sources: ['police'], people: 1 },
      ],
      disclosureControl: false,
    });
    expect((await police.get('/api/people/sources')).statusCode).toBe(403);
  });
});
