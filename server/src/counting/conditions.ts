// The shared filter compiled once into typed conditions on an incident's columns,
// whatever engine counts: PostgreSQL (sql/filters.ts) and the column copy's DuckDB
// (counting/duckdb/conditions.ts) each render these in their own dialect, with every value
// bound. Each rule is written here only: a weekday is its ISO number, an unknown hour
// (police.uk months) matches no hours filter, a place kind is the kind of the
// incident's nearest open place within the link radius.
import { WEEKDAYS, type Filters, type NotJudged } from '@lantern/shared';

const NUMBER_COLUMNS = ['local_hour', 'local_weekday'] as const;
const WORD_COLUMNS = ['age_band', 'gender', 'category', 'source', 'role', 'outcome'] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];
export type WordColumn = (typeof WORD_COLUMNS)[number];

/**
 * Every incident column a condition reads (dates, areas by id, place kinds by the
 * nearest place), for queries that select incidents into a subquery before filtering.
 */
export const CONDITION_COLUMNS = ['id', 'local_date', ...NUMBER_COLUMNS, ...WORD_COLUMNS, 'is_demo', 'in_district', 'nearest_location_id'] as const;

export type Condition =
  | { kind: 'from'; date: string }
  | { kind: 'to'; date: string }
  /** The column holds one of the numbers; a NULL (unknown) holds none. */
  | { kind: 'numbers'; column: NumberColumn; values: number[] }
  | { kind: 'words'; column: WordColumn; values: string[] }
  /** The incident lies in one of the areas (incident_areas, decided when it was written). */
  | { kind: 'areas'; codes: string[] }
  /** The incident's nearest place is of one of the kinds. */
  | { kind: 'place-kinds'; kinds: string[] }
  /** The incident is (or is not) one of the generated demo set's. */
  | { kind: 'demo'; demo: boolean }
  /** The incident lies inside the district (not a row of a whole force file kept outside it). */
  | { kind: 'in-district' }
  /** The column is not recorded: NULL for a number (no hour, no weekday), "unknown" for a word. */
  | { kind: 'unknown'; column: NumberColumn | WordColumn };

export function compileFilters(filters: Filters): Condition[] {
  const conditions: Condition[] = [];
  if (filters.from) conditions.push({ kind: 'from', date: filters.from });
  if (filters.to) conditions.push({ kind: 'to', date: filters.to });
  if (filters.hours) conditions.push({ kind: 'numbers', column: 'local_hour', values: filters.hours });
  if (filters.weekdays) conditions.push({ kind: 'numbers', column: 'local_weekday', values: filters.weekdays.map((day) => WEEKDAYS.indexOf(day) + 1) });
  if (filters.ages) conditions.push({ kind: 'words', column: 'age_band', values: filters.ages });
  if (filters.genders) conditions.push({ kind: 'words', column: 'gender', values: filters.genders });
  if (filters.categories) conditions.push({ kind: 'words', column: 'category', values: filters.categories });
  if (filters.sources) conditions.push({ kind: 'words', column: 'source', values: filters.sources });
  if (filters.roles) conditions.push({ kind: 'words', column: 'role', values: filters.roles });
  if (filters.outcomes) conditions.push({ kind: 'words', column: 'outcome', values: filters.outcomes });
  if (filters.areas) conditions.push({ kind: 'areas', codes: filters.areas });
  if (filters.locationKinds) conditions.push({ kind: 'place-kinds', kinds: filters.locationKinds });
  if (filters.data) conditions.push({ kind: 'demo', demo: filters.data === 'demo' });
  if (filters.extent !== 'all') conditions.push({ kind: 'in-district' });
  return conditions;
}

/** Renders each condition in a dialect and joins them with AND ("true" for none). */
export function renderConditions(conditions: Condition[], render: (condition: Condition) => string): string {
  return conditions.length > 0 ? conditions.map(render).join('\n  AND ') : 'true';
}

