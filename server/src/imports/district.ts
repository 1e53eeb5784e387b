// The district an import keeps rows inside: the loaded district outline(s); failing
// those, every loaded area; failing any, the B&NES extent with a 2 km margin. Cut into
// small pieces with a spatial index so a point-in-polygon test per row stays cheap.
import type pg from 'pg';

// Bath and North East Somerset (E06000022) from OS Boundary-Line, grown by about 2 km.
export const FALLBACK_EXTENT = { west: -2.736, south: 51.255, east: -2.25, north: 51.458 } as const;

export async function prepareDistrict(db: pg.ClientBase): Promise<'district' | 'areas' | 'extent'> {
  await db.query(`
    CREATE TEMP TABLE import_district ON COMMIT DROP AS
    WITH chosen AS (
      SELECT 'district' AS source, geom FROM areas WHERE level = 'district'
      UNION ALL
      SELECT 'areas', geom FROM areas WHERE NOT EXISTS (SELECT 1 FROM areas WHERE level = 'district')
      UNION ALL
      SELECT 'extent', ST_MakeEnvelope($1, $2, $3, $4, 4326) WHERE NOT EXISTS (SELECT 1 FROM areas)
    )
    SELECT min(source) AS source, ST_Subdivide(ST_Union(geom), 128) AS geom FROM chosen`,
  [FALLBACK_EXTENT.west, FALLBACK_EXTENT.south, FALLBACK_EXTENT.east, FALLBACK_EXTENT.north]);
  await db.query('CREATE INDEX ON import_district USING gist (geom)');
  await db.query('ANALYZE import_district');
  const source = await db.query<{ source: 'district' | 'areas' | 'extent' }>('SELECT source FROM import_district LIMIT 1');
  return source.rows[0]?.source ?? 'extent';
}

/** SQL true when the point expression lies outside the district. */
export const outsideDistrict = (point: string) =>
  `NOT EXISTS (SELECT 1 FROM import_district d WHERE ST_Intersects(d.geom, ${point}))`;

/** Marks staged rows that import_ready found outside the district as rejected; returns how many. */
export async function rejectOutside(db: pg.ClientBase): Promise<number> {
  const result = await db.query(`
    UPDATE import_stage s
       SET reject = jsonb_build_array(jsonb_build_object('field', null, 'reason', 'outside_district',
                    'message', 'the position is outside the district'))
      FROM import_ready r
     WHERE r.line = s.line AND r.outside`);
  return result.rowCount ?? 0;
}
