// The server's PostgreSQL connections stay open while idle (plugins/database.ts): a new
// connection costs ~25 ms to open and ~27 ms more on its first PostGIS call, which a user
// pausing for ten seconds (node-postgres's default idle timeout) paid on the next click.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await testApp(db.url);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('the database pool', () => {
  it('keeps its connections through a pause longer than node-postgres closes idle ones after (10 s)', async () => {
    // Three statements at once: three connections.
    const pids = await Promise.all([1, 2, 3].map(async () =>
      (await app.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.2)')).rows[0]!.pid));
    expect(new Set(pids).size).toBe(3);

    await new Promise((resolve) => setTimeout(resolve, 10_500));

    const { rows } = await db.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    expect(rows.map((row) => row.pid).sort()).toEqual([...pids].sort());
    expect(app.db.totalCount).toBe(3);
    // And the next statement runs on one of them.
    const { rows: [next] } = await app.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(pids).toContain(next!.pid);
  });
});
