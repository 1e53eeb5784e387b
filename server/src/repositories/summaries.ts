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
  lastDayOfMonth,
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

// One pass for everything the summary counts: each incident of the filters (dates
// aside) in the period, the comparison period or the trend's months, with the area
// holding it from incident_areas (point in polygon decided when the incident or the area
// was written: migration 0007), materialized once for the three counts below.
export const JOINED_SQL = (where: string, level: string, inPeriod: string, inComparison: string, trendFrom: string, young: string) => `
WITH f AS MATERIALIZED (
  SELECT a.code, i.category, i.gender, i.ethnicity, i.person_key, i.record_key,
         i.age_band = ANY(${young}::text[]) AS young, i.age_band <> 'unknown' AS aged,
         ${inPeriod} AS current, ${inComparison} AS previous,
         CASE WHEN i.local_date >= ${trendFrom}::date THEN to_char(i.local_date, 'YYYY-MM') END AS month
    FROM areas a
    JOIN incident_areas ia ON ia.area_id = a.id
    JOIN incidents i ON i.id = ia.incident_id
   WHERE a.level = ${level} AND ${where}
)`;

// A count's cell key (docs/disclosure.md): the sum of its members' keys modulo 256, from
// partial sums. An incident's key is its record_key; a person's the low 8 bits of person_key.
const CELL_KEY = (partialSums: string) => `(coalesce(sum(${partialSums}), 0) % 256)::int`;
const PERSON_KEY = '(person_key & 255)';

// Episodes: GROUPING SETS give area x category, area x gender, area x ethnicity, area,
// and the same for the whole district, all hashable (no DISTINCT). Totals are sums of
// what the areas hold, so the table adds up. The rows are counted once by area,
// category, gender and ethnicity (a few thousand groups), and the grouping sets add up
// those counts, rather than each set grouping the whole period's rows again.
// These four counts are written so that DuckDB runs them as they are over its own "f"
// (the column copy, server/src/counting/duckdb/copy.ts): GROUPING is cast to int, as DuckDB's is
// a bigint.
export const EPISODES_SQL = `
SELECT code, category, gender, ethnicity,
       GROUPING(code)::int AS all_areas, GROUPING(category)::int AS any_category,
       GROUPING(gender)::int AS any_gender, GROUPING(ethnicity)::int AS any_ethnicity,
       coalesce(sum(n), 0)::int AS episodes, coalesce(sum(y), 0)::int AS young, coalesce(sum(a), 0)::int AS aged,
       ${CELL_KEY('k')} AS key, ${CELL_KEY('yk')} AS young_key
  FROM (SELECT code, category, gender, ethnicity, count(*) AS n, count(*) FILTER (WHERE young) AS y, count(*) FILTER (WHERE aged) AS a,
               sum(record_key) AS k, sum(record_key) FILTER (WHERE young) AS yk
          FROM f WHERE current GROUP BY code, category, gender, ethnicity) g
 GROUP BY GROUPING SETS ((code, category), (code, gender), (code, ethnicity), (code), (category), (gender), (ethnicity), ())`;

// People: distinct persons per area and category first (a hashed DISTINCT), then per
// area, per category and for the district, each person once, and once in "CSE or CCE".
// Cheaper than count(DISTINCT) inside grouping sets, which sorts every group.
// `once` is an expression of f, true where the row's person has no other incident at
// all: such a person is one row of f (when no incident lies in two areas of the level),
// so those rows are counted by area and category (ps) and only the others go through
// the DISTINCTs. Most people are seen once, so the DISTINCTs' hash tables stay small.
// PostgreSQL keeps no such flag: there `once` is false, ps is empty and every row goes
// through the DISTINCTs.
export const PEOPLE_CTES = (once: string) => `
pc AS MATERIALIZED (SELECT DISTINCT code, category, person_key FROM f WHERE current AND person_key IS NOT NULL AND NOT (${once})),
ps AS MATERIALIZED (SELECT code, category, count(*) AS n, sum(${PERSON_KEY}) AS k
                      FROM f WHERE current AND person_key IS NOT NULL AND (${once}) GROUP BY code, category),
pa AS MATERIALIZED (SELECT code, person_key, bool_or(category IN ('cse', 'cce')) AS exploited FROM pc GROUP BY code, person_key)`;
const EXPLOITED_ONCE = (value: string) => `CASE WHEN category IN ('cse', 'cce') THEN ${value} ELSE 0 END`;
const PEOPLE_WITH_KEYS = `count(*) AS n, count(*) FILTER (WHERE exploited) AS e,
               sum(${PERSON_KEY}) AS k, coalesce(sum(${PERSON_KEY}) FILTER (WHERE exploited), 0) AS ek`;
