// GET /api/profile/hour-weekday on a hand-built dataset: local time (BST and GMT),
// hour ranges including midnight wrap, weekdays, ages, people vs episodes, time unknown.
import type {} from '../../server/src/plugins/counting.js';
import type { HourWeekdayProfile } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, insertLocation, linkNearestLocations } from '../helpers/fixtures.js';

const BATH = { lon: -2.359, lat: 51.381 };
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;

// 2024-07-10 is a Wednesday in BST (UTC+1); 2024-01-17 is a Wednesday in GMT.
beforeAll(async () => {
  db = await createTestDatabase();
  await insertIncidents(db.pool, [
    { local: '2024-07-10 16:30', ...BATH, age: 15, person: 'a' }, // after school, BST
    { local: '2024-01-17 16:30', ...BATH, age: 16, person: 'a' }, // after school, GMT, same person
    { local: '2024-07-10 15:00', ...BATH, age: 30, person: 'b' }, // first minute of 15-19
    { local: '2024-07-10 18:59', ...BATH, age: 22, person: 'c' }, // last minute of 15-19
    { local: '2024-07-10 19:00', ...BATH, age: 22, person: 'c' }, // outside 15-19
    { local: '2024-07-10 14:59', ...BATH, age: 40, person: 'd' }, // outside 15-19
    { local: '2024-07-13 23:10', ...BATH, age: 19, person: 'e' }, // Saturday night, in 22-4
    { local: '2024-07-14 03:59', ...BATH, age: 19, person: 'e' }, // Sunday early hours, in 22-4
    { local: '2024-07-14 04:00', ...BATH, age: 19, person: 'f' }, // just outside 22-4
    { local: '2024-07', precision: 'month', ...BATH, age: null, person: null }, // police.uk: time unknown
  ]);
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function profile(query: string): Promise<HourWeekdayProfile> {
  const response = await analyst.get(`/api/profile/hour-weekday${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const WED = 2;
const SAT = 5;
const SUN = 6;

describe('hour x weekday profile', () => {
  it('places incidents by Europe/London local time in BST and in GMT', async () => {
    const all = await profile('');
    expect(all.episodes[WED]![16]).toBe(2);
    // 16:30 BST is 15:30 UTC: only the 15:00 incident is in the 15:00 column.
    expect(all.episodes[WED]![15]).toBe(1);
    expect(all.totals).toEqual({ episodes: 10, people: 6, timeUnknown: 1 });
  });

  it('hours=15-19 returns exactly the incidents from 15:00 to 18:59', async () => {
    const after = await profile('?hours=15-19');
    expect(after.totals.episodes).toBe(4);
    expect(after.totals.timeUnknown).toBe(0);
    expect(after.episodes.flat().reduce((a, b) => a + b, 0)).toBe(4);
    expect(after.episodes[WED]![19]).toBe(0);
    expect(after.episodes[WED]![14]).toBe(0);
  });

  it('hours=22-4 wraps midnight and excludes 04:00', async () => {
    const night = await profile('?hours=22-4');
    expect(night.totals.episodes).toBe(2);
    expect(night.episodes[SAT]![23]).toBe(1);
    expect(night.episodes[SUN]![3]).toBe(1);
    expect(night.episodes[SUN]![4]).toBe(0);
  });

  it('counts people as distinct persons and episodes as incidents', async () => {
    const after = await profile('?hours=16');
    expect(after.totals).toMatchObject({ episodes: 2, people: 1 });
    expect(after.people[WED]![16]).toBe(1);
    expect(after.episodes[WED]![16]).toBe(2);
  });

  it('counts people by comparing their references byte for byte', async () => {
    // person_ref compares under "C" (migration 0012): sorting for count(DISTINCT) needs no
    // locale rules, and equality stays exact.
    const { rows: [column] } = await db.pool.query<{ collation: string }>(
      `SELECT collation_name AS collation FROM information_schema.columns WHERE table_name = 'incidents' AND column_name = 'person_ref'`);
    expect(column!.collation).toBe('C');
  });

  it('counts people by a 64-bit key of their reference: one key per reference, none without one', async () => {
    // person_key (migration 0015) is what count(DISTINCT ...) sorts; it must follow person_ref exactly.
    const { rows: [keys] } = await db.pool.query<{ refs: number; keys: number; keyless: number; refless: number; split: number }>(`
      SELECT count(DISTINCT person_ref)::int AS refs, count(DISTINCT person_key)::int AS keys,
             count(*) FILTER (WHERE person_ref IS NOT NULL AND person_key IS NULL)::int AS keyless,
             count(*) FILTER (WHERE person_ref IS NULL AND person_key IS NOT NULL)::int AS refless,
             (SELECT count(*)::int FROM (SELECT person_ref FROM incidents GROUP BY person_ref HAVING count(DISTINCT person_key) > 1) s) AS split
        FROM incidents`);
    expect(keys).toEqual({ refs: keys!.keys, keys: keys!.refs, keyless: 0, refless: 0, split: 0 });
    expect(keys!.refs).toBeGreaterThan(1);
  });

  it('filters by weekday and by age band and date range', async () => {
    expect((await profile('?weekdays=sat,sun')).totals.episodes).toBe(3);
    expect((await profile('?ages=15-17')).totals.episodes).toBe(2);
    expect((await profile('?ages=unknown')).totals).toMatchObject({ episodes: 1, timeUnknown: 1 });
    expect((await profile('?from=2024-07-13&to=2024-07-13')).totals.episodes).toBe(1);
    expect((await profile('?to=2024-06-30')).totals.episodes).toBe(1);
  });

  it('answers a filter that matches nothing with zeros, and keeps time-unknown incidents out of the cells', async () => {
    const none = await profile('?from=2030-01-01');
    expect(none.totals).toEqual({ episodes: 0, people: 0, timeUnknown: 0 });
    expect(none.episodes.flat().every((n) => n === 0)).toBe(true);
    const unknownOnly = await profile('?ages=unknown');
    expect(unknownOnly.episodes.flat().reduce((a, b) => a + b, 0)).toBe(0);
    expect(unknownOnly.people.flat().reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('gives one place its own profile', async () => {
    const id = await insertLocation(db.pool, { name: 'Test stairwell', kind: 'stairwell', ...BATH });
    await linkNearestLocations(db.pool);
    const place = await profile(`?locationId=${id}&hours=22-4`);
    expect(place.totals.episodes).toBe(2);
    const missing = await analyst.get('/api/profile/hour-weekday?locationId=999999');
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: 'locationId' });
  });
});

describe('unknown is never zero', () => {
  it('says how many incidents each filter could not judge, by PostgreSQL and the column copy alike', async () => {
    // The police.uk month record has no hour and no age: an hours filter and an ages filter each leave it out, and say so.
    expect((await profile('?hours=15-19')).notJudged).toEqual({ time: 1 });
    expect((await profile('?ages=15-17,18-24')).notJudged).toEqual({ age: 1 });
    // Each count is of incidents matching every other filter: with both, the record fails the other one too.
    expect((await profile('?hours=15-19&ages=15-17,18-24')).notJudged).toEqual({ time: 0, age: 0 });
    expect((await profile('?weekdays=sat,sun')).notJudged).toEqual({ time: 1 });
    // The places ranking says the same beside its places.
    expect((await analyst.get('/api/locations?hours=15-19')).json().notJudged).toEqual({ time: 1 });
    expect((await profile('')).notJudged).toEqual({});
    // Asking for the unknown band itself judges every incident.
    expect((await profile('?ages=unknown')).notJudged).toEqual({});
    expect((await app.counting.postgres.notJudged({ hours: [15, 16, 17, 18] })).counts).toEqual({ time: 1 });
  });
});
