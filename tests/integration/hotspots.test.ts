// The hotspot engine against the demo data: the planted hotspots (docs/demo-data.md)
// are found at 99% in their hours and not in others; KDE peaks there; PAI/PEI are sane.
import type { EmergingResult, EvaluateResult, GiStarResult, KdeResult } from '@lantern/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, PLANTED_HOTSPOTS } from '../../scripts/demo/generator.js';
import { loadDemo } from '../../scripts/demo/load.js';
import { signIn, testApp, type Session, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import type {} from '../../server/src/plugins/results-cache.js';
import type {} from '../../server/src/plugins/compute.js';
import { hotspotSources } from '../../server/src/questions.js';

let db: TestDatabase;
let app: TestApp;
let analyst: Session;

beforeAll(async () => {
  db = await createTestDatabase({ geography: true });
  await loadDemo(db.url, generateDemo(20201, { scale: 0.5 }));
  app = await testApp(db.url);
  analyst = await signIn(app, 'analyst');
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const planted = (id: string) => PLANTED_HOTSPOTS.find((hotspot) => hotspot.id === id)!;

/** The cell containing a point (ray casting on the cell's outline), if returned. */
function cellAt(result: GiStarResult, [lon, lat]: readonly [number, number]) {
  for (const feature of result.features) {
    const ring = (feature.geometry.coordinates as number[][][])[0]!;
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if ((yi! > lat) !== (yj! > lat) && lon < ((xj! - xi!) * (lat - yi!)) / (yj! - yi!) + xi!) inside = !inside;
    }
    if (inside) return feature;
  }
  return undefined; // cells with no incidents and no significance are not returned
}

const binAt = (result: GiStarResult, point: readonly [number, number]) => cellAt(result, point)?.properties.bin ?? 0;

/** Where the cell at a point ranks among all cells by z (1 = strongest hot spot). */
function rankAt(result: GiStarResult, point: readonly [number, number]): number {
  const z = cellAt(result, point)?.properties.z ?? 0;
  return result.features.filter((feature) => feature.properties.z > z).length + 1;
}

async function gistar(query: string): Promise<GiStarResult> {
  const response = await analyst.get(`/api/hotspots/gistar?cellSize=150&${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('Gi* finds the planted hotspots', () => {
  // Bath centre is a hot spot for robbery and violence at every hour (the background
  // the planted clusters sit in), and Gi* looks at a cell's whole neighbourhood, so in
  // the wrong hours the planted cell may still sit in a hot area. What must change is the
  // planted cluster itself: its cell empties and its z-score collapses.
  async function compare(point: readonly [number, number], right: string, wrong: string) {
    const [inHours, outOfHours] = [await gistar(right), await gistar(wrong)];
    const cellIn = cellAt(inHours, point)!;
    const cellOut = cellAt(outOfHours, point);
    return { inHours, cellIn, cellOut, rank: rankAt(inHours, point) };
  }

  it('after-school robbery at Bath bus station: the strongest 99% hot spot at 15-19, gone in school hours', async () => {
    const station = planted('bath-bus-station-after-school-robbery').centre;
    const { inHours, cellIn, cellOut } = await compare(station, 'categories=robbery&hours=15-19', 'categories=robbery&hours=8-15');
    expect(cellIn.properties.bin).toBe(3);
    // Gi* scores a cell with its neighbours, so a cell beside the cluster (Bath Spa
    // station, the shops of Southgate) can edge past the cluster's own: the station's cell
    // holds the most robberies of any, and its z is within a tenth of the strongest.
    const strongest = Math.max(...inHours.features.map((feature) => feature.properties.z));
    const busiest = Math.max(...inHours.features.map((feature) => feature.properties.count));
    expect(cellIn.properties.count).toBe(busiest);
    expect(cellIn.properties.z).toBeGreaterThan(strongest * 0.9);
    expect(cellOut?.properties.count ?? 0).toBeLessThan(cellIn.properties.count / 10);
    expect(cellOut?.properties.z ?? 0).toBeLessThan(cellIn.properties.z / 3);
  });

  it('night-time violence in George Street: 99% hot at 22-04, gone in the daytime', async () => {
    const { cellIn, cellOut } = await compare(planted('bath-night-time-economy').centre,
      'categories=serious_violence&hours=22-4', 'categories=serious_violence&hours=6-15');
    expect(cellIn.properties.bin).toBe(3);
    expect(cellOut?.properties.count ?? 0).toBeLessThan(cellIn.properties.count / 10);
    // Daytime violence around Bath centre keeps the neighbourhood warm: z halves.
    expect(cellOut?.properties.z ?? 0).toBeLessThan(cellIn.properties.z / 1.5);
  });

  it('the Midsomer Norton county line while it ran, and not after it was dismantled', async () => {
    const carPark = planted('midsomer-norton-county-line').centre;
    expect(binAt(await gistar('categories=county_lines&from=2024-01-01&to=2024-09-30'), carPark)).toBe(3);
    expect(binAt(await gistar('categories=county_lines&from=2025-01-01&to=2026-10-31'), carPark)).toBe(0);
  });

  it('states every parameter, and counts every filtered incident once', async () => {
    const result = await gistar('categories=robbery&fdr=false');
    expect(result.parameters).toMatchObject({ cellSize: 150, cellSizeSource: 'requested', fdr: false, weight: 'count', crs: 'EPSG:27700' });
    expect(result.parameters.minNeighbours).toBeGreaterThanOrEqual(1);
    expect(result.parameters.meanNeighbours).toBeGreaterThanOrEqual(8);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE category = 'robbery'`);
    expect(result.parameters.incidents + result.parameters.outside.incidents).toBe(rows[0].n);
    expect(result.features.reduce((sum, feature) => sum + feature.properties.count, 0)).toBe(result.parameters.incidents);
  });

  it('puts each incident in the PostGIS hexagon that contains it, at several cell sizes', async () => {
    // The engine bins by arithmetic; PostGIS's own point-in-hexagon must agree cell by cell.
    for (const size of [120, 150, 333]) {
      const response = await analyst.get(`/api/hotspots/gistar?cellSize=${size}&categories=robbery,serious_violence&fdr=false`);
      const result: GiStarResult = response.json();
      const { rows } = await db.pool.query<{ id: string; count: number }>(`
        WITH study AS (SELECT ST_Union(geom_bng) AS geom FROM areas WHERE level = 'district')
        SELECT hex.i || ':' || hex.j AS id, count(*)::int AS count
          FROM study, ST_HexagonGrid($1, study.geom) hex
          JOIN incidents i ON ST_Within(i.geom_bng, hex.geom)
         WHERE i.category IN ('robbery', 'serious_violence') AND ST_Intersects(hex.geom, study.geom)
         GROUP BY 1`, [result.parameters.cellSize]);
      const expected = Object.fromEntries(rows.map((row) => [row.id, row.count]));
      const got = Object.fromEntries(result.features.filter((f) => f.properties.count > 0).map((f) => [f.id, f.properties.count]));
      expect(got, `${size} m`).toEqual(expected);
    }
  });

  it('applies FDR: never more significant cells than without it', async () => {
    const withFdr = await gistar('categories=robbery&fdr=true');
    const without = await gistar('categories=robbery&fdr=false');
    const significant = (result: GiStarResult) => result.features.filter((f) => f.properties.bin !== 0).length;
    expect(significant(withFdr)).toBeLessThanOrEqual(significant(without));
  });

  it('chooses a cell size from the data when none is given', async () => {
    const response = await analyst.get('/api/hotspots/gistar?categories=county_lines');
    const result: GiStarResult = response.json();
    expect(result.parameters.cellSizeSource).toMatch(/^automatic/);
    expect(result.parameters.cellSize).toBeGreaterThanOrEqual(50);
    expect(result.parameters.cells).toBeLessThanOrEqual(40_000);
  });
});

