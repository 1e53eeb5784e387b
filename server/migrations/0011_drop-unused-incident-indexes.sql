-- Up Migration
-- Two indexes on incidents that no query uses any more, each paid for on every insert
-- (the WGS84 GiST index alone is about a third of an import's index upkeep):
-- - incidents_geom_idx: the areas filter reads incident_areas (0007) and the OGC bbox
--   goes through the Web Mercator index (geom_3857);
-- - incidents_person_ref_idx: people are counted by grouping, never looked up one by one.
DROP INDEX IF EXISTS incidents_geom_idx;
DROP INDEX IF EXISTS incidents_person_ref_idx;

-- Down Migration
CREATE INDEX IF NOT EXISTS incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX IF NOT EXISTS incidents_person_ref_idx ON incidents (person_ref);
