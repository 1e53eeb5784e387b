// The words Lantern's web app, server and database agree on. The database's CHECK
// constraints (server/migrations) list the same ids; a test keeps them in step.

export const CATEGORIES = [
  'cse',
  'cce',
  'county_lines',
  'cuckooing',
  'serious_violence',
  'knife_crime',
  'robbery',
  'missing_episode',
  'drugs',
  'domestic_abuse',
  'asb',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  cse: 'Child sexual exploitation',
  cce: 'Child criminal exploitation',
  county_lines: 'County lines',
  cuckooing: 'Cuckooing',
  serious_violence: 'Serious violence',
  knife_crime: 'Knife crime',
  robbery: 'Robbery',
  missing_episode: 'Missing episode',
  drugs: 'Drugs',
  domestic_abuse: 'Domestic abuse',
  asb: 'Anti-social behaviour',
  other: 'Other',
};

export const SOURCES = [
  'police',
  'hospital_ed',
  'social_care',
  'oem',
  'police_uk_open_data',
  'police_uk_stop_search',
  'demo',
  'other',
] as const;
export type Source = (typeof SOURCES)[number];
export const SOURCE_LABELS: Record<Source, string> = {
  police: 'Police records',
  hospital_ed: 'Hospital emergency department',
  social_care: 'Social care',
  oem: 'Operational Exploitation Meeting',
  police_uk_open_data: 'police.uk open data',
  police_uk_stop_search: 'police.uk stop and search',
  demo: 'Demo (generated)',
  other: 'Other',
};

/**
 * What became of a crime, grouped from police.uk's "Last outcome category" (its ~25 words
 * read as 9 groups a meeting can filter on); `unknown` when the record has none (every
 * source but police.uk, and police.uk's anti-social behaviour).
 */
export const OUTCOMES = [
  'charged',
  'out_of_court',
  'no_suspect',
  'unable_to_prosecute',
  'not_in_public_interest',
  'other_organisation',
  'under_investigation',
  'unavailable',
  'other',
  'unknown',
] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = {
  charged: 'Charged or taken to court',
  out_of_court: 'Caution or other out-of-court action',
  no_suspect: 'No suspect identified',
  unable_to_prosecute: 'Unable to prosecute suspect',
  not_in_public_interest: 'Not in the public interest',
  other_organisation: 'Action by another organisation',
  under_investigation: 'Under investigation',
  unavailable: 'Status update unavailable',
  other: 'Other outcome',
  unknown: 'Outcome not recorded',
};

const OUTCOME_WORDS: [RegExp, Outcome][] = [
  [/no suspect/i, 'no_suspect'],
  [/unable to prosecute/i, 'unable_to_prosecute'],
  [/not in the public interest/i, 'not_in_public_interest'],
  [/another organisation/i, 'other_organisation'],
  [/under investigation/i, 'under_investigation'],
  [/status update unavailable/i, 'unavailable'],
  [/caution|local resolution|penalty notice|warning|community resolution/i, 'out_of_court'],
  [/court|charged|offender|defendant|sentence|prison|fined|discharge|compensation/i, 'charged'],
];

/** police.uk's "Last outcome category" as an outcome group; empty text is `unknown`. */
export function outcomeOf(text: string | null | undefined): Outcome {
  const words = (text ?? '').trim();
  if (!words) return 'unknown';
  return OUTCOME_WORDS.find(([pattern]) => pattern.test(words))?.[1] ?? 'other';
}

export const LOCATION_KINDS = [
  'park',
  'housing_estate',
  'stairwell',
  'takeaway',
  'hotel',
  'transport_hub',
  'school',
  'shop',
  'licensed_premises',
  'car_park',
  'other',
] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const LOCATION_KIND_LABELS: Record<LocationKind, string> = {
  park: 'Park',
  housing_estate: 'Housing estate',
  stairwell: 'Stairwell',
  takeaway: 'Takeaway',
  hotel: 'Hotel',
  transport_hub: 'Transport hub',
  school: 'School',
  shop: 'Shop',
  licensed_premises: 'Licensed premises',
  car_park: 'Car park',
  other: 'Other place',
};

