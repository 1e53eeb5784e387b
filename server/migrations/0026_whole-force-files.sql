-- Up Migration
-- A whole force file kept whole (issue 27 item 5): police.uk publishes Avon and Somerset as
-- one file, and an exploitation network (Operation Topaz) spans Bristol, South
-- Gloucestershire and North Somerset. Rows outside the district may be kept, marked here;
-- every count leaves them out unless the filter asks for the whole file (extent=all).
-- A constant default adds the column without rewriting the table.
ALTER TABLE incidents ADD COLUMN in_district boolean NOT NULL DEFAULT true;
-- How many rows lie outside (the filter panel offers the choice only when some do).
CREATE INDEX incidents_outside_district ON incidents (id) WHERE NOT in_district;

-- Down Migration
DROP INDEX IF EXISTS incidents_outside_district;
ALTER TABLE incidents DROP COLUMN IF EXISTS in_district;
