// The real server, built for a test database (no port opened unless listen() is called).
import { buildApp } from '../../server/src/app.js';
import { configWith, type Config } from '../../server/src/config.js';

export async function testApp(databaseUrl: string, overrides: Partial<Config> = {}) {
  return buildApp(configWith({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...overrides }), { logger: false });
}
