-- Up Migration
-- Which area holds a new incident is a point-in-polygon test per incident and level.
-- The real boundaries have thousands of vertices each, and PostGIS cannot keep a
-- prepared polygon when consecutive tests hit different areas, so each test walked a
-- whole outline: loading the 1M bench set took 500 s, against about 180 s on the
-- invented outlines before. Areas are kept here cut into pieces of at most 128 vertices
-- with a spatial index (as imports cut the district, server/src/imports/district.ts), so
-- each incident meets a few small pieces. The rule stays 0018's: one area per level, the
-- lowest code on a shared boundary.
CREATE TABLE area_pieces (
  area_id bigint NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
  level   text NOT NULL,
  code    text NOT NULL,
  geom    geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX area_pieces_geom_idx ON area_pieces USING gist (geom);
CREATE INDEX area_pieces_area_idx ON area_pieces (area_id);

CREATE FUNCTION lantern_area_pieces() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM area_pieces WHERE area_id = NEW.id;
  INSERT INTO area_pieces (area_id, level, code, geom)
  SELECT NEW.id, NEW.level, NEW.code, piece FROM ST_Subdivide(NEW.geom, 128) AS piece;
  RETURN NULL;
END
$$;
-- Named to fire before areas_incidents (same event, alphabetical order), though that one reads areas itself.
CREATE TRIGGER areas_a_pieces AFTER INSERT OR UPDATE OF geom, level, code ON areas
  FOR EACH ROW EXECUTE FUNCTION lantern_area_pieces();

INSERT INTO area_pieces (area_id, level, code, geom)
SELECT a.id, a.level, a.code, piece FROM areas a, ST_Subdivide(a.geom, 128) AS piece;
ANALYZE area_pieces;

CREATE OR REPLACE FUNCTION lantern_incident_areas_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT DISTINCT ON (n.id, p.level) p.area_id, n.id
    FROM new_rows n JOIN area_pieces p ON ST_Intersects(p.geom, n.geom)
   ORDER BY n.id, p.level, p.code;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION lantern_incident_areas_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM incident_areas WHERE incident_id = NEW.id;
  INSERT INTO incident_areas (area_id, incident_id)
  SELECT DISTINCT ON (p.level) p.area_id, NEW.id FROM area_pieces p WHERE ST_Intersects(p.geom, NEW.geom)
   ORDER BY p.level, p.code;
  RETURN NULL;
END
$$;

-- Down Migration
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
DROP TRIGGER IF EXISTS areas_a_pieces ON areas;
DROP FUNCTION IF EXISTS lantern_area_pieces();
DROP TABLE IF EXISTS area_pieces;
