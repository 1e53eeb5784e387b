// Saved patrol plans: stored as made, listed newest first.
import type { PatrolPlan, PatrolPlanList } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    patrols: PatrolsRepository;
  }
}

export interface PatrolsRepository {
  save(plan: Omit<PatrolPlan, 'id' | 'createdAt'>, userId: number, db?: Queryable): Promise<PatrolPlan>;
  get(id: number, db?: Queryable): Promise<PatrolPlan | null>;
  list(limit: number, db?: Queryable): Promise<PatrolPlanList>;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export function patrolsRepository(pool: Queryable): PatrolsRepository {
  return {
    async save(plan, userId, db = pool) {
      const { rows } = await db.query<{ id: number; created_at: string }>(
        `INSERT INTO patrol_plans (created_by, created_by_name, area_code, area_name, shift_date, starts_at, ends_at, plan)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::int, to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS created_at`,
        [userId, plan.createdBy, plan.area?.code ?? null, plan.area?.name ?? null, plan.date, plan.startsAt, plan.endsAt, JSON.stringify(plan)]);
      return { ...plan, id: rows[0]!.id, createdAt: rows[0]!.created_at };
    },
    async get(id, db = pool) {
      const { rows } = await db.query<{ id: number; created_at: string; plan: Omit<PatrolPlan, 'id' | 'createdAt'> }>(
        `SELECT id::int, to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS created_at, plan FROM patrol_plans WHERE id = $1`, [id]);
      const row = rows[0];
      return row ? { ...row.plan, id: row.id, createdAt: row.created_at } : null;
    },
    async list(limit, db = pool) {
      const { rows } = await db.query<PatrolPlanList['plans'][number]>(
        `SELECT id::int, to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS "createdAt", created_by_name AS "createdBy",
                area_name AS "areaName", to_char(shift_date, 'YYYY-MM-DD') AS date, plan->>'start' AS start, plan->>'end' AS "end",
                jsonb_array_length(plan->'places')::int AS places
           FROM patrol_plans ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
      return { plans: rows };
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('patrols', patrolsRepository(app.db));
  },
  { name: 'patrols-repository', dependencies: ['database'] },
);
