-- Up Migration
-- Saved patrol plans: what was proposed, for which shift, by whom. The plan itself
-- (places, reasons, visit windows) is kept as made, so a reopened plan is the one that
-- was briefed even after more data arrives.
CREATE TABLE patrol_plans (
  id          bigserial PRIMARY KEY,
  created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
  created_by_name text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  area_code   text,
  area_name   text,
  shift_date  date NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  plan        jsonb NOT NULL
);
CREATE INDEX patrol_plans_created_idx ON patrol_plans (created_at DESC);

-- Down Migration
DROP TABLE IF EXISTS patrol_plans;
