// OGC API - Features at /ogc: landing, conformance, collections by role, extents, paging
// with next links, bbox, datetime instants and intervals, single features, personal API
// tokens (header and query, carried into links, revocable, read-only), and GDAL's own
// OAPIF client (ogrinfo, Debian's gdal-bin) reading every collection over real HTTP.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp, type Session } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea, insertIncidents, insertLocation, pointFrom, type IncidentRow } from '../helpers/fixtures.js';

const run = promisify(execFile);
const CENTRE = { lon: -2.36, lat: 51.38 };
const at = (east: number, north = 0) => pointFrom(CENTRE, east, north);
let db: TestDatabase;
let app: Awaited<ReturnType<typeof testApp>>;
let origin: string;
const sessions: Record<string, Session> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'neighbourhood', code: 'N-WEST', name: 'West', ...at(-1500), half: 0.02 });
  await insertArea(db.pool, { level: 'neighbourhood', code: 'N-EAST', name: 'East', ...at(1500), half: 0.02 });
  await insertLocation(db.pool, { name: 'West park', kind: 'park', ...at(-1500) });
  await insertLocation(db.pool, { name: 'East shop', kind: 'shop', ...at(1500) });
  // 25 incidents: 15 in the west in January 2025, 10 in the east in February 2025.
  const rows: IncidentRow[] = [
    ...Array.from({ length: 15 }, (_, k) => ({ ...at(-1500 + k * 5), local: `2025-01-${String(k + 1).padStart(2, '0')} 20:00`, category: 'robbery', age: 16 })),
    ...Array.from({ length: 10 }, (_, k) => ({ ...at(1500 + k * 5), local: `2025-02-${String(k + 1).padStart(2, '0')} 09:30`, category: 'drugs', age: 30 })),
  ];
  await insertIncidents(db.pool, rows);
  app = await testApp(db.url);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  for (const role of ['analyst', 'police', 'panel'] as const) sessions[role] = await signIn(app, role);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const get = async (session: Session, url: string) => {
  const response = await session.get(url);
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return response.json();
};
const path = (href: string) => href.replace(/^https?:\/\/[^/]+/, '');

