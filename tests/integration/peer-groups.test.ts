// Peer groups (issue 32 item 3): known answers on a small inserted set: a group of three
// named together at a park (within two hours) and in one incident elsewhere, a pair seen
// together only once (not linked), a person alone; analysts only (police and panel 403
// for the groups); the panel's group sizes under disclosure control; reads audited.
import type { PeerGroups, PeerGroupSizes } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.359, lat: 51.381 };
const ELSEWHERE = pointFrom(CENTRE, 2000, 0);
let db: TestDatabase;
let app: TestApp;
let analyst: Session;
let panel: Session;
let police: Session;

const at = (person: string, local: string, where: { lon: number; lat: number }, category = 'county_lines', role = 'person_at_risk'): IncidentRow =>
  ({ local, ...where, category, role, age: 16, person });

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'W01', name: 'Centre', ...CENTRE, half: 0.05 });
  await insertLocation(db.pool, { name: 'Rec ground', kind: 'park', ...CENTRE });
  const park = pointFrom(CENTRE, 10, 0);
  await insertIncidents(db.pool, [
    // A, B, C at the park on two evenings, each within two hours of the others.
    at('A', '2025-03-07 18:00', park), at('B', '2025-03-07 18:40', park, 'drugs', 'suspect'), at('C', '2025-03-07 19:30', park),
    at('A', '2025-03-14 20:00', park), at('B', '2025-03-14 20:10', park), at('C', '2025-03-14 21:05', park),
    // And all three in one incident far from any place (the same minute, the same point).
    at('A', '2025-03-21 22:15', ELSEWHERE), at('B', '2025-03-21 22:15', ELSEWHERE), at('C', '2025-03-21 22:15', ELSEWHERE),
    // D and E together once at the park: not linked at the default of twice.
    at('D', '2025-03-10 12:00', park, 'robbery', 'victim'), at('E', '2025-03-10 12:30', park, 'robbery', 'victim'),
    // F alone; G at the park four hours after A (outside the window).
    at('F', '2025-03-11 09:00', ELSEWHERE), at('G', '2025-03-07 23:00', park),
  ]);
  await linkNearestLocations(db.pool);
  app = await testApp(db.url);
  [analyst, panel, police] = await Promise.all([signIn(app, 'analyst'), signIn(app, 'panel'), signIn(app, 'police')]);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const groups = async (query: string) => {
  const response = await analyst.get(`/api/people/groups?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as PeerGroups;
};

describe('peer groups', () => {
  it('find the three named together twice or more, with their roles, categories, places and hours, never who', async () => {
    const answer = await groups('from=2025-03-01&to=2025-03-31');
    expect(answer.parameters).toMatchObject({ withinHours: 2, together: 2, minSize: 3, incidents: 13, people: 7, unknownTime: 0 });
    expect(answer.totalGroups).toBe(1);
    const [group] = answer.groups;
    expect(group).toMatchObject({
      id: 1, size: 3, episodes: 9, linkedPairs: 3, roles: { person_at_risk: 3, suspect: 1 },
      categories: [{ category: 'county_lines', episodes: 8 }, { category: 'drugs', episodes: 1 }],
      from: '2025-03-07', to: '2025-03-21',
    });
    expect(group!.places).toEqual([expect.objectContaining({ name: 'Rec ground', kind: 'park', episodes: 6 })]);
    expect(group!.hours).toHaveLength(3);
    expect(JSON.stringify(answer)).not.toMatch(/"A"|person_ref|personRef|members/);
  });

  it('link on one meeting when asked, find pairs, and keep to the same incident with a window of 0 hours', async () => {
    const once = await groups('from=2025-03-01&to=2025-03-31&together=1&minSize=2');
    expect(once.groups.map((group) => group.size)).toEqual([3, 2]);
    const sameIncident = await groups('from=2025-03-01&to=2025-03-31&withinHours=0&together=1');
    expect(sameIncident.groups.map((group) => [group.size, group.episodes])).toEqual([[3, 9]]);
    // Filters apply: robbery alone holds only D and E.
    expect((await groups('categories=robbery&together=1&minSize=2')).groups.map((group) => group.size)).toEqual([2]);
  });

  it('are for analysts only; the panel sees how many groups by size, perturbed; every read is audited', async () => {
    expect((await police.get('/api/people/groups')).statusCode).toBe(403);
    expect((await panel.get('/api/people/groups')).statusCode).toBe(403);
    expect((await police.get('/api/people/group-sizes')).statusCode).toBe(403);
    const exact = (await analyst.get('/api/people/group-sizes?together=1&minSize=2')).json() as PeerGroupSizes;
    expect(exact).toMatchObject({ disclosureControl: false, sizes: [{ size: '2', groups: 1 }, { size: '3-4', groups: 1 }, { size: '5-9', groups: 0 }, { size: '10+', groups: 0 }] });
    const shown = (await panel.get('/api/people/group-sizes?together=1&minSize=2')).json() as PeerGroupSizes;
    expect(shown.disclosureControl).toBe(true);
    for (const band of shown.sizes) expect(band.groups === 0 || band.groups >= 5, band.size).toBe(true);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE path LIKE '/api/people/group%'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
    expect((await analyst.get('/api/people/groups?withinHours=100')).json()).toMatchObject({ statusCode: 400, field: 'withinHours' });
  });
});
