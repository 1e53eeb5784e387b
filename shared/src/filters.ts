// The one filter every data route takes, as query parameters and as the web app's URL.
// FilterQuery is the wire form (validated by the server, typed for the client);
// parseFilters turns it into Filters, serialiseFilters turns Filters back into it.
import { Type, type Static } from 'typebox';
import {
  AGE_BAND_IDS,
  AGE_BANDS,
  CATEGORIES,
  CATEGORY_LABELS,
  LOCATION_KIND_LABELS,
  OUTCOME_LABELS,
  OUTCOMES,
  ROLE_LABELS,
  SOURCE_LABELS,
  WEEKDAY_LABELS,
  GENDERS,
  LOCATION_KINDS,
  ROLES_IN_INCIDENT,
  SOURCES,
  WEEKDAYS,
  type AgeBand,
  type Category,
  type Gender,
  type LocationKind,
  type Outcome,
  type RoleInIncident,
  type Source,
  type Weekday,
} from './vocabulary.js';

function escapeForPattern(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern matching a comma-separated list of the given words. */
export function listPattern(values: readonly string[]): string {
  const word = `(?:${values.map(escapeForPattern).join('|')})`;
  return `^${word}(?:,${word})*$`;
}

const HOURS_PATTERN = '^\\d{1,2}(?:-\\d{1,2})?(?:,\\d{1,2}(?:-\\d{1,2})?)*$';
const AREA_CODES_PATTERN = '^[A-Za-z0-9_-]{1,24}(?:,[A-Za-z0-9_-]{1,24}){0,499}$';

/** The shared filter as query parameters. Omitted means "all". */
export const FilterQueryProperties = {
  from: Type.Optional(
    Type.String({ format: 'date', description: 'first day included, YYYY-MM-DD (local time)' }),
  ),
  to: Type.Optional(
    Type.String({ format: 'date', description: 'last day included, YYYY-MM-DD (local time)' }),
  ),
  hours: Type.Optional(
    Type.String({
      pattern: HOURS_PATTERN,
      maxLength: 200,
      description:
        'local hours: ranges like 15-19 (15:00-18:59) or 22-4 (wraps midnight), or lists like 0,1,2',
    }),
  ),
  weekdays: Type.Optional(
    Type.String({
      pattern: listPattern(WEEKDAYS),
      maxLength: 100,
      description: `weekdays, comma-separated, from ${WEEKDAYS.join(', ')}`,
    }),
  ),
  ages: Type.Optional(
    Type.String({
      pattern: listPattern(AGE_BAND_IDS),
      maxLength: 200,
      description: `age bands, comma-separated, from ${AGE_BAND_IDS.join(', ')}`,
    }),
  ),
  genders: Type.Optional(
    Type.String({
      pattern: listPattern(GENDERS),
      maxLength: 100,
      description: `genders, comma-separated, from ${GENDERS.join(', ')}`,
    }),
  ),
  categories: Type.Optional(
    Type.String({
      pattern: listPattern(CATEGORIES),
      maxLength: 400,
      description: `categories, comma-separated, from ${CATEGORIES.join(', ')}`,
    }),
  ),
  areas: Type.Optional(
    Type.String({
      pattern: AREA_CODES_PATTERN,
      maxLength: 12500,
      description: 'area codes, comma-separated (letters, digits, - and _)',
    }),
  ),
  sources: Type.Optional(
    Type.String({
      pattern: listPattern(SOURCES),
      maxLength: 200,
      description: `where the record came from, comma-separated, from ${SOURCES.join(', ')}`,
    }),
  ),
  roles: Type.Optional(
    Type.String({
      pattern: listPattern(ROLES_IN_INCIDENT),
      maxLength: 100,
      description: `the person's role in the incident, comma-separated, from ${ROLES_IN_INCIDENT.join(', ')}`,
    }),
  ),
  outcomes: Type.Optional(
    Type.String({
      pattern: listPattern(OUTCOMES),
      maxLength: 200,
      description: `what became of the crime (police.uk's last outcome, grouped), comma-separated, from ${OUTCOMES.join(', ')}`,
    }),
  ),
  data: Type.Optional(
    Type.Union([Type.Literal('demo'), Type.Literal('imported')], {
      description: 'only the generated demo incidents, or only imported (real) ones; absent: both',
    }),
  ),
  extent: Type.Optional(
    Type.Union([Type.Literal('district'), Type.Literal('all')], {
      description: 'district (default): only incidents inside the district; all: also the rows of whole force files kept outside it',
    }),
  ),
  locationKinds: Type.Optional(
    Type.String({
      pattern: listPattern(LOCATION_KINDS),
      maxLength: 400,
      description: `kinds of location of concern, comma-separated, from ${LOCATION_KINDS.join(', ')}`,
    }),
  ),
};

export const FilterQuery = Type.Object(FilterQueryProperties, { additionalProperties: false });

/**
 * The filters that narrow a meeting pack or a patrol plan as they narrow every count:
 * which records (source, role, outcome, demo or imported); the pack or plan sets dates,
 * hours and categories itself.
 */
export const NarrowingProperties = {
  sources: FilterQueryProperties.sources,
  roles: FilterQueryProperties.roles,
  outcomes: FilterQueryProperties.outcomes,
  data: FilterQueryProperties.data,
};
export type Narrowing = Pick<FilterQuery, keyof typeof NarrowingProperties>;

/** The narrowing part of a pack's query or a plan's request as filters (schema-checked already). */
export function narrowingFilters(query: Narrowing): Filters {
  const parsed = parseFilters({ sources: query.sources, roles: query.roles, outcomes: query.outcomes, data: query.data });
  return parsed.ok ? parsed.value : {};
}
export type FilterQuery = Static<typeof FilterQuery>;

/** The shared filter, parsed. Every list is sorted and free of repeats; undefined = all. */
export interface Filters {
  from?: string;
  to?: string;
  /** Local hours 0-23. Incidents with an unknown hour never match a set `hours`. */
  hours?: number[];
  weekdays?: Weekday[];
  ages?: AgeBand[];
  genders?: Gender[];
  categories?: Category[];
  areas?: string[];
  locationKinds?: LocationKind[];
  sources?: Source[];
  roles?: RoleInIncident[];
  outcomes?: Outcome[];
  /** Only the generated demo incidents, or only imported ones; undefined = both. */
  data?: 'demo' | 'imported';
  /** 'all': also incidents kept outside the district (whole force files); undefined = the district only. */
  extent?: 'all';
}

export interface FieldError {
  field: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Hours from their wire form. A range includes its start and excludes its end
 * ("15-19" is 15:00-18:59); a start above the end wraps midnight ("22-4").
 */
export function parseHours(text: string): Parsed<number[]> {
  const hours = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part.trim());
    if (!match) return fail('hours', `"${part}" is not an hour or an hour range`);
    const start = Number(match[1]);
    if (start > 23) return fail('hours', `hour ${start} is out of range 0-23`);
    if (match[2] === undefined) {
      hours.add(start);
      continue;
    }
    const end = Number(match[2]);
    if (end > 24) return fail('hours', `range end ${end} is out of range 0-24`);
    if (end === start) return fail('hours', `range ${part} is empty (start equals end)`);
    // "22-4" spans (4 - 22 + 24) % 24 = 6 hours; "0-24" spans all 24.
    const span = (end - start + 24) % 24 || 24;
    for (let offset = 0; offset < span; offset++) hours.add((start + offset) % 24);
  }
  return { ok: true, value: [...hours].sort((a, b) => a - b) };
}

