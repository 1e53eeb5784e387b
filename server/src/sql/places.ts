// Which place an incident counts at: its nearest open place of concern within the
// radius (distance to an outline's edge, 0 inside; ties to the lower id; never an
// invented demo place for a real incident: migration 0023), so that an incident beside
// two places counts once. One rule for the ranking, a place's profile,
// the patrol plan and the column copy.

/** Incidents keep their nearest open place within this distance (nearest_location_id, _m). */
export const LINK_RADIUS_M = 150;

/**
 * SQL: the id of the place incident `i` counts at at `radius` metres (NULL for none).
 * Within LINK_RADIUS_M the kept link answers: the nearest place overall, if no farther
 * than the radius, is the nearest within it. Beyond, a kept link is still the nearest
 * place (it is within 150 m < radius); only an incident with none looks one up
 * (lantern_nearest_location, migration 0006).
 */
export function placeOf(radius: number, radiusSql: string): string {
  if (radius <= LINK_RADIUS_M) return `CASE WHEN i.nearest_location_m <= ${radiusSql} THEN i.nearest_location_id END`;
  return `CASE WHEN i.nearest_location_m IS NOT NULL THEN i.nearest_location_id
    ELSE (SELECT n.id FROM lantern_nearest_location(i.geom_bng, ${radiusSql}, i.is_demo) n) END`;
}

/**
 * SQL: incident `i` counts at the place whose id is `place` (an SQL expression) at
 * `radius` metres. `placeGeometry` (the place's geom_bng) lets the distance test use
 * the GiST index beyond the link.
 */
export function countsAtPlace(place: string, radius: number, radiusSql: string, placeGeometry?: string): string {
  if (radius <= LINK_RADIUS_M) return `(i.nearest_location_id = ${place} AND i.nearest_location_m <= ${radiusSql})`;
  const geometry = placeGeometry ?? `(SELECT l.geom_bng FROM locations_of_concern l WHERE l.id = ${place})`;
  return `(ST_DWithin(i.geom_bng, ${geometry}, ${radiusSql}) AND ${placeOf(radius, radiusSql)} = ${place})`;
}

/**
 * SQL: the incidents (`i`) matching `where`, each with `place_id`, the place it counts at
 * at `radius` metres (none: not returned), in one pass over the incidents.
 */
export function incidentsAtPlaces(columns: string, where: string, radius: number, radiusSql: string): string {
  return `SELECT * FROM (SELECT ${columns}, ${placeOf(radius, radiusSql)} AS place_id FROM incidents i WHERE ${where}) at_places
     WHERE place_id IS NOT NULL`;
}
