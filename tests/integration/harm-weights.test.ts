// Harm weights: the migrated defaults equal shared/src/harm.ts; an administrator's
// change reweights every incident of the category at once (and only those), is
// audited, and bad input is refused with the field at fault.
import { CATEGORIES, HARM_DEFAULTS, type HarmWeights, type LocationCollection } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, insertLocation, linkNearestLocations } from '../helpers/fixtures.js';

const PLACE = { lon: -2.36, lat: 51.38 };
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let admin: Session;
let analyst: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertLocation(db.pool, { name: 'Bus station', kind: 'transport_hub', ...PLACE });
  await insertIncidents(db.pool, [
    { local: '2025-05-01 20:00', category: 'robbery', ...PLACE, harm: 1460 },
    { local: '2025-05-02 20:00', category: 'robbery', ...PLACE, harm: 1460 },
    { local: '2025-05-03 20:00', category: 'knife_crime', ...PLACE, harm: 183 },
  ]);
  await linkNearestLocations(db.pool); // as every importer does
  app = await testApp(db.url);
  admin = await signIn(app, 'admin');
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const harmAtPlace = async () => ((await analyst.get('/api/locations')).json() as LocationCollection).features[0]!.properties.harm;

describe('harm weights', () => {
  it('start as the documented defaults', async () => {
    const response = await analyst.get('/api/harm-weights');
    expect(response.statusCode).toBe(200);
    const { weights } = response.json() as HarmWeights;
    expect(weights.map((w) => w.category).sort()).toEqual([...CATEGORIES].sort());
    for (const w of weights) {
      expect(w, w.category).toMatchObject({ ...HARM_DEFAULTS[w.category], defaultWeight: HARM_DEFAULTS[w.category].weight, updatedBy: null });
    }
    expect(weights[0]!.category).toBe('cse'); // heaviest first
  });

  it('change one category everywhere at once, and the change is audited', async () => {
    expect(await harmAtPlace()).toBe(1460 * 2 + 183);
    const response = await admin.put('/api/harm-weights/robbery', { weight: 1000, basis: '  Local review of robbery sentencing, 2026  ' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      incidentsReweighted: 2,
      weight: { category: 'robbery', weight: 1000, defaultWeight: 1460, basis: 'Local review of robbery sentencing, 2026', updatedBy: admin.username },
    });
    expect(await harmAtPlace()).toBe(1000 * 2 + 183);
    const { rows } = await db.pool.query(`SELECT action, rows_returned FROM audit_log WHERE username = $1 AND action LIKE 'PUT%'`, [admin.username]);
    expect(rows).toEqual([{ action: 'PUT /api/harm-weights/:category', rows_returned: 2 }]);
    // Setting the same weight again rewrites nothing.
    expect((await admin.put('/api/harm-weights/robbery', { weight: 1000, basis: 'again' })).json().incidentsReweighted).toBe(0);
  });

  it('refuse bad input with the field at fault, and changes from anyone but an administrator', async () => {
    const cases: [string, unknown, string][] = [
      ['/api/harm-weights/robbery', { weight: -1, basis: 'negative' }, 'weight'],
      ['/api/harm-weights/robbery', { weight: 40000, basis: 'too much' }, 'weight'],
      ['/api/harm-weights/robbery', { weight: 'lots', basis: 'not a number' }, 'weight'],
      ['/api/harm-weights/robbery', { weight: 10 }, 'basis'],
      ['/api/harm-weights/burglary', { weight: 10, basis: 'no such category' }, 'category'],
    ];
    for (const [url, body, field] of cases) {
      const response = await admin.put(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().field, JSON.stringify(body)).toBe(field);
    }
    expect((await analyst.put('/api/harm-weights/robbery', { weight: 1, basis: 'analyst tries' })).statusCode).toBe(403);
    expect((await admin.put('/api/harm-weights/robbery', { weight: 1, basis: 'no csrf' }, { 'x-csrf-token': 'wrong' })).statusCode).toBe(403);
    expect(await harmAtPlace()).toBe(1000 * 2 + 183);
  });
});
