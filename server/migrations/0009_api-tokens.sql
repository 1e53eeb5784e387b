-- Up Migration
-- Personal API tokens for desktop GIS (QGIS, ArcGIS, GDAL) reading the OGC API: sent as
-- "Authorization: Bearer <token>" or ?token=, read-only, revocable. Only a SHA-256 of
-- the token is kept; the token is shown once when made.
CREATE TABLE api_tokens (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

-- Down Migration
DROP TABLE IF EXISTS api_tokens;
