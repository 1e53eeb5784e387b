// Patrol plans on a hand-built dataset: which places are chosen for a Friday night shift
// (same hours, same weekdays, the look-back weeks; unknown hours never count), the reasons
// in words (no person attributes for police), the Koper-curve visit windows, saved plans
// listed and reopened, GPX 1.1 and GeoJSON downloads, a clock-change night, bad input.
import type { PatrolPlan } from '@lantern/shared';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.36, lat: 51.38 };
const at = (east: number, north = 0) => pointFrom(CENTRE, east, north);
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;
let police: Session;

// Fridays in the 12 weeks before Friday 7 March 2025 (13 Dec 2024 - 6 Mar 2025).
const fridays = ['2025-02-28', '2025-02-21', '2025-02-14', '2025-02-07', '2025-01-31', '2025-01-24', '2025-01-17'];
const saturdays = ['2025-03-01', '2025-02-22', '2025-02-15'];

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'neighbourhood', code: 'N-CENTRE', name: 'Centre', ...CENTRE, half: 0.05 });
  await insertLocation(db.pool, { name: 'Rec park', kind: 'park', ...at(0) });
  await insertLocation(db.pool, { name: 'Late shop', kind: 'takeaway', ...at(1000) });
  await insertLocation(db.pool, { name: 'Block stairwell', kind: 'stairwell', ...at(0, 2000) });
  const rows: IncidentRow[] = [
    // Friday nights by the park: 7 robberies at 22:xx, the people aged 15.
    ...fridays.map((day, k) => ({ ...at(10 + k, 5), local: `${day} 22:${String(10 + k).padStart(2, '0')}`, category: 'robbery', age: 15, harm: 2 })),
    // After midnight into Saturdays by the shop: 3 serious violence at 01:30.
    ...saturdays.map((day) => ({ ...at(1010, 0), local: `${day} 01:30`, category: 'serious_violence', age: 30, harm: 5 })),
    // By the stairwell, none of which may count: Friday noon, Thursday 23:00, hour unknown,
    // and a Friday night 13 weeks back.
    ...fridays.slice(0, 5).map((day) => ({ ...at(0, 2010), local: `${day} 12:00`, category: 'drugs' })),
    ...['2025-02-27', '2025-02-20', '2025-02-13', '2025-02-06'].map((day) => ({ ...at(0, 2010), local: `${day} 23:00`, category: 'drugs' })),
    ...Array.from({ length: 10 }, () => ({ ...at(0, 2005), local: '2025-02', precision: 'month' as const, category: 'drugs' })),
    { ...at(0, 2000), local: '2024-12-06 23:00', category: 'drugs' },
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

async function makePlan(session: Session, body: Record<string, unknown>): Promise<PatrolPlan> {
  const response = await session.post('/api/patrol-plans', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const FRIDAY_NIGHT = { date: '2025-03-07', start: '22:00', end: '02:00', places: 3 };

describe('patrol plans', () => {
  it('chooses the places with incidents in the shift\'s hours and weekdays, and says why in words', async () => {
    const plan = await makePlan(analyst, FRIDAY_NIGHT);
    expect(plan.shiftMinutes).toBe(240);
    expect(plan.lookback).toEqual({ from: '2024-12-13', to: '2025-03-06' });
    const names = plan.places.map((place) => place.name);
    // The shop (3 x harm 5 = 15) before the park (7 x harm 2 = 14); the stairwell has no
    // incident in these hours on these days, so there are only two places.
    expect(names).toEqual(['Late shop', 'Rec park']);
    expect(plan.notes.join(' ')).toMatch(/Only 2 places had incidents/);
    const park = plan.places[1]!;
    expect(park).toMatchObject({ number: 2, kind: 'location', episodes: 7, harm: 14 });
    expect(park.reason).toBe('7 incidents (7 robbery) 22:00-02:00 on Friday nights into Saturday in the last 12 weeks, within 100 m of Rec park; 7 involved under-18s');
    expect(plan.places[0]!.reason).toMatch(/^3 incidents \(3 serious violence\) 22:00-02:00 on Friday nights into Saturday/);
  });

  it('gives police the same plan without person attributes in the reasons', async () => {
    const plan = await makePlan(police, FRIDAY_NIGHT);
    expect(plan.places.map((place) => place.name)).toEqual(['Late shop', 'Rec park']);
    for (const place of plan.places) expect(place.reason).not.toMatch(/under-18|aged|male|female|ethnic/i);
  });

  it('schedules 10-15 minute visits within the shift, each place at least every two hours', async () => {
    const plan = await makePlan(police, { ...FRIDAY_NIGHT, start: '18:00', end: '04:00' });
    const start = Date.parse(plan.startsAt);
    const end = Date.parse(plan.endsAt);
    expect((end - start) / 60_000).toBe(600);
    for (const place of plan.places) {
      expect(place.visits.length).toBeGreaterThanOrEqual(5);
      const starts = place.visits.map((visit) => Date.parse(visit.start));
      for (const visit of place.visits) {
        const minutes = (Date.parse(visit.end) - Date.parse(visit.start)) / 60_000;
        expect(minutes).toBe(place.visitMinutes);
        expect(minutes).toBeGreaterThanOrEqual(10);
        expect(minutes).toBeLessThanOrEqual(15);
        expect(Date.parse(visit.start)).toBeGreaterThanOrEqual(start);
        expect(Date.parse(visit.end)).toBeLessThanOrEqual(end);
        expect(visit.startLocal).toMatch(/^\d\d:\d\d$/);
      }
      for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeLessThanOrEqual(120 * 60_000);
    }
  });

  it('measures a shift across the clocks going forward in real time', async () => {
    // Saturday 29 March 2025 22:00 to Sunday 06:00: BST starts at 01:00, 7 real hours.
    const plan = await makePlan(police, { date: '2025-03-29', start: '22:00', end: '06:00' });
    expect(plan.shiftMinutes).toBe(420);
    expect(plan.startsAt).toBe('2025-03-29T22:00:00Z');
    expect(plan.endsAt).toBe('2025-03-30T05:00:00Z');
    expect(plan.notes.join(' ')).toMatch(/clocks change during this shift: it lasts 7 h 0 min/);
  });

  it('keeps plans: listed newest first, reopened exactly as made', async () => {
    const made = await makePlan(police, FRIDAY_NIGHT);
    const list = (await police.get('/api/patrol-plans')).json();
    expect(list.plans[0]).toMatchObject({ id: made.id, date: '2025-03-07', start: '22:00', end: '02:00', places: 2 });
    const reopened = (await police.get(`/api/patrol-plans/${made.id}`)).json();
    expect(reopened).toEqual(made);
    const audit = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'POST /api/patrol-plans'`);
    expect(audit.rows[0].n).toBeGreaterThan(0);
  });

  it('downloads GPX 1.1 with the places as waypoints and the visits as a timed route, and GeoJSON', async () => {
    const plan = await makePlan(police, FRIDAY_NIGHT);
    const response = await police.get(`/api/patrol-plans/${plan.id}/gpx`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/gpx\+xml/);
    expect(XMLValidator.validate(response.body)).toBe(true);
    const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(response.body) as Record<string, unknown>[];
    const gpxNode = ordered.find((node) => 'gpx' in node)!;
    expect(gpxNode[':@']).toMatchObject({ '@_version': '1.1', '@_xmlns': 'http://www.topografix.com/GPX/1/1', '@_creator': 'Lantern' });
    const children = (gpxNode.gpx as Record<string, unknown>[]).map((node) => Object.keys(node).find((key) => key !== ':@')!);
    // GPX 1.1 sequence: metadata?, wpt*, rte*, trk*, extensions?
    expect(children).toEqual(['metadata', ...plan.places.map(() => 'wpt'), 'rte']);
    const WPT_ORDER = ['ele', 'time', 'magvar', 'geoidheight', 'name', 'cmt', 'desc', 'src', 'link', 'sym', 'type'];
    const tree = new XMLParser({ ignoreAttributes: false }).parse(response.body);
    const waypoints = [tree.gpx.wpt].flat();
    expect(waypoints.map((w: Record<string, string>) => Number(w['@_lat']))).toEqual(plan.places.map((p) => p.lat));
    for (const node of (gpxNode.gpx as Record<string, unknown>[]).filter((n) => 'wpt' in n)) {
      const order = (node.wpt as Record<string, unknown>[]).map((child) => WPT_ORDER.indexOf(Object.keys(child)[0]!));
      expect(order.every((index) => index >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const routePoints = [tree.gpx.rte.rtept].flat() as { time: string }[];
    expect(routePoints).toHaveLength(plan.places.reduce((sum, place) => sum + place.visits.length, 0));
    const times = routePoints.map((point) => Date.parse(point.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const geojson = await police.get(`/api/patrol-plans/${plan.id}/geojson`);
    expect(geojson.json()).toMatchObject({ type: 'FeatureCollection', features: [{ geometry: { type: 'Point' }, properties: { number: 1, name: 'Late shop' } }, {}] });
  });

  it('turns away bad requests, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...FRIDAY_NIGHT, start: '25:00' }, 'start'],
      [{ ...FRIDAY_NIGHT, end: '22:00' }, 'end'], // 24 hours
      [{ ...FRIDAY_NIGHT, end: '22:10' }, 'end'], // 10 minutes
      [{ ...FRIDAY_NIGHT, places: 6 }, 'places'],
      [{ ...FRIDAY_NIGHT, area: 'NOWHERE' }, 'area'],
      [{ ...FRIDAY_NIGHT, date: '2025-02-30' }, 'date'],
    ];
    for (const [body, field] of cases) {
      const response = await police.post('/api/patrol-plans', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().field).toBe(field);
    }
    expect((await police.get('/api/patrol-plans/999999')).statusCode).toBe(404);
    expect((await police.get('/api/patrol-plans/1/kml')).statusCode).toBe(400);
  });

  it('narrows to an area', async () => {
    const plan = await makePlan(police, { ...FRIDAY_NIGHT, area: 'N-CENTRE' });
    expect(plan.area).toEqual({ code: 'N-CENTRE', name: 'Centre', level: 'neighbourhood' });
    expect(plan.places.length).toBe(2);
  });
});
