// Incident imports: police.uk street-level CSV, incident CSV with a column mapping, and
// incident GeoJSON. All three stage the same columns and share one merge:
// - rows are keyed by (source, source_ref): the file's reference, else a derived key (a
//   hash of the row's content plus its occurrence number among identical rows), so the
//   same file or an overlapping later extract adds nothing twice;
// - rows outside the district are rejected (reason outside_district), or kept marked outside
//   when the user keeps a whole force file (counted only with extent=all); harm comes from the live weights;
// - areas are never taken from the file: summaries place incidents by point-in-polygon,
//   and the file's LSOA code is only compared, to report disagreements.
import { createHash } from 'node:crypto';
import { outcomeOf, type AgeBand, type Category, type ImportMapping, type Outcome, type Source } from '@lantern/shared';
import type pg from 'pg';
import { personRef } from '../auth/pseudonyms.js';
import { ImportError } from './errors.js';
import {
  britishNationalGrid, parseDateTime, problem, quote, readAge, readAgeBand, readCategory, readEthnicity,
  readGender, readRole, wgs84, type Coordinates, type Parsed, type Problem,
} from './fields.js';
import { outsideDistrict, rejectOutside } from './district.js';
import { propertyText, resolveColumns, type Converted, type CsvFormat, type GeoJsonFormat, type MergeOptions, type MergeResult, type StageColumn } from './format.js';
import { LINK_RADIUS_M } from '../sql/places.js';

export const POLICE_UK_HEADER = ['Crime ID', 'Month', 'Reported by', 'Falls within', 'Longitude', 'Latitude', 'Location',
  'LSOA code', 'LSOA name', 'Crime type', 'Last outcome category', 'Context'] as const;

/**
 * police.uk crime types onto Lantern's categories. police.uk's types are broad: "Violence
 * and sexual offences" includes common assault and sexual offences (docs/imports.md).
 */
export const POLICE_UK_CATEGORIES: Record<string, Category> = {
  'Anti-social behaviour': 'asb',
  'Violence and sexual offences': 'serious_violence',
  Robbery: 'robbery',
  Drugs: 'drugs',
  'Possession of weapons': 'knife_crime',
  Burglary: 'other',
  'Bicycle theft': 'other',
  'Criminal damage and arson': 'other',
  'Other crime': 'other',
  'Other theft': 'other',
  'Public order': 'other',
  Shoplifting: 'other',
  'Theft from the person': 'other',
  'Vehicle crime': 'other',
};

export const INCIDENT_STAGE: StageColumn[] = [
  { name: 'ref', type: 'text' },
  { name: 'ref_derived', type: 'boolean' },
  { name: 'category', type: 'text' },
  { name: 'original_type', type: 'text' },
  { name: 'local_time', type: 'text' },
  { name: 'utc_offset', type: 'text' },
  { name: 'precision', type: 'text' },
  { name: 'x', type: 'float8' },
  { name: 'y', type: 'float8' },
  { name: 'srid', type: 'integer' },
  { name: 'age', type: 'integer' },
  { name: 'age_band', type: 'text' },
  { name: 'gender', type: 'text' },
  { name: 'ethnicity', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'person_ref', type: 'text' },
  { name: 'file_area_code', type: 'text' },
  { name: 'outcome', type: 'text' },
  { name: 'original_outcome', type: 'text' },
];

interface IncidentRow {
  ref: string;
  refDerived: boolean;
  category: Category;
  originalType: string | null;
  local: string;
  offset: string | null;
  precision: 'minute' | 'day' | 'month';
  at: Coordinates;
  age: number | null;
  ageBand: string;
  gender: string;
  ethnicity: string;
  role: string;
  personRef: string | null;
  fileAreaCode: string | null;
  /** police.uk's last outcome, grouped (vocabulary OUTCOMES), and its own words. */
  outcome?: Outcome;
  originalOutcome?: string | null;
}