export const PEOPLE_SQL = `
SELECT 0 AS all_areas, code, category, sum(n)::int AS people, NULL::int AS exploitation, ${CELL_KEY('k')} AS key, NULL::int AS exploitation_key
  FROM (SELECT code, category, count(*) AS n, sum(${PERSON_KEY}) AS k FROM pc GROUP BY code, category UNION ALL SELECT code, category, n, k FROM ps) d
 GROUP BY code, category
UNION ALL
SELECT 0, code, NULL, sum(n)::int, sum(e)::int, ${CELL_KEY('k')}, ${CELL_KEY('ek')}
  FROM (SELECT code, ${PEOPLE_WITH_KEYS} FROM pa GROUP BY code
        UNION ALL SELECT code, n, ${EXPLOITED_ONCE('n')}, k, ${EXPLOITED_ONCE('k')} FROM ps) d
 GROUP BY code
UNION ALL
SELECT 1, NULL, category, sum(n)::int, NULL, ${CELL_KEY('k')}, NULL
  FROM (SELECT category, count(*) AS n, sum(${PERSON_KEY}) AS k FROM (SELECT DISTINCT category, person_key FROM pc) c GROUP BY category
        UNION ALL SELECT category, n, k FROM ps) d
 GROUP BY category
UNION ALL
SELECT 1, NULL, NULL, sum(n)::int, sum(e)::int, ${CELL_KEY('k')}, ${CELL_KEY('ek')}
  FROM (SELECT ${PEOPLE_WITH_KEYS}
          FROM (SELECT person_key, bool_or(exploited) AS exploited FROM pa GROUP BY person_key) p
        UNION ALL SELECT n, ${EXPLOITED_ONCE('n')}, k, ${EXPLOITED_ONCE('k')} FROM ps) d`;

// The comparison period's episodes and people by area and for the district, with their
// cell keys: people seen once (`once`) are summed directly, the others through DISTINCTs.
export const PREVIOUS_SQL = (once: string) => `
SELECT code, all_areas, sum(episodes)::int AS episodes, ${CELL_KEY('k')} AS key,
       sum(people)::int AS people, ${CELL_KEY('pk')} AS people_key
  FROM (SELECT code, GROUPING(code)::int AS all_areas, count(*) AS episodes, sum(record_key) AS k,
               count(person_key) FILTER (WHERE ${once}) AS people, sum(${PERSON_KEY}) FILTER (WHERE ${once}) AS pk
          FROM f WHERE previous GROUP BY GROUPING SETS ((code), ())
        UNION ALL
        SELECT code, 0, 0, 0, count(*), sum(${PERSON_KEY})
          FROM (SELECT DISTINCT code, person_key FROM f WHERE previous AND person_key IS NOT NULL AND NOT (${once})) d GROUP BY code
        UNION ALL
        SELECT NULL, 1, 0, 0, count(*), sum(${PERSON_KEY})
          FROM (SELECT DISTINCT person_key FROM f WHERE previous AND person_key IS NOT NULL AND NOT (${once})) d) x
 GROUP BY code, all_areas`;

export const TREND_SQL = `
SELECT code, month, GROUPING(code)::int AS all_areas, sum(n)::int AS episodes, ${CELL_KEY('k')} AS key
  FROM (SELECT code, month, count(*) AS n, sum(record_key) AS k FROM f WHERE month IS NOT NULL GROUP BY code, month) g
 GROUP BY GROUPING SETS ((code, month), (month))`;

// The three counts in one statement over the one join, each as a JSON array.
export const SUMMARY_SQL = (joined: string) => `${joined},${PEOPLE_CTES('false')}
SELECT (SELECT coalesce(json_agg(c), '[]') FROM (${EPISODES_SQL}) c) AS current,
       (SELECT coalesce(json_agg(u), '[]') FROM (${PEOPLE_SQL}) u) AS people,
       (SELECT coalesce(json_agg(p), '[]') FROM (${PREVIOUS_SQL('false')}) p) AS previous,
       (SELECT coalesce(json_agg(t), '[]') FROM (${TREND_SQL}) t) AS trend`;

const AREAS_SQL = `SELECT code, name, population, population_10_24 FROM areas WHERE level = $1 ORDER BY name, code LIMIT 10000`;

export interface AreaCounts {
  episodes: number;
  people: number;
  /** Episodes involving people aged 10-24. */
  episodes10to24: number;
  /** Episodes whose age is recorded: none means ages are "not recorded", never 0 (not shown itself). */
  aged: number;
  /** Distinct people in CSE or CCE: the overlap once. */
  exploitationPeople: number;
  byCategory: Record<Category, number>;
  peopleByCategory: Record<Category, number>;
  byGender: Record<Gender, number>;
  byEthnicity: Record<Ethnicity, number>;
  previous: { episodes: number; people: number } | null;
  /** Episodes per month, one per trendMonths entry. */
  trend: number[];
  /** Each count's cell key (docs/disclosure.md), for the panel's perturbation; never sent. */
  keys: CellKeys;
}

