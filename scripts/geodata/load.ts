// Loads the real geography shipped in data/geography into a migrated database: the
// B&NES boundaries (district, 2019 wards, 2011 LSOAs and MSOAs) with 2011 census
// populations, the places of concern from open data, the street basemap, and the
// postcode centroids that place imports look postcodes up in. Each file
// is loaded again only when it changed (its digest is kept in reference_data), so a
// second start costs a few milliseconds. Areas and places are upserted on their keys, so
// incidents keep their links and user imports of the same areas are refreshed, not
// duplicated.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { LINK_RADIUS_M } from '../../server/src/imports/incidents.js';
import { GEODATA_DIR, readGeodata, type AreaProperties, type BasemapProperties, type PlaceProperties, type PostcodeProperties } from './files.js';

const CHUNK = 4000;

export const POPULATION_VINTAGE = '2011 Census usual residents (ONS)';

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const digestOf = (file: string) => createHash('sha256').update(readFileSync(path.join(GEODATA_DIR, `${file}.geojson.gz`))).digest('hex');

async function batchFor(client: pg.ClientBase, dataset: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO import_batches (kind, filename, status, is_demo, created_by, finished_at)
     VALUES ('reference', $1, 'committed', false, 'lantern', now()) RETURNING id`, [`data/geography/${dataset}.geojson.gz`]);
  return rows[0]!.id;
}

async function loadBasemap(client: pg.ClientBase): Promise<number> {
  const features = readGeodata<BasemapProperties>('basemap').features;
  await client.query('TRUNCATE basemap_features');
  for (const part of chunks(features)) {
    await client.query(`
      INSERT INTO basemap_features (layer, class, name, ref, size, bridge, geom)
      SELECT layer, class, name, ref, size, coalesce(bridge, false), ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326), 3857)
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::boolean[], $7::text[])
             AS t(layer, class, name, ref, size, bridge, g)`, [
      part.map((f) => f.properties.layer), part.map((f) => f.properties.class ?? null), part.map((f) => f.properties.name ?? null),
      part.map((f) => f.properties.ref ?? null), part.map((f) => f.properties.size ?? null), part.map((f) => f.properties.bridge === 1),
      part.map((f) => JSON.stringify(f.geometry)),
    ]);
  }
  await client.query('ANALYZE basemap_features');
  return features.length;
}

// Wards and MSOAs get the LSOAs' census counts shared out by the area of each LSOA that
// lies in them (areal weighting): MSOAs nest LSOAs exactly, 2019 wards do not. Shares are
// ratios of areas within one LSOA, so degrees² serve as well as m² at this scale (the
// outlines were made valid in WGS84 by the tiling; transformed to BNG some were not).
const APPORTION_SQL = `
WITH shares AS (
  SELECT a.id, sum(l.population * share) AS population, sum(l.population_10_24 * share) AS young
    FROM areas a
    JOIN areas l ON l.level = 'lsoa' AND l.batch_id = $1 AND ST_Intersects(a.geom, l.geom)
   CROSS JOIN LATERAL (SELECT ST_Area(ST_Intersection(a.geom, l.geom)) / ST_Area(l.geom) AS share) s
   WHERE a.batch_id = $1 AND a.level IN ('ward', 'msoa')
   GROUP BY a.id
)
UPDATE areas a SET population = round(s.population)::int, population_10_24 = round(s.young)::int
  FROM shares s WHERE s.id = a.id`;

// The four levels come from different sources (OS Boundary-Line, LGBCE, ONS) and do not
// tile the district exactly: slivers of a few metres overlap or fall between them, and
// an incident on a street along a boundary would then count in two wards or none. So at
// load each level is made to tile the district: clipped to it; an overlap kept by the
// area with the lower code; each gap given to the nearest area of the level (ties: lower code).
const TILE_SQL = [`
UPDATE areas a SET geom = ST_Multi(ST_CollectionExtract(ST_Intersection(a.geom, d.geom), 3))
  FROM areas d
 WHERE d.level = 'district' AND d.batch_id = $1 AND a.batch_id = $1 AND a.level <> 'district'
   AND NOT ST_CoveredBy(a.geom, d.geom)`, `
UPDATE areas a SET geom = ST_Multi(ST_CollectionExtract(ST_Difference(a.geom, o.geom), 3))
  FROM (SELECT a2.id, ST_Union(b.geom) AS geom
          FROM areas a2
          JOIN areas b ON b.level = a2.level AND b.batch_id = $1 AND b.code < a2.code AND ST_Intersects(a2.geom, b.geom)
                      AND ST_Dimension(ST_Intersection(a2.geom, b.geom)) = 2
         WHERE a2.batch_id = $1 AND a2.level <> 'district'
         GROUP BY a2.id) o
 WHERE o.id = a.id`, `
WITH levels AS (
  SELECT level, ST_Union(geom) AS geom FROM areas WHERE batch_id = $1 AND level <> 'district' GROUP BY level
),
gaps AS (
  SELECT l.level, (ST_Dump(ST_CollectionExtract(ST_Difference(d.geom, l.geom), 3))).geom AS geom
    FROM levels l JOIN areas d ON d.level = 'district' AND d.batch_id = $1
),
owners AS (
  SELECT g.geom, nearest.id
    FROM gaps g
   CROSS JOIN LATERAL (SELECT a.id FROM areas a WHERE a.level = g.level AND a.batch_id = $1
                        ORDER BY a.geom <-> ST_PointOnSurface(g.geom), a.code LIMIT 1) nearest
)
UPDATE areas a SET geom = ST_Multi(ST_CollectionExtract(ST_Union(a.geom, o.geom), 3))
  FROM (SELECT id, ST_Union(geom) AS geom FROM owners GROUP BY id) o
 WHERE o.id = a.id`, `