const stageValues = (row: IncidentRow): unknown[] => [
  row.ref, row.refDerived, row.category, row.originalType, row.local, row.offset, row.precision, row.at.x, row.at.y,
  row.at.srid, row.age, row.ageBand, row.gender, row.ethnicity, row.role, row.personRef, row.fileAreaCode,
  row.outcome ?? 'unknown', row.originalOutcome ?? null,
];

/** A stable key for a row without a reference: the hash of what the row says. */
export const derivedKey = (parts: readonly (string | undefined)[]) =>
  `h:${createHash('sha256').update(parts.map((part) => (part ?? '').trim()).join('\u001f')).digest('base64url').slice(0, 24)}`;

const MONTH = /^(\d{4})-(\d{2})$/;

/** Incidents are linked to the nearest place of concern within this distance (as the demo loader does). */
export { LINK_RADIUS_M };

/** police.uk street-level CSV: exact header, month-only dates, snap-point coordinates. */
export function policeUkFormat(now = new Date()): CsvFormat {
  const at = new Map<string, number>();
  const index = (name: (typeof POLICE_UK_HEADER)[number]) => at.get(name)!;
  return {
    kind: 'police-uk',
    input: 'csv',
    columns: INCIDENT_STAGE,
    notes: [
      'police.uk gives the month only: incidents are dated the 1st of the month and count in no hour or weekday filter.',
      'Rows without a Crime ID (anti-social behaviour) are keyed by a hash of month, position, LSOA, type and location.',
      'Locations are police.uk snap points ("On or near ..."), not exact places.',
      'The last outcome is kept in police.uk\'s words and as a group the outcome filter uses.',
    ],
    header(columns) {
      const missing = POLICE_UK_HEADER.filter((name) => !columns.includes(name));
      if (missing.length) {
        throw new ImportError(`this is not a police.uk street-level CSV: the header lacks ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
      }
      columns.forEach((name, position) => at.set(name, position));
    },
    convert(record) {
      const value = (name: (typeof POLICE_UK_HEADER)[number]) => (record[index(name)] ?? '').trim();
      const problems: Problem[] = [];
      const month = MONTH.exec(value('Month'));
      let local = '';
      if (!value('Month')) problems.push(problem('Month', 'missing_field', 'Month is empty').problem);
      else if (!month || Number(month[2]) < 1 || Number(month[2]) > 12) {
        problems.push(problem('Month', 'bad_date', `${quote(value('Month'))} is not a month (YYYY-MM)`).problem);
      } else {
        local = `${month[1]}-${month[2]}-01 00:00:00`;
        const checked = parseDateTime(local.slice(0, 10), 'Month', 'ymd', now);
        if ('problem' in checked) problems.push(checked.problem);
      }
      const position = wgs84(value('Longitude'), value('Latitude'), { lon: 'Longitude', lat: 'Latitude' });
      if ('problem' in position) problems.push(position.problem);
      const type = value('Crime type');
      const category = POLICE_UK_CATEGORIES[type];
      if (!type) problems.push(problem('Crime type', 'missing_field', 'Crime type is empty').problem);
      else if (!category) problems.push(problem('Crime type', 'unknown_category', `${quote(type)} is not a police.uk crime type Lantern knows`).problem);
      if (problems.length || 'problem' in position) return { problems };
      const id = value('Crime ID');
      return {
        values: stageValues({
          ref: id || derivedKey([value('Month'), value('Longitude'), value('Latitude'), value('LSOA code'), type, value('Location')]),
          refDerived: !id,
          category: category!,
          originalType: type,
          local,
          offset: null,
          precision: 'month',
          at: position.value,
          age: null,
          ageBand: 'unknown',
          gender: 'unknown',
          ethnicity: 'unknown',
          role: 'unknown',
          personRef: null,
          fileAreaCode: value('LSOA code') || null,
          outcome: outcomeOf(value('Last outcome category')),
          originalOutcome: value('Last outcome category') || null,
        }),
      };
    },
    merge: (db, batchId, options) => mergeIncidents(db, batchId, options, 'police_uk_open_data'),
  };
}

export const STOP_SEARCH_HEADER = ['Type', 'Date', 'Part of a policing operation', 'Policing operation', 'Latitude', 'Longitude',
  'Gender', 'Age range', 'Self-defined ethnicity', 'Officer-defined ethnicity', 'Legislation', 'Object of search', 'Outcome',
  'Outcome linked to object of search', 'Removal of more than just outer clothing'] as const;

/** What a stop and search looked for, as Lantern's categories: weapons with knife crime (as police.uk's possession of weapons). */
const SEARCH_OBJECTS: [RegExp, Category][] = [
  [/drug|psychoactive/i, 'drugs'],
  [/weapon|firearm|threaten or harm/i, 'knife_crime'],
];

/**
 * police.uk's age ranges onto Lantern's bands; 10-17 and over 34 each span two bands, so
 * they are kept as unknown (never guessed into one).
 */
const SEARCH_AGES: Record<string, AgeBand> = { 'under 10': '0-9', '18-24': '18-24', '25-34': '25-34' };

/** police.uk stop and search CSV: exact date-times, the searched person's gender, age range and ethnicity. */
export function stopSearchFormat(now = new Date()): CsvFormat {
  const at = new Map<string, number>();
  return {
    kind: 'police-uk-stop-search',
    input: 'csv',
    columns: INCIDENT_STAGE,
    notes: [
      'Stop and search records are kept as their own source (police_uk_stop_search), the searched person as a suspect '
        + '(a search needs reasonable grounds to suspect), categorised by the object of the search: drugs, weapons (with knife crime), else other.',
      'police.uk\'s age ranges 10-17 and over 34 each span two of Lantern\'s bands, so those searches have no age band (unknown), never a guessed one.',
      'Searches have no reference: each is keyed by a hash of the whole row and its occurrence among identical rows.',
    ],
    header(columns) {
      const missing = STOP_SEARCH_HEADER.filter((name) => !columns.includes(name));
      if (missing.length) {
        throw new ImportError(`this is not a police.uk stop and search CSV: the header lacks ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
      }
      columns.forEach((name, position) => at.set(name, position));
    },
    convert(record) {
      const value = (name: (typeof STOP_SEARCH_HEADER)[number]) => (record[at.get(name)!] ?? '').trim();
      const problems: Problem[] = [];
      const when = parseDateTime(value('Date'), 'Date', 'ymd', now);
      if ('problem' in when) problems.push(when.problem);
      const position = wgs84(value('Longitude'), value('Latitude'), { lon: 'Longitude', lat: 'Latitude' });
      if ('problem' in position) problems.push(position.problem);
      const gender = readGender(value('Gender'));
      if ('problem' in gender) problems.push(gender.problem);
      const ethnicity = readEthnicity(value('Self-defined ethnicity') || value('Officer-defined ethnicity'));
      const object = value('Object of search');
      if (problems.length || 'problem' in when || 'problem' in position || 'problem' in gender) return { problems };
      return {
        values: stageValues({
          ref: derivedKey(STOP_SEARCH_HEADER.map((name) => value(name))),
          refDerived: true,
          category: SEARCH_OBJECTS.find(([pattern]) => pattern.test(object))?.[1] ?? 'other',
          originalType: object || null,
          local: when.value.local,
          offset: when.value.offset,
          precision: when.value.precision,
          at: position.value,
          age: null,
          ageBand: SEARCH_AGES[value('Age range').toLowerCase()] ?? 'unknown',
          gender: gender.value,
          ethnicity: 'value' in ethnicity ? ethnicity.value : 'unknown',
          role: 'suspect',
          personRef: null,
          fileAreaCode: null,
          outcome: outcomeOf(value('Outcome')),
          originalOutcome: value('Outcome') || null,
        }),
      };
    },
    merge: (db, batchId, options) => mergeIncidents(db, batchId, options, 'police_uk_stop_search', 'UTC'),
  };
}

const ALIASES: Record<string, readonly string[]> = {
  ref: ['id', 'reference', 'incident_id', 'crime_id', 'crime id', 'source_ref'],
  occurred_at: ['datetime', 'date_time', 'occurred', 'timestamp'],
  date: ['incident_date'],
  time: ['incident_time'],
  lon: ['longitude', 'lng', 'x_wgs84'],
  lat: ['latitude', 'y_wgs84'],
  easting: ['x', 'east'],
  northing: ['y', 'north'],
  category: ['type', 'crime_type', 'crime type'],
  age_band: ['ageband', 'age band'],
  person: ['person_id', 'subject_id', 'nhs_number', 'pnc_id'],
};

type Fields = Map<string, string>;

/**
 * The reader shared by incident CSV and GeoJSON: `text(field)` gives a mapped value;
 * `geometry` (GeoJSON) gives a point when the row carries its position as geometry.
 */
function incidentReader(mapping: ImportMapping, secret: string, fields: Fields, now: Date) {
  const order = mapping.dateOrder ?? 'dmy';
  const values = mapping.values ?? {};
  return (text: (field: string) => string | undefined, geometry?: Parsed<Coordinates>): Converted => {
    const problems: Problem[] = [];
    const take = <T>(parsed: Parsed<T>): T | undefined => {
      if ('problem' in parsed) {
        problems.push(parsed.problem);
        return undefined;
      }
      return parsed.value;
    };
    const name = (field: string) => fields.get(field) ?? field;
    let when: ReturnType<typeof parseDateTime> | undefined;
    if (fields.has('occurred_at')) when = parseDateTime(text('occurred_at') ?? '', name('occurred_at'), order, now);
    else {
      const date = text('date') ?? '';
      const time = (text('time') ?? '').trim();
      when = parseDateTime(time ? `${date.trim()} ${time}` : date, name('date'), order, now);
    }
    const moment = take(when);
    let position: Parsed<Coordinates>;
    if (geometry) position = geometry;
    else if (fields.has('easting')) {
      position = britishNationalGrid(text('easting'), text('northing'), { easting: name('easting'), northing: name('northing') });
    } else position = wgs84(text('lon'), text('lat'), { lon: name('lon'), lat: name('lat') });
    const at = take(position);
    const categoryText = fields.has('category') ? text('category') : undefined;
    let category: Category | undefined;
    if (categoryText !== undefined && categoryText.trim()) {
      category = take(readCategory(categoryText, mapping.categories));
    } else if (mapping.category) category = mapping.category;
    else problems.push(problem(name('category'), 'missing_field', `${name('category')} is empty and the mapping sets no category`).problem);
    const age = fields.has('age') ? take(readAge(text('age'), name('age'))) : null;
    const ageBand = fields.has('age_band') ? take(readAgeBand(text('age_band'), name('age_band'))) : 'unknown';
    const gender = take(readGender(text('gender'), values.gender));
    const ethnicity = take(readEthnicity(text('ethnicity'), values.ethnicity));
    const role = take(readRole(text('role'), values.role));
    if (problems.length) return { problems };
    const ref = (text('ref') ?? '').trim();
    const person = (text('person') ?? '').trim();
    return {
      values: stageValues({
        ref: ref || derivedKey([...fields.keys()].sort().map((field) => `${field}=${text(field) ?? ''}`)),
        refDerived: !ref,
        category: category!,
        originalType: categoryText?.trim() || null,
        local: moment!.local,
        offset: moment!.offset,
        precision: moment!.precision,
        at: at!,
        age: age ?? null,
        ageBand: ageBand ?? 'unknown',
        gender: gender!,
        ethnicity: ethnicity!,
        role: role!,
        personRef: person ? personRef(person, secret) : null,
        fileAreaCode: null,
      }),
    };
  };
}

function incidentNotes(mapping: ImportMapping, fields: Fields): string[] {
  const notes = [`Source: ${mapping.source ?? 'other'}; references are unique within a source.`];
  if (!fields.has('ref')) notes.push('The file has no reference column: rows are keyed by a hash of their content, so an identical row in a later file is not added again.');
  notes.push(`Times without an offset are read as ${mapping.timeZone ?? 'Europe/London'} wall-clock time; dates without a time count in no hour filter.`);
  if (fields.has('person')) notes.push('Person identifiers are replaced by a keyed hash (person_ref); the identifiers themselves are not stored.');
  return notes;
}

function checkMapping(fields: Fields, mapping: ImportMapping, secret: string, noun: string) {
  const has = (field: string) => fields.has(field);
  const problems: string[] = [];
  if (!has('occurred_at') && !has('date')) problems.push(`a date (occurred_at, or date with an optional time)`);
  if (!has('category') && !mapping.category) problems.push('a category column, or "category" for the whole file in the mapping');
  if (problems.length) throw new ImportError(`the ${noun} needs ${problems.join(' and ')}; name them in the mapping's "columns"`, 'mapping');
  if (has('person') && !secret) throw new ImportError('person identifiers cannot be hashed: PERSON_REF_SECRET is not set', 'mapping');
}

/** Incident CSV with a column mapping (file header -> Lantern field), or matching names. */
export function incidentsCsvFormat(mapping: ImportMapping, secret: string, now = new Date()): CsvFormat {
  let fields: Fields = new Map();
  let read: ReturnType<typeof incidentReader>;
  const format: CsvFormat = {
    kind: 'incidents-csv',
    input: 'csv',
    columns: INCIDENT_STAGE,
    notes: [],
    header(columns) {
      const { found, missingMapped } = resolveColumns(columns, INCIDENT_FIELDS_WANTED, mapping.columns, ALIASES);
      if (missingMapped.length) throw new ImportError(`the mapping names columns the file does not have: ${missingMapped.join(', ')}`, 'mapping');
      fields = found;
      const hasPosition = (fields.has('lon') && fields.has('lat')) || (fields.has('easting') && fields.has('northing'));
      if (!hasPosition) throw new ImportError('the file needs lon and lat (WGS84) or easting and northing (British National Grid) columns; name them in the mapping\'s "columns"', 'mapping');
      checkMapping(fields, mapping, secret, 'file');
      const positions = new Map(columns.map((column, position) => [column, position]));
      const indexes = new Map([...fields].map(([field, column]) => [field, positions.get(column)!]));
      read = incidentReader(mapping, secret, fields, now);
      format.notes.push(...incidentNotes(mapping, fields));
      format.convert = (record) => read((field) => {
        const position = indexes.get(field);
        return position === undefined ? undefined : record[position];
      });
    },
    convert: () => {
      throw new Error('header() first');
    },
    merge: (db, batchId, options) => mergeIncidents(db, batchId, options, mapping.source ?? 'other', mapping.timeZone),
  };
  return format;
}

const INCIDENT_FIELDS_WANTED = ['ref', 'occurred_at', 'date', 'time', 'lon', 'lat', 'easting', 'northing', 'category',
  'age', 'age_band', 'gender', 'ethnicity', 'role', 'person'] as const;

/** A GeoJSON Point as coordinates (WGS84, or British National Grid for a 27700 file). */
export function pointOf(geometry: unknown, srid: 4326 | 27700): Parsed<Coordinates> {
  const shape = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!shape || typeof shape !== 'object') return problem('geometry', 'missing_coordinates', 'the feature has no geometry');
  if (shape.type !== 'Point') return problem('geometry', 'invalid_geometry', `an incident is a Point, not ${quote(String(shape.type))}`);
  const coordinates = shape.coordinates;
  if (!Array.isArray(coordinates) || coordinates.length < 2 || !coordinates.slice(0, 2).every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return problem('geometry', 'invalid_geometry', 'the Point has no numeric coordinates');
  }
  const [x, y] = coordinates as [number, number];
  return srid === 27700
    ? britishNationalGrid(String(x), String(y), { easting: 'geometry', northing: 'geometry' })
    : wgs84(String(x), String(y), { lon: 'geometry', lat: 'geometry' });
}

