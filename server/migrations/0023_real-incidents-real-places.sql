-- Up Migration
-- A real (non-demo) incident never counts at an invented place (issue 27): the nearest
-- place search takes whether demo places may answer, and the links are made with the
-- incident's own is_demo. Demo incidents may still count at real places (the demo set
-- lies over the shipped geography and its places).
DROP FUNCTION IF EXISTS lantern_nearest_location(geometry, double precision);
CREATE FUNCTION lantern_nearest_location(point_bng geometry, radius_m double precision, demo_places boolean DEFAULT true)
RETURNS TABLE (id bigint, distance double precision)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT l.id, ST_Distance(l.geom_bng, point_bng)
    FROM locations_of_concern l
   WHERE l.status <> 'closed' AND (demo_places OR NOT l.is_demo) AND ST_DWithin(l.geom_bng, point_bng, radius_m)
   ORDER BY l.geom_bng <-> point_bng, l.id
   LIMIT 1
$$;

CREATE OR REPLACE FUNCTION lantern_link_nearest_locations(radius_m double precision DEFAULT 150,
                                                          only_batch bigint DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  linked bigint;
BEGIN
  UPDATE incidents i
     SET nearest_location_id = nearest.id, nearest_location_m = nearest.distance
    FROM incidents src
    LEFT JOIN LATERAL lantern_nearest_location(src.geom_bng, radius_m, src.is_demo) nearest ON true
   WHERE i.id = src.id
     AND (only_batch IS NULL OR src.batch_id = only_batch)
     AND (i.nearest_location_id IS DISTINCT FROM nearest.id
          OR i.nearest_location_m IS DISTINCT FROM nearest.distance::real);
  GET DIAGNOSTICS linked = ROW_COUNT;
  RETURN linked;
END
$$;

-- Real incidents linked to a demo place before: linked again among the real places.
UPDATE incidents i
   SET (nearest_location_id, nearest_location_m) =
       (SELECT n.id, n.distance FROM lantern_nearest_location(i.geom_bng, 150, false) n)
  FROM locations_of_concern l
 WHERE l.id = i.nearest_location_id AND l.is_demo AND NOT i.is_demo;

-- Down Migration
DROP FUNCTION IF EXISTS lantern_nearest_location(geometry, double precision, boolean);
CREATE FUNCTION lantern_nearest_location(point_bng geometry, radius_m double precision)
RETURNS TABLE (id bigint, distance double precision)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT l.id, ST_Distance(l.geom_bng, point_bng)
    FROM locations_of_concern l
   WHERE l.status <> 'closed' AND ST_DWithin(l.geom_bng, point_bng, radius_m)
   ORDER BY l.geom_bng <-> point_bng, l.id
   LIMIT 1
$$;
CREATE OR REPLACE FUNCTION lantern_link_nearest_locations(radius_m double precision DEFAULT 150,
                                                          only_batch bigint DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  linked bigint;
BEGIN
  UPDATE incidents i
     SET nearest_location_id = nearest.id, nearest_location_m = nearest.distance
    FROM incidents src
    LEFT JOIN LATERAL lantern_nearest_location(src.geom_bng, radius_m) nearest ON true
   WHERE i.id = src.id
     AND (only_batch IS NULL OR src.batch_id = only_batch)
     AND (i.nearest_location_id IS DISTINCT FROM nearest.id
          OR i.nearest_location_m IS DISTINCT FROM nearest.distance::real);
  GET DIAGNOSTICS linked = ROW_COUNT;
  RETURN linked;
END
$$;
