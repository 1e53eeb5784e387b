// The project-local PostgreSQL + PostGIS cluster under .data/postgres.
// Plain JavaScript with Node built-ins only: it runs before `npm install` may have.
// When DATABASE_URL is set none of this is used: Lantern talks to that server instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.join(ROOT, '.data');
const CLUSTER_DIR = path.join(DATA_DIR, 'postgres');
const PGDATA = path.join(CLUSTER_DIR, 'data');
const SOCKET_DIR = path.join(CLUSTER_DIR, 'run');
const LOG_FILE = path.join(CLUSTER_DIR, 'postgres.log');
const SETTINGS_FILE = path.join(DATA_DIR, 'local-postgres.json');
const PG_MAJOR = '15';
const DEFAULT_PORT = 54329;
const APT_PACKAGES = [`postgresql-${PG_MAJOR}`, `postgresql-${PG_MAJOR}-postgis-3`];

const isRoot = () => process.getuid?.() === 0;

export class SetupError extends Error {}

function binDir() {
  const debian = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
  if (existsSync(path.join(debian, 'initdb'))) return debian;
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function postgisInstalled() {
  const shareDirs = [`/usr/share/postgresql/${PG_MAJOR}/extension`];
  try {
    shareDirs.push(
      path.join(execFileSync('pg_config', ['--sharedir'], { encoding: 'utf8' }).trim(), 'extension'),
    );
  } catch {
    // pg_config absent: the Debian path is the one to check
  }
  return shareDirs.some((dir) => existsSync(path.join(dir, 'postgis.control')));
}

/** Installs Debian packages (as root, non-interactive); throws a SetupError when apt-get fails. */
export function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...packages], { env });
}

/**
 * Whether a Debian package's program is there, installing the package first when it is
 * missing and we are root (for the bench's optional comparisons: false, not an error,
 * when it cannot be had).
 */
export function debianToolAvailable(binary, pkg, purpose, log = console.log) {
  if (existsSync(binary)) return true;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) return false;
  log(`Installing Debian's ${pkg} for ${purpose} (first run only)...`);
  try {
    aptInstall([pkg]);
  } catch {
    return false;
  }
  return existsSync(binary);
}

