-- Up Migration
-- Imports (server/src/imports): a batch is written in the same transaction as its rows,
-- so a batch row exists only for an import that committed, or (written after the
-- rollback) one that failed, with its error. The report is what the user was shown.
ALTER TABLE import_batches
  ADD COLUMN error  text,
  ADD COLUMN report jsonb,
  -- What a rollback must restore besides deleting the batch's rows (population values).
  ADD COLUMN undo   jsonb;
ALTER TABLE import_rejects ADD COLUMN reason text;

-- Links incidents to their nearest location of concern; with only_batch, just that
-- batch's incidents (an import must not rewrite a million rows it did not add).
DROP FUNCTION lantern_link_nearest_locations(double precision);
CREATE FUNCTION lantern_link_nearest_locations(radius_m double precision DEFAULT 150,
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
CREATE INDEX incidents_batch_idx ON incidents (batch_id);
CREATE INDEX locations_batch_idx ON locations_of_concern (batch_id);
CREATE INDEX areas_batch_idx ON areas (batch_id);

-- Down Migration
DROP INDEX IF EXISTS areas_batch_idx;
DROP INDEX IF EXISTS locations_batch_idx;
DROP INDEX IF EXISTS incidents_batch_idx;
DROP FUNCTION IF EXISTS lantern_link_nearest_locations(double precision, bigint);
CREATE FUNCTION lantern_link_nearest_locations(radius_m double precision DEFAULT 150)
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
     AND (i.nearest_location_id IS DISTINCT FROM nearest.id
          OR i.nearest_location_m IS DISTINCT FROM nearest.distance::real);
  GET DIAGNOSTICS linked = ROW_COUNT;
  RETURN linked;
END
$$;
ALTER TABLE import_rejects DROP COLUMN IF EXISTS reason;
ALTER TABLE import_batches DROP COLUMN IF EXISTS undo, DROP COLUMN IF EXISTS report, DROP COLUMN IF EXISTS error;