UPDATE areas SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
 WHERE batch_id = $1 AND NOT (ST_IsValid(geom) AND ST_IsValid(geom_bng))`];

async function loadAreas(client: pg.ClientBase): Promise<number> {
  const features = readGeodata<AreaProperties>('areas').features;
  const batch = await batchFor(client, 'areas');
  await client.query(`
    INSERT INTO areas AS a (level, code, name, population, population_10_24, is_demo, batch_id, geom)
    SELECT level, code, name, population, population_10_24, false, $8,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), 3))
      FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[])
           AS t(level, code, name, population, population_10_24, g, n)
    ON CONFLICT (level, code) DO UPDATE
       SET name = excluded.name, population = excluded.population, population_10_24 = excluded.population_10_24,
           is_demo = false, batch_id = excluded.batch_id, geom = excluded.geom`, [
    features.map((f) => f.properties.level), features.map((f) => f.properties.code), features.map((f) => f.properties.name),
    features.map((f) => f.properties.population ?? null), features.map((f) => f.properties.population_10_24 ?? null),
    features.map((f) => JSON.stringify(f.geometry)), features.map((_, i) => i), batch,
  ]);
  for (const sql of TILE_SQL) await client.query(sql, [batch]);
  await client.query(APPORTION_SQL, [batch]);
  return features.length;
}

async function loadPlaces(client: pg.ClientBase): Promise<number> {
  const features = readGeodata<PlaceProperties>('places').features;
  const batch = await batchFor(client, 'places');
  for (const part of chunks(features)) {
    await client.query(`
      INSERT INTO locations_of_concern AS l (name, kind, status, source, source_ref, added_by, notes, attribution, approximate, is_demo, batch_id, geom)
      SELECT name, kind, 'active', source, ref, 'open data', note, attribution, approximate, false, $9,
             CASE WHEN GeometryType(g) = 'POINT' THEN g ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) END
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[])
             AS t(name, kind, source, ref, note, attribution, approximate, geojson)
       CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326) AS g) geometry
      ON CONFLICT (source, source_ref) DO UPDATE
         SET name = excluded.name, kind = excluded.kind, notes = excluded.notes, attribution = excluded.attribution,
             approximate = excluded.approximate, batch_id = excluded.batch_id, geom = excluded.geom`, [
      part.map((f) => f.properties.name), part.map((f) => f.properties.kind), part.map((f) => f.properties.source),
      part.map((f) => f.properties.ref), part.map((f) => f.properties.note), part.map((f) => f.properties.attribution),
      part.map((f) => f.properties.approximate ?? false), part.map((f) => JSON.stringify(f.geometry)), batch,
    ]);
  }
  // Places an earlier version shipped and this one does not.
  const sources = [...new Set(features.map((f) => f.properties.source))];
  await client.query(`
    DELETE FROM locations_of_concern l
     WHERE l.source = ANY($1) AND NOT l.is_demo
       AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(source, ref) WHERE k.source = l.source AND k.ref = l.source_ref)`,
  [sources, features.map((f) => f.properties.source), features.map((f) => f.properties.ref)]);
  const { rows } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM incidents) AS any');
  if (rows[0]!.any) await client.query('SELECT lantern_link_nearest_locations($1)', [LINK_RADIUS_M]);
  return features.length;
}

/** Postcode centroids, keyed without spaces in capitals (postcodeKey), for places imported by postcode. */
async function loadPostcodes(client: pg.ClientBase): Promise<number> {
  const features = readGeodata<PostcodeProperties>('postcodes').features;
  await client.query('TRUNCATE postcodes');
  await client.query(`
    INSERT INTO postcodes (postcode, geom)
    SELECT DISTINCT ON (key) key, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)
      FROM unnest($1::text[], $2::text[]) AS t(pc, g), LATERAL (SELECT upper(replace(pc, ' ', '')) AS key) k
     ORDER BY key`, [features.map((f) => f.properties.pc), features.map((f) => JSON.stringify(f.geometry))]);
  return features.length;
}

const LOADERS = { basemap: loadBasemap, areas: loadAreas, places: loadPlaces, postcodes: loadPostcodes } as const;

/** Loads whichever shipped datasets changed since the last load; returns what it loaded. */
export async function loadReferenceGeography(databaseUrl: string | pg.ClientBase, log: (message: string) => void = () => {}): Promise<Record<string, number>> {
  const own = typeof databaseUrl === 'string' ? new pg.Client({ connectionString: databaseUrl }) : null;
  const client = own ?? (databaseUrl as pg.ClientBase);
  if (own) await own.connect();
  const loaded: Record<string, number> = {};
  try {
    const { rows } = await client.query<{ dataset: string; digest: string }>('SELECT dataset, digest FROM reference_data');
    const known = new Map(rows.map((row) => [row.dataset, row.digest]));
    // Areas before places: a place's nearest-incident links and the district both need them.
    for (const dataset of ['areas', 'places', 'basemap', 'postcodes'] as const) {
      const digest = digestOf(dataset);
      if (known.get(dataset) === digest) continue;
      const started = Date.now();
      await client.query('BEGIN');
      try {
        loaded[dataset] = await LOADERS[dataset](client);
        await client.query(
          `INSERT INTO reference_data (dataset, digest) VALUES ($1, $2)
           ON CONFLICT (dataset) DO UPDATE SET digest = excluded.digest, loaded_at = now()`, [dataset, digest]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
      log(`Loaded the real ${dataset} (${loaded[dataset]} features) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
    if (loaded.areas || loaded.places) await client.query('ANALYZE areas; ANALYZE locations_of_concern');
  } finally {
    if (own) await own.end();
  }
  return loaded;
}