/** Age bands: [id, label, lowest age, highest age]; `unknown` has no ages. */
export const AGE_BANDS = [
  { id: '0-9', label: '0-9', min: 0, max: 9 },
  { id: '10-14', label: '10-14', min: 10, max: 14 },
  { id: '15-17', label: '15-17', min: 15, max: 17 },
  { id: '18-24', label: '18-24', min: 18, max: 24 },
  { id: '25-34', label: '25-34', min: 25, max: 34 },
  { id: '35-49', label: '35-49', min: 35, max: 49 },
  // "50+" would read back as "50 " from a query string, so the id spells it out.
  { id: '50plus', label: '50+', min: 50, max: 200 },
  { id: 'unknown', label: 'Unknown', min: null, max: null },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['id'];
export const AGE_BAND_IDS = AGE_BANDS.map((band) => band.id) as AgeBand[];

export const AGE_PRESETS = [
  { id: 'under18', label: 'Under 18', bands: ['0-9', '10-14', '15-17'] },
  { id: 'under25', label: 'Under 25', bands: ['0-9', '10-14', '15-17', '18-24'] },
  { id: 'all', label: 'All ages', bands: [] },
] as const satisfies readonly { id: string; label: string; bands: readonly AgeBand[] }[];

/** The band an age in whole years falls in; `unknown` for a missing or impossible age. */
export function ageBandOf(age: number | null | undefined): AgeBand {
  if (age === null || age === undefined || !Number.isInteger(age) || age < 0 || age > 120) {
    return 'unknown';
  }
  for (const band of AGE_BANDS) {
    if (band.min !== null && age >= band.min && age <= band.max) return band.id;
  }
  return 'unknown';
}

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/** ONS 2021 high-level ethnic groups, plus unknown. */
export const ETHNICITIES = ['asian', 'black', 'mixed', 'white', 'other', 'unknown'] as const;
export type Ethnicity = (typeof ETHNICITIES)[number];

export const ROLES_IN_INCIDENT = ['victim', 'suspect', 'person_at_risk', 'unknown'] as const;
export type RoleInIncident = (typeof ROLES_IN_INCIDENT)[number];
export const ROLE_LABELS: Record<RoleInIncident, string> = {
  victim: 'Victim', suspect: 'Suspect', person_at_risk: 'Person at risk', unknown: 'Role not recorded',
};

/** ISO weekday order: index 0 is Monday, matching PostgreSQL's isodow - 1. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** Time-of-day presets in Europe/London local time; a range includes start, excludes end. */
export const TIME_PRESETS = [
  { id: 'school', label: 'School hours 08-15', hours: '8-15' },
  { id: 'after_school', label: 'After school 15-19', hours: '15-19' },
  { id: 'evening', label: 'Evening 19-22', hours: '19-22' },
  { id: 'night_time_economy', label: 'Night-time economy 22-04', hours: '22-4' },
  { id: 'daytime', label: 'Daytime 06-15', hours: '6-15' },
] as const;

export const AREA_LEVELS = ['district', 'ward', 'lsoa', 'msoa', 'neighbourhood'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];
export const AREA_LEVEL_LABELS: Record<AreaLevel, string> = {
  district: 'District',
  ward: 'Ward',
  lsoa: 'LSOA',
  msoa: 'MSOA',
  neighbourhood: 'Neighbourhood',
};

export const TIME_PRECISIONS = ['minute', 'day', 'month'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

export const TIME_ZONE = 'Europe/London';

/** Lantern's user roles; what each may see is enforced by the server (docs/security.md). */
export const USER_ROLES = ['admin', 'analyst', 'police', 'panel'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const USER_ROLE_LABELS: Record<UserRole, string> = {
  admin: 'Administrator',
  analyst: 'Analyst',
  police: 'Neighbourhood police',
  panel: 'Scrutiny panel member',
};
