// Loads a generated demo dataset into a migrated database, in one transaction, on the
// real geography (loaded first if it is not yet: scripts/geodata/load.ts): the invented
// places (stairwells, one car park), then the incidents, each linked to its nearest place.
// Refuses to touch a database that holds real (non-demo) incidents; replaces demo data
// made by an older generator (DEMO_VERSION).
import pg from 'pg';
import { LINK_RADIUS_M } from '../../server/src/imports/incidents.js';
import { loadReferenceGeography } from '../geodata/load.js';
import { DEMO_VERSION, type DemoDataset } from './generator.js';

const CHUNK = 5000;

export type SeedOutcome =
  | { status: 'loaded'; locations: number; incidents: number; linked: number }
  | { status: 'skipped'; reason: string };

// Real geography and imported places sit under demo incidents; real incidents never mix with them.
const REAL_DATA_SQL = `
SELECT (SELECT count(*) FROM incidents WHERE NOT is_demo) AS real_rows,
       (SELECT count(*) FROM incidents WHERE is_demo) AS demo_incidents,
       (SELECT filename FROM import_batches WHERE is_demo AND status = 'committed' ORDER BY id DESC LIMIT 1) AS demo_label`;

/** What the demo batch is called: a start replaces demo data with another label. */
export const demoLabel = (seed: number) => `demo v${DEMO_VERSION} seed ${seed}`;

const LOCATIONS_SQL = `
INSERT INTO locations_of_concern (name, kind, status, source, source_ref, added_by, review_date, notes,
                                  is_demo, batch_id, geom)
SELECT name, kind, 'active', 'demo', ref, 'demo generator', review_date::date,
       'Demo place: invented for Lantern''s demo dataset (no open data holds it); the position is made up.', true, $7,
       ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       AS t(ref, name, kind, review_date, geometry, locality)`;

// Incidents are staged chunk by chunk, then written in one statement in space order
// (PostGIS sorts geometries along a Hilbert curve) so that the incidents under one map
// tile share few table pages, as an import writes them. Each one's nearest place is
// found as it is written (as an import does), rather than by updating every row after.
const STAGE_SQL = `
CREATE TEMPORARY TABLE demo_incidents (
  source text, ref text, category text, local_time text, geom geometry(Point, 4326), age int, age_band text,
  gender text, ethnicity text, role text, person_ref text, harm float8
) ON COMMIT DROP`;

const STAGE_CHUNK_SQL = `
INSERT INTO demo_incidents
SELECT source, ref, category, local_time, ST_SetSRID(ST_MakePoint(lon, lat), 4326), age, age_band, gender,
       ethnicity, role, person_ref, harm
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::int[],
              $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::float8[])
       AS t(source, ref, category, local_time, lon, lat, age, age_band, gender, ethnicity, role,
            person_ref, harm)`;

// Local wall-clock times become instants in Europe/London, so BST and GMT are right.
// Harm weights come from the live table (an administrator may have changed them).
const INCIDENTS_SQL = `
INSERT INTO incidents (source, source_ref, category, occurred_at, time_precision, geom, age, age_band,
                       gender, ethnicity, role, person_ref, harm_weight, is_demo, batch_id,
                       nearest_location_id, nearest_location_m)
SELECT t.source, t.ref, t.category, t.local_time::timestamp AT TIME ZONE 'Europe/London', 'minute',
       t.geom, t.age, t.age_band, t.gender, t.ethnicity, t.role, t.person_ref,
       coalesce(h.weight, t.harm), true, $1, nearest.id, nearest.distance
  FROM demo_incidents t
  LEFT JOIN harm_weights h ON h.category = t.category
  LEFT JOIN LATERAL lantern_nearest_location(ST_Transform(t.geom, 27700), $2) nearest ON true
 ORDER BY t.geom`;

