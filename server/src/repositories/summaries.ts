// Per-area counts for the filters: episodes and distinct people by category, gender and
// ethnicity, episodes involving people aged 10-24, the comparison period and a monthly
// trend, with district totals. Exact numbers; disclosure control is applied by the caller
// (server/src/summaries/assemble.ts).
import {
  AGED_10_TO_24,
  CATEGORIES,
  ETHNICITIES,
  GENDERS,
  comparisonPeriod,
  monthsEnding,
  type AreaLevel,
  type Category,
  type Comparison,
  type DateRange,
  type Ethnicity,
  type Filters,
  type Gender,
} from '@lantern/shared';
import fp from 'fastify-plugin';
import type { Queryable } from '../plugins/database.js';
import { incidentConditions, SqlParams } from '../sql/filters.js';

declare module 'fastify' {
  interface FastifyInstance {
    summaries: SummariesRepository;
  }
}

const TREND_MONTHS = 12;

// Each filtered incident joined to the area containing it (GiST on areas.geom).
const JOINED = (where: string, level: string, columns: string) => `
  SELECT a.code, ${columns}
    FROM areas a JOIN incidents i ON ST_Intersects(a.geom, i.geom)
   WHERE a.level = ${level} AND ${where}`;

// One scan; GROUPING SETS give area x category, area x gender, area x ethnicity, area,
// and the same for the whole district. District people are distinct across areas.
// Totals are sums of what the areas hold, so the table adds up.
const CURRENT_SQL = (where: string, level: string, young: string) => `
WITH f AS (${JOINED(where, level, `i.category, i.gender, i.ethnicity, i.person_ref, i.age_band = ANY(${young}::text[]) AS young`)})
SELECT code, category, gender, ethnicity,
       GROUPING(code) AS all_areas, GROUPING(category) AS any_category,
       GROUPING(gender) AS any_gender, GROUPING(ethnicity) AS any_ethnicity,
       count(*)::int AS episodes, count(DISTINCT person_ref)::int AS people,
       count(*) FILTER (WHERE young)::int AS young,
       count(DISTINCT person_ref) FILTER (WHERE category IN ('cse', 'cce'))::int AS exploitation
  FROM f
 GROUP BY GROUPING SETS ((code, category), (code, gender), (code, ethnicity), (code), (category), (gender), (ethnicity), ())`;

const PREVIOUS_SQL = (where: string, level: string) => `
SELECT code, GROUPING(code) AS all_areas, count(*)::int AS episodes, count(DISTINCT person_ref)::int AS people
  FROM (${JOINED(where, level, 'i.person_ref')}) f
 GROUP BY GROUPING SETS ((code), ())`;

const TREND_SQL = (where: string, level: string) => `
SELECT code, month, GROUPING(code) AS all_areas, count(*)::int AS episodes
  FROM (${JOINED(where, level, `to_char(i.local_date, 'YYYY-MM') AS month`)}) f
 GROUP BY GROUPING SETS ((code, month), (month))`;

const AREAS_SQL = `SELECT code, name, population, population_10_24 FROM areas WHERE level = $1 ORDER BY name, code LIMIT 10000`;

export interface AreaCounts {
  episodes: number;
  people: number;
  /** Episodes involving people aged 10-24. */
  episodes10to24: number;
  /** Distinct people in CSE or CCE: the overlap once. */
  exploitationPeople: number;
  byCategory: Record<Category, number>;
  peopleByCategory: Record<Category, number>;
  byGender: Record<Gender, number>;
  byEthnicity: Record<Ethnicity, number>;
  previous: { episodes: number; people: number } | null;
  /** Episodes per month, one per trendMonths entry. */
  trend: number[];
}

export interface ExactAreaRow extends AreaCounts {
  code: string;
  name: string;
  population: number | null;
  population10to24: number | null;
}

export interface ExactSummary {
  period: DateRange | null;
  comparison: (DateRange & { kind: Comparison }) | null;
  trendMonths: string[];
  rows: ExactAreaRow[];
  total: Omit<ExactAreaRow, 'code' | 'name'>;
}

export interface SummaryOptions {
  compare?: Comparison;
  /** The incidents' first and last date, for open period ends. */
  dataRange: DateRange | null;
}

