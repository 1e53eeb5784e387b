// The warm-up (server/src/plugins/warm-up.ts): after start, and after a change to the
// data, the map page's opening questions (no filter; the time-of-day and age presets,
// alone and crossed) are answered before anyone asks, and the answers are the ones a
// cold server computes. Asking one then is a cache hit, and is still audited.
import { AGE_PRESETS, EMERGING_CELL_SIZE, filtersToSearch, MAP_GISTAR_CELL_SIZE, parseFilters, TIME_PRESETS, type Filters, type HourWeekdayProfile, type LocationCollection } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataVersion } from '../../server/src/plugins/database.js';
import { WARMED_FILTERS } from '../../server/src/plugins/warm-up.js';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, pointFrom } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.36, lat: 51.38 };
let db: TestDatabase;
let warm: TestApp;
let cold: TestApp;
let analyst: Session;
let coldAnalyst: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'E05000001', name: 'Test ward', ...CENTRE, half: 0.05 });
  await insertLocation(db.pool, { name: 'Play park', kind: 'park', ...CENTRE });
  await insertIncidents(db.pool, [
    { local: '2025-03-03 16:00', ...CENTRE, age: 15, person: 'a' },
    { local: '2025-03-04 17:30', ...pointFrom(CENTRE, 40, 0), age: 12, person: 'a' },
    { local: '2025-03-05 23:00', ...pointFrom(CENTRE, -60, 20), age: 22, person: 'b' },
    { local: '2025-03-06 09:00', ...pointFrom(CENTRE, 500, 300), age: 40, person: 'c' },
    // Outside the ward, so that the data spans the months emerging hot spots needs (Dec-Mar).
    { local: '2024-12-07 20:00', ...pointFrom(CENTRE, 6000, 0), age: 19, person: 'e' }, // three whole months back from 6 March
  ]);
  warm = await testApp(db.url, { WARM_QUESTIONS: true });
  cold = await testApp(db.url);
  await warm.ready();
  await warm.warmUp.settled();
  analyst = await signIn(warm, 'analyst');
  coldAnalyst = await signIn(cold, 'analyst');
});

afterAll(async () => {
  await warm?.close();
  await cold?.close();
  await db?.drop();
});

/** The filters a click on a time-of-day preset and then an age preset gives in the web app (FilterPanel). */
function presetFilters(time: (typeof TIME_PRESETS)[number] | null, age: (typeof AGE_PRESETS)[number]): Filters {
  const parsed = parseFilters({ ...(time && { hours: time.hours }) });
  if (!parsed.ok) throw new Error('preset does not parse');
  return { ...parsed.value, ...(age.bands.length > 0 && { ages: [...age.bands] }) };
}

