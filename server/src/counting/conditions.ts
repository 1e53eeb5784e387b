// The shared filter compiled once into typed conditions on an incident's columns,
// whatever engine counts: PostgreSQL (sql/filters.ts) and the column copy's DuckDB
// (columnar/conditions.ts) each render these in their own dialect, with every value
// bound. Each rule is written here only: a weekday is its ISO number, an unknown hour
// (police.uk months) matches no hours filter, a place kind is the kind of the
// incident's nearest open place within the link radius.
import { WEEKDAYS, type Filters } from '@lantern/shared';

export type NumberColumn = 'local_hour' | 'local_weekday';
export type WordColumn = 'age_band' | 'gender' | 'category' | 'source' | 'role';

export type Condition =
  | { kind: 'from'; date: string }
  | { kind: 'to'; date: string }
  /** The column holds one of the numbers; a NULL (unknown) holds none. */
  | { kind: 'numbers'; column: NumberColumn; values: number[] }
  | { kind: 'words'; column: WordColumn; values: string[] }
  /** The incident lies in one of the areas (incident_areas, decided when it was written). */
  | { kind: 'areas'; codes: string[] }
  /** The incident's nearest place is of one of the kinds. */
  | { kind: 'place-kinds'; kinds: string[] };

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
  if (filters.areas) conditions.push({ kind: 'areas', codes: filters.areas });
  if (filters.locationKinds) conditions.push({ kind: 'place-kinds', kinds: filters.locationKinds });
  return conditions;
}

/** Renders each condition in a dialect and joins them with AND ("true" for none). */
export function renderConditions(conditions: Condition[], render: (condition: Condition) => string): string {
  return conditions.length > 0 ? conditions.map(render).join('\n  AND ') : 'true';
}
