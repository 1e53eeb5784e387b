// How incidents are stored (migration 0016): the columns counts read come first, and
// rebuilding a loaded table that way keeps every row, value, link and rule.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../scripts/demo/generator.js';
import { loadDemo } from '../../scripts/demo/load.js';
import { MIGRATIONS_DIR } from '../../server/src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ geography: true });
  await loadDemo(db.url, generateDemo(5, { scale: 0.04 }));
});
afterAll(async () => {
  await db?.drop();
});

const columnOrder = async () => (await db.pool.query<{ name: string }>(`
  SELECT attname AS name FROM pg_attribute
   WHERE attrelid = 'incidents'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)).rows.map((row) => row.name);

// record_key is left out: migration 0022 adds it after 0016, with new random keys when run again below.
const snapshot = async () => {
  const { rows } = await db.pool.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(i) - 'record_key' AS row FROM incidents i ORDER BY id`);
  return rows.map((r) => r.row);
};

const rules = async () => (await db.pool.query<{ rule: string }>(`
  SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) AS rule FROM pg_constraint
   WHERE conrelid = 'incidents'::regclass OR confrelid = 'incidents'::regclass
  UNION ALL SELECT 'index ' || pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'incidents'::regclass
  UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'incidents'::regclass AND NOT tgisinternal
  ORDER BY 1`)).rows.map((row) => row.rule);

describe('incident storage', () => {
  it('stores the columns that counts read before any geometry, reference or free text', async () => {
    const order = await columnOrder();
    const hot = ['id', 'occurred_at', 'harm_weight', 'local_date', 'category', 'age_band', 'gender', 'hexagons',
      'local_hour', 'local_weekday', 'person_key', 'nearest_location_id'];
    const cold = ['geom', 'geom_bng', 'geom_3857', 'source_ref', 'person_ref', 'original_type', 'ethnicity', 'role'];
    const lastHot = Math.max(...hot.map((name) => order.indexOf(name)));
    expect(hot.every((name) => order.includes(name))).toBe(true);
    expect(cold.every((name) => order.indexOf(name) > lastHot)).toBe(true);
  });

  it('keeps every row, value, area link and rule when migration 0016 rebuilds a loaded table', async () => {
    const upOf = (file: string) => readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8').split('-- Down Migration')[0]!;
    // 0016 as it ran, then the later migrations that add incidents columns (0022, 0024, 0026), as a database loaded before them gets them.
    const up = [upOf('0016_incident-hot-columns-first.sql'), upOf('0022_record-key.sql'), upOf('0024_outcomes-and-stop-search.sql'), upOf('0026_whole-force-files.sql')].join(';\n');
    // A privilege a DBA gave another role is kept.
    await db.pool.query('GRANT SELECT ON incidents TO PUBLIC');
    const before = await snapshot();
    const rulesBefore = await rules();
    const { rows: [links] } = await db.pool.query('SELECT count(*)::int AS n FROM incident_areas');
    expect(before.length).toBeGreaterThan(1000);
    expect(links.n).toBeGreaterThan(before.length);

    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(up);
      await client.query('COMMIT');
    } finally {
      client.release();
    }

    expect(await snapshot()).toEqual(before);
    const { rows: [privileges] } = await db.pool.query(
      `SELECT relowner::regrole::text AS owner, relacl::text[] AS acl FROM pg_class WHERE oid = 'incidents'::regclass`);
    expect(privileges.acl).toContain('=r/' + privileges.owner);
    expect(await rules()).toEqual(rulesBefore);
    const { rows: [after] } = await db.pool.query(`SELECT (SELECT count(*)::int FROM incident_areas) AS n,
      (SELECT count(*)::int FROM (SELECT id, lag(id) OVER (ORDER BY geom, id) AS previous FROM incidents) o WHERE previous > id) AS descents`);
    expect(after).toEqual({ n: links.n, descents: 0 });
    // The area links still follow their incident, and new incidents still get ids and areas.
    const { rows: [gone] } = await db.pool.query('DELETE FROM incidents WHERE id = (SELECT min(id) FROM incidents) RETURNING id');
    const { rows: [orphans] } = await db.pool.query('SELECT count(*)::int AS n FROM incident_areas WHERE incident_id = $1', [gone.id]);
    expect(orphans.n).toBe(0);
    const { rows: [added] } = await db.pool.query(`
      INSERT INTO incidents (source, source_ref, category, occurred_at, geom, age)
      SELECT 'police', 'after-0016', 'robbery', now(), geom, 16 FROM incidents LIMIT 1
      RETURNING id, age_band`);
    expect(Number(added.id)).toBeGreaterThan(Math.max(...before.map((row) => Number(row.id))));
    expect(added.age_band).toBe('15-17');
  });
});
