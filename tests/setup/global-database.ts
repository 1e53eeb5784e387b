// Before the database suites: a migrated template database on the same PostGIS that
// `npm start` uses (the project-local cluster, or DATABASE_URL's server). Each test
// file then copies the template into a database of its own (tests/helpers/database.ts),
// so files can run in parallel and never see each other's rows.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../../server/src/db/migrate.js';
import { databaseUrl, dropDatabase, ensureDatabase, hardenAuditLog, startLocalPostgres } from '../../scripts/lib/local-postgres.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
  }
}

const TEMPLATE = 'lantern_test_template';

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
  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
}
