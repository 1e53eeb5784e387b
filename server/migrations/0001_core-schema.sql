-- Up Migration
-- Lantern's core data: areas, locations of concern, incidents and import batches.
-- Geometry is stored in WGS84 (EPSG:4326). Metric work (distances, grids, density)
-- uses British National Grid (EPSG:27700) columns generated from it, and vector tiles
-- use Web Mercator (EPSG:3857) columns, so no request transforms every row it reads.
-- Local hour, weekday and date are derived in Europe/London from occurred_at.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE import_batches (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL,            -- demo, police_uk, incidents_csv, locations, areas, ...
  filename      text,
  status        text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'committed', 'failed', 'rolled_back')),
  is_demo       boolean NOT NULL DEFAULT false,
  rows_total    integer NOT NULL DEFAULT 0,
  rows_inserted integer NOT NULL DEFAULT 0,
  rows_rejected integer NOT NULL DEFAULT 0,
  created_by    text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

CREATE TABLE import_rejects (
  batch_id   bigint NOT NULL REFERENCES import_batches (id) ON DELETE CASCADE,
  row_number integer NOT NULL,
  field      text,
  message    text NOT NULL,
  raw        text,
  PRIMARY KEY (batch_id, row_number, message)
);

CREATE TABLE areas (
  id               bigserial PRIMARY KEY,
  level            text NOT NULL CHECK (level IN ('district', 'ward', 'lsoa', 'msoa', 'neighbourhood')),
  code             text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,24}$'),
  name             text NOT NULL,
  population       integer CHECK (population >= 0),
  population_10_24 integer CHECK (population_10_24 >= 0),
  is_demo          boolean NOT NULL DEFAULT false,
  batch_id         bigint REFERENCES import_batches (id),
  geom             geometry(MultiPolygon, 4326) NOT NULL,
  geom_bng         geometry(MultiPolygon, 27700) GENERATED ALWAYS AS (ST_Transform(geom, 27700)) STORED,
  label_point      geometry(Point, 4326) GENERATED ALWAYS AS (ST_PointOnSurface(geom)) STORED,
  UNIQUE (level, code)
);
CREATE INDEX areas_geom_idx ON areas USING gist (geom);
CREATE INDEX areas_geom_bng_idx ON areas USING gist (geom_bng);

CREATE TABLE locations_of_concern (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL CHECK (kind IN ('park', 'housing_estate', 'stairwell', 'takeaway', 'hotel',
                'transport_hub', 'school', 'shop', 'licensed_premises', 'car_park', 'other')),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'monitoring', 'closed')),
  source      text NOT NULL DEFAULT 'local',
  source_ref  text NOT NULL DEFAULT gen_random_uuid()::text,
  added_by    text,
  added_at    timestamptz NOT NULL DEFAULT now(),
  review_date date,
  notes       text,
  is_demo     boolean NOT NULL DEFAULT false,
  batch_id    bigint REFERENCES import_batches (id),
  -- A place is a point (a stairwell, a takeaway) or an outline (a park, an estate).
  geom        geometry(Geometry, 4326) NOT NULL
              CHECK (GeometryType(geom) IN ('POINT', 'MULTIPOLYGON')),
  geom_bng    geometry(Geometry, 27700) GENERATED ALWAYS AS (ST_Transform(geom, 27700)) STORED,
  UNIQUE (source, source_ref)
);
CREATE INDEX locations_geom_idx ON locations_of_concern USING gist (geom);
CREATE INDEX locations_geom_bng_idx ON locations_of_concern USING gist (geom_bng);

