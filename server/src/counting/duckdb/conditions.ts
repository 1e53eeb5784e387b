// The shared filter (compiled by counting/conditions.ts) as a DuckDB WHERE clause over
// the column copy's `incidents`, with every value bound: IN (one parameter a value) for
// = ANY, named parameters with their types. A filter on areas tests the copy's area memberships
// (area_members, from PostgreSQL's incident_areas), as PostgreSQL tests incident_areas.
import { LIST, listValue, SMALLINT, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { AGE_BAND_IDS, CATEGORIES, ETHNICITIES, GENDERS, LOCATION_KINDS, OUTCOMES, ROLES_IN_INCIDENT, SOURCES, type Filters } from '@lantern/shared';
import { compileFilters, renderConditions, type Condition } from '../conditions.js';

/**
 * The columns whose values come from Lantern's vocabularies (the same lists PostgreSQL's
 * CHECK constraints hold), as DuckDB ENUM types: one byte a value instead of a 16-byte
 * string, in both incidents and places_near (about 1.3 GB less at 10M), and grouped by
 * a small integer. A value outside the list fails the load (logged; PostgreSQL answers).
 */
export const VOCABULARIES = {
  age_band: AGE_BAND_IDS, gender: GENDERS, ethnicity: ETHNICITIES, category: CATEGORIES, nearest_kind: LOCATION_KINDS,
  source: SOURCES, role: ROLES_IN_INCIDENT, outcome: OUTCOMES,
} as const satisfies Record<string, readonly string[]>;
export type VocabularyColumn = keyof typeof VOCABULARIES;
export const ENUM_TYPE = (column: VocabularyColumn) => `${column}_t`;

/** Collects bound values and their types; add() returns the placeholder ($pN) for one. */
export class DuckParams {
  readonly values: Record<string, DuckDBValue> = {};
  readonly types: Record<string, DuckDBType> = {};
  private count = 0;
  add(value: DuckDBValue, type: DuckDBType): string {
    this.count += 1;
    const name = `p${this.count}`;
    this.values[name] = value;
    this.types[name] = type;
    return `$${name}`;
  }
}

/**
 * The filters' conditions (counting/conditions.ts) in DuckDB's dialect, joined with AND
 * ("true" for none). `id` names the incident's id where another table in the statement
 * has an id too.
 */
export function columnConditions(filters: Filters, params: DuckParams, { id = 'id' } = {}): string {
  return duckConditions(compileFilters(filters), params, { id });
}

/** Compiled conditions in DuckDB's dialect, joined with AND. */
export function duckConditions(conditions: Condition[], params: DuckParams, { id = 'id' } = {}): string {
  return renderConditions(conditions, (condition) => {
    switch (condition.kind) {
      case 'from': return `local_date >= CAST(${params.add(condition.date, VARCHAR)} AS DATE)`;
      case 'to': return `local_date <= CAST(${params.add(condition.date, VARCHAR)} AS DATE)`;
      // An unknown hour (NULL) is in no list: IN gives NULL, which no WHERE keeps.
      case 'numbers': return anyOf(condition.column, condition.values.map((value) => params.add(value, SMALLINT)));
      case 'words': return anyWord(params, condition.column, condition.values);
      case 'areas': return `${id} IN (SELECT m.incident_id FROM area_members m JOIN areas a ON a.id = m.area_id
      WHERE list_contains(${params.add(listValue([...condition.codes]), LIST(VARCHAR))}, a.code))`;
      // The copy keeps the kind of each incident's nearest place as a column.
      case 'place-kinds': return anyWord(params, 'nearest_kind', condition.kinds);
      case 'demo': return condition.demo ? 'is_demo' : 'NOT is_demo';
      case 'in-district': return 'in_district';
      case 'unknown': return condition.column === 'local_hour' || condition.column === 'local_weekday'
        ? `${condition.column} IS NULL` : `${condition.column} = 'unknown'`;
    }
  });
}

// IN over bound values rather than list_contains over a bound list: the values are
// constants when DuckDB plans, so the scan itself filters (a fifth less time at 1M).
const anyOf = (column: string, placeholders: string[]) => `${column} IN (${placeholders.join(', ')})`;

// Each value cast to the column's ENUM type once, so that each row compares small integers.
const anyWord = (params: DuckParams, column: VocabularyColumn, values: readonly string[]) =>
  anyOf(column, values.map((value) => `CAST(${params.add(value, VARCHAR)} AS ${ENUM_TYPE(column)})`));
