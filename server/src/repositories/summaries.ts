// Per-area counts for the filters: episodes by category and distinct people, with
// district totals. Exact numbers; disclosure control is applied by the caller.
import { CATEGORIES, type AreaLevel, type Category, type Filters } from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';

declare module 'fastify' {
  interface FastifyInstance {
    summaries: SummariesRepository;
  }
}

// One scan: each filtered incident joined to the area containing it (GiST on
// areas.geom), then GROUPING SETS give area x category, area, category and the whole
// district at once. Totals are sums of what the areas hold, so the table adds up.
const SUMMARY_SQL = (where: string, level: string) => `
SELECT a.code, f.category,
       GROUPING(a.code) AS all_areas, GROUPING(f.category) AS all_categories,
       count(*)::int AS episodes, count(DISTINCT f.person_ref)::int AS people
  FROM areas a
  JOIN (SELECT i.category, i.person_ref, i.geom FROM incidents i WHERE ${where}) f
    ON ST_Intersects(a.geom, f.geom)
 WHERE a.level = ${level}
 GROUP BY GROUPING SETS ((a.code, f.category), (a.code), (f.category), ())`;

const AREAS_SQL = `SELECT code, name, population FROM areas WHERE level = $1 ORDER BY name, code LIMIT 10000`;

export interface ExactAreaRow {
  code: string;
  name: string;
  population: number | null;
  episodes: number;
  people: number;
  byCategory: Record<Category, number>;
}

export interface ExactSummary {
  rows: ExactAreaRow[];
  total: Omit<ExactAreaRow, 'code' | 'name'>;
}

export interface SummariesRepository {
  byArea(level: AreaLevel, filters: Filters, db?: Queryable): Promise<ExactSummary>;
}

const zeroes = () => Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>;

export function summariesRepository(pool: Queryable): SummariesRepository {
  return {
    async byArea(level, filters, db = pool) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const [areas, counts] = await Promise.all([
        db.query<{ code: string; name: string; population: number | null }>(AREAS_SQL, [level]),
        db.query<{ code: string | null; category: Category | null; all_areas: number; all_categories: number; episodes: number; people: number }>(
          SUMMARY_SQL(where, params.add(level)), params.values),
      ]);
      const rows = new Map<string, ExactAreaRow>(areas.rows.map((area) => [area.code, {
        ...area, episodes: 0, people: 0, byCategory: zeroes(),
      }]));
      const total: ExactSummary['total'] = {
        population: areas.rows.reduce<number | null>((sum, area) => (sum === null || area.population === null ? null : sum + area.population), 0),
        episodes: 0, people: 0, byCategory: zeroes(),
      };
      for (const count of counts.rows) {
        const target = count.all_areas ? total : rows.get(count.code!);
        if (!target) continue;
        if (count.all_categories) {
          target.episodes = count.episodes;
          target.people = count.people;
        } else {
          target.byCategory[count.category!] = count.episodes;
        }
      }
      return { rows: [...rows.values()], total };
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('summaries', summariesRepository(app.db));
  },
  { name: 'summaries-repository', dependencies: ['database'] },
);
