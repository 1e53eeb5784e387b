// Every parameter of every route in /api/openapi.json, sent hostile values: non-finite,
// huge, negative, hex, blank, unicode, injection and 10 kB. No answer may be a 5xx, and
// a 400 must name the parameter. The other parameters a route requires get plain valid
// values, so each hostile value reaches the route's own checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type Session, testApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents, insertLocation } from '../helpers/fixtures.js';

const HOSTILE = [
  'Infinity', '-Infinity', '1e309', 'NaN', '9223372036854775808', '99999999999999999999999', '-1', '-99999', '0x10', '1e3',
  '', ' ', '١٢', 'é', '\u0000', "'; DROP TABLE incidents;--", '../../etc/passwd', 'x'.repeat(10_240),
];

interface Parameter { name: string; in: 'query' | 'path'; required?: boolean; schema?: Schema }
interface Schema { type?: string; enum?: unknown[]; format?: string; minimum?: number; default?: unknown; pattern?: string; anyOf?: Schema[]; items?: Schema }

/** A plain valid value for a parameter, so that the others' checks are reached. */
function plain(parameter: Parameter): string {
  const schema = parameter.schema?.anyOf?.[0] ?? parameter.schema ?? {};
  if (parameter.name === 'z') return '12';
  if (parameter.name === 'x') return '2014';
  if (parameter.name === 'y') return '1363';
  if (schema.default !== undefined) return String(schema.default);
  if (schema.enum) return String(schema.enum[0]);
  if (schema.format === 'date') return '2025-01-01';
  if (schema.type === 'integer' || schema.type === 'number') return String(Math.max(1, schema.minimum ?? 1));
  if (schema.type === 'boolean') return 'true';
  return 'a';
}

let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let analyst: Session;
let admin: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertLocation(db.pool, { name: 'Park', kind: 'park', lon: -2.36, lat: 51.38 });
  await insertIncidents(db.pool, [{ local: '2025-03-03 21:00', lon: -2.36, lat: 51.38 }]);
  app = await testApp(db.url);
  [analyst, admin] = await Promise.all([signIn(app, 'analyst'), signIn(app, 'admin')]);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('hostile values in every parameter', () => {
  it('never get a 5xx, and every 400 names its parameter', async () => {
    const spec = (await analyst.get('/api/openapi.json')).json() as { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    let sent = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      const get = methods.get;
      if (!get) continue;
      const parameters = (get.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path');
      if (parameters.length === 0) continue;
      // The role that may use the route: analysts for data, admins for administration.
      const probe = (await analyst.get(url(path, parameters, null, ''))).statusCode;
      const session = probe === 403 ? admin : analyst;
      for (const target of parameters) {
        for (const value of HOSTILE) {
          const response = await session.get(url(path, parameters, target, value));
          sent += 1;
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
          const label = `${path} ${target.name}=${JSON.stringify(value.slice(0, 30))}: ${response.statusCode} ${response.body.slice(0, 160)}`;
          if (response.statusCode >= 500) failures.push(label);
          if (response.statusCode === 400 && target.in === 'query' && value.trim() !== '' && response.json().field === undefined) failures.push(`no field: ${label}`);
        }
      }
    }
    console.info(`fuzz: ${sent} requests, by status ${JSON.stringify(statuses)}`);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(500);
  }, 600_000);
});

function url(path: string, parameters: Parameter[], target: Parameter | null, value: string): string {
  let filled = path;
  const query = new URLSearchParams();
  for (const parameter of parameters) {
    const text = parameter === target ? value : plain(parameter);
    if (parameter.in === 'path') filled = filled.replace(`{${parameter.name}}`, encodeURIComponent(text));
    else if (parameter === target || parameter.required) query.set(parameter.name, text);
  }
  const search = query.toString();
  return search ? `${filled}?${search}` : filled;
}