/** The shortest wire form of a set of hours, as ranges wrapping midnight where that is shorter. */
export function serialiseHours(hours: readonly number[]): string {
  const set = new Set(hours);
  if (set.size === 24) return '0-24';
  if (set.size === 0) return '';
  // Start each run at an hour whose predecessor is absent, so 22,23,0,1 reads "22-2".
  const parts: string[] = [];
  for (let hour = 0; hour < 24; hour++) {
    if (!set.has(hour) || set.has((hour + 23) % 24)) continue;
    let end = hour;
    while (set.has((end + 1) % 24)) end = (end + 1) % 24;
    const next = (end + 1) % 24;
    parts.push(end === hour ? String(hour) : `${hour}-${next === 0 ? 24 : next}`);
  }
  return parts.join(',');
}

function fail<T>(field: string, message: string): Parsed<T> {
  return { ok: false, errors: [{ field, message }] };
}

function list<T extends string>(text: string | undefined, order: readonly T[]): T[] | undefined {
  if (text === undefined || text === '') return undefined;
  const chosen = new Set(text.split(','));
  return order.filter((value) => chosen.has(value));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isRealDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Filters from a query that has passed the FilterQuery schema; checks what a pattern cannot. */
export function parseFilters(query: FilterQuery): Parsed<Filters> {
  const errors: FieldError[] = [];
  const filters: Filters = {};
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value === undefined || value === '') continue;
    if (!isRealDate(value)) errors.push({ field, message: `"${value}" is not a date (YYYY-MM-DD)` });
    else filters[field] = value;
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.push({ field: 'to', message: `to (${filters.to}) is before from (${filters.from})` });
  }
  if (query.hours !== undefined && query.hours !== '') {
    const hours = parseHours(query.hours);
    if (hours.ok) filters.hours = hours.value;
    else errors.push(...hours.errors);
  }
  const weekdays = list(query.weekdays, WEEKDAYS);
  if (weekdays) filters.weekdays = weekdays;
  const ages = list(query.ages, AGE_BAND_IDS);
  if (ages) filters.ages = ages;
  const genders = list(query.genders, GENDERS);
  if (genders) filters.genders = genders;
  const categories = list(query.categories, CATEGORIES);
  if (categories) filters.categories = categories;
  const kinds = list(query.locationKinds, LOCATION_KINDS);
  if (kinds) filters.locationKinds = kinds;
  const sources = list(query.sources, SOURCES);
  if (sources) filters.sources = sources;
  const roles = list(query.roles, ROLES_IN_INCIDENT);
  if (roles) filters.roles = roles;
  const outcomes = list(query.outcomes, OUTCOMES);
  if (outcomes) filters.outcomes = outcomes;
  if (query.data === 'demo' || query.data === 'imported') filters.data = query.data;
  else if (query.data) errors.push({ field: 'data', message: `"${String(query.data)}" is neither demo nor imported` });
  if (query.extent === 'all') filters.extent = 'all';
  else if (query.extent && query.extent !== 'district') errors.push({ field: 'extent', message: `"${String(query.extent)}" is neither district nor all` });
  if (query.areas !== undefined && query.areas !== '') {
    filters.areas = [...new Set(query.areas.split(','))].sort();
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: filters };
}

