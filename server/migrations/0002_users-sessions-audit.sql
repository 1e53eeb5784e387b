-- Up Migration
-- Sign-in, sessions and the audit log (Data Protection Act 2018 s.62 logging).

CREATE TABLE users (
  id                  bigserial PRIMARY KEY,
  username            text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
  display_name        text NOT NULL,
  role                text NOT NULL CHECK (role IN ('admin', 'analyst', 'police', 'panel')),
  -- scrypt$N$r$p$salt$hash (base64url); see server/src/auth/passwords.ts.
  password_hash       text NOT NULL,
  is_demo             boolean NOT NULL DEFAULT false,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  disabled_at         timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  -- SHA-256 of the cookie's token: a stolen table holds no usable session.
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  address      text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  user_id       bigint REFERENCES users (id) ON DELETE SET NULL,
  username      text,
  role          text,
  action        text NOT NULL,          -- route (method + path pattern) or named action
  method        text,
  path          text,
  filters       jsonb NOT NULL DEFAULT '{}'::jsonb,
  rows_returned integer,
  status        integer,
  justification text,
  address       text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_user_idx ON audit_log (username, at DESC);

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever the caller. The privileges are
-- revoked from the role that runs migrations (the application's role), and a trigger
-- refuses the statements even for a role that still has the privilege. Where a DBA can,
-- ownership also moves to a role the application cannot act as (see docs/security.md).
CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;

-- Down Migration
DROP TABLE IF EXISTS audit_log;
DROP FUNCTION IF EXISTS audit_log_append_only();
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS users;
