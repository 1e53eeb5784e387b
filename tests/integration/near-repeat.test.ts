// Near repeats (issue 32 item 4): the Knox test through the route, on planted pairs of
// robberies 50 m and 2 days apart among scattered ones: the first distance and time band
// stands out, the reading says so, the seed gives the same answer, month-only records are
// left out and counted, too many incidents are refused with a reason, the panel may not ask.
import type { NearRepeatResult } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const CENTRE = { lon: -2.36, lat: 51.38 };
let db: TestDatabase;
let app: TestApp;
let analyst: Session;
let police: Session;
let panel: Session;

const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'ward', code: 'W01', name: 'Centre', ...CENTRE, half: 0.05 });
  const rows: IncidentRow[] = [];
  for (let k = 0; k < 30; k++) {
    const [east, north, first] = [((k * 7919) % 4000) - 2000, ((k * 104_729) % 4000) - 2000, (k * 37) % 300];
    rows.push({ local: `${day(first)} 15:30`, ...pointFrom(CENTRE, east, north), category: 'robbery' });
    rows.push({ local: `${day(first + 2)} 16:10`, ...pointFrom(CENTRE, east + 50, north), category: 'robbery' });
  }
  rows.push({ local: '2025-03', precision: 'month', ...CENTRE, category: 'robbery' });
  await insertIncidents(db.pool, rows);
  app = await testApp(db.url);
  [analyst, police, panel] = await Promise.all([signIn(app, 'analyst'), signIn(app, 'police'), signIn(app, 'panel')]);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const QUERY = 'categories=robbery&spatialBand=100&spatialBands=3&temporalBand=7&temporalBands=2&iterations=99&seed=3';

describe('near repeats', () => {
  it('finds the planted near repeats, says so in words, and gives the same answer for the same seed', async () => {
    const response = await analyst.get(`/api/analysis/near-repeat?${QUERY}`);
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json() as NearRepeatResult;
    expect(result.parameters).toMatchObject({ incidents: 60, monthsOnly: 1, pairs: 1770, iterations: 99, seed: 3 });
    expect(result.spatialLabels).toEqual(['Same location', '1-100 m', '101-200 m', '201-300 m', 'More than 300 m']);
    expect(result.temporalLabels).toEqual(['0-7 days', '8-14 days', 'More than 14 days']);
    const cell = result.cells[1]![0]!;
    expect(cell.observed).toBeGreaterThanOrEqual(30);
    expect(cell.ratio!).toBeGreaterThan(3);
    expect(cell.p).toBe(0.01);
    // Every pair is in one cell.
    expect(result.cells.flat().reduce((sum, c) => sum + c.observed, 0)).toBe(1770);
    expect(result.reading).toMatch(/^Robbery incidents within 100 m and 7 days of another are \d+\.\d times as common as chance would give \(p = 0\.010\)\.$/);
    expect((await police.get(`/api/analysis/near-repeat?${QUERY}`)).json()).toEqual(result);
  });

  it('refuses too many incidents with a reason, bad bands with the field, and the panel', async () => {
    await db.pool.query(`
      INSERT INTO incidents (source, source_ref, category, occurred_at, time_precision, geom, harm_weight, gender, ethnicity, role)
      SELECT 'police', 'bulk-' || g, 'asb', timestamp '2025-01-01' + g * interval '1 hour', 'minute',
             ST_SetSRID(ST_MakePoint(-2.36 + (g % 100) * 0.0001, 51.38 + (g / 100) * 0.0001), 4326), 1, 'unknown', 'unknown', 'unknown'
        FROM generate_series(1, 5001) g`);
    const many = await analyst.get('/api/analysis/near-repeat?categories=asb&iterations=19');
    expect(many.statusCode).toBe(400);
    expect(many.json().message).toMatch(/5,001 incidents match; the Knox test takes at most 5,000/);
    const bad = await analyst.get('/api/analysis/near-repeat?spatialBand=5');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/spatialBand/);
    expect((await panel.get(`/api/analysis/near-repeat?${QUERY}`)).statusCode).toBe(403);
  });
});
