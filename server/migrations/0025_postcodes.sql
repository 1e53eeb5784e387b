-- Up Migration
-- Code-Point Open's B&NES postcode centroids (data/geography/postcodes.geojson.gz, loaded
-- with the shipped geography): a place imported with a postcode and no coordinates is
-- placed at its postcode's centroid (issue 27 item 6). Keyed in capitals without spaces.
CREATE TABLE postcodes (
  postcode text PRIMARY KEY CHECK (postcode = upper(replace(postcode, ' ', ''))),
  geom     geometry(Point, 4326) NOT NULL
);

-- Down Migration
DROP TABLE IF EXISTS postcodes;