/** The fields a filter can leave incidents unjudged on: no time of day, no age, no gender, no role, no outcome recorded. */
export const JUDGED_FIELDS = ['time', 'age', 'gender', 'role', 'outcome'] as const;
export type JudgedField = (typeof JUDGED_FIELDS)[number];

/**
 * For each filter on a field some incidents do not record, the conditions that find
 * them: every other filter, and that field unknown. "Unknown is never zero": an answer
 * says how many incidents matching the rest could not be judged by the filter.
 */
export function notJudgedQuestions(filters: Filters): { field: JudgedField; conditions: Condition[] }[] {
  const questions: { field: JudgedField; conditions: Condition[] }[] = [];
  const without = (change: Partial<Filters>, unknown: Condition[]) => [...compileFilters({ ...filters, ...change }), ...unknown];
  if (filters.hours || filters.weekdays) {
    // An hours filter needs the hour; a weekdays filter the day (a month-only record has neither).
    questions.push({ field: 'time', conditions: without({ hours: undefined, weekdays: undefined }, [
      { kind: 'unknown', column: filters.hours ? 'local_hour' : 'local_weekday' }]) });
  }
  if (filters.ages && !filters.ages.includes('unknown')) {
    questions.push({ field: 'age', conditions: without({ ages: undefined }, [{ kind: 'unknown', column: 'age_band' }]) });
  }
  if (filters.genders && !filters.genders.includes('unknown')) {
    questions.push({ field: 'gender', conditions: without({ genders: undefined }, [{ kind: 'unknown', column: 'gender' }]) });
  }
  if (filters.roles && !filters.roles.includes('unknown')) {
    questions.push({ field: 'role', conditions: without({ roles: undefined }, [{ kind: 'unknown', column: 'role' }]) });
  }
  if (filters.outcomes && !filters.outcomes.includes('unknown')) {
    questions.push({ field: 'outcome', conditions: without({ outcomes: undefined }, [{ kind: 'unknown', column: 'outcome' }]) });
  }
  return questions;
}


/**
 * The questions' conditions split into those every question shares (the dates, the
 * district, the other filters: written once as the pass's WHERE, so an engine can skip
 * what they rule out, as the column copy's date-ordered blocks let it) and each one's own.
 */
export function splitShared(questions: { field: JudgedField; conditions: Condition[] }[]):
  { shared: Condition[]; own: { field: JudgedField; conditions: Condition[] }[] } {
  const key = (condition: Condition) => JSON.stringify(condition);
  const [first = [], ...rest] = questions.map((question) => question.conditions.map(key));
  const common = new Set(first.filter((condition) => rest.every((keys) => keys.includes(condition))));
  return {
    shared: questions[0]?.conditions.filter((condition) => common.has(key(condition))) ?? [],
    own: questions.map(({ field, conditions }) => ({ field, conditions: conditions.filter((condition) => !common.has(key(condition))) })),
  };
}

/** One pass counting every question's incidents, with each count's cell key (docs/disclosure.md), in either engine's rendering of the conditions. */
export const NOT_JUDGED_SQL = (shared: string, parts: { field: JudgedField; where: string }[]) => `SELECT ${parts.map((part) =>
  `CAST(count(*) FILTER (WHERE ${part.where}) AS INTEGER) AS ${part.field},
   CAST(coalesce(sum(record_key) FILTER (WHERE ${part.where}), 0) % 256 AS INTEGER) AS ${part.field}_key`).join(', ')}
  FROM incidents i
 WHERE ${shared}`;

/** The counts, and their cell keys for the panel's perturbation (never sent). */
export interface NotJudgedCounts {
  counts: NotJudged;
  keys: NotJudged;
}

/** NOT_JUDGED_SQL's one row as counts and keys. */
export function notJudgedOf(row: Record<string, unknown>, fields: JudgedField[]): NotJudgedCounts {
  return {
    counts: Object.fromEntries(fields.map((field) => [field, Number(row[field])])),
    keys: Object.fromEntries(fields.map((field) => [field, Number(row[`${field}_key`])])),
  };
}
