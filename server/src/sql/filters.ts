// The shared filter (compiled by counting/conditions.ts) as a PostgreSQL WHERE clause
// over `incidents i`, with every value bound; nothing from the request is spliced in.
import type { Filters } from '@lantern/shared';
import { compileFilters, renderConditions, type Condition } from '../counting/conditions.js';

/** Collects bound values; add() returns the placeholder ($n) for one. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Conditions on incidents (alias i, or another) for the filters, joined with AND; "true" for none. */
export function incidentConditions(filters: Filters, params: SqlParams, alias: 'i' | 'j' = 'i'): string {
  return postgresConditions(compileFilters(filters), params).replace(/\bi\./g, `${alias}.`);
}

/** Compiled conditions in PostgreSQL's dialect over `incidents i`, joined with AND. */
export const postgresConditions = (conditions: Condition[], params: SqlParams): string =>
  renderConditions(conditions, (condition) => postgresCondition(condition, params));

/** One condition (counting/conditions.ts) in PostgreSQL's dialect, over `incidents i`. */
function postgresCondition(condition: Condition, params: SqlParams): string {
  switch (condition.kind) {
    case 'from': return `i.local_date >= ${params.add(condition.date)}::date`;
    case 'to': return `i.local_date <= ${params.add(condition.date)}::date`;
    case 'numbers': return `i.${condition.column} = ANY(${params.add(condition.values)}::smallint[])`;
    case 'words': return `i.${condition.column} = ANY(${params.add(condition.values)}::text[])`;
    case 'areas': return `EXISTS (SELECT 1 FROM incident_areas ia JOIN areas a ON a.id = ia.area_id
      WHERE ia.incident_id = i.id AND a.code = ANY(${params.add(condition.codes)}::text[]))`;
    case 'place-kinds': return `EXISTS (SELECT 1 FROM locations_of_concern l WHERE l.id = i.nearest_location_id
      AND l.kind = ANY(${params.add(condition.kinds)}::text[]))`;
    case 'demo': return condition.demo ? 'i.is_demo' : 'NOT i.is_demo';
    case 'in-district': return 'i.in_district';
    case 'unknown': return condition.column === 'local_hour' || condition.column === 'local_weekday'
      ? `i.${condition.column} IS NULL` : `i.${condition.column} = 'unknown'`;
  }
}
