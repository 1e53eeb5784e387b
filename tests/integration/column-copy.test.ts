// The column copy (server/src/counting/duckdb/copy.ts, plugins/column-copy.ts): the map's
// three questions, the area summary and the hotspot engine's counts answered from an
// in-process DuckDB copy give exactly what PostgreSQL gives, under every kind of filter; the copy answers only for the data version it
// holds, so a change is never missed; and it is what the routes use when it can answer.
import {
  AGE_BAND_IDS, CATEGORIES, GENDERS, LOCATION_KINDS, OUTCOMES, ROLES_IN_INCIDENT, SOURCES, WEEKDAYS, filtersToSearch,
  type Filters, type HourWeekdayProfile,
} from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckParams } from '../../server/src/counting/duckdb/conditions.js';
import { sliceOf, type ColumnCopy } from '../../server/src/counting/duckdb/copy.js';
import type {} from '../../server/src/plugins/column-copy.js';
import type {} from '../../server/src/plugins/counting.js';
import { readDataVersion } from '../../server/src/plugins/database.js';
import type {} from '../../server/src/repositories/meta.js';
import { giStarInput, giStarResult, kdeInput, kdeResult, timeSlices } from '../../server/src/hotspots/engine.js';
import { hotspotData, memo, type HotspotData } from '../../server/src/hotspots/data.js';
import { firstAnswering } from '../../server/src/counting/counter.js';
import { comparisonPeriods } from '../../server/src/repositories/locations.js';
import { summaryPlan } from '../../server/src/repositories/summaries.js';
import { everyZoom, type HexagonCountsByZoom } from '../../server/src/repositories/incidents.js';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { tileAt } from '../../scripts/bench/measure.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.36, lat: 51.38 };
let db: TestDatabase;
let app: TestApp;
let off: TestApp;
let analyst: Session;
let parkId: number;

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
const some = <T>(next: () => number, values: readonly T[]): T[] => {
  const chosen = values.filter(() => next() < 0.4);
  return chosen.length > 0 ? chosen : [pick(next, values)];
};

