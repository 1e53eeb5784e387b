-- Up Migration
-- The offline street basemap (OS Open Map - Local and friends, shipped in
-- data/geography/basemap.geojson.gz) kept in Web Mercator, as vector tiles draw it, so
-- a tile query clips without transforming. It is public reference data, not incident
-- data: it does not move data_version and no read of it is audited.
CREATE TABLE basemap_features (
  id     bigserial PRIMARY KEY,
  layer  text NOT NULL CHECK (layer IN ('water', 'waterway', 'green', 'building', 'rail', 'path', 'road', 'place')),
  class  text,
  name   text,
  ref    text,
  size   smallint,
  bridge boolean NOT NULL DEFAULT false,
  geom   geometry(Geometry, 3857) NOT NULL
);
CREATE INDEX basemap_features_geom_idx ON basemap_features USING gist (geom);

-- Which version (a digest of the shipped file) of each reference dataset is loaded, so a
-- start after an update reloads what changed and an unchanged start reloads nothing.
CREATE TABLE reference_data (
  dataset   text PRIMARY KEY,
  digest    text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);

-- Places from open data say whose they are and how well they are placed.
ALTER TABLE locations_of_concern
  ADD COLUMN attribution text,
  ADD COLUMN approximate boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE locations_of_concern DROP COLUMN IF EXISTS approximate, DROP COLUMN IF EXISTS attribution;
DROP TABLE IF EXISTS reference_data;
DROP TABLE IF EXISTS basemap_features;
