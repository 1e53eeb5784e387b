import pg from 'pg';
import { summariesRepository } from '/work/main/server/src/repositories/summaries.js';
const pool = new pg.Pool({ connectionString: process.argv[2], options: '-c jit=off' });
const fake = { query: async (sql: string, values?: unknown[]) => {
  if (sql.includes('WITH f')) { const r = await pool.query(`EXPLAIN (ANALYZE) ${sql}`, values); console.log(r.rows.map((x: Record<string,string>) => x['QUERY PLAN']).join('\n')); }
  return { rows: sql.includes('WITH f') ? [{ current: [], previous: [], trend: [] }] : [] };
} };
await summariesRepository(fake as never).byArea('neighbourhood', { from: '2026-05-01', to: '2026-10-31' }, { compare: 'previous', dataRange: null });
await pool.end();