/** Incident GeoJSON: Point features; properties named as in the CSV mapping. */
export function incidentsGeoJsonFormat(mapping: ImportMapping, secret: string, srid: 4326 | 27700, now = new Date()): GeoJsonFormat {
  const fields: Fields = new Map();
  const known = new Set<string>();
  let read: ReturnType<typeof incidentReader> | undefined;
  const format: GeoJsonFormat = {
    kind: 'incidents-geojson',
    input: 'geojson',
    columns: INCIDENT_STAGE,
    notes: [],
    convert(feature) {
      const properties = (feature.properties && typeof feature.properties === 'object' ? feature.properties : {}) as Record<string, unknown>;
      if (!read) {
        // The first feature's properties name the fields, as a CSV header would.
        const { found, missingMapped } = resolveColumns(Object.keys(properties), INCIDENT_FIELDS_WANTED, mapping.columns, ALIASES);
        if (missingMapped.length) throw new ImportError(`the mapping names properties the first feature does not have: ${missingMapped.join(', ')}`, 'mapping');
        for (const [field, property] of found) if (!['lon', 'lat', 'easting', 'northing'].includes(field)) fields.set(field, property);
        checkMapping(fields, mapping, secret, 'first feature');
        for (const field of fields.keys()) known.add(field);
        if (!fields.has('ref')) fields.set('ref', 'id');
        read = incidentReader(mapping, secret, fields, now);
        format.notes.push(...incidentNotes(mapping, fields));
      }
      const featureId = propertyText(feature.id);
      return read((field) => {
        if (field === 'ref' && !known.has('ref')) return featureId;
        const property = fields.get(field);
        return property === undefined ? undefined : propertyText(properties[property]);
      }, pointOf(feature.geometry, srid));
    },
    merge: (db, batchId, options) => mergeIncidents(db, batchId, options, mapping.source ?? 'other', mapping.timeZone),
  };
  return format;
}