/** The cell keys of AreaCounts' counts, field by field. */
export interface CellKeys {
  byCategory: Record<Category, number>;
  byGender: Record<Gender, number>;
  byEthnicity: Record<Ethnicity, number>;
  episodes10to24: number;
  people: number;
  peopleByCategory: Record<Category, number>;
  exploitationPeople: number;
  previous: { episodes: number; people: number };
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
  /** The part of the period the data covers: the comparison matches it day for day. */
  periodWithData: DateRange | null;
  /** covered: the data reaches back over the whole comparison period. */
  comparison: (DateRange & { kind: Comparison; covered: boolean }) | null;
  trendMonths: string[];
  rows: ExactAreaRow[];
  total: Omit<ExactAreaRow, 'code' | 'name'>;
}

/** What the counts are asked for: the filters other than dates, and the periods they count. */
export interface AreaCountsQuestion {
  level: AreaLevel;
  /** The filters without their dates (the periods below decide those). */
  filters: Filters;
  period: DateRange | null;
  comparison: DateRange | null;
  /** The days the monthly trend counts: its first month's first day to the period's end. */
  trend: DateRange | null;
  /** Age bands counted as "aged 10-24". */
  young: readonly string[];
}

/** The four counts' rows (EPISODES_SQL, PEOPLE_SQL, PREVIOUS_SQL, TREND_SQL). */
export interface AreaCountRows {
  current: CurrentRow[];
  people: PeopleRow[];
  previous: PreviousRow[];
  trend: TrendRow[];
}

/** What an area summary counts (summaryPlan): the counting engine's question and the periods it shows. */
export interface SummaryPlan {
  question: AreaCountsQuestion;
  period: ExactSummary['period'];
  periodWithData: ExactSummary['periodWithData'];
  comparison: ExactSummary['comparison'];
  trendMonths: string[];
}

export interface SummariesRepository {
  /** The summary of the plan's areas from the counting engine's rows. */
  byArea(plan: SummaryPlan, counted: AreaCountRows, db?: Queryable): Promise<ExactSummary>;
  /** How many places the incidents of the filters (with a locationKinds filter) come from, by area and in all. */
  placesByArea(level: AreaLevel, filters: Filters, db?: Queryable): Promise<{ byArea: Map<string, number>; district: number }>;
}

// The places (locations of concern) an area's incidents are linked to (nearest_location_id).
const PLACES_SQL = (where: string, level: string) => `
SELECT a.code, GROUPING(a.code)::int AS all_areas, count(DISTINCT i.nearest_location_id)::int AS places
  FROM areas a
  JOIN incident_areas ia ON ia.area_id = a.id
  JOIN incidents i ON i.id = ia.incident_id
 WHERE a.level = ${level} AND i.nearest_location_id IS NOT NULL AND ${where}
 GROUP BY GROUPING SETS ((a.code), ())`;

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
const sumOf = (values: (number | null)[]) =>
  values.reduce<number | null>((sum, value) => (sum === null || value === null ? null : sum + value), 0);

function emptyCounts(months: number, compared: boolean): AreaCounts {
  return {
    episodes: 0, people: 0, episodes10to24: 0, aged: 0, exploitationPeople: 0,
    byCategory: zeroes(CATEGORIES), peopleByCategory: zeroes(CATEGORIES),
    byGender: zeroes(GENDERS), byEthnicity: zeroes(ETHNICITIES),
    previous: compared ? { episodes: 0, people: 0 } : null,
    trend: Array.from({ length: months }, () => 0),
    keys: {
      byCategory: zeroes(CATEGORIES), byGender: zeroes(GENDERS), byEthnicity: zeroes(ETHNICITIES),
      episodes10to24: 0, people: 0, peopleByCategory: zeroes(CATEGORIES), exploitationPeople: 0,
      previous: { episodes: 0, people: 0 }, trend: Array.from({ length: months }, () => 0),
    },
  };
}

export interface CurrentRow {
  code: string | null;
  category: Category | null;
  gender: Gender | null;
  ethnicity: Ethnicity | null;
  all_areas: number;
  any_category: number;
  any_gender: number;
  any_ethnicity: number;
  episodes: number;
  young: number;
  aged: number;
  key: number;
  young_key: number;
}
export interface PeopleRow {
  all_areas: number; code: string | null; category: Category | null; people: number; exploitation: number | null;
  key: number; exploitation_key: number | null;
}

export interface PreviousRow { code: string | null; all_areas: number; episodes: number; people: number; key: number; people_key: number }
export interface TrendRow { code: string | null; month: string; all_areas: number; episodes: number; key: number }