describe('OGC API - Features', () => {
  it('has a landing page and declares Core, GeoJSON and OpenAPI 3.0', async () => {
    const landing = (await app.inject({ url: '/ogc' })).json();
    expect(landing.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'service-desc', 'service-doc', 'conformance', 'data']);
    const conformance = (await app.inject({ url: '/ogc/conformance' })).json();
    expect(conformance.conformsTo).toEqual([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
    ]);
    expect((await app.inject({ url: '/ogc/collections' })).statusCode).toBe(401);
  });

  it('lists the collections each role may read, with extents', async () => {
    const ids = async (role: string) => (await get(sessions[role]!, '/ogc/collections')).collections.map((c: { id: string }) => c.id);
    expect(await ids('analyst')).toEqual(['locations-of-concern', 'areas', 'gistar-cells', 'incidents']);
    expect(await ids('police')).toEqual(['locations-of-concern', 'areas', 'gistar-cells', 'incidents']);
    expect(await ids('panel')).toEqual(['areas']);
    expect((await sessions.panel!.get('/ogc/collections/incidents/items')).statusCode).toBe(403);
    const incidents = await get(sessions.analyst!, '/ogc/collections/incidents');
    expect(incidents.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    expect(incidents.extent.temporal.interval).toEqual([['2025-01-01T20:00:00Z', '2025-02-10T09:30:00Z']]);
    const [w, s, e, n] = incidents.extent.spatial.bbox[0];
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThanOrEqual(n); // the incidents lie on one line of latitude
    expect((await sessions.analyst!.get('/ogc/collections/nothing')).statusCode).toBe(404);
  });

  it('pages with limit and next links, numberReturned and numberMatched', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/ogc/collections/incidents/items?limit=10';
    const pages: number[] = [];
    while (url) {
      const page = await get(sessions.police!, url);
      expect(page.type).toBe('FeatureCollection');
      expect(page.numberMatched).toBe(25);
      pages.push(page.numberReturned);
      seen.push(...page.features.map((f: { id: string }) => String(f.id)));
      const next = page.links.find((l: { rel: string }) => l.rel === 'next');
      url = next ? path(next.href) : undefined;
    }
    expect(pages).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    expect((await get(sessions.police!, '/ogc/collections/incidents/items')).numberReturned).toBe(10); // default limit
    const big = await sessions.police!.get('/ogc/collections/incidents/items?limit=10001');
    expect(big.statusCode).toBe(400);
    expect(big.json().field).toBe('limit');
  });

  it('computes the Gi* cells once for a client paging through them, and each page from that result', async () => {
    const url = '/ogc/collections/gistar-cells/items?categories=robbery';
    const all = await get(sessions.analyst!, `${url}&limit=10000`);
    expect(all.numberMatched).toBeGreaterThan(2);
    const { hits, misses } = app.results.stats;
    const seen: unknown[] = [];
    let pages = 0;
    let next: string | undefined = `${url}&limit=2`;
    while (next) {
      const page = await get(sessions.police!, next);
      pages += 1;
      seen.push(...page.features);
      const link = page.links.find((l: { rel: string }) => l.rel === 'next');
      next = link ? path(link.href) : undefined;
    }
    expect(seen).toEqual(all.features);
    expect([app.results.stats.hits - hits, app.results.stats.misses - misses]).toEqual([pages, 0]);
  });

  it('filters by bbox, by datetime instants and intervals with open ends, and by the shared filters', async () => {
    const count = async (query: string) => (await get(sessions.analyst!, `/ogc/collections/incidents/items?limit=100&${query}`)).numberReturned;
    const east = at(1500);
    expect(await count(`bbox=${east.lon - 0.01},${east.lat - 0.01},${east.lon + 0.01},${east.lat + 0.01}`)).toBe(10);
    // The whole world, poles included (where Web Mercator has no y), as desktop GIS asks.
    const all = await count('');
    expect(await count('bbox=-180,-90,180,90')).toBe(all);
    expect(await count('bbox=-10,85.5,10,90')).toBe(0);
    expect(await count('datetime=2025-01-05')).toBe(1);
    expect(await count('datetime=2025-01-05T20:00:00Z')).toBe(1);
    expect(await count('datetime=2025-01-10/2025-02-02')).toBe(8); // 10-15 January, 1-2 February
    expect(await count('datetime=../2025-01-03')).toBe(3);
    expect(await count('datetime=2025-02-09/..')).toBe(2);
    expect(await count('categories=drugs')).toBe(10);
    for (const [query, field] of [['bbox=1,2,3', 'bbox'], ['bbox=10,60,5,50', 'bbox'], ['datetime=yesterday', 'datetime'], ['datetime=../..', 'datetime'], ['datetime=2025-02-30', 'datetime'], ['datetime=2025-01-05T24:00:00Z', 'datetime'], ['datetime=2025-13-01/..', 'datetime']]) {
      const response = await sessions.analyst!.get(`/ogc/collections/incidents/items?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().field).toBe(field);
    }
  });

  it('gives single features, person attributes to analysts only, and panel members protected area counts', async () => {
    const page = await get(sessions.analyst!, '/ogc/collections/incidents/items?limit=1&categories=robbery');
    const id = page.features[0].id;
    const analystView = await get(sessions.analyst!, `/ogc/collections/incidents/items/${id}`);
    expect(analystView.properties).toMatchObject({ category: 'robbery', ageBand: '15-17' });
    const policeView = await get(sessions.police!, `/ogc/collections/incidents/items/${id}`);
    expect(policeView.properties.ageBand).toBeUndefined();
    expect(policeView.properties).not.toHaveProperty('person_ref');
    expect((await sessions.police!.get('/ogc/collections/incidents/items/99999999')).statusCode).toBe(404);
    const areas = await get(sessions.panel!, '/ogc/collections/areas/items?limit=100');
    expect(areas.features.map((f: { id: string }) => f.id).sort()).toEqual(['neighbourhood.N-EAST', 'neighbourhood.N-WEST']);
    // The panel's counts are those of its area summary: perturbed, never 1-4.
    const summary = (await sessions.panel!.get('/api/areas/summary?level=neighbourhood')).json();
    for (const feature of areas.features) {
      expect(feature.properties.episodes).toBe(summary.rows.find((row: { code: string }) => row.code === feature.properties.code).episodes);
      expect(feature.properties.episodes === 0 || feature.properties.episodes >= 5).toBe(true);
      expect(feature.geometry.type).toBe('MultiPolygon');
    }
    const west = await get(sessions.analyst!, '/ogc/collections/areas/items/neighbourhood.N-WEST');
    expect(west.properties).toMatchObject({ code: 'N-WEST', episodes: 15 });
  });

  it('lets a token live 90 days by default, fewer when asked, and refuses it once expired', async () => {
    const made = (await sessions.police!.post('/api/tokens', { name: 'default lifetime' })).json();
    const days = (Date.parse(made.expiresAt) - Date.parse(made.createdAt)) / 86_400_000;
    expect(days).toBeCloseTo(90, 3);
    const short = (await sessions.police!.post('/api/tokens', { name: 'a week', days: 7 })).json();
    expect((Date.parse(short.expiresAt) - Date.parse(short.createdAt)) / 86_400_000).toBeCloseTo(7, 3);
    const capped = (await sessions.police!.post('/api/tokens', { name: 'forever', days: 3650 })).json();
    expect((Date.parse(capped.expiresAt) - Date.parse(capped.createdAt)) / 86_400_000).toBeCloseTo(90, 3);
    expect((await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${short.token}` } })).statusCode).toBe(200);
    await db.pool.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [short.id]);
    const expired = await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${short.token}` } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toMatch(/expired/);
    const listed = await get(sessions.police!, '/api/tokens');
    expect(listed.tokens.map((token: { id: number }) => token.id)).not.toContain(short.id);
    for (const id of [made.id, capped.id]) await sessions.police!.delete(`/api/tokens/${id}`);
  });

  it('reads with a personal API token: header or query, carried into links, read-only, revocable', async () => {
    const made = await sessions.police!.post('/api/tokens', { name: 'QGIS on the office PC' });
    expect(made.statusCode).toBe(201);
    const { id, token } = made.json();
    expect(token).toMatch(/^lt_/);
    const listed = await get(sessions.police!, '/api/tokens');
    expect(listed.tokens[0]).toMatchObject({ id, name: 'QGIS on the office PC' });
    expect(listed.tokens[0].token).toBeUndefined();

    const byHeader = await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${token}` } });
    expect(byHeader.statusCode).toBe(200);
    const byQuery = await app.inject({ url: `/ogc/collections/incidents/items?limit=10&token=${token}` });
    expect(byQuery.statusCode).toBe(200);
    const next = byQuery.json().links.find((l: { rel: string }) => l.rel === 'next');
    expect(next.href).toContain(`token=${token}`);
    expect((await app.inject({ url: path(next.href) })).statusCode).toBe(200);
    // Read-only, and gone once revoked.
    expect((await app.inject({ method: 'POST', url: '/api/patrol-plans', headers: { authorization: `Bearer ${token}` }, payload: {} })).statusCode).toBe(403);
    expect((await sessions.police!.delete(`/api/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${token}` } });
    expect(revoked.statusCode).toBe(401);
    expect((await app.inject({ url: '/ogc/collections', headers: { authorization: 'Bearer lt_made-up' } })).statusCode).toBe(401);
  });

  it('opens in GDAL: ogrinfo reads every collection through the OAPIF driver, paging', async () => {
    const { token } = (await sessions.analyst!.post('/api/tokens', { name: 'ogrinfo test' })).json();
    const gdal = (args: string[]) => run('ogrinfo', args, {
      env: { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${token}`, CPL_DEBUG: 'OFF' }, maxBuffer: 64 * 1024 * 1024,
    });
    const layers = await gdal(['-ro', '-q', `OAPIF:${origin}/ogc`]);
    for (const id of ['locations-of-concern', 'areas', 'gistar-cells', 'incidents']) expect(layers.stdout).toContain(id);
    // Every feature, in pages of 10 (the default limit): 25 incidents.
    const incidents = await gdal(['-ro', '-al', '-oo', 'PAGE_SIZE=10', `OAPIF:${origin}/ogc`, 'incidents']);
    expect(incidents.stdout.match(/^OGRFeature\(incidents\):/gm)).toHaveLength(25);
    expect(incidents.stdout).toMatch(/category \(String\) = robbery/);
    const areas = await gdal(['-ro', '-al', '-so', `OAPIF:${origin}/ogc`, 'areas']);
    expect(areas.stdout).toMatch(/Feature Count: 2/);
    const places = await gdal(['-ro', '-al', `OAPIF:${origin}/ogc`, 'locations-of-concern']);
    expect(places.stdout.match(/^OGRFeature\(locations-of-concern\):/gm)).toHaveLength(2);
    const cells = await gdal(['-ro', '-al', '-so', `OAPIF:${origin}/ogc`, 'gistar-cells']);
    expect(cells.stdout).toMatch(/Geometry: (Multi )?Polygon|Geometry: Unknown/);
  });
});
