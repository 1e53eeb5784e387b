// The OEM / SVOG meeting pack on a hand-built dataset: places whose harm rose or fell,
// people vs episodes for the age focus with the CSE/CCE overlap once, cuckooing and
// county lines by area, the emerging hot spots section, CSV of a section, bad input.
import type { MeetingPack, MeetingSection } from '@lantern/shared';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const NORTH = { lon: -2.36, lat: 51.40 };
const SOUTH = { lon: -2.36, lat: 51.37 };
const near = pointFrom;
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;
let police: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'W01', name: 'North', ...NORTH });
  await insertArea(db.pool, { level: 'ward', code: 'W02', name: 'South', ...SOUTH });
  await insertLocation(db.pool, { name: 'Park A', kind: 'park', ...NORTH });
  await insertLocation(db.pool, { name: 'Shop B', kind: 'takeaway', ...SOUTH });
  const rows: IncidentRow[] = [
    // March-April 2025 (since the previous meeting on 1 March)
    ...Array.from({ length: 3 }, (_, k) => ({ ...near(NORTH, 10), local: `2025-03-1${k} 16:00`, category: 'cse', person: 'a', age: 15, harm: 2 })),
    { ...near(NORTH, 20), local: '2025-03-20 16:00', category: 'cse', person: 'b', age: 14, harm: 2 },
    { ...near(NORTH, 15), local: '2025-04-02 17:00', category: 'cce', person: 'a', age: 15, harm: 2 },
    { ...near(SOUTH, 10), local: '2025-04-10 21:00', category: 'cce', person: 'c', age: 16, harm: 3 },
    ...Array.from({ length: 2 }, (_, k) => ({ ...near(NORTH, 600), local: `2025-04-1${k} 11:00`, category: 'cuckooing', person: 'd', age: 40 })),
    { ...near(SOUTH, 600), local: '2025-04-20 13:00', category: 'county_lines', person: 'e', age: 17 },
    { ...near(NORTH, 5), local: '2025-03-15 23:00', category: 'serious_violence', person: 'f', age: 30, harm: 50 },
    // January-February 2025 (the two months before)
    ...Array.from({ length: 3 }, (_, k) => ({ ...near(SOUTH, 12), local: `2025-02-0${k + 1} 20:00`, category: 'cce', person: 'c', age: 16, harm: 3 })),
    { ...near(SOUTH, 600), local: '2025-01-20 10:00', category: 'cuckooing', person: 'g', age: 50 },
  ];
  await insertIncidents(db.pool, rows);
  await linkNearestLocations(db.pool); // as every importer does
  app = await testApp(db.url);
  [analyst, police] = await Promise.all([signIn(app, 'analyst'), signIn(app, 'police')]);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const OEM = '/api/meeting-pack?meeting=oem&date=2025-05-01&previous=2025-03-01';
