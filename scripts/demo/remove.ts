// `npm run demo:remove`: deletes the demo dataset (incidents, places, areas and their
// batches), leaving imported data as it is. `npm start` loads the demo again only into a
// database with no imported data.
import pg from 'pg';

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set.');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('SET LOCAL statement_timeout = 0');
    const incidents = await db.query('DELETE FROM incidents WHERE is_demo');
    const locations = await db.query('DELETE FROM locations_of_concern WHERE is_demo');
    const areas = await db.query('DELETE FROM areas WHERE is_demo');
    await db.query(`UPDATE import_batches SET status = 'rolled_back' WHERE is_demo AND status = 'committed'`);
    if ((locations.rowCount ?? 0) > 0) await db.query('SELECT lantern_link_nearest_locations(150)');
    await db.query('COMMIT');
    console.log(`Demo data removed: ${incidents.rowCount} incidents, ${locations.rowCount} places, ${areas.rowCount} areas.`);
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
