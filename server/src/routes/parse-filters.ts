import { FilterQueryProperties, parseFilters, type FilterQuery, type Filters } from '@lantern/shared';
import { badRequest } from '../errors.js';

/** The request's filters, or a 400 naming the first field at fault. */
export function filtersOrThrow(query: FilterQuery): Filters {
  const parsed = parseFilters(query);
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    throw badRequest(first.field, first.message);
  }
  return parsed.value;
}

const FILTER_KEYS = Object.keys(FilterQueryProperties) as (keyof FilterQuery)[];

/** The filter part of a query that also carries route-specific parameters (every field of the shared filter, from its schema). */
export function pickFilterQuery(query: FilterQuery & Record<string, unknown>): FilterQuery {
  return Object.fromEntries(FILTER_KEYS.filter((key) => query[key] !== undefined).map((key) => [key, query[key]])) as FilterQuery;
}
