// Which place an incident counts at: its nearest open place of concern within the
// radius (distance to an outline's edge, 0 inside; ties to the lower id), so that an
// incident beside two places counts once. One rule for the ranking, a place's profile,
// the patrol plan and the column copy.

/** Incidents keep their nearest open place within this distance (nearest_location_id, _m). */
export const LINK_RADIUS_M = 150;

/**
 * SQL: incident `i` counts at the place whose id is `place` (an SQL expression) at
 * `radius` metres (`radiusSql` renders it). Within LINK_RADIUS_M the kept link answers:
 * the nearest place overall, if no farther than the radius, is the nearest within it.
 * Beyond, the nearest is looked up (lantern_nearest_location, migration 0006);
 * `placeGeometry` (the place's geom_bng) lets the distance test use the GiST index.
 */
export function countsAtPlace(place: string, radius: number, radiusSql: string, placeGeometry?: string): string {
  if (radius <= LINK_RADIUS_M) return `(i.nearest_location_id = ${place} AND i.nearest_location_m <= ${radiusSql})`;
  const geometry = placeGeometry ?? `(SELECT l.geom_bng FROM locations_of_concern l WHERE l.id = ${place})`;
  return `(ST_DWithin(i.geom_bng, ${geometry}, ${radiusSql})
    AND (SELECT n.id FROM lantern_nearest_location(i.geom_bng, ${radiusSql}) n) = ${place})`;
}
