// Server configuration, validated once at start-up from the environment (.env.example
// lists every key). Tests pass a config object straight to buildApp.
import { envSchema } from 'env-schema';
import { Type, type Static } from 'typebox';

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({ minLength: 1, description: 'postgres:// URL of a PostGIS database' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ default: '127.0.0.1', description: 'address to listen on; 0.0.0.0 for all' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  STATIC_DIR: Type.String({ default: '', description: 'built web app to serve; empty = API only' }),
  STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600000, default: 15000 }),
  POOL_SIZE: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  TILE_FEATURE_LIMIT: Type.Integer({ minimum: 100, maximum: 200000, default: 5000, description: 'most points in a vector tile; a denser tile shows hexagons' }),
  RESULT_CACHE_ENTRIES: Type.Integer({ minimum: 0, maximum: 10000, default: 256, description: 'computed results (hotspots, summaries, rankings, profiles, hexagon counts) kept until the data changes' }),
  WARM_QUESTIONS: Type.Boolean({ default: true, description: 'answer the map page\'s opening questions (no filter, the time and age presets) after start and after each data change' }),
  COMPUTE_THREADS: Type.Integer({ minimum: 0, maximum: 64, default: 0, description: 'worker threads for the hotspot statistics (Gi*, emerging hot spots, kernel density) and their serialisation; 0 = one fewer than the cores, at least 1' }),
  COLUMN_COPY: Type.Boolean({ default: true, description: 'keep an in-memory columnar copy (DuckDB) of the columns the map counts, so a new filter is counted in tens of milliseconds; PostgreSQL answers while it loads' }),
  TILE_CACHE_MB: Type.Integer({ minimum: 0, maximum: 8192, default: 256, description: 'vector tiles kept until the data changes, in MiB (0 = none)' }),
  BASEMAP_STYLE_URL: Type.String({ default: '', description: 'MapLibre style URL; empty = Lantern\'s own' }),
  SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 30 }),
  SESSION_ABSOLUTE_HOURS: Type.Integer({ minimum: 1, maximum: 168, default: 12 }),
  API_TOKEN_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 90, description: 'days an API token lives (its owner may ask for fewer)' }),
  LOGIN_ATTEMPTS_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'per address' }),
  LOCKOUT_FAILURES: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'failed sign-ins for one user name from one address before that pair is held' }),
  LOCKOUT_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  TRUST_PROXY: Type.Boolean({ default: false, description: 'behind a reverse proxy that sets X-Forwarded-*' }),
  IMPORT_UPLOAD_MAX_MB: Type.Integer({ minimum: 1, maximum: 1048576, default: 8192, description: 'largest web upload; the CLI has no limit' }),
  PERSON_REF_SECRET: Type.String({ default: '', description: 'HMAC key for person_ref; generated in local mode' }),
});
export type Config = Static<typeof ConfigSchema>;

const DEFAULTS: Omit<Config, 'DATABASE_URL'> = {
  PORT: 8080,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  STATIC_DIR: '',
  STATEMENT_TIMEOUT_MS: 15000,
  POOL_SIZE: 10,
  TILE_FEATURE_LIMIT: 5000,
  RESULT_CACHE_ENTRIES: 256,
  WARM_QUESTIONS: true,
  COLUMN_COPY: true,
  COMPUTE_THREADS: 0,
  TILE_CACHE_MB: 256,
  BASEMAP_STYLE_URL: '',
  SESSION_IDLE_MINUTES: 30,
  SESSION_ABSOLUTE_HOURS: 12,
  API_TOKEN_DAYS: 90,
  LOGIN_ATTEMPTS_PER_MINUTE: 10,
  LOCKOUT_FAILURES: 5,
  LOCKOUT_MINUTES: 15,
  TRUST_PROXY: false,
  IMPORT_UPLOAD_MAX_MB: 8192,
  PERSON_REF_SECRET: '',
};

/** A complete config from a partial one: what tests and scripts use. */
export function configWith(values: Partial<Config> & Pick<Config, 'DATABASE_URL'>): Config {
  return { ...DEFAULTS, ...values };
}

/** The config from process.env (and .env when present); throws naming the bad key. */
export function loadConfig(): Config {
  return envSchema<Config>({ schema: ConfigSchema, dotenv: true });
}
