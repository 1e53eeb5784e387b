// Exports of incident points: a typed justification, audited; columns by role; safe CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, insertLocation, linkNearestLocations } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;
let analyst: Session;
let police: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertLocation(db.pool, { name: '=HYPERLINK("http://x")', kind: 'takeaway', lon: -2.36, lat: 51.38 });
  await insertIncidents(db.pool, [
    { local: '2025-04-01 16:10', lon: -2.36, lat: 51.38, age: 16, gender: 'male', category: 'robbery', person: 'secret-ref-1' },
    { local: '2025-04-02 23:10', lon: -2.36, lat: 51.38, age: 30, gender: 'female', person: 'secret-ref-2' },
  ]);
  await linkNearestLocations(db.pool);
  app = await testApp(db.url, { LOGIN_ATTEMPTS_PER_MINUTE: 1000 });
  analyst = await signIn(app, 'analyst');
  police = await signIn(app, 'police');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const WHY = 'justification=OEM%20pack%20for%20March';

describe('incident exports', () => {
  it('need a justification of at least 10 characters', async () => {
    for (const url of ['/api/exports/incidents', '/api/exports/incidents?justification=because']) {
      const response = await analyst.get(url);
      expect(response.statusCode).toBe(400);
      expect(response.json().field).toBe('justification');
    }
  });

  it('give analysts CSV with person-level columns but never person_ref, and defuse formulas', async () => {
    const response = await analyst.get(`/api/exports/incidents?${WHY}&hours=15-19`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...rows] = response.body.trim().split('\r\n');
    expect(header).toBe('id,category,source,date,hour,timePrecision,lon,lat,nearestPlace,harm,outcome,outcomeWords,ageBand,gender,ethnicity,role');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(',robbery,police,2025-04-01,16,minute,-2.36,51.38,');
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(rows[0]).toContain('15-17,male');
    expect(response.body).not.toContain('secret-ref');
  });

  it('give police the points without person-level columns, as GeoJSON too', async () => {
    const csv = await police.get(`/api/exports/incidents?${WHY}`);
    expect(csv.body.split('\r\n')[0]).toBe('id,category,source,date,hour,timePrecision,lon,lat,nearestPlace,harm,outcome,outcomeWords');
    const geojson = await police.get(`/api/exports/incidents?${WHY}&format=geojson`);
    const collection = geojson.json();
    expect(collection.features).toHaveLength(2);
    expect(collection.features[0].geometry).toEqual({ type: 'Point', coordinates: [-2.36, 51.38] });
    expect(Object.keys(collection.features[0].properties)).not.toContain('ageBand');
  });

  it('write the justification and the row count to the audit log', async () => {
    const { rows } = await db.pool.query(
      `SELECT justification, rows_returned FROM audit_log WHERE username = $1 AND action = 'GET /api/exports/incidents' AND status = 200`,
      [analyst.username]);
    expect(rows).toEqual([{ justification: 'OEM pack for March', rows_returned: 1 }]);
  });
});