-- The age band of an age in whole years; matches ageBandOf in shared/src/vocabulary.ts.
CREATE FUNCTION lantern_age_band(age integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN age IS NULL OR age < 0 OR age > 120 THEN 'unknown'
    WHEN age <= 9 THEN '0-9'
    WHEN age <= 14 THEN '10-14'
    WHEN age <= 17 THEN '15-17'
    WHEN age <= 24 THEN '18-24'
    WHEN age <= 34 THEN '25-34'
    WHEN age <= 49 THEN '35-49'
    ELSE '50plus'
  END
$$;

CREATE TABLE incidents (
  id             bigserial PRIMARY KEY,
  source         text NOT NULL CHECK (source IN ('police', 'hospital_ed', 'social_care', 'oem',
                   'police_uk_open_data', 'demo', 'other')),
  source_ref     text NOT NULL,
  category       text NOT NULL CHECK (category IN ('cse', 'cce', 'county_lines', 'cuckooing',
                   'serious_violence', 'knife_crime', 'robbery', 'missing_episode', 'drugs',
                   'domestic_abuse', 'asb', 'other')),
  original_type  text,
  occurred_at    timestamptz NOT NULL,
  -- minute: the time is known; day: only the date; month: only the month (police.uk).
  time_precision text NOT NULL DEFAULT 'minute' CHECK (time_precision IN ('minute', 'day', 'month')),
  local_date     date GENERATED ALWAYS AS ((occurred_at AT TIME ZONE 'Europe/London')::date) STORED,
  local_hour     smallint GENERATED ALWAYS AS (
                   CASE WHEN time_precision = 'minute'
                   THEN extract(hour FROM occurred_at AT TIME ZONE 'Europe/London')::smallint END) STORED,
  -- ISO weekday 1 (Monday) to 7 (Sunday).
  local_weekday  smallint GENERATED ALWAYS AS (
                   CASE WHEN time_precision <> 'month'
                   THEN extract(isodow FROM occurred_at AT TIME ZONE 'Europe/London')::smallint END) STORED,
  geom           geometry(Point, 4326) NOT NULL,
  geom_bng       geometry(Point, 27700) GENERATED ALWAYS AS (ST_Transform(geom, 27700)) STORED,
  geom_3857      geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED,
  nearest_location_id bigint REFERENCES locations_of_concern (id) ON DELETE SET NULL,
  nearest_location_m  real,
  age            smallint CHECK (age BETWEEN 0 AND 120),
  age_band       text NOT NULL CHECK (age_band IN ('0-9', '10-14', '15-17', '18-24', '25-34', '35-49',
                   '50plus', 'unknown')),
  gender         text NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'other', 'unknown')),
  ethnicity      text NOT NULL DEFAULT 'unknown' CHECK (ethnicity IN ('asian', 'black', 'mixed', 'white',
                   'other', 'unknown')),
  role           text NOT NULL DEFAULT 'unknown' CHECK (role IN ('victim', 'suspect', 'person_at_risk', 'unknown')),
  -- Pseudonymous key of the person involved: counts of people vs episodes. Never a name.
  person_ref     text,
  harm_weight    real NOT NULL DEFAULT 1 CHECK (harm_weight >= 0),
  is_demo        boolean NOT NULL DEFAULT false,
  batch_id       bigint REFERENCES import_batches (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, source_ref),
  CHECK (age IS NULL OR age_band = lantern_age_band(age))
);

-- A known age decides the band; an importer that knows only the band sets age_band.
CREATE FUNCTION incidents_fill_age_band() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.age IS NOT NULL THEN
    NEW.age_band := lantern_age_band(NEW.age);
  ELSIF NEW.age_band IS NULL THEN
    NEW.age_band := 'unknown';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER incidents_fill_age_band BEFORE INSERT OR UPDATE OF age, age_band ON incidents
  FOR EACH ROW EXECUTE FUNCTION incidents_fill_age_band();

CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE INDEX incidents_geom_bng_idx ON incidents USING gist (geom_bng);
CREATE INDEX incidents_geom_3857_idx ON incidents USING gist (geom_3857);
CREATE INDEX incidents_local_date_idx ON incidents (local_date);
CREATE INDEX incidents_category_idx ON incidents (category, local_date);
CREATE INDEX incidents_nearest_location_idx ON incidents (nearest_location_id);
CREATE INDEX incidents_person_ref_idx ON incidents (person_ref);

-- Links each incident to the nearest location of concern within radius_m metres
-- (distance to a polygon's edge, 0 inside it), measured in British National Grid.
-- Run after loading incidents or changing locations; returns the rows linked.
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

-- Down Migration
DROP FUNCTION IF EXISTS lantern_link_nearest_locations(double precision);
DROP TABLE IF EXISTS incidents;
DROP FUNCTION IF EXISTS incidents_fill_age_band();
DROP FUNCTION IF EXISTS lantern_age_band(integer);
DROP TABLE IF EXISTS locations_of_concern;
DROP TABLE IF EXISTS areas;
DROP TABLE IF EXISTS import_rejects;
DROP TABLE IF EXISTS import_batches;
