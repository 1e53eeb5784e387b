// Reading one value of a row: dates, numbers, coordinates and Lantern's vocabulary, each
// answering either a value or the problem (field, reason, message) that rejects the row.
// Pure functions; the formats call them, unit tests pin them down.
import {
  AGE_BANDS, CATEGORIES, ETHNICITIES, GENDERS, ROLES_IN_INCIDENT,
  type AgeBand, type Category, type Ethnicity, type Gender, type RejectReason, type RoleInIncident,
} from '@lantern/shared';

export interface Problem {
  field: string | null;
  reason: RejectReason;
  message: string;
}

export type Parsed<T> = { value: T } | { problem: Problem };

export const problem = (field: string | null, reason: RejectReason, message: string): { problem: Problem } =>
  ({ problem: { field, reason, message } });

/** A value quoted for a message: trimmed to 60 characters. */
export const quote = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

export interface LocalDateTime {
  /** 'YYYY-MM-DD HH:MM:SS' wall-clock time. */
  local: string;
  /** '+01:00' when the text carried an offset (or Z); null means the file's time zone. */
  offset: string | null;
  precision: 'minute' | 'day';
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SLASHED = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const EARLIEST_YEAR = 1990;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A date or date-time: ISO 8601 (with or without an offset), or day/month/year with
 * slashes in the given order. No time of day means the day is known, not the minute.
 * Dates before 1990 or more than a day in the future are refused as mistakes.
 */
export function parseDateTime(text: string, field: string, order: 'dmy' | 'mdy' | 'ymd' = 'dmy',
  now = new Date()): Parsed<LocalDateTime> {
  const value = text.trim();
  if (!value) return problem(field, 'missing_field', `${field} is empty`);
  let year: number, month: number, day: number;
  let hour: number | undefined, minute: number | undefined, second: number | undefined;
  let offset: string | null = null;
  const iso = ISO.exec(value);
  const slashed = iso ? null : SLASHED.exec(value);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) [hour, minute, second] = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0)];
    if (iso[7]) {
      const zone = iso[7].toUpperCase();
      if (hour === undefined) return problem(field, 'bad_date', `${quote(value)} has a time zone but no time`);
      offset = zone === 'Z' ? '+00:00' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    }
  } else if (slashed) {
    const [a, b, c] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    if (order === 'ymd') [year, month, day] = [a, b, c];
    else if (order === 'mdy') [month, day, year] = [a, b, c];
    else [day, month, year] = [a, b, c];
    if (slashed[4] !== undefined) [hour, minute, second] = [Number(slashed[4]), Number(slashed[5]), Number(slashed[6] ?? 0)];
    if (year < 100) return problem(field, 'bad_date', `${quote(value)} has a two-digit year; use four digits`);
  } else {
    return problem(field, 'bad_date', `${quote(value)} is not a date (expected YYYY-MM-DD[ HH:MM] or ${order === 'mdy' ? 'MM/DD/YYYY' : order === 'ymd' ? 'YYYY/MM/DD' : 'DD/MM/YYYY'}[ HH:MM])`);
  }
  if (!validDate(year, month, day)) return problem(field, 'bad_date', `${quote(value)} is not a real date`);
  if (hour !== undefined && (hour > 23 || minute! > 59 || second! > 59)) {
    return problem(field, 'bad_date', `${quote(value)} is not a real time of day`);
  }
  if (year < EARLIEST_YEAR) return problem(field, 'bad_date', `${quote(value)} is before ${EARLIEST_YEAR}`);
  if (Date.UTC(year, month - 1, day) > now.getTime() + 86_400_000) {
    return problem(field, 'bad_date', `${quote(value)} is in the future`);
  }
  return {
    value: {
      local: `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour ?? 0)}:${pad(minute ?? 0)}:${pad(second ?? 0)}`,
      offset,
      precision: hour === undefined ? 'day' : 'minute',
    },
  };
}

/** A plain decimal number; empty is `null`. */
export function parseNumber(text: string | undefined, field: string): Parsed<number | null> {
  const value = (text ?? '').trim();
  if (!value) return { value: null };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return problem(field, 'bad_number', `${quote(value)} is not a number`);
  return { value: Number(value) };
}

export interface Coordinates {
  x: number;
  y: number;
  srid: 4326 | 27700;
}

// Great Britain and its waters, generously: a WGS84 point outside is a mistake.
const GB = { west: -9, east: 2.5, south: 49, north: 61 };

/** Two numbers of a position: both given, or the problem (a bad number, one or both empty). */
function numberPair(xText: string | undefined, yText: string | undefined, xField: string, yField: string): Parsed<[number, number]> {
  const x = parseNumber(xText, xField);
  const y = parseNumber(yText, yField);
  if ('problem' in x) return x;
  if ('problem' in y) return y;
  if (x.value === null && y.value === null) return problem(xField, 'missing_coordinates', 'the row has no coordinates');
  if (x.value === null || y.value === null) {
    const missing = x.value === null ? xField : yField;
    return problem(missing, 'missing_coordinates', `${missing} is empty`);
  }
  return { value: [x.value, y.value] };
}

/** WGS84 longitude/latitude, with swapped pairs recognised and named. */
export function wgs84(lonText: string | undefined, latText: string | undefined, fields = { lon: 'lon', lat: 'lat' }): Parsed<Coordinates> {
  const pair = numberPair(lonText, latText, fields.lon, fields.lat);
  if ('problem' in pair) return pair;
  const [lon, lat] = pair.value;
  const inGb = (x: number, y: number) => x >= GB.west && x <= GB.east && y >= GB.south && y <= GB.north;
  if (inGb(lon, lat)) return { value: { x: lon, y: lat, srid: 4326 } };
  if (inGb(lat, lon)) return problem(fields.lat, 'swapped_coordinates', `latitude ${lat} and longitude ${lon} look swapped`);
  if (Math.abs(lon) > 1000 || Math.abs(lat) > 1000) {
    return problem(fields.lon, 'bad_coordinates', `${lon}, ${lat} look like British National Grid metres, not WGS84 degrees`);
  }
  return problem(fields.lon, 'bad_coordinates', `${lon}, ${lat} is not in Great Britain`);
}

