// People over time (issue 32): per period, the distinct people the filtered incidents
// name, each new (first period under the filters), continuing (named in the previous
// period too) or returning (named before, not in the previous period). The counting is
// an engine's (counting/counter.ts); this module owns the statement and the periods.
import type { Filters, FlowPeriod } from '@lantern/shared';

/** The question: the filters without dates, the periods' unit, and the days they span. */
export interface PeopleFlowQuestion {
  filters: Filters;
  unit: FlowPeriod;
  from: string;
  to: string;
}

/** One period's counts, with each count's cell key (docs/disclosure.md). */
export interface PeopleFlowRow {
  period: string;
  new: number;
  returning: number;
  continuing: number;
  new_key: number;
  returning_key: number;
  continuing_key: number;
}

export const STEPS: Record<FlowPeriod, string> = { month: '1 month', quarter: '3 months', year: '1 year' };

// Each person once per period (the incidents before `from` are the history that makes
// someone returning rather than new), then each person's previous period by lag(). One
// statement for both engines: `dialect` says how a date becomes text.
export const PEOPLE_FLOW_SQL = (where: string, unit: string, step: string, from: string, to: string, dialect: 'postgres' | 'duckdb' = 'postgres') => `
WITH seen AS (
  SELECT DISTINCT i.person_key, CAST(date_trunc(${unit}, i.local_date) AS DATE) AS period
    FROM incidents i
   WHERE ${where} AND i.person_key IS NOT NULL AND i.local_date <= CAST(${to} AS DATE)
),
marked AS (
  SELECT period, person_key & 255 AS key,
         CASE WHEN lag(period) OVER (PARTITION BY person_key ORDER BY period) IS NULL THEN 'new'
              WHEN lag(period) OVER (PARTITION BY person_key ORDER BY period) = CAST(period - CAST(${step} AS INTERVAL) AS DATE) THEN 'continuing'
              ELSE 'returning' END AS kind
    FROM seen
)
SELECT ${dialect === 'duckdb' ? "strftime(period, '%Y-%m-%d')" : "to_char(period, 'YYYY-MM-DD')"} AS period,
       ${['new', 'returning', 'continuing'].map((kind) => `CAST(count(*) FILTER (WHERE kind = '${kind}') AS INTEGER) AS ${kind},
       CAST(coalesce(sum(key) FILTER (WHERE kind = '${kind}'), 0) % 256 AS INTEGER) AS ${kind}_key`).join(',\n       ')}
  FROM marked
 WHERE period >= CAST(date_trunc(${unit}, CAST(${from} AS DATE)) AS DATE)
 GROUP BY period
 ORDER BY period`;

const addMonths = (date: string, months: number) => {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};
const MONTHS: Record<FlowPeriod, number> = { month: 1, quarter: 3, year: 12 };

