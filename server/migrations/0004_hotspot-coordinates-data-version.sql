-- Up Migration
-- 1. British National Grid coordinates as plain numbers, for the hotspot engine's
--    arithmetic hexagon binning (repositories/hotspots.ts): reading two float8 columns is
--    several times cheaper than ST_X/ST_Y on a geometry, and the planner repeats those
--    calls for every expression that uses them. 16 bytes a row.
ALTER TABLE incidents
  ADD COLUMN bng_x float8 GENERATED ALWAYS AS (ST_X(ST_Transform(geom, 27700))) STORED,
  ADD COLUMN bng_y float8 GENERATED ALWAYS AS (ST_Y(ST_Transform(geom, 27700))) STORED;

-- 2. A data version, raised by every statement that changes what an analysis reads, so
--    the server can keep computed results (hotspots, summaries) until the data changes.
CREATE TABLE data_version (
  one     boolean PRIMARY KEY DEFAULT true CHECK (one),
  version bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version (version) VALUES (1);

CREATE FUNCTION lantern_bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_version SET version = version + 1, changed_at = now();
  RETURN NULL;
END $$;

CREATE TRIGGER incidents_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON incidents
  FOR EACH STATEMENT EXECUTE FUNCTION lantern_bump_data_version();
CREATE TRIGGER areas_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON areas
  FOR EACH STATEMENT EXECUTE FUNCTION lantern_bump_data_version();
CREATE TRIGGER locations_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON locations_of_concern
  FOR EACH STATEMENT EXECUTE FUNCTION lantern_bump_data_version();
CREATE TRIGGER harm_weights_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON harm_weights
  FOR EACH STATEMENT EXECUTE FUNCTION lantern_bump_data_version();