const auditRows = async () =>
  Number((await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_log')).rows[0]!.n);

describe('warm-up of the opening questions', () => {
  it('warms no filter first, then every time preset crossed with every age preset', () => {
    expect(WARMED_FILTERS[0]).toEqual({});
    expect(WARMED_FILTERS).toHaveLength((TIME_PRESETS.length + 1) * AGE_PRESETS.length);
    for (const query of WARMED_FILTERS) expect(parseFilters(query).ok, JSON.stringify(query)).toBe(true);
  });

  it('builds the study grids of the map\'s Gi* and of emerging hot spots, so their first asking does not wait for them', async () => {
    for (const size of [MAP_GISTAR_CELL_SIZE, EMERGING_CELL_SIZE]) {
      expect(await warm.results.holds('study-grid', { size })).toBe(true);
      expect(await cold.results.holds('study-grid', { size })).toBe(false);
    }
  });

  it('says in /api/health when the questions are answered, and off when it does not warm', async () => {
    expect(warm.warmUp.status).toBe('ready');
    expect((await warm.inject('/api/health')).json()).toMatchObject({ status: 'ok', questions: 'ready' });
    expect((await cold.inject('/api/health')).json()).toMatchObject({ status: 'ok', questions: 'off' });
  });

  it('has counted the incidents every page asks for as it opens (/api/meta), as a cold server counts them', async () => {
    const { hits, misses } = warm.results.stats;
    const meta = await analyst.get('/api/meta');
    expect(meta.statusCode, meta.body).toBe(200);
    expect([warm.results.stats.hits - hits, warm.results.stats.misses - misses]).toEqual([1, 0]);
    expect(meta.json()).toEqual((await coldAnalyst.get('/api/meta')).json());
  });

  it('answers a preset click from what it kept, audits it, and answers as a cold server does', async () => {
    for (const time of [null, ...TIME_PRESETS]) {
      for (const age of AGE_PRESETS) {
        const search = `?${filtersToSearch(presetFilters(time, age))}`;
        const { hits, misses } = warm.results.stats;
        const audited = await auditRows();
        const profile = await analyst.get(`/api/profile/hour-weekday${search}`);
        const places = await analyst.get(`/api/locations${search}`);
        // The hexagon tile draws itself (a tile-cache miss) from the kept hexagon counts (a hit);
        // the places answer is serialised once per role (a miss) from the kept ranking (a hit).
        const tile = await analyst.get(`/api/tiles/incidents/11/1010/681.mvt${search}`);
        expect([profile.statusCode, places.statusCode, tile.statusCode], search).toEqual([200, 200, 200]);
        expect(warm.results.stats.misses - misses, search).toBe(2);
        // The profile, the hexagon counts and the ranking kept; and what a filter could not judge
        // (asked by the profile and by the ranking), when one is set.
        expect(warm.results.stats.hits - hits, search).toBe(search === '?' ? 3 : 5);
        expect(await auditRows() - audited, search).toBe(3);
        expect(profile.json<HourWeekdayProfile>()).toEqual((await coldAnalyst.get(`/api/profile/hour-weekday${search}`)).json());
        expect(places.json<LocationCollection>()).toEqual((await coldAnalyst.get(`/api/locations${search}`)).json());
        expect(tile.rawPayload.equals((await coldAnalyst.get(`/api/tiles/incidents/11/1010/681.mvt${search}`)).rawPayload), search).toBe(true);
      }
    }
  });

  it('answers the summary page as it opens from what it kept: exact for analysts, disclosure-controlled for the panel', async () => {
    // The first level holding areas, the latest whole quarter of the data (Q1 2025), compared with the one before.
    const url = '/api/areas/summary?level=ward&from=2025-01-01&to=2025-03-31&compare=previous';
    const panel = await signIn(warm, 'panel');
    const { hits, misses } = warm.results.stats;
    const panelView = await panel.get(url);
    const analystView = await analyst.get(url);
    expect([panelView.statusCode, analystView.statusCode]).toEqual([200, 200]);
    expect(warm.results.stats.misses - misses).toBe(0);
    expect(warm.results.stats.hits - hits).toBe(2);
    // Both made from one kept exact summary; the panel's copy never shows a count of 1-4.
    expect(panelView.json().rows[0]).toMatchObject({ code: 'E05000001', episodes: expect.toBeOneOf([0, 5]) });
    expect(analystView.json().rows[0]).toMatchObject({ code: 'E05000001', episodes: 4 });
    expect(analystView.json()).toEqual((await coldAnalyst.get(url)).json());
    expect((await panel.get(url)).json()).toEqual(panelView.json());
  });

  it('answers the kernel density layer as it opens from what it kept, for every role allowed it, as a cold server does', async () => {
    const police = await signIn(warm, 'police');
    const { hits } = warm.results.stats;
    const analystView = await analyst.get('/api/hotspots/kde');
    const policeView = await police.get('/api/hotspots/kde');
    expect([analystView.statusCode, policeView.statusCode]).toEqual([200, 200]);
    // Both roles are sent the one surface the warm-up made, serialised once (in a worker thread).
    expect(warm.results.stats.hits - hits).toBe(2);
    expect(policeView.body).toBe(analystView.body);
    expect(analystView.json()).toEqual((await coldAnalyst.get('/api/hotspots/kde')).json());
    const { misses } = warm.results.stats;
    expect((await analyst.get('/api/hotspots/kde?weekdays=mon')).statusCode).toBe(200);
    expect(warm.results.stats.misses - misses).toBe(1);
  });

  it('answers the Gi* and emerging hot spot layers as they open from what it kept, as a cold server does', async () => {
    for (const url of [`/api/hotspots/gistar?cellSize=${MAP_GISTAR_CELL_SIZE}`, '/api/hotspots/emerging']) {
      const { hits, misses } = warm.results.stats;
      const view = await analyst.get(url);
      expect(view.statusCode, view.body).toBe(200);
      // The warm-up's kept answer, already serialised: a hit and no miss.
      expect([warm.results.stats.hits - hits, warm.results.stats.misses - misses], url).toEqual([1, 0]);
      expect(view.json(), url).toEqual((await coldAnalyst.get(url)).json());
    }
    // The automatic cell size, which the map does not ask, is not warmed: the answer is
    // made, with the study area's size it is chosen from (kept from then on).
    const { misses } = warm.results.stats;
    expect((await analyst.get('/api/hotspots/gistar')).statusCode).toBe(200);
    expect(warm.results.stats.misses - misses).toBe(2);
    expect(await warm.results.holds('study-area', {})).toBe(true);
  });

  it('does not warm other filters', async () => {
    const { misses } = warm.results.stats;
    expect((await analyst.get('/api/profile/hour-weekday?weekdays=mon')).statusCode).toBe(200);
    expect(warm.results.stats.misses - misses).toBe(2); // the profile, and what its weekdays filter could not judge
  });

  it('warms again after the data changes, with the new data', async () => {
    const before = (await analyst.get('/api/profile/hour-weekday?hours=15-19')).json<HourWeekdayProfile>();
    await insertIncidents(db.pool, [{ local: '2025-03-07 16:15', ...CENTRE, age: 16, person: 'd' }]);
    await warm.warmUp.refresh();
    expect(warm.warmUp.status).toBe('ready');
    const { misses } = warm.results.stats;
    const after = (await analyst.get('/api/profile/hour-weekday?hours=15-19')).json<HourWeekdayProfile>();
    expect(warm.results.stats.misses - misses).toBe(0);
    expect(after.totals.episodes).toBe(before.totals.episodes + 1);
  });

  it('warms after a change made through the server, without being asked', async () => {
    const admin = await signIn(warm, 'admin');
    const weights = await admin.get('/api/harm-weights');
    expect(weights.statusCode, weights.body).toBe(200);
    const { category, weight } = weights.json<{ weights: { category: string; weight: number }[] }>().weights[0]!;
    const changed = await admin.put(`/api/harm-weights/${category}`, { weight: weight + 1, basis: 'warm-up test' });
    expect(changed.statusCode, changed.body).toBe(200);
    const version = await readDataVersion(db.pool);
    await expect.poll(() => warm.warmUp.dataVersion, { timeout: 10_000 }).toBe(version);
    const { misses, hits } = warm.results.stats;
    expect((await analyst.get(`/api/locations?hours=22-4`)).statusCode).toBe(200);
    // The ranking and what its hours filter could not judge were kept ahead (two hits); only the serialised copy for this role is new (a miss).
    expect([warm.results.stats.misses - misses, warm.results.stats.hits - hits]).toEqual([1, 2]);
  });
});
