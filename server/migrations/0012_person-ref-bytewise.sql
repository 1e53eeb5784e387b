-- Up Migration
-- person_ref is an opaque keyed hash (server/src/auth/pseudonyms.ts), only ever compared for
-- equality: counting people sorts it (count(DISTINCT person_ref) per hour x weekday,
-- place, area). Under the database's locale collation every comparison goes through the
-- locale's rules; under "C" it compares bytes, which gives the same equality for these
-- values. At 1M incidents the profile's two counts took 1.76 s and 1.11 s, 1.55 s and
-- 0.80 s after. Only the collation changes: no table rewrite (no index holds the column).
ALTER TABLE incidents ALTER COLUMN person_ref TYPE text COLLATE "C";

-- Down Migration
ALTER TABLE incidents ALTER COLUMN person_ref TYPE text COLLATE "default";