export interface SummariesRepository {
  byArea(level: AreaLevel, filters: Filters, options: SummaryOptions, db?: Queryable): Promise<ExactSummary>;
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
const sumOf = (values: (number | null)[]) =>
  values.reduce<number | null>((sum, value) => (sum === null || value === null ? null : sum + value), 0);

function emptyCounts(months: number, compared: boolean): AreaCounts {
  return {
    episodes: 0, people: 0, episodes10to24: 0, exploitationPeople: 0,
    byCategory: zeroes(CATEGORIES), peopleByCategory: zeroes(CATEGORIES),
    byGender: zeroes(GENDERS), byEthnicity: zeroes(ETHNICITIES),
    previous: compared ? { episodes: 0, people: 0 } : null,
    trend: Array.from({ length: months }, () => 0),
  };
}

interface CurrentRow {
  code: string | null;
  category: Category | null;
  gender: Gender | null;
  ethnicity: Ethnicity | null;
  all_areas: number;
  any_category: number;
  any_gender: number;
  any_ethnicity: number;
  episodes: number;
  people: number;
  young: number;
  exploitation: number;
}

export function summariesRepository(pool: Queryable): SummariesRepository {
  /** Runs one query shape over the filters with the period replaced. */
  const counted = <R extends object>(sql: (where: string, level: string) => string, level: AreaLevel, filters: Filters, db: Queryable) => {
    const params = new SqlParams();
    const where = incidentConditions(filters, params);
    return db.query<R>(sql(where, params.add(level)), params.values);
  };

  return {
    async byArea(level, filters, { compare, dataRange }, db = pool) {
      const from = filters.from ?? dataRange?.from;
      const to = filters.to ?? dataRange?.to;
      const period = from && to && from <= to ? { from, to } : null;
      const comparison = period && compare ? { kind: compare, ...comparisonPeriod(period, compare) } : null;
      const trendMonths = period ? monthsEnding(period.to, TREND_MONTHS) : [];

      const currentParams = new SqlParams();
      const currentWhere = incidentConditions(filters, currentParams);
      const young = currentParams.add(AGED_10_TO_24);
      const [areas, current, previous, trend] = await Promise.all([
        db.query<{ code: string; name: string; population: number | null; population_10_24: number | null }>(AREAS_SQL, [level]),
        db.query<CurrentRow>(CURRENT_SQL(currentWhere, currentParams.add(level), young), currentParams.values),
        comparison
          ? counted<{ code: string | null; all_areas: number; episodes: number; people: number }>(
            PREVIOUS_SQL, level, { ...filters, from: comparison.from, to: comparison.to }, db)
          : null,
        period
          ? counted<{ code: string | null; month: string; all_areas: number; episodes: number }>(
            TREND_SQL, level, { ...filters, from: `${trendMonths[0]}-01`, to: period.to }, db)
          : null,
      ]);

      const rows = new Map<string, ExactAreaRow>(areas.rows.map((area) => [area.code, {
        code: area.code, name: area.name, population: area.population, population10to24: area.population_10_24,
        ...emptyCounts(trendMonths.length, comparison !== null),
      }]));
      const total: ExactSummary['total'] = {
        population: sumOf(areas.rows.map((area) => area.population)),
        population10to24: sumOf(areas.rows.map((area) => area.population_10_24)),
        ...emptyCounts(trendMonths.length, comparison !== null),
      };
      const target = (row: { all_areas: number; code: string | null }) => (row.all_areas ? total : rows.get(row.code!));

      for (const row of current.rows) {
        const counts = target(row);
        if (!counts) continue;
        if (!row.any_category) {
          counts.byCategory[row.category!] = row.episodes;
          counts.peopleByCategory[row.category!] = row.people;
        } else if (!row.any_gender) {
          counts.byGender[row.gender!] = row.episodes;
        } else if (!row.any_ethnicity) {
          counts.byEthnicity[row.ethnicity!] = row.episodes;
        } else {
          counts.episodes = row.episodes;
          counts.people = row.people;
          counts.episodes10to24 = row.young;
          counts.exploitationPeople = row.exploitation;
        }
      }
      for (const row of previous?.rows ?? []) {
        const counts = target(row);
        if (counts?.previous) counts.previous = { episodes: row.episodes, people: row.people };
      }
      for (const row of trend?.rows ?? []) {
        const index = trendMonths.indexOf(row.month);
        const counts = target(row);
        if (counts && index >= 0) counts.trend[index] = row.episodes;
      }
      return { period, comparison, trendMonths, rows: [...rows.values()], total };
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('summaries', summariesRepository(app.db));
  },
  { name: 'summaries-repository', dependencies: ['database'] },
);
