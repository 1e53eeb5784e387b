-- Up Migration
-- API tokens expire (issue 28): a token leaked into a script or a shared QGIS project
-- stops working by itself. Tokens made before this migration get 90 days from when
-- they were made (so the oldest expire at once and must be made again).
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = created_at + interval '90 days';
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- Down Migration
ALTER TABLE api_tokens DROP COLUMN expires_at;