async function pack(url: string): Promise<MeetingPack> {
  const response = await analyst.get(url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const section = (result: MeetingPack, id: MeetingSection['id']) => result.sections.find((s) => s.id === id)!;
const byFirst = (s: MeetingSection) => new Map(s.rows.map((row) => [row[0], row]));

describe('meeting pack', () => {
  it('covers the time since the previous meeting against the same length before', async () => {
    const result = await pack(OEM);
    expect(result.title).toBe('Operational Exploitation Meeting pack, 2025-05-01');
    expect(result.period).toEqual({ from: '2025-03-01', to: '2025-04-30' });
    expect(result.comparison).toEqual({ from: '2025-01-01', to: '2025-02-28' });
    expect(result.sections.map((s) => s.id)).toEqual(['emerging', 'locations', 'people', 'exploitation-areas']);
  });

  it('lists the places whose exploitation harm rose or fell most, numbered for the map', async () => {
    const places = section(await pack(OEM), 'locations');
    // Park A: 4 CSE + 1 CCE at harm 2 = 10, none before (the serious violence is not an OEM category).
    // Shop B: 1 CCE at harm 3 now, 3 before (9).
    expect(places.rows).toEqual([
      [1, 'Rose', 'Park A', 'Park', 10, 0, 10, 5, 0],
      [2, 'Fell', 'Shop B', 'Takeaway', 3, 9, -6, 1, 3],
    ]);
    expect(places.points!.map((p) => p.number)).toEqual([1, 2]);
  });

  it('counts people and episodes by category for children, each child once in the CSE/CCE and all-category totals', async () => {
    const people = byFirst(section(await pack(OEM), 'people'));
    expect(people.get('Child sexual exploitation')).toEqual(['Child sexual exploitation', 4, 2, 0, 0, 4]);
    expect(people.get('Child criminal exploitation')).toEqual(['Child criminal exploitation', 2, 2, 3, 1, -1]);
    expect(people.get('County lines')).toEqual(['County lines', 1, 1, 0, 0, 1]);
    // Cuckooing here involves adults: outside the under-18 focus.
    expect(people.has('Cuckooing')).toBe(false);
    expect(people.get('CSE or CCE, each child once')).toEqual(['CSE or CCE, each child once', 6, 3, 3, 1, null]);
    expect(people.get('All categories, each person once')).toEqual(['All categories, each person once', 7, 4, 3, 1, 4]);
  });

  it('gives cuckooing and county lines by area, all ages, with the change', async () => {
    const areas = section(await pack(OEM), 'exploitation-areas');
    expect(areas.areaLevel).toBe('ward');
    expect(areas.rows).toEqual([
      ['North', 2, 0, 1, 2, 0, 2],
      ['South', 0, 1, 1, 1, 1, 0],
    ]);
    expect(areas.areaValues).toEqual([{ code: 'W01', value: 2 }, { code: 'W02', value: 1 }]);
  });

  it('has an emerging hot spots section naming only new, consecutive or intensifying hot spots', async () => {
    const emerging = section(await pack(OEM), 'emerging');
    expect(emerging.columns).toEqual(['#', 'Pattern', 'Incidents in the cell (12 months)', 'Trend z', 'Nearest place', 'Area']);
    expect(emerging.description).toMatch(/2024-05-01 to 2025-04-30/);
    for (const row of emerging.rows) expect(row[1]).toMatch(/^(New|Consecutive|Intensifying) hot spot$/);
    expect(emerging.cells).toHaveLength(emerging.rows.length);
  });

  it('defaults the previous SVOG to a month before, and focuses on serious violence for under 25s', async () => {
    const result = await pack('/api/meeting-pack?meeting=svog&date=2025-04-01');
    expect(result.previous).toBe('2025-03-01');
    expect(result.ageFocus).toBe('under 25');
    const places = section(result, 'locations');
    // The adult's serious violence by Park A is a serious-violence place for the SVOG.
    expect(places.rows[0]).toEqual([1, 'Rose', 'Park A', 'Park', 50, 0, 50, 1, 0]);
    // ... but the person was 30: not in the under-25 people table.
    expect(byFirst(section(result, 'people')).has('Serious violence')).toBe(false);
    // With all ages asked for, the adult is in it.
    const allAges = await pack('/api/meeting-pack?meeting=svog&date=2025-04-01&ageFocus=all');
    expect(allAges.ageFocus).toBe('all ages');
    expect(section(allAges, 'people').title).toBe('People and episodes by category, all ages');
    expect(byFirst(section(allAges, 'people')).has('Serious violence')).toBe(true);
    expect((await analyst.get('/api/meeting-pack?meeting=svog&date=2025-04-01&ageFocus=teens')).json().field).toBe('ageFocus');
  });

  it('gives a section as CSV with a header block', async () => {
    const response = await analyst.get(`/api/meeting-pack.csv?meeting=oem&date=2025-05-01&previous=2025-03-01&section=people`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('lantern-oem-2025-05-01-people.csv');
    const records = parse(response.body, { relax_column_count: true }) as string[][];
    expect(records[0]).toEqual(['Operational Exploitation Meeting pack, 2025-05-01']);
    expect(records.find((r) => r[0] === 'Period')).toEqual(['Period', '2025-03-01 to 2025-04-30']);
    const heading = records.findIndex((r) => r[0] === 'Category');
    expect(records[heading]).toEqual(['Category', 'Episodes', 'People', 'Episodes before', 'People before', 'Change in episodes']);
    expect(records[heading + 1]).toEqual(['Child sexual exploitation', '4', '2', '0', '0', '4']);
  });

  it('turns away bad requests and other roles', async () => {
    const bad = await analyst.get('/api/meeting-pack?meeting=oem&date=2025-05-01&previous=2025-06-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('previous');
    expect((await analyst.get('/api/meeting-pack?meeting=weekly&date=2025-05-01')).json().field).toBe('meeting');
    expect((await analyst.get('/api/meeting-pack.csv?meeting=oem&date=2025-05-01')).json().field).toBe('section');
    expect((await police.get(OEM)).statusCode).toBe(403);
  });
});

describe('what a pack could not judge', () => {
  it('says how many incidents the age focus and the narrowing filters left out for want of a value, in the pack and its CSV', async () => {
    // A police.uk month record of CSE in March: no age, no person, no hour.
    await insertIncidents(db.pool, [{ ...near(NORTH, 30), local: '2025-03', precision: 'month', category: 'cse', person: null, source: 'police_uk_open_data' }]);
    const result = await pack(OEM);
    expect(section(result, 'people').notJudged).toEqual({ age: 1 });
    // The sections with no age filter judged everything.
    expect(section(result, 'locations').notJudged).toEqual({});
    // Outcomes narrow every section, and the records with none are counted, not dropped silently.
    const charged = await pack(`${OEM}&outcomes=charged`);
    // March-April's exploitation incidents: 5 CSE (with the month record), 2 CCE, 2 cuckooing, 1 county lines; none has an outcome.
    expect(section(charged, 'locations').notJudged).toEqual({ outcome: 10 });
    const csv = (await analyst.get(`/api/meeting-pack.csv?meeting=oem&date=2025-05-01&previous=2025-03-01&section=people`)).body;
    expect(csv).toContain('Not judged,1 incident with no age recorded left out by the age filter');
  });
});