/** Below this many new rows an import keeps the indexes up row by row. */
export const BULK_LOAD_MIN_ROWS = 50_000;
/** An import adding this many rows refreshes the planner's statistics before it commits. */
const ANALYZE_AFTER_ROWS = 10_000;

/**
 * A large first load (at least BULK_LOAD_MIN_ROWS new rows and at least as many as the
 * table holds) writes the rows bare and checks them as a set afterwards, as PostgreSQL's
 * "Populating a Database" advises: the secondary indexes are built once after the insert
 * instead of being updated row by row (upkeep of the two GiST and four b-tree indexes is
 * most of an insert's cost, a sorted build about 1 us a row), the unique
 * (source, source_ref) key is built again (a build is cheaper than upkeep for random
 * references; the rows already in the table are left out beforehand by an anti-join,
 * so nothing is added twice), and the foreign keys are checked by one join when they
 * are added back rather than by a query per row.
 * All of it is part of the import's transaction (a failure brings the indexes and keys
 * back with everything else) but holds the table's lock until the commit, so map reads
 * wait for the import; hence only when the table is small beside the file. The primary
 * key stays (incident_areas refers to it). Returns the statements that restore what was
 * dropped, in order (the unique key, the foreign keys, the indexes), or null for an
 * ordinary import.
 */