/** PostgreSQL 15 and PostGIS 3 binaries, installed from Debian's packages when we are root. */
export function ensurePostgresInstalled(log = console.log) {
  if (binDir() && postgisInstalled()) return;
  if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
    throw new SetupError(
      `PostgreSQL ${PG_MAJOR} with PostGIS 3 is not installed and this user cannot install it.\n` +
        `Install the Debian packages ${APT_PACKAGES.join(' ')} (sudo apt-get install -y ${APT_PACKAGES.join(' ')}),\n` +
        'or set DATABASE_URL to an existing PostgreSQL database with PostGIS 3 available.',
    );
  }
  log(`Installing ${APT_PACKAGES.join(' ')} from Debian's packages (first start only)...`);
  aptInstall(APT_PACKAGES);
  if (!binDir() || !postgisInstalled()) {
    throw new SetupError('apt-get finished but PostgreSQL/PostGIS is still missing; see the output above.');
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new SetupError(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

/** Runs a PostgreSQL binary as the cluster's owner: the postgres user when we are root. */
function runAsOwner(binary, args, options = {}) {
  const full = path.join(binDir(), binary);
  if (isRoot()) return run('runuser', ['-u', 'postgres', '--', full, ...args], options);
  return run(full, args, options);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function choosePort() {
  const wanted = Number(process.env.LANTERN_PG_PORT ?? DEFAULT_PORT);
  for (let port = wanted; port < wanted + 50; port++) {
    if (await portIsFree(port)) return port;
  }
  throw new SetupError(`no free port for PostgreSQL between ${wanted} and ${wanted + 49}`);
}

function readSettings() {
  return existsSync(SETTINGS_FILE) ? JSON.parse(readFileSync(SETTINGS_FILE, 'utf8')) : null;
}

function secret() {
  return randomBytes(18).toString('base64url');
}

/** Creates the cluster on first use: initdb with a generated superuser password. */
async function ensureCluster(log) {
  mkdirSync(DATA_DIR, { recursive: true });
  // The postgres user must be able to pass through .data to reach its own folder.
  chmodSync(DATA_DIR, 0o711);
  let settings = readSettings();
  if (settings && existsSync(path.join(PGDATA, 'PG_VERSION'))) return settings;

  log('Creating the local PostgreSQL cluster in .data/postgres (first start only)...');
  settings = {
    port: await choosePort(),
    superuser: 'postgres',
    superuserPassword: secret(),
    appUser: 'lantern',
    appPassword: secret(),
    database: 'lantern',
  };
  mkdirSync(SOCKET_DIR, { recursive: true });
  const passwordFile = path.join(CLUSTER_DIR, 'initdb-password');
  writeFileSync(passwordFile, settings.superuserPassword, { mode: 0o600 });
  if (isRoot()) {
    const { uid, gid } = userInfoOf('postgres');
    for (const dir of [CLUSTER_DIR, SOCKET_DIR, passwordFile]) chownSync(dir, uid, gid);
  }
  try {
    runAsOwner('initdb', [
      '-D', PGDATA,
      '-U', settings.superuser,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    writeFileSync(passwordFile, '');
  }
  writeFileSync(SETTINGS_FILE, JSON.stringify(settings, null, 2), { mode: 0o600 });
  return settings;
}

function userInfoOf(name) {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) throw new SetupError(`user ${name} not found; is PostgreSQL installed?`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function clusterRunning() {
  const result = spawnSync(path.join(binDir(), 'pg_ctl'), ['status', '-D', PGDATA], {
    stdio: 'ignore',
    ...(isRoot() ? { uid: userInfoOf('postgres').uid } : {}),
  });
  return result.status === 0;
}

export function psql(settings, database, sql) {
  const result = spawnSync(
    path.join(binDir(), 'psql'),
    ['-h', '127.0.0.1', '-p', String(settings.port), '-U', settings.superuser, '-d', database,
      '-v', 'ON_ERROR_STOP=1', '-qAtc', sql],
    { encoding: 'utf8', env: { ...process.env, PGPASSWORD: settings.superuserPassword } },
  );
  if (result.status !== 0) throw new SetupError(`psql failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export function databaseUrl(settings, database = settings.database, asSuperuser = false) {
  const user = asSuperuser ? settings.superuser : settings.appUser;
  const password = asSuperuser ? settings.superuserPassword : settings.appPassword;
  return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${settings.port}/${database}`;
}

/** Creates a database owned by the app role, with PostGIS, if it does not exist. */
export function ensureDatabase(settings, database) {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new SetupError(`bad database name ${database}`);
  const exists = psql(settings, 'postgres', `SELECT 1 FROM pg_database WHERE datname = '${database}'`);
  if (!exists) psql(settings, 'postgres', `CREATE DATABASE ${database} OWNER ${settings.appUser}`);
  // PostGIS is not a trusted extension, so the superuser creates it for the app role.
  psql(settings, database, 'CREATE EXTENSION IF NOT EXISTS postgis');
}

/**
 * Makes the audit log append-only for the app role beyond its own triggers: the table
 * moves to a role nobody logs in as, and the app role keeps only SELECT and INSERT.
 * Needs the superuser, so it is done here for the local cluster (docs/security.md
 * gives the same statements for a DBA of any other server).
 */
export function hardenAuditLog(settings, database) {
  psql(settings, database, `
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lantern_audit_owner') THEN
        CREATE ROLE lantern_audit_owner NOLOGIN;
      END IF;
    END $$;
    ALTER TABLE audit_log OWNER TO lantern_audit_owner;
    ALTER FUNCTION audit_log_append_only() OWNER TO lantern_audit_owner;
    REVOKE ALL ON audit_log FROM ${settings.appUser};
    GRANT SELECT ON audit_log TO ${settings.appUser};
    -- Every column but id and at: the time of a row is the database's own (DEFAULT now()).
    GRANT INSERT (${AUDIT_WRITTEN_COLUMNS.join(', ')}) ON audit_log TO ${settings.appUser};
    GRANT USAGE ON SEQUENCE audit_log_id_seq TO ${settings.appUser};
    ${REDACT_STORED_SECRETS}`);
}

/** The audit log's columns the app writes (server/src/repositories/audit.ts INSERT_SQL). */
const AUDIT_WRITTEN_COLUMNS = ['user_id', 'username', 'role', 'action', 'method', 'path', 'filters', 'rows_returned', 'status', 'justification', 'address'];

/** Query parameters whose values are secrets (server/src/repositories/audit.ts SECRET_NAMES). */
const SECRET_NAMES = ['token', 'access_token', 'api_key', 'apikey', 'password', 'secret'];
const SECRET_KEYS = `ARRAY[${SECRET_NAMES.map((name) => `'${name}'`).join(', ')}]`;
/** An audit row holding a secret not yet redacted: in its path, or as a key of its filters. */
const STORED_SECRET = `path ~* '[?&](${SECRET_NAMES.join('|')})=(?!\\[redacted\\])' OR filters ?| ${SECRET_KEYS}`;

/**
 * As the owner: API tokens and passwords that older versions wrote into paths and
 * filters are replaced by "[redacted]", with the append-only trigger off for that one
 * statement, and a row in the log says how many rows were changed and why. Does nothing
 * (and writes no row) once none is left. docs/security.md gives it to DBAs.
 */
export const REDACT_STORED_SECRETS = `
    DO $redact$
    DECLARE changed bigint;
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM audit_log WHERE ${STORED_SECRET}) THEN
        RETURN;
      END IF;
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
      UPDATE audit_log
         SET path = regexp_replace(path, '([?&](${SECRET_NAMES.join('|')})=)(?!\\[redacted\\])[^&#]*', '\\1[redacted]', 'gi'),
             filters = filters - ${SECRET_KEYS}::text[]
       WHERE ${STORED_SECRET};
      GET DIAGNOSTICS changed = ROW_COUNT;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
      IF changed > 0 THEN
        INSERT INTO audit_log (username, role, action, method, path, filters, rows_returned, status)
        VALUES ('lantern_audit_owner', 'owner', 'redact stored secrets', 'MAINTENANCE', NULL,
                jsonb_build_object('why', 'API tokens and passwords that older versions wrote into paths and filters were replaced by [redacted]'),
                changed, 200);
      END IF;
    END $redact$;`;

export function dropDatabase(settings, database) {
  psql(settings, 'postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

/**
 * Memory for the local cluster from the machine's: an eighth of it for shared buffers
 * (128 MB to 2 GB; PostgreSQL's default of 128 MB holds a tenth of a million-incident
 * table and its indexes, so map tiles read most pages from the kernel), half for the
 * planner's estimate of the file cache. Taken when the cluster starts.
 */
function memorySettings() {
  const mb = Math.floor(os.totalmem() / 2 ** 20);
  const shared = Math.min(2048, Math.max(128, Math.floor(mb / 8)));
  return `-c shared_buffers=${shared}MB -c effective_cache_size=${Math.max(512, Math.floor(mb / 2))}MB`;
}

/**
 * Makes sure the local cluster exists and runs, and that the app role and the main
 * database exist. Returns the settings (port, passwords) for building URLs.
 */
export async function startLocalPostgres(log = console.log) {
  ensurePostgresInstalled(log);
  const settings = await ensureCluster(log);
  if (!clusterRunning()) {
    if (!(await portIsFree(settings.port))) {
      throw new SetupError(
        `port ${settings.port} (from .data/local-postgres.json) is taken by another program; ` +
          'stop it or edit the port in that file',
      );
    }
    log(`Starting PostgreSQL on 127.0.0.1:${settings.port}...`);
    runAsOwner('pg_ctl', [
      'start', '-w', '-t', '60', '-D', PGDATA, '-l', LOG_FILE,
      '-o', `-p ${settings.port} -k ${SOCKET_DIR} -c listen_addresses=127.0.0.1 ${memorySettings()}`,
    ], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const roleExists = psql(settings, 'postgres', `SELECT 1 FROM pg_roles WHERE rolname = '${settings.appUser}'`);
  if (!roleExists) {
    psql(settings, 'postgres',
      `CREATE ROLE ${settings.appUser} LOGIN CREATEDB PASSWORD '${settings.appPassword}'`);
  }
  ensureDatabase(settings, settings.database);
  return settings;
}

export function stopLocalPostgres(log = console.log) {
  if (!readSettings() || !binDir() || !existsSync(path.join(PGDATA, 'PG_VERSION'))) {
    log('No local PostgreSQL cluster in .data/postgres.');
    return;
  }
  if (!clusterRunning()) {
    log('The local PostgreSQL cluster is not running.');
    return;
  }
  runAsOwner('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', PGDATA], { stdio: ['ignore', 'ignore', 'inherit'] });
  log('Stopped the local PostgreSQL cluster.');
}

