// Checks against real public data (ONS/OS boundaries for B&NES), when CI offers it
// through LANTERN_REAL_DATA; skipped otherwise. Lantern never needs these files to run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALITIES, PLANTED_HOTSPOTS } from '../../scripts/demo/generator.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const REAL = process.env.LANTERN_REAL_DATA;

describe.skipIf(!REAL)('real B&NES boundaries', () => {
  let db: TestDatabase;
  let hectares: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    const file = JSON.parse(readFileSync(path.join(REAL!, 'boundaries', 'banes_la_boundary_E06000022.geojson'), 'utf8'));
    const feature = file.features[0];
    hectares = Number(feature.properties.HECTARES);
    await db.pool.query(
      `INSERT INTO areas (level, code, name, geom)
       VALUES ('district', $1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)))`,
      [feature.properties.CODE, feature.properties.NAME, JSON.stringify(feature.geometry)]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('measures the district in British National Grid to within 0.5% of its published hectares', async () => {
    const { rows } = await db.pool.query<{ hectares: number }>(
      `SELECT ST_Area(geom_bng) / 10000 AS hectares FROM areas WHERE code = 'E06000022'`);
    expect(Math.abs(rows[0]!.hectares - hectares) / hectares).toBeLessThan(0.005);
  });

  it('has every demo locality and planted hotspot inside the real district', async () => {
    const points = [
      ...LOCALITIES.map((locality) => ({ name: locality.name, lon: locality.lon, lat: locality.lat })),
      ...PLANTED_HOTSPOTS.map((hotspot) => ({ name: hotspot.id, lon: hotspot.centre[0], lat: hotspot.centre[1] })),
    ];
    const { rows } = await db.pool.query<{ name: string }>(
      `SELECT p.name FROM unnest($1::text[], $2::float8[], $3::float8[]) AS p(name, lon, lat)
        WHERE NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = 'E06000022'
                          AND ST_Contains(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)))`,
      [points.map((p) => p.name), points.map((p) => p.lon), points.map((p) => p.lat)]);
    expect(rows.map((row) => row.name)).toEqual([]);
  });
});