function incidents(count: number, seed: number): IncidentRow[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, k) => {
    const precision = pick(next, ['minute', 'minute', 'minute', 'day', 'month'] as const);
    const day = `2025-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    const local = precision === 'month' ? day.slice(0, 7) : `${day} ${String(Math.floor(next() * 24)).padStart(2, '0')}:30`;
    return {
      local, precision,
      ...pointFrom(CENTRE, (next() - 0.5) * 3000, (next() - 0.5) * 3000),
      category: pick(next, CATEGORIES),
      age: next() < 0.1 ? null : Math.floor(next() * 60),
      gender: pick(next, GENDERS),
      // Some people appear more than once; some incidents have no person.
      person: next() < 0.1 ? null : `person-${Math.floor(next() * (count / 3))}-${k % 2}`,
      harm: pick(next, [1, 1.5, 2.25, 0.7, 3.1]),
      source: pick(next, ['police', 'police', 'hospital_ed', 'social_care'] as const),
      role: pick(next, ROLES_IN_INCIDENT),
      outcome: pick(next, OUTCOMES),
    };
  });
}

/** The areas of the test: two overlapping wards and the district. */
const AREA_CODES = ['E05000001', 'E05000002', 'E06000022'];

/** Random filters over every field, and dates. */
function filtersFrom(seed: number): Filters {
  const next = random(seed);
  const filters: Filters = {};
  if (next() < 0.4) filters.from = `2025-${String(1 + Math.floor(next() * 6)).padStart(2, '0')}-01`;
  if (next() < 0.4) filters.to = `2025-${String(7 + Math.floor(next() * 6)).padStart(2, '0')}-15`;
  if (next() < 0.5) filters.hours = some(next, Array.from({ length: 24 }, (_, hour) => hour));
  if (next() < 0.4) filters.weekdays = some(next, WEEKDAYS);
  if (next() < 0.5) filters.ages = some(next, AGE_BAND_IDS);
  if (next() < 0.3) filters.genders = some(next, GENDERS);
  if (next() < 0.4) filters.categories = some(next, CATEGORIES);
  if (next() < 0.3) filters.locationKinds = some(next, LOCATION_KINDS);
  if (next() < 0.3) filters.areas = some(next, AREA_CODES);
  if (next() < 0.3) filters.sources = some(next, SOURCES);
  if (next() < 0.3) filters.roles = some(next, ROLES_IN_INCIDENT);
  if (next() < 0.3) filters.outcomes = some(next, OUTCOMES);
  if (next() < 0.3) filters.data = pick(next, ['demo', 'imported'] as const);
  if (next() < 0.3) filters.extent = 'all';
  return filters;
}

const FILTERS: Filters[] = [{}, ...Array.from({ length: 40 }, (_, k) => filtersFrom(1000 + k))];

/** The copy answering now (the test fails if there is none). */
async function copyOf(target: TestApp): Promise<ColumnCopy> {
  let found: ColumnCopy | null = null;
  await target.columns.answer(await readDataVersion(db.pool), async (copy) => {
    found = copy;
    return null;
  });
  if (!found) throw new Error('no column copy at the current data version');
  return found;
}

/** Hexagon counts with harm rounded to 9 decimals: two engines sum floats in different orders. */
function comparable(counts: HexagonCountsByZoom | null) {
  return counts && [...everyZoom(counts)].map(([zoom, c]) => ({ zoom, i: [...c.i], j: [...c.j], episodes: [...c.episodes], harm: [...c.harm].map((h) => Number(h.toFixed(9))) }));
}

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'E05000001', name: 'Test ward', ...CENTRE, half: 0.01 });
  // Overlapping the first by about 200 m: the incidents there are in two wards.
  await insertArea(db.pool, { level: 'ward', code: 'E05000002', name: 'Next ward', ...pointFrom(CENTRE, 1200, 0), half: 0.01 });
  await insertArea(db.pool, { level: 'district', code: 'E06000022', name: 'District', ...CENTRE, half: 0.05 });
  parkId = await insertLocation(db.pool, { name: 'Play park', kind: 'park', ...CENTRE });
  await insertLocation(db.pool, { name: 'Estate', kind: 'housing_estate', ...pointFrom(CENTRE, 400, 200), halfSide: 120 });
  await insertLocation(db.pool, { name: 'Takeaway', kind: 'takeaway', ...pointFrom(CENTRE, -500, -300) });
  await db.pool.query("INSERT INTO locations_of_concern (name, kind, status, geom) VALUES ('Old stairwell', 'stairwell', 'closed', ST_SetSRID(ST_MakePoint($1, $2), 4326))",
    [pointFrom(CENTRE, 30, 30).lon, pointFrom(CENTRE, 30, 30).lat]);
  await insertIncidents(db.pool, incidents(3000, 7));
  // A third of them stand for the generated demo set (the data=demo|imported filter).
  await db.pool.query('UPDATE incidents SET is_demo = (id % 3 = 0)');
  // A tenth kept from a whole force file, outside the district (counted only with extent=all).
  await db.pool.query('UPDATE incidents SET in_district = (id % 10 <> 0)');
  await linkNearestLocations(db.pool);
  app = await testApp(db.url, { COLUMN_COPY: true });
  off = await testApp(db.url, { COLUMN_COPY: false });
  await app.ready();
  await app.warmUp.settled();
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await off?.close();
  await db?.drop();
});

describe('the column copy', () => {
  it('is loaded after start at the current data version, and says so in /api/health', async () => {
    expect(app.columns.status).toBe('ready');
    expect(app.columns.dataVersion).toBe(await readDataVersion(db.pool));
    expect((await copyOf(app)).incidents).toBe(3000);
    expect((await app.inject('/api/health')).json()).toMatchObject({ status: 'ok', columns: 'ready', questions: 'off' });
    expect((await off.inject('/api/health')).json()).toMatchObject({ columns: 'off' });
  });

  it('counts what each filter could not judge as PostgreSQL does, under every kind of filter', async () => {
    const copy = await copyOf(app);
    let judgedSome = 0;
    for (const filters of FILTERS) {
      const expected = await app.counting.postgres.notJudged(filters);
      expect(await copy.notJudged(filters), JSON.stringify(filters)).toEqual(expected);
      judgedSome += Object.values(expected.counts).some((n) => n > 0) ? 1 : 0; // and the same cell keys
    }
    expect(judgedSome).toBeGreaterThan(5);
  });

  it('counts hexagons as PostgreSQL does, under every kind of filter', async () => {
    const copy = await copyOf(app);
    for (const filters of FILTERS) {
      const fromCopy = await copy.hexagonCounts(filters);
      expect(fromCopy, JSON.stringify(filters)).not.toBeNull();
      expect(comparable(fromCopy), JSON.stringify(filters)).toEqual(comparable(await app.counting.postgres.hexagonCounts(filters)));
    }
  });

  it('finds the incidents of point tiles as PostgreSQL does, edges included, under every kind of filter', async () => {
    const copy = await copyOf(app);
    let found = 0;
    for (const z of [14, 15, 16]) {
      const centre = tileAt(CENTRE.lon, CENTRE.lat, z);
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]] as const) {
        const tile = { z, x: centre.x + dx, y: centre.y + dy };
        for (const filters of FILTERS) {
          const expected = (await app.counting.postgres.tileIncidents(filters, tile, 100_000)).sort((a, b) => a - b);
          expect((await copy.tileIncidents(filters, tile, 100_000)).sort((a, b) => a - b), `${JSON.stringify(tile)} ${JSON.stringify(filters)}`).toEqual(expected);
          found += expected.length;
        }
      }
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('gives the hour x weekday profile PostgreSQL gives (people counted once, unknown hours in the totals only), also near a place', async () => {
    const copy = await copyOf(app);
    let timeUnknown = 0;
    for (const filters of FILTERS) {
      const expected: HourWeekdayProfile = await app.counting.postgres.hourWeekdayProfile(filters);
      expect(await copy.hourWeekdayProfile(filters), JSON.stringify(filters)).toEqual(expected);
      timeUnknown += expected.totals.timeUnknown;
      const near = { locationId: parkId, radius: 100 };
      expect(await copy.hourWeekdayProfile(filters, near), JSON.stringify(filters)).toEqual(await app.counting.postgres.hourWeekdayProfile(filters, near));
    }
    expect(timeUnknown).toBeGreaterThan(0);
    // Only the neighbourhoods it holds: another radius is PostgreSQL's.
    expect(await copy.hourWeekdayProfile({}, { locationId: parkId, radius: 250 })).toBeNull();
  });

  it('ranks places as PostgreSQL does, with the previous period, outlines and closed places', async () => {
    const copy = await copyOf(app);
    const dataRange = await app.metadata.dateRange();
    let counted = 0;
    for (const filters of FILTERS) {
      const periods = comparisonPeriods(filters, dataRange);
      const previous = periods.previousPeriod ? { ...filters, ...periods.previousPeriod } : null;
      const counts = await copy.placeCounts(filters, previous, 100);
      expect(counts).not.toBeNull();
      const fromCopy = await app.locations.list(filters, { limit: 2000, radius: 100, periods, counts: counts! });
      const fromPostgres = await app.locations.list(filters,
        { limit: 2000, radius: 100, periods, counts: await app.counting.postgres.placeCounts(filters, previous, 100) });
      expect(fromCopy, JSON.stringify(filters)).toEqual(fromPostgres);
      counted += fromPostgres.features.reduce((sum, feature) => sum + feature.properties.episodes, 0);
    }
    expect(counted).toBeGreaterThan(0);
  });

  it('counts the area summary as PostgreSQL does: periods, comparisons, trend, people once, every level', async () => {
    const copy = await copyOf(app);
    // Each level with memberships by each incident's own column; the wards overlap, so
    // some incidents lie in two (and come from multi_members).
    expect([...copy.levelColumns]).toContain('district');
    expect([...copy.levelColumns]).toContain('ward');
    // A level without areas gets no column.
    expect([...copy.levelColumns]).not.toContain('lsoa');
    const dataRange = await app.metadata.dateRange();
    let episodes = 0;
    for (const [k, filters] of FILTERS.entries()) {
      for (const level of ['ward', 'district'] as const) {
        const compare = k % 3 === 0 ? undefined : k % 3 === 1 ? 'previous' as const : 'last_year' as const;
        const plan = summaryPlan(level, filters, compare, dataRange);
        const fromCopy = await app.summaries.byArea(plan, await copy.areaCounts(plan.question));
        const fromPostgres = await app.summaries.byArea(plan, await app.counting.postgres.areaCounts(plan.question));
        expect(fromCopy, `${level} ${compare} ${JSON.stringify(filters)}`).toEqual(fromPostgres);
        episodes += fromPostgres.total.episodes;
      }
    }
    expect(episodes).toBeGreaterThan(0);
  });

  it('bins incidents into the hotspot grids (also per week, month and quarter) and snaps kernel density\'s points as PostgreSQL does', async () => {
    const copy = await copyOf(app);
    const keep = memo();
    const fromCopy = hotspotData(app.hotspotStudy, firstAnswering(copy, app.counting.postgres), keep);
    const fromPostgres = hotspotData(app.hotspotStudy, app.counting.postgres, keep);
    const rounded = <T extends { harm: number }>(rows: T[]) => rows.map((row) => ({ ...row, harm: Number(row.harm.toFixed(9)) }));
    let binned = 0;
    let sliced = 0;
    for (const [k, filters] of FILTERS.entries()) {
      const size = [50, 150, 250][k % 3]!;
      const label = `${size} m ${JSON.stringify(filters)}`;
      expect(await copy.binned(size, filters, null), label).not.toBeNull();
      const grid = await fromPostgres.grid(size, filters);
      const gridFromCopy = await fromCopy.grid(size, filters);
      expect(rounded(gridFromCopy.cells), label).toEqual(rounded(grid.cells));
      expect(gridFromCopy.outside.count, label).toBe(grid.outside.count);
      binned += grid.cells.reduce((sum, cell) => sum + cell.count, 0);
      const { boundaries } = timeSlices(filters.from ?? '2025-01-01', filters.to ?? '2025-12-31', (['week', 'month', 'quarter'] as const)[k % 3]!);
      expect(sliceOf(boundaries, new DuckParams()), 'weeks, months and quarters by arithmetic').not.toBeNull();
      const slices = await fromPostgres.slicedGrid(size, filters, boundaries);
      const slicesFromCopy = await fromCopy.slicedGrid(size, filters, boundaries);
      expect(rounded(slicesFromCopy.rows), `${boundaries.length} slices ${label}`).toEqual(rounded(slices.rows));
      expect(slicesFromCopy.outside, label).toEqual(slices.outside);
      sliced += slices.rows.filter((cell) => (cell.slice ?? 0) > 0).length;
      const snapped = await fromPostgres.snappedPoints(filters);
      expect({ ...await fromCopy.snappedPoints(filters), harm: [] }, label).toEqual({ ...snapped, harm: [] });
      expect((await fromCopy.snappedPoints(filters)).harm.map((h) => h.toFixed(9)), label).toEqual(snapped.harm.map((h) => h.toFixed(9)));
    }
    expect(binned).toBeGreaterThan(0);
    expect(sliced).toBeGreaterThan(0);
    // Slices that are neither weeks nor months: by the join on the boundaries.
    const uneven = ['2025-01-01', '2025-02-10', '2025-05-01', '2025-05-02', '2025-12-31'];
    expect(sliceOf(uneven, new DuckParams())).toBeNull();
    for (const filters of FILTERS.slice(0, 6)) {
      expect(rounded((await fromCopy.slicedGrid(250, filters, uneven)).rows), JSON.stringify(filters)).toEqual(rounded((await fromPostgres.slicedGrid(250, filters, uneven)).rows));
    }
    // What the routes make of them: the same Gi* cells and density surface.
    const filters = FILTERS[2]!;
    const gi = async (data: HotspotData) => giStarResult(await giStarInput(data, filters, { cellSize: { cellSize: 150, source: 'requested' }, fdr: true, weight: 'count' }));
    expect(await gi(fromCopy)).toEqual(await gi(fromPostgres));
    const kde = async (data: HotspotData) => kdeResult(await kdeInput(data, filters, { weight: 'count' }));
    expect(await kde(fromCopy)).toEqual(await kde(fromPostgres));
  });

  it('counts same or new people per month and quarter as PostgreSQL does', async () => {
    const copy = await copyOf(app);
    let people = 0;
    for (const [k, filters] of FILTERS.entries()) {
      const question = { filters, unit: (['month', 'quarter', 'year'] as const)[k % 3]!, from: filters.from ?? '2025-01-01', to: filters.to ?? '2025-12-31' };
      const expected = await app.counting.postgres.peopleFlow(question);
      expect(await copy.peopleFlow(question), JSON.stringify(question)).toEqual(expected);
      people += expected.reduce((sum, row) => sum + row.new + row.returning + row.continuing, 0);
    }
    expect(people).toBeGreaterThan(0);
  });

  it('gives the Knox test\'s points (and the month-only records left out) as PostgreSQL does', async () => {
    const copy = await copyOf(app);
    for (const filters of FILTERS) {
      expect(await copy.incidentPoints(filters, 100_000), JSON.stringify(filters)).toEqual(await app.counting.postgres.incidentPoints(filters, 100_000));
    }
    expect((await copy.incidentPoints({}, 10)).x).toHaveLength(10);
  });

  it('answers a filter on areas from its copy of the area memberships, through the route too', async () => {
    const filters: Filters = { areas: ['E05000001'], ages: ['15-17'] };
    expect(FILTERS.filter((f) => f.areas).length).toBeGreaterThan(5);
    const answered = app.columns.answered;
    const response = await analyst.get(`/api/profile/hour-weekday?${filtersToSearch(filters)}`);
    expect(response.statusCode).toBe(200);
    // The profile and what its ages filter could not judge.
    expect(app.columns.answered - answered).toBe(2);
    const expected = { ...await app.counting.postgres.hourWeekdayProfile(filters), notJudged: (await app.counting.postgres.notJudged(filters)).counts };
    expect(expected.totals.episodes).toBeGreaterThan(0);
    expect(expected.totals.episodes).toBeLessThan((await app.counting.postgres.hourWeekdayProfile({ ages: ['15-17'] })).totals.episodes);
    expect(response.json()).toEqual(expected);
  });

  it('counts the incidents, people and unknown times /api/meta gives as PostgreSQL does, once per data version', async () => {
    const expected = await app.counting.postgres.incidentTotals();
    expect(expected.people).toBeLessThan(expected.incidents);
    expect(expected.timeUnknown).toBeGreaterThan(0);
    expect(await (await copyOf(app)).incidentTotals()).toEqual(expected);
    const answered = app.columns.answered;
    const meta = async () => {
      const response = await analyst.get('/api/meta');
      expect(response.statusCode, response.body).toBe(200);
      return response.json().counts;
    };
    const { keys: _keys, ...counts } = expected;
    expect(await meta()).toMatchObject(counts);
    expect(app.columns.answered - answered).toBe(1);
    // Kept until the data changes: the next page asks nothing of the copy.
    expect(await meta()).toMatchObject(counts);
    expect(app.columns.answered - answered).toBe(1);
  });

  it('answers the routes when it can, and never for data it does not hold: a change is counted at once, and copied on refresh', async () => {
    const filters: Filters = { hours: [3], categories: ['knife_crime'] };
    const search = `?${filtersToSearch(filters)}`;
    const profile = async () => (await analyst.get(`/api/profile/hour-weekday${search}`, { stale: true })).json() as HourWeekdayProfile;
    // Asked through the routes, the map's three questions come from the copy.
    const answered = app.columns.answered;
    const before = await profile();
    expect((await analyst.get(`/api/locations${search}`)).statusCode).toBe(200);
    expect((await analyst.get(`/api/tiles/incidents/11/1010/681.mvt${search}`)).statusCode).toBe(200);
    // Four answers: the profile, what its hours filter could not judge, the ranking, the tile's hexagons.
    expect(app.columns.answered - answered).toBe(4);
    // And the hotspot engine's counts: Gi*, kernel density, emerging hot spots (monthly slices).
    for (const route of ['gistar?cellSize=150&', 'kde?', 'emerging?']) {
      expect((await analyst.get(`/api/hotspots/${route}${search.slice(1)}`)).statusCode, route).toBe(200);
    }
    expect(app.columns.answered - answered).toBe(7);
    expect(before).toEqual({ ...await app.counting.postgres.hourWeekdayProfile(filters), notJudged: (await app.counting.postgres.notJudged(filters)).counts });
    // A new incident at 03:xx on a Monday: the copy does not hold it, so PostgreSQL answers.
    await insertIncidents(db.pool, [{ local: '2025-03-03 03:10', ...CENTRE, category: 'knife_crime', age: 16 }]);
    const version = await readDataVersion(db.pool);
    expect(app.columns.dataVersion).toBeLessThan(version);
    expect(await app.columns.answer(version, async () => 'answered')).toBeNull();
    const stillAnswered = app.columns.answered;
    const after = await profile();
    expect(after.episodes[0]![3]).toBe(before.episodes[0]![3]! + 1);
    expect(app.columns.answered).toBe(stillAnswered);
    // The warm-up's refresh copies the data again; the copy then answers the same.
    await app.warmUp.refresh();
    expect(app.columns.dataVersion).toBe(version);
    const copy = await copyOf(app);
    expect(copy.incidents).toBe(3001);
    expect({ ...await copy.hourWeekdayProfile(filters), notJudged: (await copy.notJudged(filters)).counts }).toEqual(after);
  });

  it('when it cannot be loaded, says so in /api/health and PostgreSQL answers every question', async () => {
    // Loading writes through a temporary directory: one that cannot be made fails the load.
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = '/dev/null/lantern-test'; // under a file: not even root can make it
    const failing = await testApp(db.url, { COLUMN_COPY: true });
    try {
      await failing.ready();
      await failing.warmUp.settled();
      // The load may start after the warm-up: keep the directory unmakeable until it has ended.
      for (let waited = 0; failing.columns.status === 'loading' && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    try {
      expect(failing.columns.status).toBe('failed');
      expect(failing.columns.dataVersion).toBeNull();
      expect((await failing.inject('/api/health')).json()).toMatchObject({ status: 'ok', columns: 'failed' });
      const session = await signIn(failing, 'analyst');
      const filters: Filters = { ages: ['15-17'], hours: [15, 16, 17, 18] };
      const response = await session.get(`/api/profile/hour-weekday?${filtersToSearch(filters)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ...await failing.counting.postgres.hourWeekdayProfile(filters), notJudged: (await failing.counting.postgres.notJudged(filters)).counts });
      expect(failing.columns.answered).toBe(0);
    } finally {
      await failing.close();
    }
  });
});
