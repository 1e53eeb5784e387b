// Harm weights per category: read them, and change one. A change rewrites the copy
// each incident of that category carries (incidents.harm_weight) in the same
// transaction, so every hotspot, ranking and summary uses the new weight at once.
import { CATEGORY_LABELS, type Category, type HarmWeight } from '@lantern/shared';
import fp from 'fastify-plugin';
import type pg from 'pg';

declare module 'fastify' {
  interface FastifyInstance {
    harmWeights: HarmWeightsRepository;
  }
}

const SELECT = `SELECT category, weight::float8 AS weight, basis, default_weight::float8 AS "defaultWeight",
                       to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt",
                       updated_by AS "updatedBy"
                  FROM harm_weights`;

type Row = Omit<HarmWeight, 'label'>;
const withLabel = (row: Row): HarmWeight => ({ ...row, label: CATEGORY_LABELS[row.category as Category] });

export interface HarmWeightsRepository {
  list(): Promise<HarmWeight[]>;
  update(category: Category, weight: number, basis: string, username: string): Promise<{ weight: HarmWeight; incidentsReweighted: number }>;
}

export function harmWeightsRepository(pool: pg.Pool): HarmWeightsRepository {
  return {
    async list() {
      const { rows } = await pool.query<Row>(`${SELECT} ORDER BY weight DESC, category`);
      return rows.map(withLabel);
    },
    async update(category, weight, basis, username) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `UPDATE harm_weights SET weight = $2, basis = $3, updated_at = now(), updated_by = $4 WHERE category = $1`,
          [category, weight, basis, username]);
        const reweighted = await client.query(
          `UPDATE incidents SET harm_weight = h.weight FROM harm_weights h
            WHERE h.category = $1 AND incidents.category = $1 AND incidents.harm_weight IS DISTINCT FROM h.weight`,
          [category]);
        const { rows } = await client.query<Row>(`${SELECT} WHERE category = $1`, [category]);
        await client.query('COMMIT');
        return { weight: withLabel(rows[0]!), incidentsReweighted: reweighted.rowCount ?? 0 };
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('harmWeights', harmWeightsRepository(app.db));
  },
  { name: 'harm-weights-repository', dependencies: ['database'] },
);
