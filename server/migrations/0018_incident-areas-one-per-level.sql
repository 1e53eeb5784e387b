-- Up Migration
-- Each incident belongs to exactly one area of each level. Point-in-polygon counted an
-- incident lying exactly on a shared boundary (a street along a ward edge) in both
-- areas, so the areas of a level summed to more than the district. The rule: an incident
-- on a boundary belongs to the area with the lowest code among those whose outline
-- holds it. (The shipped real levels tile the district, scripts/geodata/load.ts, so no
-- incident inside it is left without an area.)

CREATE OR REPLACE FUNCTION lantern_incident_areas_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT DISTINCT ON (n.id, a.level) a.id, n.id
    FROM new_rows n JOIN areas a ON ST_Intersects(a.geom, n.geom)
   ORDER BY n.id, a.level, a.code;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION lantern_incident_areas_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_areas WHERE incident_id = NEW.id;
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT DISTINCT ON (a.level) a.id, NEW.id FROM areas a WHERE ST_Intersects(a.geom, NEW.geom)
   ORDER BY a.level, a.code;
  RETURN NULL;
END
$$;

-- A new area, or a new outline for one: it takes the incidents it holds unless an area of
-- its level with a lower code holds them; incidents its old outline held and the new one
-- does not go to the lowest-code area of the level that holds them.
CREATE OR REPLACE FUNCTION lantern_area_incidents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    WITH gone AS (
      DELETE FROM incident_areas ia USING incidents i
       WHERE ia.area_id = NEW.id AND i.id = ia.incident_id AND NOT ST_Intersects(NEW.geom, i.geom)
      RETURNING i.id, i.geom
    )
    INSERT INTO incident_areas (area_id, incident_id)
    SELECT DISTINCT ON (g.id) b.id, g.id
      FROM gone g JOIN areas b ON b.level = NEW.level AND b.id <> NEW.id AND ST_Intersects(b.geom, g.geom)
     ORDER BY g.id, b.code;
  END IF;
  WITH covered AS (
    SELECT i.id FROM incidents i
     WHERE ST_Intersects(NEW.geom, i.geom)
       AND NOT EXISTS (SELECT 1 FROM incident_areas ia JOIN areas b ON b.id = ia.area_id
                        WHERE ia.incident_id = i.id AND b.level = NEW.level AND (b.code < NEW.code OR b.id = NEW.id))
  ),
  moved AS (
    DELETE FROM incident_areas ia USING areas b, covered c
     WHERE ia.area_id = b.id AND b.level = NEW.level AND b.id <> NEW.id AND ia.incident_id = c.id
  )
  INSERT INTO incident_areas (area_id, incident_id) SELECT NEW.id, id FROM covered;
  RETURN NULL;
END
$$;

-- An area removed: the incidents it held go to the lowest-code area of its level that
-- holds them (the foreign key's cascade has already taken its rows out).
CREATE FUNCTION lantern_area_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT DISTINCT ON (i.id) b.id, i.id
    FROM incidents i JOIN areas b ON b.level = OLD.level AND ST_Intersects(b.geom, i.geom)
   WHERE ST_Intersects(OLD.geom, i.geom)
     AND NOT EXISTS (SELECT 1 FROM incident_areas ia JOIN areas c ON c.id = ia.area_id
                      WHERE ia.incident_id = i.id AND c.level = OLD.level)
   ORDER BY i.id, b.code;
  RETURN NULL;
END
$$;
CREATE TRIGGER areas_removed AFTER DELETE ON areas FOR EACH ROW EXECUTE FUNCTION lantern_area_removed();

-- What is already there: of several areas of one level, the lowest code keeps the incident.
DELETE FROM incident_areas ia
 USING areas a
 WHERE a.id = ia.area_id
   AND EXISTS (SELECT 1 FROM incident_areas other JOIN areas b ON b.id = other.area_id
                WHERE other.incident_id = ia.incident_id AND b.level = a.level AND b.code < a.code);

-- Down Migration
DROP TRIGGER IF EXISTS areas_removed ON areas;
DROP FUNCTION IF EXISTS lantern_area_removed();
CREATE OR REPLACE FUNCTION lantern_incident_areas_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT a.id, n.id FROM new_rows n JOIN areas a ON ST_Intersects(a.geom, n.geom);
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION lantern_incident_areas_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_areas WHERE incident_id = NEW.id;
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT a.id, NEW.id FROM areas a WHERE ST_Intersects(a.geom, NEW.geom);
  RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION lantern_area_incidents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM incident_areas WHERE area_id = NEW.id;
  END IF;
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT NEW.id, i.id FROM incidents i WHERE ST_Intersects(NEW.geom, i.geom);
  RETURN NULL;
END
$$;
