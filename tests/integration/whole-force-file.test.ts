// A whole force file kept whole (issue 27 item 5): police.uk publishes Avon and Somerset as
// one file. Imported with keepOutside, its rows outside the district are kept, marked
// outside; every count (both engines) leaves them out unless the filter says extent=all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilters, type FilterQuery } from '@lantern/shared';
import { readDataVersion } from '../../server/src/plugins/database.js';
import type { ColumnCopy } from '../../server/src/counting/duckdb/copy.js';
import { everyZoom } from '../../server/src/repositories/incidents.js';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertArea } from '../helpers/fixtures.js';

const HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const FORCE = 'Avon and Somerset Constabulary,Avon and Somerset Constabulary';
const row = (id: string, lon: number, lat: number, type: string, lsoa: string) =>
  `${id},2025-01,${FORCE},${lon},${lat},On or near a street,${lsoa},${lsoa} name,${type},Under investigation,`;
// Three in the test district (Bath), two in Bristol and one in Weston-super-Mare: outside it.
const FILE = [
  HEADER,
  row('b1', -2.36, 51.38, 'Robbery', 'E01014370'),
  row('b2', -2.361, 51.381, 'Drugs', 'E01014370'),
  row('b3', -2.362, 51.382, 'Violence and sexual offences', 'E01014370'),
  row('x1', -2.59, 51.45, 'Drugs', 'E01014485'),
  row('x2', -2.591, 51.451, 'Robbery', 'E01014486'),
  row('x3', -2.98, 51.35, 'Drugs', 'E01014800'),
].join('\n');

let db: TestDatabase;
let app: TestApp;
let analyst: Session;

beforeAll(async () => {
  db = await createTestDatabase();
  await insertArea(db.pool, { level: 'district', code: 'E06000022', name: 'Test district', lon: -2.4, lat: 51.35, half: 0.15 });
  await insertArea(db.pool, { level: 'ward', code: 'E05000001', name: 'Test ward', lon: -2.36, lat: 51.38, half: 0.02 });
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('a whole force file kept whole', () => {
  it('rejects rows outside the district by default, and keeps them marked outside when asked', async () => {
    const rejected = await analyst.upload('/api/imports?dryRun=true', { name: 'force.csv', content: FILE });
    expect(rejected.json()).toMatchObject({ read: 6, accepted: 3, outsideDistrict: 3, keptOutside: 0, rejected: 3 });

    const kept = await analyst.upload('/api/imports?keepOutside=true', { name: 'force.csv', content: FILE });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ read: 6, accepted: 6, outsideDistrict: 0, keptOutside: 3, rejected: 0 });
    const { rows } = await db.pool.query<{ ref: string; in_district: boolean }>(
      'SELECT source_ref AS ref, in_district FROM incidents ORDER BY source_ref');
    expect(rows).toEqual(['b1', 'b2', 'b3', 'x1', 'x2', 'x3'].map((ref) => ({ ref, in_district: ref.startsWith('b') })));
    expect((await analyst.upload('/api/imports?keepOutside=maybe', { name: 'force.csv', content: FILE })).statusCode).toBe(400);
  });

  it('counts the district only unless the filter says extent=all, in every answer and both engines', async () => {
    const meta = (await analyst.get('/api/meta')).json();
    expect(meta.outsideDistrict).toBe(true);
    expect(meta.counts.incidents).toBe(3);

    const profile = async (query: string) => (await analyst.get(`/api/profile/hour-weekday?${query}`)).json().totals.episodes;
    expect(await profile('from=2025-01-01&to=2025-01-31')).toBe(3);
    expect(await profile('from=2025-01-01&to=2025-01-31&extent=district')).toBe(3);
    expect(await profile('from=2025-01-01&to=2025-01-31&extent=all')).toBe(6);
    expect(await profile('categories=drugs&extent=all')).toBe(3);
    const bad = await analyst.get('/api/profile/hour-weekday?extent=force');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/extent/);

    // The export, PostgreSQL's alone.
    const exported = async (query: string) => (await analyst.get(`/api/exports/incidents?justification=Checking%20a%20whole%20force%20file&${query}`)).body.trim().split('\n').length - 1;
    expect(await exported('from=2025-01-01&to=2025-01-31')).toBe(3);
    expect(await exported('from=2025-01-01&to=2025-01-31&extent=all')).toBe(6);

    // The area summary's district total holds the district's incidents only.
    const summary = (await analyst.get('/api/areas/summary?level=ward&from=2025-01-01&to=2025-01-31')).json();
    expect(summary.total.episodes).toBe(3);

    // The statistics study the district's grid: rows outside it are left out there, not an error.
    for (const route of ['/api/hotspots/gistar?cellSize=150', '/api/hotspots/kde', '/api/tiles/incidents/12/2019/1362.mvt']) {
      for (const extent of ['', '&extent=all']) {
        const answer = await analyst.get(`${route}${route.includes('?') ? '' : '?'}${extent}`);
        expect(answer.statusCode, `${route} ${extent}`).toBe(200);
      }
    }
    const gi = async (extent: string) => ((await analyst.get(`/api/hotspots/gistar?cellSize=150${extent}`)).json().features as { properties: { count: number } }[])
      .reduce((sum, cell) => sum + cell.properties.count, 0);
    expect(await gi('')).toBe(3);
    expect(await gi('&extent=all')).toBe(3);

    // Both engines alike, the column copy holding the marked rows.
    let copy: ColumnCopy | null = null;
    await app.columns.answer(await readDataVersion(db.pool), async (held) => {
      copy = held;
      return null;
    });
    expect(copy).not.toBeNull();
    const queries: FilterQuery[] = [{}, { extent: 'all' }, { extent: 'all', categories: 'robbery' }, { categories: 'robbery' }];
    for (const query of queries) {
      const filters = parseFilters(query);
      if (!filters.ok) throw new Error('bad filters');
      const fromCopy = await copy!.hourWeekdayProfile(filters.value);
      expect(fromCopy, JSON.stringify(query)).toEqual(await app.counting.postgres.hourWeekdayProfile(filters.value));
      expect(everyZoom(await copy!.hexagonCounts(filters.value))).toEqual(everyZoom(await app.counting.postgres.hexagonCounts(filters.value)));
    }
    const all = parseFilters({ extent: 'all' });
    expect(all.ok && (await copy!.hourWeekdayProfile(all.value))?.totals.episodes).toBe(6);
  });
});
