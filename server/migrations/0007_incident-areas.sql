-- Up Migration
-- Which areas hold each incident, kept by triggers: area summaries read this instead of
-- testing every incident against every area's polygon on each request (about 5 s per
-- million incidents on 2 cores). Point in polygon is decided once, when an incident or
-- an area's outline is written.
CREATE TABLE incident_areas (
  area_id     bigint NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
  incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  PRIMARY KEY (area_id, incident_id)
);
CREATE INDEX incident_areas_incident_idx ON incident_areas (incident_id);

-- New incidents, a whole statement at once (imports insert thousands per statement).
CREATE FUNCTION lantern_incident_areas_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT a.id, n.id FROM new_rows n JOIN areas a ON ST_Intersects(a.geom, n.geom);
  RETURN NULL;
END
$$;
CREATE TRIGGER incidents_areas_insert AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lantern_incident_areas_insert();

-- An incident moved (rare: corrections).
CREATE FUNCTION lantern_incident_areas_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_areas WHERE incident_id = NEW.id;
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT a.id, NEW.id FROM areas a WHERE ST_Intersects(a.geom, NEW.geom);
  RETURN NULL;
END
$$;
CREATE TRIGGER incidents_areas_moved AFTER UPDATE OF geom ON incidents
  FOR EACH ROW EXECUTE FUNCTION lantern_incident_areas_moved();

-- A new area, or a new outline for one (boundary imports, rollback of one).
CREATE FUNCTION lantern_area_incidents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM incident_areas WHERE area_id = NEW.id;
  END IF;
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT NEW.id, i.id FROM incidents i WHERE ST_Intersects(NEW.geom, i.geom);
  RETURN NULL;
END
$$;
CREATE TRIGGER areas_incidents AFTER INSERT OR UPDATE OF geom ON areas
  FOR EACH ROW EXECUTE FUNCTION lantern_area_incidents();

-- What is already there.
INSERT INTO incident_areas (area_id, incident_id)
SELECT a.id, i.id FROM areas a JOIN incidents i ON ST_Intersects(a.geom, i.geom);
ANALYZE incident_areas;

-- Down Migration
DROP TRIGGER IF EXISTS areas_incidents ON areas;
DROP TRIGGER IF EXISTS incidents_areas_moved ON incidents;
DROP TRIGGER IF EXISTS incidents_areas_insert ON incidents;
DROP FUNCTION IF EXISTS lantern_area_incidents();
DROP FUNCTION IF EXISTS lantern_incident_areas_moved();
DROP FUNCTION IF EXISTS lantern_incident_areas_insert();
DROP TABLE IF EXISTS incident_areas;
