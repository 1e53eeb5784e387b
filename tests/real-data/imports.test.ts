// Imports of the real public files in LANTERN_REAL_DATA (../shared/data/real; see its
// SOURCES.md), checked against the counts SOURCES.md states. Skipped without them.
import type { ImportKind, ImportMapping, ImportReport } from '@lantern/shared';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../../server/src/imports/pipeline.js';
import { signIn, testApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const REAL = process.env.LANTERN_REAL_DATA;

describe.skipIf(!REAL)('importing the real B&NES files', () => {
  let db: TestDatabase;
  const reports: Record<string, ImportReport> = {};

  const load = (file: string, kind?: ImportKind, mapping?: ImportMapping) => runImport({
    pool: db.pool, input: createReadStream(path.join(REAL!, file)), filename: file, kind, mapping, user: 'real-data test', secret: 'x',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    // Boundaries first: the district decides what is inside, LSOAs check police.uk's codes.
    reports.district = await load('boundaries/banes_la_boundary_E06000022.geojson');
    reports.lsoa = await load('boundaries/banes_lsoa_2011.geojson');
    reports.msoa = await load('boundaries/banes_msoa_2011.geojson');
    reports.wards2011 = await load('boundaries/banes_wards_2011.geojson');
    reports.wards2019 = await load('boundaries/banes_wards_2019.geojson', 'areas-geojson', { level: 'neighbourhood', name: 'Ward_name' });
    reports.population = await load('population/census_2011_banes_small_area.csv');
    reports.parks = await load('places/banes_gss_parks_recreation.geojson', undefined, { kind: 'park' });
    reports.police = await load('police/banes-street-2025-01-to-04.csv');
    reports.force = await load('police/2025-01-avon-and-somerset-street.csv', 'police-uk');
  }, 300_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('loads every boundary SOURCES.md lists, detected by its properties', async () => {
    expect(reports.district).toMatchObject({ kind: 'areas-geojson', detected: true, read: 1, accepted: 1, rejected: 0 });
    expect(reports.lsoa).toMatchObject({ detected: true, read: 115, accepted: 115, rejected: 0 });
    expect(reports.lsoa!.notes.join(' ')).toMatch(/1 invalid polygon\(s\) repaired/);
    expect(reports.msoa).toMatchObject({ read: 27, accepted: 27, rejected: 0 });
    expect(reports.wards2011).toMatchObject({ read: 37, accepted: 37, rejected: 0 });
    expect(reports.wards2019).toMatchObject({ read: 33, accepted: 33, rejected: 0 });
    const { rows } = await db.pool.query(`SELECT level, count(*)::int AS n FROM areas GROUP BY level ORDER BY level`);
    expect(rows).toEqual([
      { level: 'district', n: 1 }, { level: 'lsoa', n: 115 }, { level: 'msoa', n: 27 }, { level: 'neighbourhood', n: 33 }, { level: 'ward', n: 37 },
    ]);
  });

  it('sets the 2011 census population: 176,016 across the 115 LSOAs, and ages 10-24 from two bands', async () => {
    // 1 ward-level and 115 LSOA rows (and the district) match; E&W, the 583 OAs and a blank row do not.
    expect(reports.population).toMatchObject({ kind: 'population-csv', read: 738, updated: 115 + 37 + 1 });
    expect(reports.population!.rejectedByReason.unknown_area).toBe(584);
    const { rows } = await db.pool.query(`
      SELECT sum(population)::int AS total, count(population_10_24)::int AS with_young FROM areas WHERE level = 'lsoa'`);
    expect(rows[0]).toEqual({ total: 176016, with_young: 115 });
    const district = await db.pool.query(`SELECT population, population_10_24 FROM areas WHERE code = 'E06000022'`);
    expect(district.rows[0]).toEqual({ population: 176016, population_10_24: 11639 + 27206 });
  });

  it('imports the parks as locations of concern of kind park', async () => {
    expect(reports.parks).toMatchObject({ kind: 'locations-geojson', read: 69, rejected: 0 });
    expect(reports.parks!.accepted).toBe(69 - reports.parks!.duplicates);
    const { rows } = await db.pool.query(`SELECT kind, count(*)::int AS n FROM locations_of_concern GROUP BY kind`);
    expect(rows).toEqual([{ kind: 'park', n: reports.parks!.accepted }]);
  });

  it('imports the B&NES police.uk rows: 5,355 read, month by month as SOURCES.md counts them', async () => {
    const report = reports.police!;
    expect(report).toMatchObject({ kind: 'police-uk', detected: true, read: 5355 });
    // Every row is accounted for: 4 Crime IDs repeated at the same place are duplicates; 10 repeated at
    // another place are rejected naming the line kept, so each crime counts once.
    expect(report.accepted + report.duplicates + report.rejected).toBe(5355);
    expect(report.duplicates).toBe(4);
    expect(report.rejectedByReason).toEqual({ duplicate_reference: 10 });
    // Every B&NES row lies inside the real district outline.
    expect(report).toMatchObject({ accepted: 5341, rejected: 10, outsideDistrict: 0 });
    // Each crime keeps police.uk's last outcome; anti-social behaviour has none.
    const outcomes = await db.pool.query(`
      SELECT count(*) FILTER (WHERE outcome = 'unknown')::int AS unknown, count(*) FILTER (WHERE original_type = 'Anti-social behaviour')::int AS asb,
             count(*) FILTER (WHERE outcome = 'unavailable')::int AS unavailable,
             count(*) FILTER (WHERE original_outcome IS NOT NULL AND outcome = 'unknown')::int AS lost
        FROM incidents WHERE batch_id = $1`, [report.batchId]);
    expect(outcomes.rows[0].unknown).toBe(outcomes.rows[0].asb);
    expect(outcomes.rows[0].lost).toBe(0);
    expect(outcomes.rows[0].unavailable).toBeGreaterThan(2000);
    // police.uk uses 2021 LSOA codes; six of them are not in the 2011 boundaries.
    expect(report.areaCodeDisagreements).toBeGreaterThan(0);
    const { rows } = await db.pool.query(`
      SELECT to_char(local_date, 'YYYY-MM') AS month, count(*)::int AS n FROM incidents
       WHERE source = 'police_uk_open_data' AND batch_id = $1 GROUP BY 1 ORDER BY 1`, [report.batchId]);
    expect(rows.map((row) => row.month)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04']);
    const byMonth = Object.fromEntries(rows.map((row) => [row.month, row.n]));
    const stated = { '2025-01': 1399, '2025-02': 1228, '2025-03': 1330, '2025-04': 1398 };
    for (const [month, n] of Object.entries(stated)) expect(byMonth[month]).toBeLessThanOrEqual(n);
    const types = await db.pool.query(`SELECT count(DISTINCT original_type)::int AS n FROM incidents WHERE batch_id = $1`, [report.batchId]);
    expect(types.rows[0].n).toBe(14);
    const unknownHours = await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE local_hour IS NOT NULL OR time_precision <> 'month'`);
    expect(unknownHours.rows[0].n).toBe(0);
  });

  it('says how many police.uk rows an hours filter could not judge, never a zero for months-only records', async () => {
    const { rows: [all] } = await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE source = 'police_uk_open_data'`);
    expect(all.n).toBeGreaterThan(5000);
    const app = await testApp(db.url);
    try {
      const analyst = await signIn(app, 'analyst');
      const profile = (await analyst.get('/api/profile/hour-weekday?hours=15-19&sources=police_uk_open_data')).json();
      expect(profile.totals.episodes).toBe(0);
      expect(profile.notJudged).toEqual({ time: all.n });
      const summary = (await analyst.get('/api/areas/summary?level=ward&hours=15-19&sources=police_uk_open_data')).json();
      expect(summary.notJudged).toEqual({ time: all.n });
      // A panel member's summary of police.uk alone: people and the 10-24s are "not recorded", never 0.
      const panel = await signIn(app, 'panel');
      const shown = (await panel.get('/api/areas/summary?level=ward&sources=police_uk_open_data')).json();
      expect(shown.disclosureControl).toBe(true);
      expect(shown.total.episodes).toBeGreaterThan(5000);
      expect(shown.total).toMatchObject({ people: 'not recorded', episodes10to24: 'not recorded', rate10to24Per1000: null });
    } finally {
      await app.close();
    }
  });

  it('takes only B&NES from the whole force file, and reports the 1,069 rows without coordinates', async () => {
    const report = reports.force!;
    expect(report.read).toBe(14828);
    expect(report.rejectedByReason.missing_coordinates).toBe(1069);
    // January's 1,399 B&NES rows were already imported from the other file: nothing twice. Two of them
    // repeat a Crime ID filed at another place earlier in this file, and are rejected naming that line.
    expect(report).toMatchObject({ accepted: 0, duplicates: 1397 });
    expect(report.rejectedByReason.duplicate_reference).toBe(2);
    expect(report.rejectedByReason.outside_district).toBe(14828 - 1069 - 1399);
    expect(report.rejected).toBe(14828 - 1399 + 2);
  });
});

describe.skipIf(!REAL)('importing the real B&NES place lists (CSV) over the shipped geography', () => {
  let db: TestDatabase;
  const load = (file: string, mapping: ImportMapping, kind?: ImportKind) => runImport({
    pool: db.pool, input: createReadStream(path.join(REAL!, file)), filename: file, kind, mapping, user: 'real-data test', secret: 'x',
  });

  beforeAll(async () => {
    db = await createTestDatabase({ geography: true });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('places the 946 premises licences, which carry only a postcode, at their Code-Point Open centroids', async () => {
    const report = await load('places/banes_premises_licences_2014.csv', { kind: 'licensed_premises' });
    // 897 of the postcodes are B&NES postcodes Code-Point Open holds; the other 49 are rejected by line.
    expect(report).toMatchObject({ kind: 'locations-csv', detected: true, read: 946, rejected: 49 });
    expect(report.rejectedByReason).toEqual({ unknown_postcode: 49 });
    expect(report.accepted + report.duplicates).toBe(897);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n, bool_and(approximate) AS approximate FROM locations_of_concern WHERE batch_id = $1`, [report.batchId]);
    expect(rows[0]).toEqual({ n: report.accepted, approximate: true });
  });

  it('places the 173 pubs by their coordinates, and the food hygiene register by type with a mapping', async () => {
    const pubs = await load('places/banes_open_pubs_2016.csv', { kind: 'licensed_premises' });
    expect(pubs).toMatchObject({ kind: 'locations-csv', detected: true, read: 173 });
    expect(pubs.accepted + pubs.duplicates + pubs.rejected).toBe(173);
    expect(Object.keys(pubs.rejectedByReason).filter((reason) => reason !== 'outside_district')).toEqual([]);
    const food = await load('places/banes_food_hygiene_ratings_2019.csv', { values: { kind: { 'Pub/bar/nightclub': 'licensed_premises' } } });
    expect(food).toMatchObject({ kind: 'locations-csv', detected: true, read: 1736 });
    const { rows } = await db.pool.query(`SELECT kind, count(*)::int AS n FROM locations_of_concern WHERE batch_id = $1 GROUP BY kind ORDER BY kind`, [food.batchId]);
    const byKind = Object.fromEntries(rows.map((row) => [row.kind, row.n]));
    // SOURCES.md: 112 takeaways and 169 pubs, bars and nightclubs in the register.
    expect(byKind.takeaway).toBeGreaterThan(100);
    expect(byKind.licensed_premises).toBeGreaterThan(150);
    expect(food.rejectedByReason.bad_value).toBeGreaterThan(0);
  });
});
