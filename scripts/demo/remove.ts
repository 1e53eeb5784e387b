// `npm run demo:remove`: deletes the demo dataset (incidents, places, areas and their
// batches), leaving imported data as it is. `npm start` loads the demo again only into a
// database with no imported data.
import pg from 'pg';
import { deleteDemo } from './load.js';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set.');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('SET LOCAL statement_timeout = 0');
    const removed = await deleteDemo(db);
    if (removed.locations > 0) await db.query('SELECT lantern_link_nearest_locations(150)');
    await db.query('COMMIT');
    console.log(`Demo data removed: ${removed.incidents} incidents, ${removed.locations} places, ${removed.areas} areas.`);
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  } finally {
    db.release();
    await pool.end();
  }
}

main().catch((error) => {
  console.error('Removing the demo data failed; nothing was removed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
