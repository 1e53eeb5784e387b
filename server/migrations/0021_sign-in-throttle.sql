-- Up Migration
-- Failed sign-ins counted per account *and address* (OWASP ASVS v4 2.2.1): a stranger
-- who types wrong passwords for someone else's account holds up only their own address,
-- never the account's owner at theirs. Each lock lasts longer than the last (growing
-- delays); a success from that address forgets its failures. Kept by lower-cased user
-- name, so unknown names are throttled exactly as known ones are.
CREATE TABLE sign_in_throttle (
  username      text NOT NULL,
  address       text NOT NULL,
  failures      integer NOT NULL DEFAULT 0,
  locks         integer NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  last_failure  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (username, address)
);

-- The account as a whole: failures within the last hour (users.failed_logins counts them).
ALTER TABLE users ADD COLUMN failed_logins_at timestamptz;

-- Down Migration
ALTER TABLE users DROP COLUMN IF EXISTS failed_logins_at;
DROP TABLE IF EXISTS sign_in_throttle;