export interface SeedOptions {
  /** Delete existing demo rows and load again. */
  replace?: boolean;
  log?: (message: string) => void;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Deletes the demo rows (imported rows stay) and marks the demo batches rolled back. */
export async function deleteDemo(client: pg.ClientBase): Promise<{ incidents: number; locations: number; areas: number }> {
  const incidents = await client.query('DELETE FROM incidents WHERE is_demo');
  const locations = await client.query('DELETE FROM locations_of_concern WHERE is_demo');
  const areas = await client.query('DELETE FROM areas WHERE is_demo');
  await client.query(`UPDATE import_batches SET status = 'rolled_back', finished_at = now()
                       WHERE is_demo AND status = 'committed'`);
  return { incidents: incidents.rowCount ?? 0, locations: locations.rowCount ?? 0, areas: areas.rowCount ?? 0 };
}

export async function loadDemo(databaseUrl: string, dataset: DemoDataset, options: SeedOptions = {}): Promise<SeedOutcome> {
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await loadReferenceGeography(client, log);
    const { rows } = await client.query<{ real_rows: string; demo_incidents: string; demo_label: string | null }>(REAL_DATA_SQL);
    if (Number(rows[0]!.real_rows) > 0) {
      return { status: 'skipped', reason: 'the database holds real (non-demo) incidents; demo data is never mixed in' };
    }
    const outdated = Number(rows[0]!.demo_incidents) > 0 && rows[0]!.demo_label !== demoLabel(dataset.seed);
    if (Number(rows[0]!.demo_incidents) > 0 && !options.replace && !outdated) {
      return { status: 'skipped', reason: 'demo data is already loaded' };
    }
    await client.query('BEGIN');
    // Older demo data (an invented district and its areas, another generator) goes entirely.
    if (options.replace || outdated || Number(rows[0]!.demo_incidents) === 0) await deleteDemo(client);
    const batch = await client.query<{ id: string }>(
      `INSERT INTO import_batches (kind, filename, is_demo, created_by) VALUES ('demo', $1, true, 'demo generator') RETURNING id`,
      [demoLabel(dataset.seed)]);
    const batchId = batch.rows[0]!.id;

    const locations = dataset.locations.filter((location) => location.demo);
    await client.query(LOCATIONS_SQL, [
      locations.map((l) => l.ref),
      locations.map((l) => l.name),
      locations.map((l) => l.kind),
      locations.map((l) => l.reviewDate),
      locations.map((l) => JSON.stringify(l.outline
        ? { type: 'MultiPolygon', coordinates: [[l.outline]] }
        : { type: 'Point', coordinates: l.centre })),
      locations.map((l) => l.locality ?? ''),
      batchId,
    ]);
    log(`locations of concern: ${locations.length}`);

    await client.query(STAGE_SQL);
    for (const part of chunks(dataset.incidents, CHUNK)) {
      await client.query(STAGE_CHUNK_SQL, [
        part.map((i) => i.source), part.map((i) => i.ref), part.map((i) => i.category),
        part.map((i) => i.localTime), part.map((i) => i.lon), part.map((i) => i.lat),
        part.map((i) => i.age), part.map((i) => i.ageBand), part.map((i) => i.gender),
        part.map((i) => i.ethnicity), part.map((i) => i.role), part.map((i) => i.personRef),
        part.map((i) => i.harm),
      ]);
    }
    await client.query("SET LOCAL work_mem = '256MB'"); // the space-order sort of a 1M-row bench set in memory
    await client.query(INCIDENTS_SQL, [batchId, LINK_RADIUS_M]);
    log(`incidents: ${dataset.incidents.length}`);
    const linked = await client.query<{ linked: string }>(
      'SELECT count(*) AS linked FROM incidents WHERE batch_id = $1 AND nearest_location_id IS NOT NULL', [batchId]);
    await client.query(
      `UPDATE import_batches SET status = 'committed', finished_at = now(), rows_total = $2, rows_inserted = $2
        WHERE id = $1`,
      [batchId, dataset.incidents.length + locations.length]);
    await client.query('COMMIT');
    await client.query('ANALYZE incidents; ANALYZE locations_of_concern; ANALYZE areas');
    return {
      status: 'loaded',
      locations: locations.length,
      incidents: dataset.incidents.length,
      linked: Number(linked.rows[0]!.linked),
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