async function prepareBulkLoad(db: pg.ClientBase, newRows: number): Promise<string[] | null> {
  if (newRows < BULK_LOAD_MIN_ROWS) return null;
  const { rows: [size] } = await db.query<{ rows: string }>('SELECT count(*) AS rows FROM incidents');
  if (Number(size!.rows) > newRows) return null;
  const { rows: constraints } = await db.query<{ name: string; definition: string }>(`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = 'incidents'::regclass AND contype IN ('u', 'f')
     ORDER BY contype DESC, conname`);
  for (const constraint of constraints) await db.query(`ALTER TABLE incidents DROP CONSTRAINT ${db.escapeIdentifier(constraint.name)}`);
  const indexes = await dropIncidentIndexes(db);
  return [
    ...constraints.map((constraint) => `ALTER TABLE incidents ADD CONSTRAINT ${db.escapeIdentifier(constraint.name)} ${constraint.definition}`),
    ...indexes,
  ];
}

/**
 * Drops the incidents' secondary indexes (all but the primary key and the unique
 * (source, source_ref)) in the caller's transaction; returns the statements that build
 * them again. For bulk loads: the import's first load and the 10M benchmark set.
 */
export async function dropIncidentIndexes(db: pg.ClientBase): Promise<string[]> {
  const { rows } = await db.query<{ name: string; definition: string }>(`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = 'incidents'::regclass AND NOT i.indisprimary AND NOT i.indisunique`);
  for (const index of rows) await db.query(`DROP INDEX ${db.escapeIdentifier(index.name)}`);
  // Room to sort a million points in memory for each build.
  if (rows.length > 0) await db.query(`SET LOCAL maintenance_work_mem = '512MB'`);
  return rows.map((index) => index.definition);
}