/** The calendar periods of `unit` from the one holding `from` to the one holding `to`: first day, last day counted, and name. */
export function flowPeriods(unit: FlowPeriod, from: string, to: string): { period: string; from: string; to: string }[] {
  const [year, month] = from.split('-').map(Number) as [number, number];
  const firstMonth = unit === 'month' ? month : unit === 'quarter' ? Math.floor((month - 1) / 3) * 3 + 1 : 1;
  let start = `${year}-${String(firstMonth).padStart(2, '0')}-01`;
  const periods: { period: string; from: string; to: string }[] = [];
  while (start <= to) {
    const next = addMonths(start, MONTHS[unit]);
    const last = new Date(Date.parse(`${next}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const [y, m] = start.split('-').map(Number) as [number, number];
    const name = unit === 'month' ? start.slice(0, 7) : unit === 'quarter' ? `${y}-Q${Math.floor((m - 1) / 3) + 1}` : String(y);
    periods.push({ period: name, from: start, to: last < to ? last : to });
    start = next;
  }
  return periods;
}

/** Episodes per person, overall and within each role: 1, 2, 3-4, 5 or more. */
export const REPEATS_SQL = (where: string) => `
WITH f AS (SELECT i.person_key, i.role FROM incidents i WHERE ${where} AND i.person_key IS NOT NULL),
per AS (SELECT role, person_key, count(*) AS n FROM f GROUP BY role, person_key
        UNION ALL
        SELECT NULL, person_key, count(*) FROM f GROUP BY person_key)
SELECT role, CAST(count(*) AS INTEGER) AS people,
       CAST(count(*) FILTER (WHERE n = 1) AS INTEGER) AS once, CAST(count(*) FILTER (WHERE n = 2) AS INTEGER) AS twice,
       CAST(count(*) FILTER (WHERE n BETWEEN 3 AND 4) AS INTEGER) AS "threeToFour", CAST(count(*) FILTER (WHERE n >= 5) AS INTEGER) AS "fivePlus",
       CAST((SELECT count(*) FROM (SELECT person_key FROM f WHERE role IN ('victim', 'suspect')
                                    GROUP BY person_key HAVING count(DISTINCT role) = 2) both_roles) AS INTEGER) AS overlap
  FROM per
 GROUP BY role
 ORDER BY role NULLS FIRST`;

/** The places (each incident at its linked nearest place) where people named more than once there keep appearing. */
export const REPEAT_PLACES_SQL = (where: string) => `
SELECT l.id::int AS id, l.name, l.kind, r.repeat_people::int AS "repeatPeople", r.episodes::int AS episodes
  FROM (SELECT place, count(*) AS repeat_people, sum(n) AS episodes
          FROM (SELECT i.nearest_location_id AS place, i.person_key, count(*) AS n
                  FROM incidents i
                 WHERE ${where} AND i.person_key IS NOT NULL AND i.nearest_location_id IS NOT NULL
                 GROUP BY 1, 2) per_place
         WHERE n >= 2
         GROUP BY place) r
  JOIN locations_of_concern l ON l.id = r.place
 ORDER BY r.repeat_people DESC, r.episodes DESC, l.id
 LIMIT 10`;

export interface RepeatsRow { role: string | null; people: number; once: number; twice: number; threeToFour: number; fivePlus: number; overlap: number }

/** People by the set of sources that name them (each person once), with cell keys. */
export const SOURCES_SQL = (where: string) => `
SELECT sources, count(*)::int AS people, (sum(person_key & 255) % 256)::int AS key
  FROM (SELECT i.person_key, string_agg(DISTINCT i.source, ',' ORDER BY i.source) AS sources
          FROM incidents i
         WHERE ${where} AND i.person_key IS NOT NULL
         GROUP BY i.person_key) per_person
 GROUP BY sources
 ORDER BY people DESC, sources`;

export interface SourcesRow { sources: string; people: number; key: number }

/**
 * The incidents a peer-group search reads (analysis/groups.ts): those naming a person at a
 * known minute, with the person as a dense index (never person_ref), its record key, the
 * minute, the BNG position, the place the incident counts at (or -1), role, category,
 * hour and day. At most `limit` rows; the caller asks one more than it takes.
 */
export const GROUP_INCIDENTS_SQL = (where: string, limit: string) => `
SELECT (dense_rank() OVER (ORDER BY person_key) - 1)::int AS person, (person_key & 255)::int AS key, minute, x, y, place, role, category, hour, day
  FROM (SELECT i.person_key, floor(extract(epoch FROM i.occurred_at) / 60)::float8 AS minute, i.bng_x AS x, i.bng_y AS y,
               coalesce(i.nearest_location_id, -1)::int AS place, i.role, i.category, i.local_hour::int AS hour,
               (i.local_date - DATE '1970-01-01')::int AS day
          FROM incidents i
         WHERE ${where} AND i.person_key IS NOT NULL AND i.time_precision = 'minute'
         LIMIT ${limit}) f`;

/** Incidents naming a person whose time of day is not known (left out of the peer-group search). */
export const GROUP_UNKNOWN_TIME_SQL = (where: string) => `
SELECT count(*)::int AS n FROM incidents i WHERE ${where} AND i.person_key IS NOT NULL AND i.time_precision <> 'minute'`;

/** The rows of GROUP_INCIDENTS_SQL as columns (rowMode array), and how many were left out for want of a time. */
export interface GroupIncidents {
  rows: [person: number, key: number, minute: number, x: number, y: number, place: number, role: string, category: string, hour: number, day: number][];
  unknownTime: number;
}
