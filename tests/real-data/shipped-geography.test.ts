// The geography Lantern ships (data/geography, loaded at every start) against the real
// public files in LANTERN_REAL_DATA it was built from: police.uk rows inside B&NES are
// never rejected as outside the district, and the shipped areas keep the sources' counts.
// Skipped without the files.
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresCounter } from '../../server/src/counting/postgres.js';
import { runImport } from '../../server/src/imports/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const REAL = process.env.LANTERN_REAL_DATA;

describe.skipIf(!REAL)('the shipped geography and the real files', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ geography: true });
  });

  afterAll(async () => {
    await db?.drop();
  });

  const load = (file: string) => runImport({
    pool: db.pool, input: createReadStream(path.join(REAL!, file)), filename: file, kind: 'police-uk', user: 'real-data test', secret: 'x',
  });

  it('rejects none of the 5,355 B&NES police.uk rows as outside the district', async () => {
    const report = await load('police/banes-street-2025-01-to-04.csv');
    // Only the 10 rows repeating a Crime ID at another place are rejected (each crime counts once).
    expect(report).toMatchObject({ read: 5355, rejected: 10, outsideDistrict: 0, rejectedByReason: { duplicate_reference: 10 } });
    expect(report.accepted + report.duplicates + report.rejected).toBe(5355);
  }, 120_000);

  it('takes from the whole force file every row police.uk places in B&NES, and only those', async () => {
    const file = 'police/2025-01-avon-and-somerset-street.csv';
    const rows = parse(readFileSync(path.join(REAL!, file)), { columns: true }) as Record<string, string>[];
    const banes = rows.filter((row) => row['LSOA name']?.startsWith('Bath and North East Somerset ') && row.Longitude);
    const report = await load(file);
    // January's B&NES rows are already in from the four-month file: all duplicates (two of them repeat a
    // Crime ID filed at another place earlier in this file, rejected naming that line), none outside.
    expect(report.accepted).toBe(0);
    expect(report.duplicates + report.rejectedByReason.duplicate_reference!).toBe(banes.length);
    expect(report.rejectedByReason.duplicate_reference).toBe(2);
    expect(report.rejectedByReason.outside_district).toBe(rows.filter((row) => row.Longitude).length - banes.length);
  }, 120_000);

  it('keeps the whole force file whole when asked: the rows outside B&NES kept, counted only with extent=all', async () => {
    const file = 'police/2025-01-avon-and-somerset-street.csv';
    const counter = postgresCounter(db.pool);
    const january = { from: '2025-01-01', to: '2025-01-31' };
    const before = (await counter.hourWeekdayProfile(january)).totals.episodes;
    const report = await runImport({
      pool: db.pool, input: createReadStream(path.join(REAL!, file)), filename: file, kind: 'police-uk', user: 'real-data test', secret: 'x', keepOutside: true,
    });
    // The B&NES rows are in already; Bristol, North Somerset, South Gloucestershire and Somerset's come in now.
    expect(report.outsideDistrict).toBe(0);
    expect(report.rejectedByReason.outside_district).toBeUndefined();
    expect(report.keptOutside).toBeGreaterThan(12_000);
    expect(report.accepted).toBeGreaterThan(12_000);
    expect(report.accepted).toBeLessThanOrEqual(report.keptOutside!);
    const { rows: [outside] } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE NOT in_district');
    expect(outside!.n).toBe(report.accepted);
    // Every count is B&NES's as before; the whole file's only when asked.
    expect((await counter.hourWeekdayProfile(january)).totals.episodes).toBe(before);
    expect((await counter.hourWeekdayProfile({ ...january, extent: 'all' })).totals.episodes).toBe(before + report.accepted);
    const { rows: [areas] } = await db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM incident_areas ia JOIN incidents i ON i.id = ia.incident_id WHERE NOT i.in_district');
    expect(areas!.n).toBe(0);
  }, 120_000);

  it('keeps the sources\' areas: 33 wards, 115 LSOAs with 176,016 residents, 27 MSOAs, each tiling the district', async () => {
    const { rows } = await db.pool.query(`
      SELECT a.level, count(*)::int AS n, sum(a.population)::int AS population,
             round((sum(ST_Area(a.geom_bng)) / (SELECT ST_Area(geom_bng) FROM areas WHERE level = 'district'))::numeric, 4)::float AS cover
        FROM areas a GROUP BY a.level ORDER BY a.level`);
    expect(rows.map((row) => [row.level, row.n])).toEqual([['district', 1], ['lsoa', 115], ['msoa', 27], ['ward', 33]]);
    for (const row of rows) {
      expect(row.population, row.level).toBeGreaterThanOrEqual(176_000);
      expect(row.population, row.level).toBeLessThanOrEqual(176_032);
      expect(row.cover, row.level).toBeCloseTo(1, 3);
    }
    const file = JSON.parse(readFileSync(path.join(REAL!, 'boundaries', 'banes_wards_2019.geojson'), 'utf8'));
    const names = await db.pool.query(`SELECT name FROM areas WHERE level = 'ward' ORDER BY name`);
    expect(names.rows.map((row) => row.name)).toEqual(file.features.map((f: { properties: { Ward_name: string } }) => f.properties.Ward_name.trim()).sort());
  });
});
