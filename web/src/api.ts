// Typed calls to Lantern's API. Shapes come from the shared contract.
import {
  filtersToSearch,
  MAP_GISTAR_CELL_SIZE,
  type ApiToken,
  type ApiTokenCreated,
  type AreaCollection,
  type AreaLevel,
  type AreaSummary,
  type PeopleFlow,
  type PeopleRepeats,
  type NearRepeatResult,
  type AuditLog,
  type Category,
  type Comparison,
  type HarmWeights,
  type HarmWeightUpdated,
  type EmergingResult,
  type GiStarResult,
  type KdeResult,
  type SignedInUser,
  type UserSummary,
  type Filters,
  type HourWeekdayProfile,
  type ImportBatches,
  type ImportRejects,
  type ImportReport,
  type ImportRollback,
  type LocationCollection,
  type Meta,
  type AgeFocusId,
  type MeetingId,
  type MeetingPack,
  type MeetingSectionId,
  type PatrolPlan,
  type PatrolPlanList,
  type NewUser,
  type PatrolPlanRequest,
  type PeerGroups,
  type PeerGroupSizes,
  type UserWithPassword,
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

/** The CSRF token of the current session, sent on every state-changing request. */
let csrfToken = '';
export function setCsrfToken(token: string) {
  csrfToken = token;
}

async function send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${API_BASE}${path}`, {
    method, signal, credentials: 'same-origin', headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401 && !path.startsWith('/api/auth/')) window.dispatchEvent(new Event('lantern:signed-out'));
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = ((await response.json()) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

const getJson = <T>(path: string, signal?: AbortSignal) => send<T>('GET', path, undefined, signal);

const withFilters = (path: string, filters: Filters, extra: Record<string, string> = {}) => {
  const search = [filtersToSearch(filters), new URLSearchParams(extra).toString()].filter(Boolean).join('&');
  return search ? `${path}?${search}` : path;
};

export interface SummaryOptions {
  compare?: Comparison;
  /** Analysts: what a panel member would see. */
  preview?: boolean;
}
const summaryUrl = (path: string, level: AreaLevel, filters: Filters, { compare, preview }: SummaryOptions) =>
  withFilters(path, filters, { level, ...(compare ? { compare } : {}), ...(preview ? { preview: 'panel' } : {}) });

type MeetingAsk = { meeting: MeetingId; date: string; previous?: string; ageFocus?: AgeFocusId };
const meetingQuery = (q: MeetingAsk) =>
  new URLSearchParams({ meeting: q.meeting, date: q.date, ...(q.previous ? { previous: q.previous } : {}), ...(q.ageFocus ? { ageFocus: q.ageFocus } : {}) }).toString();

export const api = {
  tokens: (signal?: AbortSignal) => getJson<{ tokens: ApiToken[] }>('/api/tokens', signal),
  makeToken: (name: string) => send<ApiTokenCreated>('POST', '/api/tokens', { name }),
  revokeToken: (id: number) => send<void>('DELETE', `/api/tokens/${id}`),
  meetingPack: (q: MeetingAsk, signal?: AbortSignal) =>
    getJson<MeetingPack>(`/api/meeting-pack?${meetingQuery(q)}`, signal),
  meetingPackCsvUrl: (q: MeetingAsk, section: MeetingSectionId) =>
    `${API_BASE}/api/meeting-pack.csv?${meetingQuery(q)}&section=${section}`,
  makePatrolPlan: (request: PatrolPlanRequest) => send<PatrolPlan>('POST', '/api/patrol-plans', request),
  patrolPlans: (signal?: AbortSignal) => getJson<PatrolPlanList>('/api/patrol-plans', signal),
  patrolPlan: (id: number, signal?: AbortSignal) => getJson<PatrolPlan>(`/api/patrol-plans/${id}`, signal),
  patrolPlanDownloadUrl: (id: number, format: 'gpx' | 'geojson') => `${API_BASE}/api/patrol-plans/${id}/${format}`,
  me: (signal?: AbortSignal) => getJson<SignedInUser>('/api/auth/me', signal),
  login: (username: string, password: string) => send<SignedInUser>('POST', '/api/auth/login', { username, password }),
  logout: () => send<void>('POST', '/api/auth/logout'),
  nearRepeat: (filters: Filters, signal?: AbortSignal) => getJson<NearRepeatResult>(`/api/analysis/near-repeat?${filtersToSearch(filters)}`, signal),
  peerGroups: (filters: Filters, signal?: AbortSignal) => getJson<PeerGroups>(`/api/people/groups?${filtersToSearch(filters)}`, signal),
  peerGroupSizes: (filters: Filters, signal?: AbortSignal) => getJson<PeerGroupSizes>(`/api/people/group-sizes?${filtersToSearch(filters)}`, signal),
  peopleRepeats: (filters: Filters, signal?: AbortSignal) => getJson<PeopleRepeats>(`/api/people/repeats?${filtersToSearch(filters)}`, signal),
  peopleFlow: (filters: Filters, period: 'month' | 'quarter' | 'year', signal?: AbortSignal) =>
    getJson<PeopleFlow>(`/api/people/flow?${[filtersToSearch(filters), `period=${period}`].filter(Boolean).join('&')}`, signal),
  areaSummary: (level: AreaLevel, filters: Filters, options: SummaryOptions, signal?: AbortSignal) =>
    getJson<AreaSummary>(summaryUrl('/api/areas/summary', level, filters, options), signal),
  /** The same summary as a CSV download (a plain link: a GET with the session cookie). */
  areaSummaryCsvUrl: (level: AreaLevel, filters: Filters, options: SummaryOptions) =>
    `${API_BASE}${summaryUrl('/api/areas/summary.csv', level, filters, options)}`,
  audit: (query: Record<string, string>, signal?: AbortSignal) =>
    getJson<AuditLog>(`/api/audit?${new URLSearchParams(query).toString()}`, signal),
  auditCsvUrl: (query: Record<string, string>) => `${API_BASE}/api/audit?${new URLSearchParams({ ...query, format: 'csv' }).toString()}`,
  gistar: (filters: Filters, signal?: AbortSignal) => getJson<GiStarResult>(withFilters('/api/hotspots/gistar', filters, { cellSize: String(MAP_GISTAR_CELL_SIZE) }), signal),
  emerging: (filters: Filters, signal?: AbortSignal) => getJson<EmergingResult>(withFilters('/api/hotspots/emerging', filters), signal),
  kde: (filters: Filters, signal?: AbortSignal) => getJson<KdeResult>(withFilters('/api/hotspots/kde', filters), signal),
  harmWeights: (signal?: AbortSignal) => getJson<HarmWeights>('/api/harm-weights', signal),
  setHarmWeight: (category: Category, weight: number, basis: string) =>
    send<HarmWeightUpdated>('PUT', `/api/harm-weights/${category}`, { weight, basis }),
  users: (signal?: AbortSignal) => getJson<{ users: UserSummary[] }>('/api/users', signal),
  addUser: (user: NewUser) => send<UserWithPassword>('POST', '/api/users', user),
  resetPassword: (username: string) => send<UserWithPassword>('POST', `/api/users/${encodeURIComponent(username)}/password`, {}),
  setUserDisabled: (username: string, disabled: boolean) =>
    send<{ user: UserSummary }>('PUT', `/api/users/${encodeURIComponent(username)}/state`, { disabled }),
  meta: (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal),
  areas: (level: AreaLevel, signal?: AbortSignal) => getJson<AreaCollection>(`/api/areas?level=${level}`, signal),
  locations: (filters: Filters, radius: number, signal?: AbortSignal) =>
    getJson<LocationCollection>(withFilters('/api/locations', filters, { radius: String(radius) }), signal),
  /** Across the map, or with a place: the incidents within radius metres of it. */
  profile: (filters: Filters, near?: { locationId: number; radius: number }, signal?: AbortSignal) =>
    getJson<HourWeekdayProfile>(
      withFilters('/api/profile/hour-weekday', filters,
        near ? { locationId: String(near.locationId), radius: String(near.radius) } : {}),
      signal,
    ),
  imports: (signal?: AbortSignal) => getJson<ImportBatches>('/api/imports', signal),
  importRejects: (id: number, signal?: AbortSignal) => getJson<ImportRejects>(`/api/imports/${id}/rejects?limit=10000`, signal),
  rollbackImport: (id: number) => send<ImportRollback>('DELETE', `/api/imports/${id}`),
  /**
   * Uploads a file to import (streamed by the server into the same pipeline as the CLI).
   * XMLHttpRequest rather than fetch: fetch reports no upload progress.
   */
  importFile: (file: File, options: { kind: string; encoding: string; dryRun: boolean; keepOutside: boolean; mapping: string },
    onProgress: (sent: number, total: number) => void): Promise<ImportReport> => new Promise((resolve, reject) => {
    const query = new URLSearchParams({ kind: options.kind, ...(options.encoding ? { encoding: options.encoding } : {}), ...(options.dryRun ? { dryRun: 'true' } : {}),
      ...(options.keepOutside ? { keepOutside: 'true' } : {}) });
    const form = new FormData();
    if (options.mapping.trim()) form.append('mapping', options.mapping);
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', `${API_BASE}/api/imports?${query.toString()}`);
    request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () => {
      let body: { message?: string } | ImportReport | null = null;
      try {
        body = JSON.parse(request.responseText) as ImportReport | { message?: string };
      } catch {
        // not JSON: keep the status line
      }
      if (request.status === 200 && body) resolve(body as ImportReport);
      else reject(new ApiError(request.status, (body as { message?: string } | null)?.message ?? `${request.status} ${request.statusText}`));
    };
    request.onerror = () => reject(new ApiError(0, 'The upload failed: the connection was lost. Nothing was imported.'));
    request.send(form);
  }),
  /** Tile URL template for MapLibre, carrying the filters. */
  incidentTiles: (filters: Filters) => {
    const search = filtersToSearch(filters);
    return `${location.origin}${API_BASE}/api/tiles/incidents/{z}/{x}/{y}.mvt${search ? `?${search}` : ''}`;
  },
};
