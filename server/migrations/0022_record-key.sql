-- Up Migration
-- Each incident's record key for cell-key perturbation (docs/disclosure.md): a random
-- whole number 0-255 drawn once when the incident is written and never shown to anyone.
-- A count's cell key is the sum of its incidents' keys modulo 256, so the same set of
-- incidents always gets the same perturbation (asking again reveals nothing new) and
-- two sets differing by even one incident get unrelated ones.
ALTER TABLE incidents ADD COLUMN record_key smallint NOT NULL DEFAULT floor(random() * 256)::smallint
  CHECK (record_key BETWEEN 0 AND 255);

-- Down Migration
ALTER TABLE incidents DROP COLUMN IF EXISTS record_key;
