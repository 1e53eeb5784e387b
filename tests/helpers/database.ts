// A database of the test file's own, copied from the migrated template: empty, or with
// the real geography a start loads (`geography: true`).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { geography?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const template = inject(options.geography ? 'geographyTemplateDatabase' : 'templateDatabase');
  const name = `lantern_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  // pool.end() can resolve before an idle client's socket has closed; DROP ... WITH (FORCE)
  // then terminates that backend (57P01), which the pool reports as an idle-client error.
  // Expected while dropping; any other idle-client error still surfaces.
  let dropping = false;
  pool.on('error', (error: Error & { code?: string }) => {
    if (dropping && error.code === '57P01') return;
    throw error;
  });
  return {
    url: url.toString(),
    pool,
    async drop() {
      dropping = true;
      await pool.end();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        // An autovacuum worker (a superuser process) busy on the database makes FORCE fail
        // for a non-superuser; it finishes within moments, so try again.
        for (let attempt = 1; ; attempt++) {
          try {
            await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
            break;
          } catch (error) {
            if (attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 500));
          }
        }
      } finally {
        await cleanup.end();
      }
    },
  };
}
