// Every registered route x every session (none, admin, analyst, police, panel): the
// route table comes from the app itself, so a new route without a sample request here,
// or without an access rule in the app, fails.
import { USER_ROLES, type UserRole } from '@lantern/shared';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../server/src/errors.js';
import type { RouteRule } from '../../server/src/plugins/access.js';
import { multipartBody, signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, linkNearestLocations, offsetMetres } from '../helpers/fixtures.js';

const WEST = { lon: -2.392, lat: 51.381 };
const EAST = { lon: -2.359, lat: 51.381 };

/** A valid request for each API route; `null` = not an API route (static files, docs UI). */
interface Sample {
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Makes what the request needs (a fresh import batch to roll back) and returns its URL. */
  prepare?: (session: Session | null) => Promise<string>;
  /** Roles the answer is for when the route's rule is "signed-in" but the resource has its own (OGC collections). */
  roles?: UserRole[];
}

const PLACES_GEOJSON = JSON.stringify({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name: 'Matrix stairwell', kind: 'stairwell' }, geometry: { type: 'Point', coordinates: [-2.36, 51.38] } }],
});
const upload = multipartBody({ name: 'places.geojson', content: PLACES_GEOJSON });
let batchId = 0;

/** A committed (empty) import batch, as an import leaves one. */
async function committedBatch(): Promise<number> {
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO import_batches (kind, filename, status, created_by, finished_at) VALUES ('locations-geojson', 'x.geojson', 'committed', 'test', now()) RETURNING id::int`);
  return rows[0]!.id;
}

/** A saved patrol plan (empty: no places), as POST /api/patrol-plans leaves one. */
async function savedPlan(): Promise<number> {
  const plan = {
    createdBy: 'test', area: null, date: '2025-03-07', start: '22:00', end: '02:00',
    startsAt: '2025-03-07T22:00:00Z', endsAt: '2025-03-08T02:00:00Z', shiftMinutes: 240, shiftText: 'x',
    lookbackWeeks: 12, lookback: { from: '2024-12-13', to: '2025-03-06' }, radius: 100, seed: 1,
    roundMinutes: 0, totalVisitMinutes: 0, places: [], notes: [],
  };
  const { rows } = await db.pool.query<{ id: number }>(
    `INSERT INTO patrol_plans (created_by_name, shift_date, starts_at, ends_at, plan)
     VALUES ('test', '2025-03-07', '2025-03-07T22:00:00Z', '2025-03-08T02:00:00Z', $1) RETURNING id::int`, [JSON.stringify(plan)]);
  return rows[0]!.id;
}

const SAMPLES: Record<string, Sample | null> = {
  'POST /api/patrol-plans': { method: 'POST', url: '/api/patrol-plans', body: { date: '2025-03-07', start: '22:00', end: '02:00' } },
  'GET /api/patrol-plans': { method: 'GET', url: '/api/patrol-plans' },
  'GET /api/tokens': { method: 'GET', url: '/api/tokens' },
  'POST /api/tokens': { method: 'POST', url: '/api/tokens', body: { name: 'matrix test' } },
  'DELETE /api/tokens/:id': {
    method: 'DELETE', url: '/api/tokens/999999',
    // The session's own token (a token of someone else is "not found").
    prepare: async (session) => `/api/tokens/${session ? (await session.post('/api/tokens', { name: 'to revoke' })).json().id : 1}`,
  },
  'GET /ogc': { method: 'GET', url: '/ogc' },
  'GET /ogc/conformance': { method: 'GET', url: '/ogc/conformance' },
  'GET /ogc/collections': { method: 'GET', url: '/ogc/collections' },
  'GET /ogc/collections/:collectionId': { method: 'GET', url: '/ogc/collections/areas', roles: ['analyst', 'police', 'panel'] },
  'GET /ogc/collections/:collectionId/items': { method: 'GET', url: '/ogc/collections/areas/items?limit=100', roles: ['analyst', 'police', 'panel'] },
  'GET /ogc/collections/:collectionId/items/:featureId': { method: 'GET', url: '/ogc/collections/areas/items/neighbourhood.T-WEST', roles: ['analyst', 'police', 'panel'] },
  'GET /api/meeting-pack': { method: 'GET', url: '/api/meeting-pack?meeting=oem&date=2025-05-01' },
  'GET /api/meeting-pack.csv': { method: 'GET', url: '/api/meeting-pack.csv?meeting=svog&date=2025-05-01&section=locations' },
  'GET /api/patrol-plans/:id': { method: 'GET', url: '/api/patrol-plans/1', prepare: async () => `/api/patrol-plans/${await savedPlan()}` },
  'GET /api/patrol-plans/:id/:format': { method: 'GET', url: '/api/patrol-plans/1/gpx', prepare: async () => `/api/patrol-plans/${await savedPlan()}/gpx` },
  'GET /api/health': { method: 'GET', url: '/api/health' },
  'GET /api/openapi.json': { method: 'GET', url: '/api/openapi.json' },
  'POST /api/auth/login': { method: 'POST', url: '/api/auth/login', body: { username: 'nobody', password: 'x' } },
  'POST /api/auth/logout': { method: 'POST', url: '/api/auth/logout' },
  'GET /api/auth/me': { method: 'GET', url: '/api/auth/me' },
  'GET /api/audit': { method: 'GET', url: '/api/audit?limit=5' },
  'GET /api/users': { method: 'GET', url: '/api/users' },
  'GET /api/meta': { method: 'GET', url: '/api/meta' },
  'GET /api/tiles/incidents/:z/:x/:y.mvt': { method: 'GET', url: '/api/tiles/incidents/12/2020/1363.mvt' },
  'GET /api/tiles/basemap/:z/:x/:y.mvt': { method: 'GET', url: '/api/tiles/basemap/12/2020/1363.mvt' },
  'GET /api/basemap/fonts/:fontstack/:range.pbf': { method: 'GET', url: '/api/basemap/fonts/Noto%20Sans%20Regular/0-255.pbf' },
  'GET /api/locations': { method: 'GET', url: '/api/locations' },
  'GET /api/areas': { method: 'GET', url: '/api/areas?level=neighbourhood' },
  'GET /api/profile/hour-weekday': { method: 'GET', url: '/api/profile/hour-weekday' },
  'GET /api/people/flow': { method: 'GET', url: '/api/people/flow?from=2025-04-01&to=2025-04-30' },
  'GET /api/people/repeats': { method: 'GET', url: '/api/people/repeats' },
  'GET /api/people/sources': { method: 'GET', url: '/api/people/sources?from=2025-04-01&to=2025-04-30' },
  'GET /api/people/groups': { method: 'GET', url: '/api/people/groups?from=2025-04-01&to=2025-04-30' },
  'GET /api/people/group-sizes': { method: 'GET', url: '/api/people/group-sizes?from=2025-04-01&to=2025-04-30' },
  'GET /api/analysis/near-repeat': { method: 'GET', url: '/api/analysis/near-repeat?iterations=19' },
  'GET /api/areas/summary': { method: 'GET', url: '/api/areas/summary?level=neighbourhood&compare=previous&from=2025-03-01&to=2025-03-31' },
  'GET /api/areas/summary.csv': { method: 'GET', url: '/api/areas/summary.csv?level=neighbourhood&compare=previous' },
  'GET /api/hotspots/gistar': { method: 'GET', url: '/api/hotspots/gistar?cellSize=500' },
  'GET /api/hotspots/kde': { method: 'GET', url: '/api/hotspots/kde?bandwidth=500&resolution=200' },
  'GET /api/hotspots/emerging': { method: 'GET', url: '/api/hotspots/emerging?cellSize=500&slice=week&from=2025-03-01&to=2025-04-30' },
  'GET /api/hotspots/evaluate': { method: 'GET', url: '/api/hotspots/evaluate?cellSize=500&trainFrom=2025-01-01&trainTo=2025-04-05&testFrom=2025-04-06&testTo=2025-04-30' },
  'GET /api/harm-weights': { method: 'GET', url: '/api/harm-weights' },
  'POST /api/users': { method: 'POST', url: '/api/users', body: { username: 'matrix-user', role: 'police' } },
  'POST /api/users/:username/password': { method: 'POST', url: '/api/users/matrix-user/password' },
  'PUT /api/users/:username/state': { method: 'PUT', url: '/api/users/matrix-user/state', body: { disabled: true } },
  'PUT /api/harm-weights/:category': { method: 'PUT', url: '/api/harm-weights/asb', body: { weight: 2, basis: 'matrix test of access' } },
  'GET /api/exports/incidents': { method: 'GET', url: '/api/exports/incidents?justification=matrix%20test%20of%20access' },
  'POST /api/imports': { method: 'POST', url: '/api/imports?dryRun=true', body: upload.payload, headers: upload.headers },
  'GET /api/imports': { method: 'GET', url: '/api/imports' },
  'GET /api/imports/:id': { method: 'GET', url: '/api/imports/1', prepare: async () => `/api/imports/${batchId}` },
  'GET /api/imports/:id/rejects': { method: 'GET', url: '/api/imports/1/rejects', prepare: async () => `/api/imports/${batchId}/rejects` },
  'DELETE /api/imports/:id': { method: 'DELETE', url: '/api/imports/1', prepare: async () => `/api/imports/${await committedBatch()}` },
};

let db: TestDatabase;
let app: TestApp;
const sessions: Partial<Record<UserRole, Session>> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'neighbourhood', code: 'T-WEST', name: 'West', ...WEST });
  await insertArea(db.pool, { level: 'neighbourhood', code: 'T-EAST', name: 'East', ...EAST });
  await insertLocation(db.pool, { name: 'Stairwell', kind: 'stairwell', ...WEST });
  // West: 3 robberies (a small count) and 30 violence; East: 12 violence.
  await insertIncidents(db.pool, [
    ...Array.from({ length: 3 }, (_, i) => ({ local: `2025-04-0${i + 1} 16:00`, category: 'robbery', ...WEST })),
    ...Array.from({ length: 30 }, (_, i) => {
      const [lon, lat] = offsetMetres(WEST.lon, WEST.lat, i * 3, 0);
      return { local: '2025-04-10 23:00', category: 'serious_violence', lon, lat, age: 16 };
    }),
    ...Array.from({ length: 12 }, () => ({ local: '2025-04-12 23:00', category: 'serious_violence', ...EAST })),
  ]);
  await linkNearestLocations(db.pool);
  batchId = await committedBatch();
  app = await testApp(db.url, { LOGIN_ATTEMPTS_PER_MINUTE: 1000 });
  for (const role of USER_ROLES) sessions[role] = await signIn(app, role);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function requestAs(role: UserRole | null, sample: Sample, from = sessions) {
  const session = role ? from[role]! : null;
  const url = sample.prepare ? await sample.prepare(session) : sample.url;
  return app.inject({
    method: sample.method as 'GET' | 'POST' | 'PUT' | 'DELETE',
    url,
    headers: { ...(session ? { 'x-csrf-token': session.csrf } : {}), ...sample.headers },
    ...(session ? { cookies: { lantern_session: session.token } } : {}),
    ...(sample.body ? { payload: sample.body as Record<string, unknown> } : {}),
  });
}

const apiRules = () => app.routeRules.filter((rule) => (rule.url.startsWith('/api/') && !rule.url.startsWith('/api/docs')) || rule.url.startsWith('/ogc'));

describe('route x role matrix', () => {
  it('has a sample request for every API route the app registers', () => {
    const missing = apiRules().map((rule) => `${rule.method} ${rule.url}`).filter((key) => !(key in SAMPLES));
    expect(missing).toEqual([]);
    expect(apiRules().length).toBeGreaterThanOrEqual(17);
  });

  const expected = (rule: RouteRule, role: UserRole | null): 'ok' | 401 | 403 => {
    if (rule.access === 'public') return 'ok';
    if (!role) return 401;
    const own = SAMPLES[`${rule.method} ${rule.url}`]?.roles;
    if (rule.access === 'signed-in') return own && !own.includes(role) ? 403 : 'ok';
    return rule.access.includes(role) ? 'ok' : 403;
  };

  it('answers every route for every session as its rule says', async () => {
    // Sessions of its own: the logout route ends them.
    const own: Partial<Record<UserRole, Session>> = {};
    for (const role of USER_ROLES) own[role] = await signIn(app, role);
    const results: string[] = [];
    // Logout last: it ends the sessions the other requests use.
    const rules = [...apiRules()].sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
    for (const rule of rules) {
      for (const role of [null, ...USER_ROLES] as const) {
        const response = await requestAs(role, SAMPLES[`${rule.method} ${rule.url}`]!, own);
        const want = expected(rule, role);
        const got = response.statusCode;
        const ok = want === 'ok'
          ? got < 400 || (rule.url === '/api/auth/login' && got === 401 && response.json().message === MESSAGES.signInFailed)
          : got === want;
        if (!ok) results.push(`${rule.method} ${rule.url} as ${role ?? 'no session'}: wanted ${want}, got ${got} ${response.body.slice(0, 120)}`);
        if (want === 401) expect(response.json().message).toBe(MESSAGES.signInRequired);
        if (want === 403) expect(response.json().message).toBe(MESSAGES.roleForbidden(role!));
      }
    }
    expect(results).toEqual([]);
  });
});

describe('what a panel member receives', () => {
  it('has no points and no count of 1-4 in any answer a panel member may get', async () => {
    const panel = await signIn(app, 'panel');
    const allowed = apiRules().filter((rule) => rule.method === 'GET'
      && (rule.access === 'public' || rule.access === 'signed-in' || rule.access.includes('panel')));
    expect(allowed.map((rule) => rule.url)).toContain('/api/areas/summary');
    for (const rule of allowed) {
      const response = await panel.get(SAMPLES[`GET ${rule.url}`]!.url);
      expect(response.statusCode, rule.url).toBe(200);
      if (rule.url === '/api/openapi.json') continue; // the API's description, no data
      if (rule.url.startsWith('/api/tiles/basemap/') || rule.url.startsWith('/api/basemap/')) continue; // public OS map and fonts, no incident data
      expect(response.body, rule.url).not.toMatch(/"Point"|"MultiPoint"/);
      const small: string[] = [];
      if (String(response.headers['content-type']).startsWith('text/csv')) {
        // Count columns of the CSV (not residents, rates or percentages) must not be 1-4.
        const records = parse(response.body, { relax_column_count: true }) as string[][];
        const heading = records.find((record) => record[0] === 'Area code')!;
        const counts = heading.flatMap((name, index) => (/Residents|per 1,000|%|Area/i.test(name) ? [] : [index]));
        for (const record of records.slice(records.indexOf(heading) + 1)) {
          for (const index of counts) if (/^[1-4]$/.test(record[index]!)) small.push(`${heading[index]}=${record[index]}`);
        }
        expect(small, rule.url).toEqual([]);
        continue;
      }
      // Count-like fields anywhere in the answer must not be 1-4: a field named like a
      // count, or anything inside one (byGender.male, trend[3], change.previousEpisodes),
      // apart from populations, rates, percentages and differences.
      const countLike = /episodes|people|incidents|timeUnknown|cse|cce|robbery|violence|asb|drugs|other|knife|missing|cuckooing|county_lines|domestic|^by|trend|exploitation|change/i;
      const notCount = /population|rate|percent|share|difference/i;
      const walk = (value: unknown, key: string, inCount: boolean) => {
        const counted = (inCount || countLike.test(key)) && !notCount.test(key);
        if (typeof value === 'number' && counted && value >= 1 && value <= 4) small.push(`${key}=${value}`);
        if (Array.isArray(value)) value.forEach((item) => walk(item, key, counted));
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k, counted);
      };
      walk(response.json(), '', false);
      expect(small, rule.url).toEqual([]);
    }
  });

  it('gets the summary perturbed and adding up as shown; analysts get exact counts and can preview the panel\'s', async () => {
    const panelView = (await sessions.panel!.get('/api/areas/summary?level=neighbourhood')).json();
    const west = panelView.rows.find((row: { code: string }) => row.code === 'T-WEST');
    expect(panelView.disclosureControl).toBe(true);
    expect([0, 5]).toContain(west.byCategory.robbery); // 3 robberies: shown as 0 or 5, never 3
    expect(west.episodes).toBe(Object.values(west.byCategory as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(panelView.total.byCategory.robbery)
      .toBe(panelView.rows.reduce((sum: number, row: { byCategory: { robbery: number } }) => sum + row.byCategory.robbery, 0));
    const exact = (await sessions.analyst!.get('/api/areas/summary?level=neighbourhood')).json();
    expect(exact.disclosureControl).toBe(false);
    expect(exact.rows.find((row: { code: string }) => row.code === 'T-WEST').byCategory.robbery).toBe(3);
    const preview = (await sessions.analyst!.get('/api/areas/summary?level=neighbourhood&preview=panel')).json();
    expect(preview).toEqual(panelView);
  });
});

describe('police', () => {
  it('get incident points without person-level attributes; analysts get the age band', async () => {
    const { VectorTile } = await import('@mapbox/vector-tile');
    const { PbfReader } = await import('pbf');
    const url = '/api/tiles/incidents/16/32339/21820.mvt';
    const decode = (buffer: Buffer) => {
      const layer = new VectorTile(new PbfReader(buffer)).layers.incidents;
      return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties) : [];
    };
    const [x, y] = [Math.floor(((WEST.lon + 180) / 360) * 2 ** 16), Math.floor(((1 - Math.log(Math.tan((WEST.lat * Math.PI) / 180) + 1 / Math.cos((WEST.lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** 16)];
    const tileUrl = url.replace('32339/21820', `${x}/${y}`);
    const police = decode((await sessions.police!.get(tileUrl)).rawPayload);
    const analyst = decode((await sessions.analyst!.get(tileUrl)).rawPayload);
    expect(police.length).toBeGreaterThan(0);
    expect(police.every((properties) => !('ageBand' in properties))).toBe(true);
    expect(analyst.some((properties) => properties.ageBand === '15-17')).toBe(true);
  });
});
