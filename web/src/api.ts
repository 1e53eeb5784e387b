// Typed calls to Lantern's API. Shapes come from the shared contract.
import {
  filtersToSearch,
  type AreaCollection,
  type AreaLevel,
  type Filters,
  type HourWeekdayProfile,
  type LocationCollection,
  type Meta,
} from '@lantern/shared';
import { API_BASE } from './env';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`${API_BASE}${path}`, { signal, credentials: 'same-origin' });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = ((await response.json()) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

const withFilters = (path: string, filters: Filters, extra: Record<string, string> = {}) => {
  const search = [filtersToSearch(filters), new URLSearchParams(extra).toString()].filter(Boolean).join('&');
  return search ? `${path}?${search}` : path;
};

export const api = {
  meta: (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal),
  areas: (level: AreaLevel, signal?: AbortSignal) => getJson<AreaCollection>(`/api/areas?level=${level}`, signal),
  locations: (filters: Filters, signal?: AbortSignal) =>
    getJson<LocationCollection>(withFilters('/api/locations', filters), signal),
  profile: (filters: Filters, locationId?: number, signal?: AbortSignal) =>
    getJson<HourWeekdayProfile>(
      withFilters('/api/profile/hour-weekday', filters, locationId ? { locationId: String(locationId) } : {}),
      signal,
    ),
  /** Tile URL template for MapLibre, carrying the filters. */
  incidentTiles: (filters: Filters) => {
    const search = filtersToSearch(filters);
    return `${location.origin}${API_BASE}/api/tiles/incidents/{z}/{x}/{y}.mvt${search ? `?${search}` : ''}`;
  },
};
