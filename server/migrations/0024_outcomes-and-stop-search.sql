-- Up Migration
-- What became of each crime (issue 27 item 5): police.uk's "Last outcome category" as a
-- group a filter can use (shared/src/vocabulary.ts OUTCOMES) and its own words to show;
-- other sources record none ('unknown'). Stop-and-search records are a source of their own.
-- A constant default makes both columns a catalogue change, not a rewrite of the table.
ALTER TABLE incidents
  ADD COLUMN outcome text NOT NULL DEFAULT 'unknown' CHECK (outcome IN ('charged', 'out_of_court', 'no_suspect',
    'unable_to_prosecute', 'not_in_public_interest', 'other_organisation', 'under_investigation', 'unavailable',
    'other', 'unknown')),
  ADD COLUMN original_outcome text;

ALTER TABLE incidents DROP CONSTRAINT incidents_source_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_source_check
  CHECK (source IN ('police', 'hospital_ed', 'social_care', 'oem', 'police_uk_open_data', 'police_uk_stop_search',
    'demo', 'other'));

-- Down Migration
DELETE FROM incidents WHERE source = 'police_uk_stop_search';
ALTER TABLE incidents DROP CONSTRAINT incidents_source_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_source_check
  CHECK (source IN ('police', 'hospital_ed', 'social_care', 'oem', 'police_uk_open_data', 'demo', 'other'));
ALTER TABLE incidents DROP COLUMN original_outcome, DROP COLUMN outcome;
