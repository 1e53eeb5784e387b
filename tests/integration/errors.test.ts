// Bad input gets a 400 naming the field; nothing the user sends causes a 500; no
// database text ever reaches a response; a database that is down gives 503.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const ROUTES = ['/api/profile/hour-weekday', '/api/locations', '/api/tiles/incidents/12/2014/1363.mvt'];

const BAD: [string, string][] = [
  ['hours=25', 'hours'],
  ['hours=3-3', 'hours'],
  ['hours=15-', 'hours'],
  ['hours=abc', 'hours'],
  ['hours=15-25', 'hours'],
  ['weekdays=monday', 'weekdays'],
  ['ages=50+', 'ages'],
  ['ages=teen', 'ages'],
  ['categories=murder', 'categories'],
  ['genders=m', 'genders'],
  ['locationKinds=pub', 'locationKinds'],
  ['from=2025-13-01', 'from'],
  ['from=2025-02-30', 'from'],
  ['from=yesterday', 'from'],
  ['from=2025-03-01&to=2025-02-01', 'to'],
  ["areas=E05'; DROP TABLE incidents;--", 'areas'],
  ['areas=' + 'x,'.repeat(600) + 'x', 'areas'],
  ['unexpected=1', 'unexpected'],
  ['areas=E05999999', 'areas'],
];

/** Numbers must be plain decimals: the schemas' coercion would take these as numbers. */
const NOT_NUMBERS = ['Infinity', '1e309', '0x10', '', ' ', '9223372036854775808', '1e3', '١٢'];

describe('bad input', () => {
  for (const route of ROUTES) {
    for (const [query, field] of BAD) {
      it(`${route}?${query.slice(0, 40)} is a 400 naming ${field}`, async () => {
        const response = await analyst.get(`${route}?${query}`);
        expect(response.statusCode).toBe(400);
        const body = response.json();
        expect(body.field).toBe(field);
        expect(body.message).toMatch(new RegExp(`^${field}: `));
        expect(body.message).not.toMatch(/syntax|relation|column|postgres|SQL/i);
      });
    }
  }

  for (const value of NOT_NUMBERS) {
    it(`radius=${JSON.stringify(value)} is a 400 naming radius`, async () => {
      const response = await analyst.get(`/api/locations?radius=${encodeURIComponent(value)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().field).toBe('radius');
    });
  }

  it('answers malformed multipart with a 400', async () => {
    const admin = await signIn(app, 'admin');
    for (const body of ['--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc', 'not multipart at all', '']) {
      const response = await admin.post('/api/imports', body, { 'content-type': 'multipart/form-data; boundary=x' });
      expect(response.statusCode, `${JSON.stringify(body)}: ${response.body}`).toBe(400);
    }
  });

  it('leaves the tables intact after an injection attempt', async () => {
    await analyst.get(`/api/locations?areas=${encodeURIComponent("x') OR 1=1; DROP TABLE incidents;--")}`);
    const { rows } = await db.pool.query("SELECT to_regclass('incidents') IS NOT NULL AS present");
    expect(rows[0].present).toBe(true);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await analyst.get('/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('database down', () => {
  it('health says so with 503, and data routes give 503 without database text', async () => {
    const down = await testApp('postgres://lantern:wrong@127.0.0.1:1/lantern');
    try {
      const health = await down.inject({ method: 'GET', url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', database: 'down' });
      const data = await down.inject({ method: 'GET', url: '/api/profile/hour-weekday', cookies: { lantern_session: 'any' } });
      expect(data.statusCode).toBe(503);
      expect(data.headers['retry-after']).toBe('5');
      expect(data.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|password/);
    } finally {
      await down.close();
    }
  });

  it('health is ok when the database is up', async () => {
    const response = await analyst.get('/api/health');
    expect(response.json()).toMatchObject({ status: 'ok', database: 'up', questions: 'off', columns: expect.stringMatching(/^(loading|ready)$/) });
  });
});

describe('OpenAPI', () => {
  it('documents every route from the shared schemas', async () => {
    const response = await analyst.get('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const path of ['/api/health', '/api/meta', '/api/locations', '/api/areas', '/api/profile/hour-weekday']) {
      expect(paths).toContain(path);
    }
    expect(paths.some((path) => path.startsWith('/api/tiles/incidents/'))).toBe(true);
    // Every operation says who may call it, from the rule the server enforces.
    const document = response.json();
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, { description?: string }>>)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.description, `${method} ${path}`).toMatch(/Roles: /);
      }
    }
    expect(document.paths['/api/areas/summary'].get.description).toMatch(/Roles: analyst, police, panel\. Every call is written to the audit log\./);
    expect(document.paths['/api/patrol-plans'].post.description).toMatch(/Roles: police, analyst\./);
  });
});