describe('Gi* against an independent reference', () => {
  // The reference is written from the formula in docs/hotspots.md, in PostGIS alone:
  // the grid's outlines and their ST_Centroid, counts by point in polygon, neighbours by
  // ST_DWithin of the centroids (band + 1 mm, the documented tolerance), zero-count cells
  // included, population standard deviation, self included (spdep's localG with
  // include.self() and binary weights; ArcGIS's fixed distance band).
  async function reference(size: number, band: number, category: string) {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE ref_cells ON COMMIT DROP AS
        WITH study AS (SELECT ST_Union(geom_bng) AS geom FROM areas WHERE level = 'district')
        SELECT hex.i || ':' || hex.j AS id, ST_Centroid(hex.geom) AS centre,
               (SELECT count(*) FROM incidents i WHERE i.category = $2 AND ST_Within(i.geom_bng, hex.geom))::float8 AS x
          FROM study, ST_HexagonGrid($1, study.geom) hex
         WHERE ST_Intersects(hex.geom, study.geom)`, [size, category]);
      await client.query('CREATE INDEX ON ref_cells USING gist (centre)');
      await client.query('ANALYZE ref_cells');
      const { rows } = await client.query<{ id: string; z: number; w: number }>(`
        WITH stats AS (SELECT count(*)::float8 AS n, avg(x) AS mean, sqrt(avg(x * x) - avg(x) ^ 2) AS s FROM ref_cells),
        local AS (
          SELECT a.id, sum(b.x) AS lx, count(*)::float8 AS w
            FROM ref_cells a JOIN ref_cells b ON ST_DWithin(a.centre, b.centre, $1::float8 + 0.001)
           GROUP BY a.id)
        SELECT local.id, (lx - mean * w) / (s * sqrt((n * w - w * w) / (n - 1))) AS z, w::int AS w FROM local, stats`, [band]);
      await client.query('COMMIT');
      return new Map(rows.map((row) => [row.id, row]));
    } finally {
      client.release();
    }
  }

  it.each([150, 250])('at %i m: the reported band reproduces itself and z matches the reference to 1e-6 on every cell', async (size) => {
    const ask = async (query: string): Promise<GiStarResult> => {
      const response = await analyst.get(`/api/hotspots/gistar?cellSize=${size}&categories=robbery&fdr=false${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const automatic = await ask('');
    const { band, cells } = automatic.parameters;
    expect(band).toBeCloseTo(3 * size, 3); // √3 spacings: the 12 cells of the first two rings
    const asked = await ask(`&band=${band}`);
    expect(asked.parameters.band).toBe(band);
    expect(asked.features).toEqual(automatic.features);
    const expected = await reference(size, band, 'robbery');
    expect(expected.size).toBe(cells);
    let compared = 0;
    for (const feature of automatic.features) {
      const cell = expected.get(feature.id as string)!;
      expect(Math.abs(feature.properties.z - cell.z), feature.id as string).toBeLessThan(1e-6);
      expect(feature.properties.neighbours).toBe(cell.w);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('every hotspot answer accounts for every filtered incident', () => {
  it('says how many lie beyond the district, and how many fall before the first whole slice', async () => {
    // Three robberies geocoded in Bristol, beyond the district.
    await db.pool.query(`INSERT INTO incidents (source, source_ref, category, occurred_at, geom)
      SELECT 'police', 'beyond-' || k, 'robbery', ('2025-03-0' || k || ' 12:00+00')::timestamptz, ST_SetSRID(ST_MakePoint(-2.59, 51.455), 4326)
        FROM generate_series(1, 3) k`);
    try {
      const count = async (where: string) => (await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE category = 'robbery' ${where}`)).rows[0].n as number;
      const all = await count('');
      const ask = async <T>(path: string): Promise<T> => {
        const response = await analyst.get(path);
        expect(response.statusCode, response.body).toBe(200);
        return response.json() as T;
      };
      const gi = await ask<GiStarResult>('/api/hotspots/gistar?categories=robbery&cellSize=200');
      expect(gi.parameters.outside).toMatchObject({ incidents: 3, reason: expect.stringMatching(/beyond the study area/) });
      expect(gi.parameters.incidents).toBe(all - 3);
      const kde = await ask<KdeResult>('/api/hotspots/kde?categories=robbery&bandwidth=400');
      expect(kde.parameters.incidents + kde.parameters.outside.incidents).toBe(all);
      expect(kde.parameters.outside.incidents).toBe(3);
      const evaluated = await ask<EvaluateResult>('/api/hotspots/evaluate?categories=robbery&cellSize=150&trainFrom=2025-01-01&trainTo=2025-06-30&testFrom=2025-07-01&testTo=2025-12-31');
      expect(evaluated.parameters.outside.training.incidents).toBe(3);
      expect(evaluated.trainingIncidents + 3).toBe(await count(`AND local_date BETWEEN '2025-01-01' AND '2025-06-30'`));
      // Quarters from January 2024 to the end of the data (31 October 2026): the latest
      // quarter is whole (August-October), so January 2024 is a short first slice, left out.
      const emerging = await ask<EmergingResult>('/api/hotspots/emerging?categories=robbery&slice=quarter&from=2024-01-01');
      expect(emerging.parameters).toMatchObject({ firstSlice: '2024-02-01', lastSliceEnds: '2026-11-01', slices: 11 });
      expect(emerging.parameters.partialSlice).toEqual({ from: '2024-01-01', to: '2024-01-31', incidents: await count(`AND local_date BETWEEN '2024-01-01' AND '2024-01-31'`) });
      expect(emerging.parameters.partialSlice!.incidents).toBeGreaterThan(0);
      expect(emerging.parameters.outside.incidents).toBe(3);
      expect(emerging.parameters.incidents + emerging.parameters.outside.incidents + emerging.parameters.partialSlice!.incidents)
        .toBe(await count(`AND local_date >= '2024-01-01'`));
    } finally {
      await db.pool.query(`DELETE FROM incidents WHERE source_ref LIKE 'beyond-%'`);
    }
  });
});

describe('patrol plans on the demo data', () => {
  it('give reasons whose category counts add up to their incidents, for places and hot cells alike', async () => {
    const response = await analyst.post('/api/patrol-plans', { date: '2026-10-30', start: '22:00', end: '04:00', places: 5, lookbackWeeks: 26 });
    expect(response.statusCode, response.body).toBe(201);
    const plan = response.json() as { places: { kind: string; episodes: number; reason: string }[] };
    expect(plan.places.length).toBeGreaterThan(1);
    for (const place of plan.places) {
      const [, total, categories] = /^(?:Gi\* hot spot, \d+% confidence: )?(\d+) incidents? \(([^)]*)\)/.exec(place.reason)!;
      const sum = categories!.split(', ').reduce((acc, part) => acc + Number(part.split(' ')[0]), 0);
      expect(sum, place.reason).toBe(Number(total));
      expect(Number(total)).toBe(place.episodes);
    }
  });
});

describe('results kept until the data changes', () => {
  it('reuses a computed Gi* for the same question, and recomputes once an incident is added', async () => {
    const query = 'categories=knife_crime&weekdays=sun&hours=3-5';
    const first = await gistar(query);
    const hits = app.results.stats.hits;
    const again = await gistar(query.split('&').reverse().join('&'));
    expect(app.results.stats.hits).toBe(hits + 1);
    expect(again).toEqual(first);
    await db.pool.query(`INSERT INTO incidents (source, source_ref, category, occurred_at, geom)
      VALUES ('police', 'cache-test', 'knife_crime', '2025-06-01 03:30+01', ST_SetSRID(ST_MakePoint(-2.36, 51.38), 4326))`);
    const after = await gistar(query);
    expect(after.parameters.incidents).toBe(first.parameters.incidents + 1);
  });

  it('sends a kept kernel density or emerging hot spots as it was first sent, audited as rows each time', async () => {
    for (const path of ['/api/hotspots/kde?categories=robbery&bandwidth=400', '/api/hotspots/emerging?slice=quarter&categories=robbery']) {
      const first = await analyst.get(path);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      const hits = app.results.stats.hits;
      const again = await analyst.get(path);
      expect(app.results.stats.hits).toBe(hits + 1);
      expect(again.body).toBe(first.body);
      const result = first.json() as KdeResult | EmergingResult;
      const rows = 'grid' in result ? result.grid.values.length : result.features.length;
      expect(rows).toBeGreaterThan(0);
      const { rows: audited } = await db.pool.query<{ rows: number }>(
        `SELECT rows_returned AS rows FROM audit_log WHERE path LIKE $1 ORDER BY id DESC LIMIT 2`, [`${path.split('?')[0]}%`]);
      expect(audited.map((row) => row.rows)).toEqual([rows, rows]);
    }
  });
});

describe('the study area', () => {
  it('is worked out once while the data is unchanged, and again after a change to the areas', async () => {
    const data = async () => hotspotSources(app, await app.results.dataVersion());
    const before = (await (await data()).studyBounds())!;
    const area = await (await data()).studyAreaSquareMetres();
    expect(await app.results.holds('study-bounds', {})).toBe(true);
    const { hits } = app.results.stats;
    expect(await (await data()).studyBounds()).toEqual(before);
    expect(await (await data()).studyAreaSquareMetres()).toBe(area);
    expect(app.results.stats.hits - hits).toBe(2);
    // A district area 30 km east of Bath widens the study area.
    await db.pool.query(`INSERT INTO areas (level, code, name, geom) VALUES ('district', 'E06999999', 'East',
      ST_Multi(ST_MakeEnvelope(-1.95, 51.35, -1.9, 51.4, 4326)))`);
    try {
      expect(await app.results.holds('study-bounds', {})).toBe(false);
      const after = (await (await data()).studyBounds())!;
      expect(after.xmax).toBeGreaterThan(before.xmax + 25_000);
      expect(await (await data()).studyAreaSquareMetres()).toBeGreaterThan(area);
    } finally {
      await db.pool.query(`DELETE FROM areas WHERE code = 'E06999999'`);
    }
  });
});

describe('kernel density', () => {
  it('peaks near the bus station for after-school robbery, in incidents per km²', async () => {
    const response = await analyst.get('/api/hotspots/kde?categories=robbery&hours=15-19&bandwidth=300&resolution=50');
    const result: KdeResult = response.json();
    expect(result.parameters).toMatchObject({ kernel: 'quartic', bandwidth: 300, resolution: 50, units: 'incidents per km²' });
    const { columns, values, xmin, ymin, rows } = result.grid;
    const peak = values.reduce((best, value, index) => (value > values[best]! ? index : best), 0);
    const x = xmin + ((peak % columns) + 0.5) * 50;
    const y = ymin + (rows - Math.floor(peak / columns) - 0.5) * 50;
    const { rows: station } = await db.pool.query(
      `SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 27700) AS g) t`,
      [...planted('bath-bus-station-after-school-robbery').centre]);
    expect(Math.hypot(x - station[0].x, y - station[0].y)).toBeLessThan(150);
    // The surface integrates to about the number of incidents (km² cells of 0.0025 km²).
    const integral = values.reduce((sum, v) => sum + v, 0) * 0.0025;
    expect(integral / result.parameters.incidents).toBeGreaterThan(0.95);
    expect(integral / result.parameters.incidents).toBeLessThan(1.05);
  });
});

describe('emerging hot spots', () => {
  async function emerging(query: string) {
    const response = await analyst.get(`/api/hotspots/emerging?slice=month${query}`);
    expect(response.statusCode, response.body).toBe(200);
    const result: EmergingResult = response.json();
    const at = (point: readonly [number, number]) =>
      cellAt(result as unknown as GiStarResult, point) as unknown as EmergingResult['features'][number] | undefined;
    return { result, at };
  }

  it('find Keynsham intensifying over 36 monthly slices', async () => {
    const { result, at } = await emerging('');
    expect(result.parameters).toMatchObject({ slice: 'month', slices: 36, firstSlice: '2023-11-01', lastSliceEnds: '2026-11-01', timeSteps: 1, fdr: true });
    const keynsham = at(planted('keynsham-emerging-violence').centre)!;
    expect(keynsham.properties.pattern).toBe('intensifying_hot');
    expect(keynsham.properties.trendZ).toBeGreaterThan(2);
    expect(keynsham.properties.bins).toHaveLength(36);
  });

  it('find Bath centre violence persistent, with no trend', async () => {
    const { at } = await emerging('&categories=serious_violence');
    const bath = at(planted('bath-night-time-economy').centre)!;
    expect(bath.properties.pattern).toBe('persistent_hot');
    expect(bath.properties.hotSlices).toBeGreaterThanOrEqual(33);
  });

  it('refuse a slice that gives too few slices', async () => {
    const response = await analyst.get('/api/hotspots/emerging?slice=quarter&from=2026-01-01&to=2026-03-31');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('slice');
  });
});

describe('PAI and PEI', () => {
  it('rate a map from one year on the next', async () => {
    const response = await analyst.get('/api/hotspots/evaluate?categories=robbery&cellSize=150&trainFrom=2024-11-01&trainTo=2025-10-31&testFrom=2025-11-01&testTo=2026-10-31&top=5');
    expect(response.statusCode, response.body).toBe(200);
    const result: EvaluateResult = response.json();
    expect(result.areaShare).toBeCloseTo(result.parameters.flaggedCells / result.parameters.cells, 3);
    expect(result.pai).toBeCloseTo(result.hitRate / result.areaShare, 1);
    expect(result.pai!).toBeGreaterThan(2);
    expect(result.pei!).toBeGreaterThan(0);
    expect(result.pei!).toBeLessThanOrEqual(1);
    expect(result.captured).toBeLessThanOrEqual(result.bestCaptured);
  });

  it('refuse a training period that ends before it starts', async () => {
    const response = await analyst.get('/api/hotspots/evaluate?trainFrom=2025-01-01&trainTo=2024-01-01&testFrom=2025-01-01&testTo=2025-02-01');
    expect(response.statusCode).toBe(400);
    expect(response.json().field).toBe('trainTo');
  });
});

describe('the statistics off the event loop', () => {
  it('computes Gi*, kernel density and emerging hot spots in a worker thread, as the engine does in the process', async () => {
    const { EMERGING_DEFAULTS, emergingInput, emergingResult, giStarInput, giStarResult, kdeInput, kdeResult } = await import('../../server/src/hotspots/engine.js');
    expect(app.compute.threads).toBeGreaterThanOrEqual(1);
    const filters = { categories: ['robbery' as const] };
    const inProcess = <T>(value: T) => JSON.parse(JSON.stringify(value)) as T;
    expect((await analyst.get('/api/hotspots/gistar?cellSize=150&categories=robbery')).json())
      .toEqual(inProcess(giStarResult(await giStarInput(hotspotSources(app, await app.results.dataVersion()), filters, { cellSize: { cellSize: 150, source: 'requested' }, fdr: true, weight: 'count' }))));
    expect((await analyst.get('/api/hotspots/kde?categories=robbery')).json())
      .toEqual(inProcess(kdeResult(await kdeInput(hotspotSources(app, await app.results.dataVersion()), filters, { weight: 'count' }))));
    const range = (await app.metadata.dateRange())!;
    expect((await analyst.get('/api/hotspots/emerging?categories=robbery')).json())
      .toEqual(inProcess(emergingResult(await emergingInput(hotspotSources(app, await app.results.dataVersion()), filters, { ...EMERGING_DEFAULTS, dateRange: range }))));
  });

  it('stops a computation when every request waiting for it has gone, and not before', async () => {
    const { EventEmitter } = await import('node:events');
    const asker = () => ({ socket: new EventEmitter() }) as unknown as import('fastify').FastifyRequest;
    const [first, second] = [asker(), asker()];
    let signals: AbortSignal[] = [];
    const compute = (_version: number, signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<object>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const one = app.results.rememberShared('test-abandoned', { n: 1 }, compute, first);
    const two = app.results.rememberShared('test-abandoned', { n: 1 }, compute, second);
    await new Promise((resolve) => setTimeout(resolve, 100)); // both have read the data version and joined
    expect(signals.length).toBe(1); // the second asker shares the first's computation
    first.socket.emit('close');
    expect(signals[0]!.aborted).toBe(false);
    second.socket.emit('close');
    expect(signals[0]!.aborted).toBe(true);
    await expect(one).rejects.toThrow(/every asker has gone/);
    await expect(two).rejects.toThrow(/every asker has gone/);
    // Not kept: the next asking computes again. With no asker (the warm-up) it is never abandoned.
    signals = [];
    const again = app.results.rememberShared('test-abandoned', { n: 1 }, async () => ({ answered: true }));
    await expect(again).resolves.toEqual({ answered: true });
  });

  it('aborts a worker task that nobody waits for any more', async () => {
    const { gistarTask } = await import('../../server/src/hotspots/worker.js');
    const { giStarInput } = await import('../../server/src/hotspots/engine.js');
    const input = await giStarInput(hotspotSources(app, await app.results.dataVersion()), {}, { cellSize: { cellSize: 100, source: 'requested' }, fdr: true, weight: 'count' });
    const controller = new AbortController();
    const task = app.compute.run(gistarTask(input), controller.signal);
    controller.abort();
    await expect(task).rejects.toThrow();
    // The pool still works afterwards.
    const small = await giStarInput(hotspotSources(app, await app.results.dataVersion()), { categories: ['robbery'] }, { cellSize: { cellSize: 400, source: 'requested' }, fdr: true, weight: 'count' });
    expect(JSON.parse(Buffer.from((await app.compute.run(gistarTask(small))).body).toString('utf8')).type).toBe('FeatureCollection');
  });
});
