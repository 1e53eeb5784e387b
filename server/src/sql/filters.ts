// The shared filter as a SQL WHERE clause over `incidents i`, with every value bound.
// Column names come from this file only; nothing from the request is spliced in.
import { WEEKDAYS, type Filters } from '@lantern/shared';

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
  return conditionsFor(filters, params).replace(/\bi\./g, `${alias}.`);
}

function conditionsFor(filters: Filters, params: SqlParams): string {
  const conditions: string[] = [];
  if (filters.from) conditions.push(`i.local_date >= ${params.add(filters.from)}::date`);
  if (filters.to) conditions.push(`i.local_date <= ${params.add(filters.to)}::date`);
  // Incidents with no known hour have local_hour NULL, so any hours filter leaves them out.
  if (filters.hours) conditions.push(`i.local_hour = ANY(${params.add(filters.hours)}::smallint[])`);
  if (filters.weekdays) {
    const isoDays = filters.weekdays.map((day) => WEEKDAYS.indexOf(day) + 1);
    conditions.push(`i.local_weekday = ANY(${params.add(isoDays)}::smallint[])`);
  }
  if (filters.ages) conditions.push(`i.age_band = ANY(${params.add(filters.ages)}::text[])`);
  if (filters.genders) conditions.push(`i.gender = ANY(${params.add(filters.genders)}::text[])`);
  if (filters.categories) conditions.push(`i.category = ANY(${params.add(filters.categories)}::text[])`);
  if (filters.areas) {
    // The areas holding each incident, decided when it was written (incident_areas, migration 0007).
    conditions.push(`EXISTS (SELECT 1 FROM incident_areas ia JOIN areas a ON a.id = ia.area_id
      WHERE ia.incident_id = i.id AND a.code = ANY(${params.add(filters.areas)}::text[]))`);
  }
  if (filters.locationKinds) {
    conditions.push(`EXISTS (SELECT 1 FROM locations_of_concern l WHERE l.id = i.nearest_location_id
      AND l.kind = ANY(${params.add(filters.locationKinds)}::text[]))`);
  }
  return conditions.length > 0 ? conditions.join('\n  AND ') : 'true';
}