/** British National Grid easting/northing in metres. */
export function britishNationalGrid(eastingText: string | undefined, northingText: string | undefined,
  fields = { easting: 'easting', northing: 'northing' }): Parsed<Coordinates> {
  const pair = numberPair(eastingText, northingText, fields.easting, fields.northing);
  if ('problem' in pair) return pair;
  const [easting, northing] = pair.value;
  if (easting >= 0 && easting <= 700_000 && northing >= 0 && northing <= 1_300_000) {
    if (easting > northing && northing <= 700_000 && easting > 300_000 && northing < 120_000) {
      return problem(fields.easting, 'swapped_coordinates', `easting ${easting} and northing ${northing} look swapped`);
    }
    return { value: { x: easting, y: northing, srid: 27700 } };
  }
  return problem(fields.easting, 'bad_coordinates', `${easting}, ${northing} is not a British National Grid position`);
}

const normalise = (text: string) => text.trim().toLowerCase().replace(/[\s_-]+/g, ' ');

/** A value from a fixed list: the id itself, a mapped value, or one of the usual words. */
function vocabulary<T extends string>(ids: readonly T[], synonyms: Record<string, T>, field: string, fallback: T | null) {
  return (text: string | undefined, mapped?: Record<string, string>): Parsed<T> => {
    const raw = (text ?? '').trim();
    if (mapped && raw in mapped) {
      const target = mapped[raw] as T;
      return ids.includes(target) ? { value: target } : problem(field, 'bad_value', `the mapping sends ${quote(raw)} to ${quote(target)}, which is not one of ${ids.join(', ')}`);
    }
    const key = normalise(raw);
    if (!key && fallback) return { value: fallback };
    const id = ids.find((candidate) => normalise(candidate) === key) ?? synonyms[key];
    if (id) return { value: id };
    const prefix = Object.entries(synonyms).find(([word]) => word.endsWith('*') && key.startsWith(word.slice(0, -1)));
    if (prefix) return { value: prefix[1] };
    return problem(field, field === 'category' ? 'unknown_category' : 'bad_value',
      `${quote(raw)} is not a known ${field} (expected ${ids.join(', ')}, or map it in the mapping file)`);
  };
}

export const readGender = vocabulary<Gender>(GENDERS, {
  m: 'male', man: 'male', boy: 'male', f: 'female', woman: 'female', girl: 'female',
  u: 'unknown', 'not known': 'unknown', 'not stated': 'unknown', 'prefer not to say': 'unknown', 'n/a': 'unknown',
  'non binary': 'other', x: 'other',
}, 'gender', 'unknown');

/** ONS high-level groups: the 2011 and 2021 group names start with these words. */
export const readEthnicity = vocabulary<Ethnicity>(ETHNICITIES, {
  'white*': 'white', 'black*': 'black', 'african*': 'black', 'caribbean*': 'black', 'asian*': 'asian',
  'indian*': 'asian', 'pakistani*': 'asian', 'bangladeshi*': 'asian', 'chinese*': 'asian', 'mixed*': 'mixed',
  'arab*': 'other', 'any other*': 'other', 'other ethnic*': 'other',
  'not stated': 'unknown', 'not known': 'unknown', 'prefer not to say': 'unknown', 'n/a': 'unknown',
}, 'ethnicity', 'unknown');

export const readRole = vocabulary<RoleInIncident>(ROLES_IN_INCIDENT, {
  offender: 'suspect', perpetrator: 'suspect', 'alleged offender': 'suspect', 'at risk': 'person_at_risk',
  'person at risk': 'person_at_risk', injured: 'victim', patient: 'victim',
}, 'role', 'unknown');

export const readCategory = vocabulary<Category>(CATEGORIES, {
  'child sexual exploitation': 'cse', 'child criminal exploitation': 'cce', 'county line': 'county_lines',
  knife: 'knife_crime', 'knife crime': 'knife_crime', 'weapon': 'knife_crime', violence: 'serious_violence',
  'domestic': 'domestic_abuse', 'anti social behaviour': 'asb', 'missing': 'missing_episode',
}, 'category', null);

/** An age in whole years 0-120; empty is unknown. */
export function readAge(text: string | undefined, field = 'age'): Parsed<number | null> {
  const value = (text ?? '').trim();
  if (!value) return { value: null };
  if (!/^\d{1,3}$/.test(value) || Number(value) > 120) return problem(field, 'bad_number', `${quote(value)} is not an age in whole years (0-120)`);
  return { value: Number(value) };
}

/** An age band: Lantern's ids, with "50+" and "18 to 24" style spellings. */
export function readAgeBand(text: string | undefined, field = 'age_band'): Parsed<AgeBand> {
  const value = (text ?? '').trim().toLowerCase().replace(/\s*(?:to|–|—)\s*/g, '-').replace(/\s+/g, '');
  if (!value) return { value: 'unknown' };
  const id = value === '50+' || value === '50andover' ? '50plus' : value;
  const band = AGE_BANDS.find((candidate) => candidate.id === id);
  return band ? { value: band.id } : problem(field, 'bad_value', `${quote(text!.trim())} is not an age band (expected ${AGE_BANDS.map((b) => b.id).join(', ')})`);
}
