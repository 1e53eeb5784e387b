// The benchmark's datasets: the demo's generator (same places, patterns and planted
// hotspots) scaled to 10k, 100k, 1M or 10M incidents, in a database of their own
// (lantern_bench_<scale>) on the same PostGIS as Lantern, reused between runs.
// 10M is built from the 1M set in SQL (nine more copies, each moved by up to 40 m and
// a few days), since ten million generated objects would not fit a Node heap.
import pg from 'pg';
import { migrate } from '@lantern/server/migrate';
import { databaseUrl, ensureDatabase, startLocalPostgres } from '../lib/local-postgres.mjs';
import { DEFAULT_DEMO_SEED, generateDemo } from '../demo/generator.js';
import { demoLabel, loadDemo } from '../demo/load.js';
import { loadReferenceGeography } from '../geodata/load.js';
import { dropIncidentIndexes, LINK_RADIUS_M } from '../../server/src/imports/incidents.js';

// "demo": the demo generator at scale 1, as `npm start` loads it.
export const SCALES = { '10k': 10_000, demo: 43_900, '100k': 100_000, '1m': 1_000_000, '10m': 10_000_000 } as const;
export type Scale = keyof typeof SCALES;

/** Incidents the demo generator makes at scale 1 (checked against the generator on each load). */
const DEMO_INCIDENTS_AT_SCALE_1 = 43_900;

export interface BenchDataset {
  url: string;
  database: string;
  incidents: number;
  locations: number;
  /** Seconds spent loading, or null when an earlier run's data was reused. */
  loadSeconds: number | null;
}

/** A database of this name on the same server, with PostGIS, created if needed. */
export async function databaseFor(name: string): Promise<string> {
  const external = process.env.DATABASE_URL;
  if (!external) {
    const settings = await startLocalPostgres(() => {});
    ensureDatabase(settings, name);
    return databaseUrl(settings, name);
  }
  const admin = new pg.Client({ connectionString: external });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(external);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS postgis').finally(() => client.end());
  return url.toString();
}

async function counts(url: string): Promise<{ incidents: number; locations: number; label: string | null }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ incidents: string; locations: string; label: string | null }>(
      `SELECT (SELECT count(*) FROM incidents) AS incidents, (SELECT count(*) FROM locations_of_concern) AS locations,
              (SELECT filename FROM import_batches WHERE is_demo AND status = 'committed' ORDER BY id DESC LIMIT 1) AS label`);
    return { incidents: Number(rows[0]!.incidents), locations: Number(rows[0]!.locations), label: rows[0]!.label };
  } finally {
    await client.end();
  }
}

async function loadGenerated(url: string, target: number, log: (message: string) => void) {
  let scale = target / DEMO_INCIDENTS_AT_SCALE_1;
  let dataset = generateDemo(DEFAULT_DEMO_SEED, { scale });
  // One correction: the generator's count is not exactly linear in the scale.
  if (Math.abs(dataset.incidents.length - target) / target > 0.02) {
    scale *= target / dataset.incidents.length;
    dataset = generateDemo(DEFAULT_DEMO_SEED, { scale });
  }
  log(`  generated ${dataset.incidents.length.toLocaleString('en-GB')} incidents (scale ${scale.toFixed(2)}); loading...`);
  const outcome = await loadDemo(url, dataset, { replace: true });
  if (outcome.status !== 'loaded') throw new Error(`bench data not loaded: ${outcome.reason}`);
}

// Each copy is moved by up to 40 m east and north; its nearest place is found for the
// moved point, as an import does (lantern_nearest_location). Copies are written in the
// order the 1M set lies in the table (space order, as loadDemo writes it), so each copy
// is in space order too.
const REPLICATE_SQL = `
INSERT INTO incidents (source, source_ref, category, original_type, occurred_at, time_precision, geom, age, age_band,
                       gender, ethnicity, role, person_ref, harm_weight, is_demo, batch_id, nearest_location_id, nearest_location_m)
SELECT i.source, i.source_ref || '-copy' || $1::int, i.category, i.original_type,
       i.occurred_at + make_interval(days => (hashint4(i.id::int + $1::int) % 7)),
       i.time_precision, ST_Transform(moved.bng, 4326),
       i.age, i.age_band, i.gender, i.ethnicity, i.role,
       CASE WHEN i.person_ref IS NULL THEN NULL ELSE i.person_ref || '-' || $1::int END,
       i.harm_weight, true, i.batch_id, nearest.id, nearest.distance
  FROM incidents i
 CROSS JOIN LATERAL (SELECT ST_Translate(i.geom_bng, (hashint4(i.id::int * 31 + $1::int) % 40), (hashint4(i.id::int * 17 + $1::int) % 40)) AS bng) moved
  LEFT JOIN LATERAL lantern_nearest_location(moved.bng, $2) nearest ON true
 WHERE i.source_ref NOT LIKE '%-copy%'`;

export async function prepareBenchDataset(scale: Scale, log: (message: string) => void): Promise<BenchDataset> {
  const database = `lantern_bench_${scale}`;
  const url = await databaseFor(database);
  await migrate(url);
  await loadReferenceGeography(url, log);
  const target = SCALES[scale];
  let existing = await counts(url);
  // A set made by an older generator (another geography) is made again.
  if (existing.incidents > 0 && existing.label !== demoLabel(DEFAULT_DEMO_SEED)) {
    log(`${database} holds demo data of an older generator (${existing.label}); building it again.`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('TRUNCATE incidents CASCADE').finally(() => client.end());
    existing = await counts(url);
  }
  if (existing.incidents >= target * 0.95) {
    log(`Reusing ${database}: ${existing.incidents.toLocaleString('en-GB')} incidents.`);
    return { url, database, incidents: existing.incidents, locations: existing.locations, loadSeconds: null };
  }
  const started = Date.now();
  log(`Building ${database} (${scale} incidents); this happens once.`);
  if (scale === '10m') {
    // Resumes a build that stopped part-way: the 1M set and the copies already made stay.
    if (existing.incidents < SCALES['1m'] * 0.95) await loadGenerated(url, SCALES['1m'], log);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: [made] } = await client.query<{ copies: number }>(
        `SELECT count(DISTINCT substring(source_ref from '-copy([0-9]+)$'))::int AS copies FROM incidents WHERE source_ref LIKE '%-copy%'`);
      // One transaction, the secondary indexes built once at the end (as an import's first load).
      await client.query('BEGIN');
      const rebuild = await dropIncidentIndexes(client);
      for (let copy = 1; copy <= 9; copy++) {
        if (copy <= made!.copies) continue;
        await client.query(REPLICATE_SQL, [copy, LINK_RADIUS_M]);
        log(`  copy ${copy} of 9 added`);
      }
      for (const definition of rebuild) await client.query(definition);
      await client.query('COMMIT');
      log('  indexes built');
      await client.query('VACUUM ANALYZE incidents');
      await client.query('VACUUM ANALYZE incident_areas');
    } finally {
      await client.end();
    }
  } else {
    await loadGenerated(url, target, log);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('VACUUM ANALYZE incidents').finally(() => client.end());
  }
  const loaded = await counts(url);
  const loadSeconds = (Date.now() - started) / 1000;
  log(`  ${loaded.incidents.toLocaleString('en-GB')} incidents in ${loadSeconds.toFixed(0)} s.`);
  return { url, database, incidents: loaded.incidents, locations: loaded.locations, loadSeconds };
}
