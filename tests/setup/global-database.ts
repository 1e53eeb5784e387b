// Before the database suites: two template databases on the same PostGIS that `npm
// start` uses (the project-local cluster, or DATABASE_URL's server): one migrated and
// empty, for suites that bring their own fixtures, and one with the real geography a
// start loads (boundaries, places, basemap: scripts/geodata/load.ts), for the suites
// that run what users get. Each test file copies one into a database of its own
// (tests/helpers/database.ts), so files can run in parallel and never see each other's rows.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../../server/src/db/migrate.js';
import { loadReferenceGeography } from '../../scripts/geodata/load.js';
import { databaseUrl, dropDatabase, ensureDatabase, hardenAuditLog, startLocalPostgres } from '../../scripts/lib/local-postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    geographyTemplateDatabase: string;
  }
}

const TEMPLATE = 'lantern_test_template';
const GEOGRAPHY_TEMPLATE = 'lantern_test_template_geography';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  let adminUrl: string;
  let harden = (): void => {};
  const external = process.env.DATABASE_URL;
  if (external) {
    // Any PostGIS: the role needs CREATEDB and the right to create the postgis extension.
    adminUrl = external;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    await admin.end();
    const template = new pg.Client({ connectionString: withDatabase(adminUrl, TEMPLATE) });
    await template.connect();
    await template.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await template.end();
  } else {
    const settings = await startLocalPostgres(() => {});
    dropDatabase(settings, TEMPLATE);
    ensureDatabase(settings, TEMPLATE);
    adminUrl = databaseUrl(settings, 'postgres');
    harden = () => hardenAuditLog(settings, TEMPLATE);
  }
  await migrate(withDatabase(adminUrl, TEMPLATE));
  harden();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${GEOGRAPHY_TEMPLATE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${GEOGRAPHY_TEMPLATE} TEMPLATE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  await loadReferenceGeography(withDatabase(adminUrl, GEOGRAPHY_TEMPLATE));
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
  project.provide('geographyTemplateDatabase', GEOGRAPHY_TEMPLATE);
}
