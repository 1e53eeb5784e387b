import { parseFilters, type FilterQuery, type Filters } from '@lantern/shared';
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

/** The filter part of a query that also carries route-specific parameters. */
export function pickFilterQuery(query: FilterQuery & Record<string, unknown>): FilterQuery {
  const { from, to, hours, weekdays, ages, genders, categories, areas, locationKinds } = query;
  return { from, to, hours, weekdays, ages, genders, categories, areas, locationKinds };
}
