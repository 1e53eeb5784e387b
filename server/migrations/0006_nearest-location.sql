-- Up Migration
-- The nearest open location of concern within radius_m metres of a British National
-- Grid point (distance to a polygon's edge, 0 inside it), ties broken by id. One
-- definition for lantern_link_nearest_locations and for imports, which link each
-- incident as they insert it. A single-SELECT SQL function: PostgreSQL inlines it, so
-- the locations' GiST index still serves the ST_DWithin and the <-> ordering.
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

-- Down Migration
CREATE OR REPLACE FUNCTION lantern_link_nearest_locations(radius_m double precision DEFAULT 150,
                                                          only_batch bigint DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  linked bigint;
BEGIN
  UPDATE incidents i
     SET nearest_location_id = nearest.id, nearest_location_m = nearest.distance
    FROM incidents src
    LEFT JOIN LATERAL (
      SELECT l.id, ST_Distance(l.geom_bng, src.geom_bng) AS distance
        FROM locations_of_concern l
       WHERE l.status <> 'closed' AND ST_DWithin(l.geom_bng, src.geom_bng, radius_m)
       ORDER BY l.geom_bng <-> src.geom_bng, l.id
       LIMIT 1
    ) nearest ON true
   WHERE i.id = src.id
     AND (only_batch IS NULL OR src.batch_id = only_batch)
     AND (i.nearest_location_id IS DISTINCT FROM nearest.id
          OR i.nearest_location_m IS DISTINCT FROM nearest.distance::real);
  GET DIAGNOSTICS linked = ROW_COUNT;
  RETURN linked;
END
$$;
DROP FUNCTION IF EXISTS lantern_nearest_location(geometry, double precision);