/** The wire form of filters: the inverse of parseFilters, stable key order for URLs. */
export function serialiseFilters(filters: Filters): FilterQuery {
  const query: FilterQuery = {};
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = filters.to;
  if (filters.hours) query.hours = serialiseHours(filters.hours);
  if (filters.weekdays?.length) query.weekdays = filters.weekdays.join(',');
  if (filters.ages?.length) query.ages = filters.ages.join(',');
  if (filters.genders?.length) query.genders = filters.genders.join(',');
  if (filters.categories?.length) query.categories = filters.categories.join(',');
  if (filters.areas?.length) query.areas = filters.areas.join(',');
  if (filters.locationKinds?.length) query.locationKinds = filters.locationKinds.join(',');
  if (filters.sources?.length) query.sources = filters.sources.join(',');
  if (filters.roles?.length) query.roles = filters.roles.join(',');
  if (filters.outcomes?.length) query.outcomes = filters.outcomes.join(',');
  if (filters.data) query.data = filters.data;
  if (filters.extent) query.extent = filters.extent;
  return query;
}

/** Filters as a URL query string (no leading "?"). */
export function filtersToSearch(filters: Filters): string {
  // Commas stay readable: they are legal in a query and the lists use them.
  return Object.entries(serialiseFilters(filters))
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value)).replace(/%2C/g, ',')}`)
    .join('&');
}

/**
 * The filters other than the period, in words, for the headers of reports and exports:
 * ["Categories: CSE, CCE", "Hours: 22:00-03:59", ...]; empty when nothing is filtered.
 */
export function describeFilters(filters: Filters): string[] {
  const hour = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  const hours = filters.hours && serialiseHours(filters.hours).split(',').map((part) => {
    const [start, end] = part.split('-').map(Number) as [number, number | undefined];
    return `${hour(start)}-${String(((end ?? start + 1) + 23) % 24).padStart(2, '0')}:59`;
  });
  const ageLabel = (band: AgeBand) => AGE_BANDS.find((b) => b.id === band)!.label;
  return [
    filters.categories && `Categories: ${filters.categories.map((c) => CATEGORY_LABELS[c]).join(', ')}`,
    filters.ages && `Ages: ${filters.ages.map(ageLabel).join(', ')}`,
    filters.genders && `Genders: ${filters.genders.join(', ')}`,
    hours && `Hours (local): ${hours.join(', ')}`,
    filters.weekdays && `Weekdays: ${filters.weekdays.map((d) => WEEKDAY_LABELS[d]).join(', ')}`,
    filters.areas && `Within areas: ${filters.areas.join(', ')}`,
    filters.locationKinds && `Nearest place: ${filters.locationKinds.map((k) => LOCATION_KIND_LABELS[k]).join(', ')}`,
    filters.sources && `Sources: ${filters.sources.map((source) => SOURCE_LABELS[source]).join(', ')}`,
    filters.roles && `Roles: ${filters.roles.map((role) => ROLE_LABELS[role]).join(', ')}`,
    filters.outcomes && `Outcomes: ${filters.outcomes.map((outcome) => OUTCOME_LABELS[outcome]).join(', ')}`,
    filters.data && (filters.data === 'demo' ? 'Demo data only' : 'Imported data only'),
    filters.extent && 'Including incidents outside the district (whole force files)',
  ].filter((part): part is string => Boolean(part));
}

/** How many incidents each filter could not judge (NotJudged), in words; nothing when none were left out. */
export function describeNotJudged(notJudged: Partial<Record<'time' | 'age' | 'gender' | 'role' | 'outcome', number>> | undefined): string[] {
  const count = (n: number) => `${n.toLocaleString('en-GB')} incident${n === 1 ? '' : 's'}`;
  const text = {
    time: (n: number) => `${count(n)} with no time of day (police.uk publishes months only) left out by the time filter`,
    age: (n: number) => `${count(n)} with no age recorded left out by the age filter`,
    gender: (n: number) => `${count(n)} with no gender recorded left out by the gender filter`,
    role: (n: number) => `${count(n)} with no role recorded left out by the role filter`,
    outcome: (n: number) => `${count(n)} with no outcome recorded (only police.uk crimes carry one) left out by the outcome filter`,
  } as const;
  return (['time', 'age', 'gender', 'role', 'outcome'] as const).flatMap((field) => {
    const n = notJudged?.[field];
    return n ? [text[field](n)] : [];
  });
}
