// GeoJSON geometry checks done in the stream, before PostGIS sees the geometry: the type
// is one the table takes, every position is two finite numbers in Great Britain (or in
// British National Grid for a file that says EPSG:27700), rings are closed with at least
// four positions. PostGIS then checks validity (self-intersection) in the merge.
import { problem, quote, type Parsed } from './fields.js';

type Position = [number, number];

const GB_WGS84 = { west: -9, east: 2.5, south: 49, north: 61 };
const GB_BNG = { west: 0, east: 700_000, south: 0, north: 1_300_000 };

function positionProblem(value: unknown, srid: 4326 | 27700): string | null {
  if (!Array.isArray(value) || value.length < 2 || typeof value[0] !== 'number' || typeof value[1] !== 'number'
    || !Number.isFinite(value[0]) || !Number.isFinite(value[1])) return 'a position is not two numbers';
  const [x, y] = value as Position;
  const box = srid === 27700 ? GB_BNG : GB_WGS84;
  if (x >= box.west && x <= box.east && y >= box.south && y <= box.north) return null;
  if (srid === 4326 && y >= GB_WGS84.west && y <= GB_WGS84.east && x >= GB_WGS84.south && x <= GB_WGS84.north) {
    return `position ${x}, ${y} has latitude and longitude swapped (GeoJSON is longitude first)`;
  }
  return `position ${x}, ${y} is not in Great Britain${srid === 4326 ? ' (WGS84 longitude, latitude)' : ' (British National Grid)'}`;
}

function ringProblem(ring: unknown, srid: 4326 | 27700): string | null {
  if (!Array.isArray(ring) || ring.length < 4) return 'a ring has fewer than four positions';
  for (const position of ring) {
    const found = positionProblem(position, srid);
    if (found) return found;
  }
  const first = ring[0] as Position;
  const last = ring[ring.length - 1] as Position;
  return first[0] === last[0] && first[1] === last[1] ? null : 'a ring is not closed';
}

function polygonProblem(rings: unknown, srid: 4326 | 27700): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return 'a polygon has no rings';
  for (const ring of rings) {
    const found = ringProblem(ring, srid);
    if (found) return found;
  }
  return null;
}

/**
 * The geometry as GeoJSON text for PostGIS, or the problem. `allowed` lists the types
 * the target table takes (Polygons are stored as MultiPolygons).
 */
export function checkGeometry(geometry: unknown, allowed: readonly ('Point' | 'Polygon' | 'MultiPolygon')[],
  srid: 4326 | 27700): Parsed<string> {
  const shape = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!shape || typeof shape !== 'object') return problem('geometry', 'missing_coordinates', 'the feature has no geometry');
  const type = String(shape.type);
  if (!(allowed as readonly string[]).includes(type)) {
    return problem('geometry', 'invalid_geometry', `${quote(type)} is not one of ${allowed.join(', ')}`);
  }
  let found: string | null;
  if (type === 'Point') found = positionProblem(shape.coordinates, srid);
  else if (type === 'Polygon') found = polygonProblem(shape.coordinates, srid);
  else if (!Array.isArray(shape.coordinates) || shape.coordinates.length === 0) found = 'a MultiPolygon has no polygons';
  else found = shape.coordinates.map((polygon) => polygonProblem(polygon, srid)).find((text) => text !== null) ?? null;
  if (found) {
    const reason = found.includes('swapped') ? 'swapped_coordinates' : found.includes('Great Britain') ? 'bad_coordinates' : 'invalid_geometry';
    return problem('geometry', reason, found);
  }
  return { value: JSON.stringify({ type, coordinates: shape.coordinates }) };
}

/** SQL for a staged GeoJSON geometry column as a WGS84 geometry. */
export const geometryFromStage = (column: string, srid: 4326 | 27700) => srid === 27700
  ? `ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(${column}), 27700), 4326)`
  : `ST_SetSRID(ST_GeomFromGeoJSON(${column}), 4326)`;

type Db = { query: (sql: string) => Promise<{ rowCount: number | null }> };

/**
 * Polygons PostGIS finds invalid are repaired with ST_MakeValid when that changes their
 * area by under 1% (a boundary's tiny self-touching ring from a format conversion);
 * anything else invalid is rejected with PostGIS's reason. Returns how many were repaired.
 */
export async function repairOrRejectInvalid(db: Db, column: string, srid: 4326 | 27700): Promise<number> {
  const staged = `ST_GeomFromGeoJSON(s.${column})`;
  const repaired = await db.query(`
    UPDATE import_stage
       SET ${column} = ST_AsGeoJSON(fixed.geom, 15)
      FROM (SELECT line, ST_Multi(ST_CollectionExtract(ST_MakeValid(${staged}), 3)) AS geom,
                   ST_Area(${staged}) AS before
              FROM import_stage s
             WHERE s.reject IS NULL AND GeometryType(${staged}) IN ('POLYGON', 'MULTIPOLYGON')
               AND NOT ST_IsValid(${staged})) fixed
     WHERE import_stage.line = fixed.line AND NOT ST_IsEmpty(fixed.geom)
       AND abs(ST_Area(fixed.geom) - fixed.before) < 0.01 * ST_Area(fixed.geom)`);
  await db.query(`
    UPDATE import_stage
       SET reject = jsonb_build_array(jsonb_build_object('field', 'geometry', 'reason', 'invalid_geometry',
                    'message', 'the geometry is not valid: ' || ST_IsValidReason(${geometryFromStage(column, srid)})))
     WHERE reject IS NULL AND NOT ST_IsValid(${geometryFromStage(column, srid)})`);
  return repaired.rowCount ?? 0;
}
