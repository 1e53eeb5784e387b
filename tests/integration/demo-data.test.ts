// Loading the demo dataset into PostGIS: on the real geography, one transaction, flagged
// as demo, never on top of real incidents; the database reproduces the generator's local
// times exactly.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocationCollection, PeerGroups, PeopleRepeats } from '@lantern/shared';
import { generateDemo } from '../../scripts/demo/generator.js';
import { loadDemo } from '../../scripts/demo/load.js';
import { signIn, testApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { insertIncidents } from '../helpers/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dataset = generateDemo(11, { scale: 0.15 });
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('demo data in PostGIS', () => {
  it('loads on the real geography (loaded first when missing): incidents and invented places flagged as demo', async () => {
    const outcome = await loadDemo(db.url, dataset);
    const invented = dataset.locations.filter((location) => location.demo);
    expect(outcome).toMatchObject({ status: 'loaded', locations: invented.length, incidents: dataset.incidents.length });
    const { rows } = await db.pool.query(`SELECT
      (SELECT json_object_agg(level, n) FROM (SELECT level, count(*)::int AS n FROM areas GROUP BY level) l) AS levels,
      (SELECT count(*)::int FROM areas WHERE is_demo) AS demo_areas,
      (SELECT count(*)::int FROM locations_of_concern WHERE is_demo) AS demo_places,
      (SELECT count(*)::int FROM locations_of_concern WHERE NOT is_demo) AS real_places,
      (SELECT count(*)::int FROM incidents WHERE NOT is_demo) AS real_incidents,
      (SELECT count(*)::int FROM incidents WHERE nearest_location_id IS NOT NULL) AS linked,
      (SELECT sum(population)::int FROM areas WHERE level = 'lsoa') AS lsoa_population,
      (SELECT bool_and(ST_IsValid(geom)) FROM areas) AS valid`);
    expect(rows[0]).toMatchObject({
      levels: { district: 1, ward: 33, lsoa: 115, msoa: 27 }, demo_areas: 0, demo_places: invented.length,
      real_incidents: 0, lsoa_population: 176016, valid: true,
    });
    expect(rows[0].real_places).toBeGreaterThan(1000);
    expect(rows[0].linked).toBeGreaterThan(dataset.incidents.length / 2);
    const app = await testApp(db.url);
    const analyst = await signIn(app, 'analyst');
    const meta = (await analyst.get('/api/meta')).json();
    const summary = (await analyst.get('/api/areas/summary?level=ward')).json();
    const places = (await analyst.get('/api/locations?limit=5000')).json() as LocationCollection;
    // The people patterns docs/demo-data.md promises, found by the people analyses (issue 32).
    const groups = (await analyst.get('/api/people/groups')).json() as PeerGroups;
    const repeats = (await analyst.get('/api/people/repeats')).json() as PeopleRepeats;
    await app.close();
    expect(groups.groups.map((group) => group.size)).toEqual([6, 4]);
    expect(groups.groups[0]!.categories.map((row) => row.category)).toContain('county_lines');
    expect(groups.groups[1]!.categories.map((row) => row.category)).toEqual(['cse']);
    expect(repeats.victimAndSuspect).toBeGreaterThanOrEqual(4);
    // Each place says where it comes from and how well it is placed; invented ones say so.
    const named = (name: string) => places.features.find((feature) => feature.properties.name === name)!.properties;
    expect(named('Bath Bus Station')).toMatchObject({ source: 'openstreetmap-2017', attribution: expect.stringMatching(/OpenStreetMap contributors \(ODbL/), demo: false, approximate: false });
    expect(named('Twerton estate (approximate)')).toMatchObject({ kind: 'housing_estate', approximate: true, demo: false });
    expect(named('Twerton estate stairwell, block C')).toMatchObject({ kind: 'stairwell', demo: true, source: 'demo' });
    expect(places.features.filter((feature) => !feature.properties.demo).every((feature) => feature.properties.attribution)).toBe(true);
    expect(meta).toMatchObject({ demo: true, imported: false });
    // Rates say whose residents they divide by, and when they were counted.
    expect(summary.sources.join(' ')).toMatch(/residents from the 2011 Census/);
    expect(summary.rows).toHaveLength(33);
  });

  it('puts every incident inside the real district, none in the river or a lake', async () => {
    const { rows } = await db.pool.query(`SELECT
      (SELECT count(*)::int FROM incidents i WHERE NOT EXISTS (
         SELECT 1 FROM areas a WHERE a.level = 'district' AND ST_Intersects(a.geom, i.geom))) AS outside,
      (SELECT count(*)::int FROM incidents i WHERE EXISTS (
         SELECT 1 FROM basemap_features w WHERE w.layer = 'water' AND ST_Intersects(w.geom, ST_Transform(i.geom, 3857)))) AS in_water`);
    expect(rows[0]).toEqual({ outside: 0, in_water: 0 });
  });

  it('places each incident in exactly one area of every level', async () => {
    const { rows } = await db.pool.query(`
      SELECT l.level, count(*) FILTER (WHERE n = 0)::int AS none, count(*) FILTER (WHERE n > 1)::int AS several
        FROM (SELECT DISTINCT level FROM areas) l
        CROSS JOIN LATERAL (
          SELECT (SELECT count(*) FROM incident_areas ia JOIN areas a ON a.id = ia.area_id
                   WHERE ia.incident_id = i.id AND a.level = l.level) AS n
            FROM incidents i) c
       GROUP BY l.level ORDER BY l.level`);
    expect(rows).toEqual(['district', 'lsoa', 'msoa', 'ward'].map((level) => ({ level, none: 0, several: 0 })));
  });

  it('writes incidents in space order (PostGIS\'s Hilbert sort), each linked to its nearest open place', async () => {
    // Ordered by place, the ids never go down: they were given in that order.
    const { rows: [order] } = await db.pool.query(`
      SELECT count(*) FILTER (WHERE previous > id)::int AS descents, count(*)::int AS incidents
        FROM (SELECT id, lag(id) OVER (ORDER BY geom, id) AS previous FROM incidents) ordered`);
    expect(order).toEqual({ descents: 0, incidents: dataset.incidents.length });
    // The link made in the insert is the one lantern_link_nearest_locations would make: it changes nothing.
    const { rows: [relinked] } = await db.pool.query('SELECT lantern_link_nearest_locations(150) AS changed');
    expect(Number(relinked.changed)).toBe(0);
  });

  it('keeps every generated local time as the local hour, across BST and GMT', async () => {
    const expected = new Map(dataset.incidents.map((i) => [i.ref, Number(i.localTime.slice(11, 13))]));
    const { rows } = await db.pool.query<{ source_ref: string; local_hour: number }>(
      'SELECT source_ref, local_hour FROM incidents');
    // Wall-clock times inside the spring-forward gap (01:00-01:59 on the last Sunday in
    // March) do not exist in Europe/London; PostgreSQL moves them on by an hour.
    const mismatches = rows.filter((row) => expected.get(row.source_ref) !== row.local_hour);
    expect(mismatches.length).toBeLessThanOrEqual(3);
    for (const row of mismatches) expect(row.local_hour).toBe(expected.get(row.source_ref)! + 1);
  });

  it('does not load twice, and never on top of real data', async () => {
    expect(await loadDemo(db.url, dataset)).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/already/) });
    await insertIncidents(db.pool, [{ local: '2025-01-01 12:00', lon: -2.36, lat: 51.38, source: 'police' }]);
    await db.pool.query('UPDATE incidents SET is_demo = false WHERE source_ref LIKE $1', ['test-%']);
    expect(await loadDemo(db.url, dataset, { replace: true })).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/real/) });
    const { rows } = await db.pool.query('SELECT count(*) AS n FROM incidents');
    expect(Number(rows[0].n)).toBe(dataset.incidents.length + 1);
  });

  it('is removed by npm run demo:remove, leaving the imported rows', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'demo', 'remove.ts')], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: db.url },
    });
    expect(run.status, run.stderr).toBe(0);
    const invented = dataset.locations.filter((location) => location.demo).length;
    expect(run.stdout).toMatch(new RegExp(`Demo data removed: ${dataset.incidents.length} incidents, ${invented} places, 0 areas`));
  });

  it('has only the imported rows and the real geography left', async () => {
    const { rows } = await db.pool.query(`SELECT (SELECT count(*) FROM incidents)::int AS incidents, (SELECT count(*) FROM areas)::int AS areas,
      (SELECT count(*) FROM locations_of_concern WHERE is_demo)::int AS demo_places,
      (SELECT count(*) FROM import_batches WHERE is_demo AND status = 'committed')::int AS demo_batches`);
    expect(rows[0]).toEqual({ incidents: 1, areas: 176, demo_places: 0, demo_batches: 0 });
  });
});
