// Same or new people (issue 32 item 1): known answers on a few people over four months
// (new, returning, continuing, and the history before the chosen dates), by quarter, under
// a filter; the panel's counts under disclosure control; police refused; every read audited.
import type { PeopleFlow, PeopleRepeats } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowPeriods } from '../../server/src/repositories/people.js';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.359, lat: 51.381 };
let db: TestDatabase;
let app: TestApp;
let analyst: Session;
let panel: Session;
let police: Session;

const seen = (person: string | null, day: string, category = 'missing_episode'): IncidentRow => ({
  local: `${day} 16:30`, ...pointFrom(CENTRE, 10, 10), category, age: 15, person,
});

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'W01', name: 'Centre', ...CENTRE, half: 0.02 });
  await insertIncidents(db.pool, [
    // January: A and B. February: A again, C. March: B (back after a gap), C again, D.
    // April: A (back after a gap). A record naming nobody (as police.uk's) adds no one.
    seen('A', '2025-01-05'), seen('B', '2025-01-20'), seen('A', '2025-01-28'),
    seen('A', '2025-02-03'), seen('C', '2025-02-14'),
    seen('B', '2025-03-02'), seen('C', '2025-03-09'), seen('D', '2025-03-30', 'cse'),
    seen('A', '2025-04-11'), seen(null, '2025-04-12'),
  ]);
  app = await testApp(db.url);
  [analyst, panel, police] = await Promise.all([signIn(app, 'analyst'), signIn(app, 'panel'), signIn(app, 'police')]);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const flow = async (session: Session, query: string) => {
  const response = await session.get(`/api/people/flow?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as PeopleFlow;
};
const counts = (answer: PeopleFlow) => answer.periods.map(({ period, people, new: fresh, returning, continuing }) => [period, people, fresh, returning, continuing]);

describe('people over time', () => {
  it('counts new, returning and continuing people per month, as worked out by hand', async () => {
    const answer = await flow(analyst, 'from=2025-01-01&to=2025-04-30');
    expect(answer).toMatchObject({ period: 'month', disclosureControl: false });
    expect(counts(answer)).toEqual([
      ['2025-01', 2, 2, 0, 0],
      ['2025-02', 2, 1, 0, 1],
      ['2025-03', 3, 1, 1, 1],
      ['2025-04', 1, 0, 1, 0],
    ]);
    expect(answer.periods[0]).toMatchObject({ from: '2025-01-01', to: '2025-01-31' });
  });

  it('takes the incidents before the chosen dates as history, so nobody seen before is new', async () => {
    expect(counts(await flow(analyst, 'from=2025-02-01&to=2025-03-15'))).toEqual([
      ['2025-02', 2, 1, 0, 1],
      ['2025-03', 2, 0, 1, 1],
    ]);
  });

  it('counts by quarter and year, and under the other filters', async () => {
    expect(counts(await flow(analyst, 'from=2025-01-01&to=2025-06-30&period=quarter'))).toEqual([['2025-Q1', 4, 4, 0, 0], ['2025-Q2', 1, 0, 0, 1]]);
    expect(counts(await flow(analyst, 'from=2025-01-01&to=2025-12-31&period=year'))).toEqual([['2025', 4, 4, 0, 0]]);
    expect(counts(await flow(analyst, 'from=2025-03-01&to=2025-03-31&categories=cse'))).toEqual([['2025-03', 1, 1, 0, 0]]);
    expect(flowPeriods('quarter', '2025-02-10', '2025-04-05')).toEqual([
      { period: '2025-Q1', from: '2025-01-01', to: '2025-03-31' }, { period: '2025-Q2', from: '2025-04-01', to: '2025-04-05' },
    ]);
  });

  it('gives the panel perturbed counts (never 1-4) that add up, for whole months only; police may not ask', async () => {
    const answer = await flow(panel, 'from=2025-01-01&to=2025-04-30');
    expect(answer.disclosureControl).toBe(true);
    for (const period of answer.periods) {
      for (const value of [period.people, period.new, period.returning, period.continuing]) expect(value === 0 || value >= 5, JSON.stringify(period)).toBe(true);
      expect(period.people).toBe(period.new + period.returning + period.continuing);
    }
    // The same question, the same answer.
    expect(await flow(panel, 'from=2025-01-01&to=2025-04-30')).toEqual(answer);
    expect((await panel.get('/api/people/flow?from=2025-01-05&to=2025-04-30')).statusCode).toBe(400);
    expect((await police.get('/api/people/flow?from=2025-01-01&to=2025-04-30')).statusCode).toBe(403);
    expect((await analyst.get('/api/people/flow?period=week')).statusCode).toBe(400);
  });

  it('writes an audit row for every read', async () => {
    await flow(analyst, 'from=2025-01-01&to=2025-02-28');
    await expect.poll(async () => (await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE username = $1 AND action = 'GET /api/people/flow' AND status = 200`, [analyst.username])).rows[0].n,
    ).toBeGreaterThan(0);
  });

  it('counts repeat people by role, those seen as victim and suspect, and the places they keep appearing at (analysts only)', async () => {
    // A was a victim twice, then a suspect twice; the others' roles are unknown. All at one park.
    await db.pool.query(`UPDATE incidents SET role = CASE WHEN occurred_at < '2025-02-01' THEN 'victim' ELSE 'suspect' END WHERE person_ref IS NOT NULL AND source_ref IN (
      SELECT source_ref FROM incidents i WHERE i.person_key = (SELECT person_key FROM incidents WHERE occurred_at::date = '2025-01-05'))`);
    const park = await insertLocation(db.pool, { name: 'The park', kind: 'park', ...CENTRE });
    await linkNearestLocations(db.pool);
    const response = await analyst.get('/api/people/repeats?from=2025-01-01&to=2025-04-30');
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json() as PeopleRepeats;
    expect(answer.all).toEqual({ people: 4, once: 1, twice: 2, threeToFour: 1, fivePlus: 0 });
    expect(answer.byRole).toEqual([
      { role: 'suspect', people: 1, once: 0, twice: 1, threeToFour: 0, fivePlus: 0 },
      { role: 'unknown', people: 3, once: 1, twice: 2, threeToFour: 0, fivePlus: 0 },
      { role: 'victim', people: 1, once: 0, twice: 1, threeToFour: 0, fivePlus: 0 },
    ]);
    expect(answer.victimAndSuspect).toBe(1);
    expect(answer.places).toEqual([{ id: park, name: 'The park', kind: 'park', repeatPeople: 3, episodes: 8 }]);
    for (const session of [police, panel]) expect((await session.get('/api/people/repeats')).statusCode).toBe(403);
  });
});