/**
 * What a summary of `level` under the filters counts: the period (open ends from the
 * data's date range), the comparison period, the trend's months, and the question for
 * the counting engine.
 */
export function summaryPlan(level: AreaLevel, filters: Filters, compare: Comparison | undefined, dataRange: DateRange | null): SummaryPlan {
  const from = filters.from ?? dataRange?.from;
  const to = filters.to ?? dataRange?.to;
  const period = from && to && from <= to ? { from, to } : null;
  // Like for like: a period running past the data's ends (a year asked in October)
  // is compared by the part the data covers (January-October with January-October).
  // The data is taken to cover whole months, from its first incident's month to its
  // last incident's (police.uk publishes months, dated the 1st).
  const coveredFrom = dataRange ? `${dataRange.from.slice(0, 7)}-01` : null;
  const coveredTo = dataRange ? lastDayOfMonth(dataRange.to) : null;
  const withData = period && dataRange ? {
    from: period.from > coveredFrom! ? period.from : coveredFrom!,
    to: period.to < coveredTo! ? period.to : coveredTo!,
  } : null;
  const periodWithData = withData && withData.from <= withData.to ? withData : period;
  const compared = periodWithData && compare ? comparisonPeriod(periodWithData, compare) : null;
  const comparison = compared && compare
    ? { kind: compare, ...compared, covered: coveredFrom !== null && compared.from >= coveredFrom } : null;
  const trendMonths = period ? monthsEnding(period.to, TREND_MONTHS) : [];
  return {
    question: {
      level, filters: { ...filters, from: undefined, to: undefined }, period, comparison,
      trend: period ? { from: `${trendMonths[0]}-01`, to: period.to } : null, young: AGED_10_TO_24,
    },
    period, periodWithData, comparison, trendMonths,
  };
}

export function summariesRepository(pool: Queryable): SummariesRepository {
  return {
    async placesByArea(level, filters, db = pool) {
      const params = new SqlParams();
      const where = incidentConditions(filters, params);
      const { rows } = await db.query<{ code: string | null; all_areas: number; places: number }>(PLACES_SQL(where, params.add(level)), params.values);
      return {
        byArea: new Map(rows.filter((row) => !row.all_areas).map((row) => [row.code!, row.places])),
        district: rows.find((row) => row.all_areas)?.places ?? 0,
      };
    },
    async byArea({ question: { level }, period, periodWithData, comparison, trendMonths }, counted, db = pool) {
      const areas = await db.query<{ code: string; name: string; population: number | null; population_10_24: number | null }>(AREAS_SQL, [level]);
      const { current, people, previous, trend } = counted;

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

      for (const row of current) {
        const counts = target(row);
        if (!counts) continue;
        if (!row.any_category) {
          counts.byCategory[row.category!] = row.episodes;
          counts.keys.byCategory[row.category!] = Number(row.key);
        } else if (!row.any_gender) {
          counts.byGender[row.gender!] = row.episodes;
          counts.keys.byGender[row.gender!] = Number(row.key);
        } else if (!row.any_ethnicity) {
          counts.byEthnicity[row.ethnicity!] = row.episodes;
          counts.keys.byEthnicity[row.ethnicity!] = Number(row.key);
        } else {
          counts.episodes = row.episodes;
          counts.episodes10to24 = row.young;
          counts.aged = row.aged;
          counts.keys.episodes10to24 = Number(row.young_key);
        }
      }
      for (const row of people) {
        const counts = target(row);
        if (!counts) continue;
        if (row.category) {
          counts.peopleByCategory[row.category] = row.people;
          counts.keys.peopleByCategory[row.category] = Number(row.key);
        } else {
          counts.people = row.people;
          counts.exploitationPeople = row.exploitation ?? 0;
          counts.keys.people = Number(row.key);
          counts.keys.exploitationPeople = Number(row.exploitation_key ?? 0);
        }
      }
      for (const row of previous) {
        const counts = target(row);
        if (!counts?.previous) continue;
        counts.previous = { episodes: row.episodes, people: row.people };
        counts.keys.previous = { episodes: Number(row.key), people: Number(row.people_key) };
      }
      for (const row of trend) {
        const index = trendMonths.indexOf(row.month);
        const counts = target(row);
        if (!counts || index < 0) continue;
        counts.trend[index] = row.episodes;
        counts.keys.trend[index] = Number(row.key);
      }
      return { period, periodWithData, comparison, trendMonths, rows: [...rows.values()], total };
    },
  };
}

export default fp(
  async (app) => {
    app.decorate('summaries', summariesRepository(app.db));
  },
  { name: 'summaries-repository', dependencies: ['database'] },
);