/**
 * Staged incidents into the live table. Derived keys take an occurrence number among
 * identical rows (two identical ASB reports in one month are two incidents); a file
 * reference repeated at the same position is imported once, at another position it is
 * rejected (duplicate_reference) naming the line that is kept.
 */
export async function mergeIncidents(db: pg.ClientBase, batchId: number, { keepOutside }: MergeOptions, source: Source,
  timeZone: 'Europe/London' | 'UTC' = 'Europe/London'): Promise<MergeResult> {
  // The rows of import_ready r that go on: all of a whole force file kept whole, else those inside the district.
  const kept = keepOutside ? 'true' : 'NOT r.outside';
  await db.query(`
    CREATE TEMP TABLE import_ready ON COMMIT DROP AS
    WITH counted AS (
      -- Each row's occurrence among rows of the same reference. Only the key and the line
      -- are sorted (a sort of whole staged rows spilled to disk: 5.4 s of 14 at 1M rows),
      -- the reference first, compared as bytes: the same partitions, without the locale's
      -- rules, and PostgreSQL's abbreviated keys apply to the sort's first key only.
      -- The first occurrence's line and position come from the same window: a reference
      -- repeated at another position (police.uk files a few crimes at two places) is
      -- rejected naming that line, so the crime counts once and nothing goes silently.
      SELECT s.line, row_number() OVER w AS occurrence, first_value(s.line) OVER w AS first_line,
             (s.x, s.y) IS DISTINCT FROM (first_value(s.x) OVER w, first_value(s.y) OVER w) AS elsewhere
        FROM import_stage s WHERE s.reject IS NULL
      WINDOW w AS (PARTITION BY s.ref COLLATE "C", s.ref_derived ORDER BY s.line)
    ), placed AS (
      SELECT s.*, c.occurrence, c.first_line, c.elsewhere AND NOT s.ref_derived AS elsewhere,
             CASE WHEN s.srid = 27700 THEN ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), 27700), 4326)
                  ELSE ST_SetSRID(ST_MakePoint(s.x, s.y), 4326) END AS geom
        FROM import_stage s JOIN counted c ON c.line = s.line
    )
    SELECT p.*, CASE WHEN p.ref_derived THEN p.ref || ':' || p.occurrence ELSE p.ref END AS source_ref,
           ${outsideDistrict('p.geom')} AS outside
      FROM placed p`);
  await db.query('ANALYZE import_ready');
  const counts = await db.query<{ outside: string; repeated: string; candidates: string }>(`
    SELECT count(*) FILTER (WHERE r.outside) AS outside,
           count(*) FILTER (WHERE ${kept} AND NOT r.ref_derived AND r.occurrence > 1 AND NOT r.elsewhere) AS repeated,
           count(*) FILTER (WHERE ${kept} AND (r.ref_derived OR r.occurrence = 1)) AS candidates
      FROM import_ready r`);
  await db.query(`
    UPDATE import_stage s
       SET reject = jsonb_build_array(jsonb_build_object('field', null, 'reason', 'duplicate_reference',
                    'message', 'the reference is also on line ' || r.first_line || ' at another place; the record is counted once, there'))
      FROM import_ready r
     WHERE r.line = s.line AND r.elsewhere AND ${kept}`);
  if (!keepOutside) await rejectOutside(db);
  const bulk = await prepareBulkLoad(db, Number(counts.rows[0]!.candidates));
  // Without any open place there is no nearest place to look up below (the search costs
  // about 4 us a row even then).
  const { rows: [places] } = await db.query<{ open: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM locations_of_concern WHERE status <> 'closed') AS open`);
  // The nearest place (lantern_nearest_location) is found in the insert rather than by
  // lantern_link_nearest_locations after it: an UPDATE would write every linked row (and
  // all its indexes) a second time. Rows are written in space order (PostGIS sorts
  // geometries along a Hilbert curve), so the incidents under one map tile share few
  // table pages (a dense point tile reads about a fifteenth of the pages it would in
  // file order). Ids therefore follow space, not the file's lines.
  const inserted = await db.query(`
    INSERT INTO incidents (source, source_ref, category, original_type, occurred_at, time_precision, geom, age, age_band,
                           gender, ethnicity, role, person_ref, harm_weight, is_demo, batch_id,
                           nearest_location_id, nearest_location_m, outcome, original_outcome, in_district)
    SELECT $1, r.source_ref, r.category, r.original_type,
           CASE WHEN r.utc_offset IS NOT NULL THEN (r.local_time || r.utc_offset)::timestamptz
                ELSE r.local_time::timestamp AT TIME ZONE $3 END,
           r.precision, r.geom, r.age, CASE WHEN r.age IS NULL THEN r.age_band END,
           r.gender, r.ethnicity, r.role, r.person_ref, coalesce(h.weight, 1), false, $2,
           nearest.id, nearest.distance, r.outcome, r.original_outcome, NOT r.outside
      FROM import_ready r
      LEFT JOIN harm_weights h ON h.category = r.category
      LEFT JOIN LATERAL lantern_nearest_location(ST_Transform(r.geom, 27700), $4, false) nearest ON $5
     WHERE ${kept} AND (r.ref_derived OR r.occurrence = 1)
       ${bulk ? 'AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.source = $1 AND i.source_ref = r.source_ref)' : ''}
     ORDER BY r.geom
    ${bulk ? '' : 'ON CONFLICT (source, source_ref) DO NOTHING'}`, [source, batchId, timeZone, LINK_RADIUS_M, places!.open]);
  for (const statement of bulk ?? []) await db.query(statement);
  const accepted = inserted.rowCount ?? 0;
  if (accepted >= ANALYZE_AFTER_ROWS) {
    // Statistics for the new size: plans made for a nearly empty table (a foreign key's
    // cascade scanning incident_areas row by row) would otherwise stay until autovacuum.
    await db.query('ANALYZE incidents');
    await db.query('ANALYZE incident_areas');
  }
  const disagreements = await db.query<{ n: string }>(`
    SELECT count(*) AS n FROM import_ready r
     WHERE NOT r.outside AND r.file_area_code IS NOT NULL
       AND EXISTS (SELECT 1 FROM areas WHERE level = 'lsoa')
       AND NOT EXISTS (SELECT 1 FROM areas a WHERE a.level = 'lsoa' AND a.code = r.file_area_code
                                              AND ST_Intersects(a.geom, r.geom))`);
  const { outside, repeated, candidates } = counts.rows[0]!;
  return {
    accepted,
    updated: 0,
    duplicates: Number(repeated) + Number(candidates) - accepted,
    outsideDistrict: keepOutside ? 0 : Number(outside),
    keptOutside: keepOutside ? Number(outside) : 0,
    areaCodeDisagreements: Number(disagreements.rows[0]!.n),
  };
}
