// The import contract: which kinds of file Lantern reads, how a file's columns map onto
// Lantern's fields, and the report every import (CLI or web upload) ends with.
import { Type, type Static } from 'typebox';
import { AREA_LEVELS, CATEGORIES, LOCATION_KINDS, SOURCES } from './vocabulary.js';

export const IMPORT_KINDS = [
  'police-uk',
  'police-uk-stop-search',
  'incidents-csv',
  'incidents-geojson',
  'locations-geojson',
  'locations-csv',
  'areas-geojson',
  'population-csv',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  'police-uk': 'police.uk street-level crime CSV',
  'police-uk-stop-search': 'police.uk stop and search CSV',
  'incidents-csv': 'Incidents CSV (force, hospital or social-care extract)',
  'incidents-geojson': 'Incidents GeoJSON (points)',
  'locations-geojson': 'Locations of concern GeoJSON (points or outlines)',
  'locations-csv': 'Locations of concern CSV (coordinates or a postcode)',
  'areas-geojson': 'Area boundaries GeoJSON (district, ward, LSOA, MSOA, neighbourhood)',
  'population-csv': 'Population CSV by area code',
};

/** Why a row was turned away; the report counts rows by reason. */
export const REJECT_REASONS = [
  'column_count',
  'missing_field',
  'bad_date',
  'bad_number',
  'bad_value',
  'missing_coordinates',
  'bad_coordinates',
  'swapped_coordinates',
  'unknown_category',
  'invalid_geometry',
  'unknown_area',
  'outside_district',
  'unknown_postcode',
  'duplicate_reference',
  'malformed_row',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Lantern's incident fields a file's columns (or GeoJSON properties) can map onto. */
export const INCIDENT_FIELDS = [
  'ref', 'occurred_at', 'date', 'time', 'lon', 'lat', 'easting', 'northing', 'category', 'age', 'age_band',
  'gender', 'ethnicity', 'role', 'person',
] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];

const ValueMap = Type.Record(Type.String(), Type.String(), { description: 'file value -> Lantern value' });

export const ImportMapping = Type.Object({
  source: Type.Optional(Type.Enum(SOURCES, { description: 'incidents: where the extract comes from (refs are unique per source)' })),
  columns: Type.Optional(Type.Record(Type.String(), Type.String(), {
    description: 'Lantern field -> column name or GeoJSON property in the file',
  })),
  timeZone: Type.Optional(Type.Enum(['Europe/London', 'UTC'], { description: 'date-times without an offset are in this zone (default Europe/London)' })),
  dateOrder: Type.Optional(Type.Enum(['dmy', 'mdy', 'ymd'], { description: 'order of day, month, year in dates with slashes (default dmy)' })),
  category: Type.Optional(Type.Enum(CATEGORIES, { description: 'category for every row of a file without a category column' })),
  categories: Type.Optional(ValueMap),
  values: Type.Optional(Type.Object({
    gender: Type.Optional(ValueMap),
    ethnicity: Type.Optional(ValueMap),
    role: Type.Optional(ValueMap),
    kind: Type.Optional(ValueMap),
  }, { additionalProperties: false })),
  kind: Type.Optional(Type.Enum(LOCATION_KINDS, { description: 'locations: the kind of every place in the file' })),
  level: Type.Optional(Type.Enum(AREA_LEVELS, { description: 'areas and population: the geography level' })),
  name: Type.Optional(Type.String({ description: 'locations and areas: the property holding the name' })),
  code: Type.Optional(Type.String({ description: 'areas and population: the column or property holding the area code' })),
  population: Type.Optional(Type.String({ description: 'population: the column with the all-ages count' })),
  population_10_24: Type.Optional(Type.Array(Type.String(), { description: 'population: columns summed for ages 10-24' })),
  dataset: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,60}$', description: 'locations: dataset name that keeps references unique (default: file name)' })),
}, { additionalProperties: false });
export type ImportMapping = Static<typeof ImportMapping>;

export const RejectedRow = Type.Object({
  row: Type.Integer({ description: 'line number in a CSV (header = 1) or feature number in GeoJSON' }),
  field: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Enum(REJECT_REASONS),
  message: Type.String(),
});
export type RejectedRow = Static<typeof RejectedRow>;

export const ImportReport = Type.Object({
  batchId: Type.Union([Type.Integer(), Type.Null()], { description: 'null for a dry run' }),
  kind: Type.Enum(IMPORT_KINDS),
  detected: Type.Boolean({ description: 'true when Lantern recognised the kind itself' }),
  filename: Type.String(),
  encoding: Type.String(),
  dryRun: Type.Boolean(),
  read: Type.Integer({ description: 'data rows or features read' }),
  accepted: Type.Integer({ description: 'rows written (for a dry run: that would be written)' }),
  updated: Type.Integer({ description: 'existing areas or places replaced, or areas given a population' }),
  duplicates: Type.Integer({ description: 'rows already in Lantern, or repeated in the file, skipped' }),
  outsideDistrict: Type.Integer({ description: 'rows outside the district rejected (also counted in rejected, reason outside_district)' }),
  keptOutside: Type.Optional(Type.Integer({ description: 'incidents outside the district kept (keepOutside: a whole force file), counted only with extent=all; absent in reports made before it existed' })),
  rejected: Type.Integer(),
  rejectedByReason: Type.Record(Type.String(), Type.Integer()),
  areaCodeDisagreements: Type.Integer({ description: 'police.uk: rows whose stated LSOA is not the loaded LSOA containing the point' }),
  rejects: Type.Array(RejectedRow, { description: 'the first 200 rejected rows; all are kept with the batch' }),
  notes: Type.Array(Type.String()),
  seconds: Type.Number(),
});
export type ImportReport = Static<typeof ImportReport>;

export const ImportBatch = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  filename: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(['committed', 'failed', 'rolled_back']),
  isDemo: Type.Boolean(),
  rowsTotal: Type.Integer(),
  rowsInserted: Type.Integer(),
  rowsRejected: Type.Integer(),
  liveRows: Type.Integer({ description: 'rows of this batch still in Lantern' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  report: Type.Union([ImportReport, Type.Null()]),
});
export type ImportBatch = Static<typeof ImportBatch>;

export const ImportBatches = Type.Object({ batches: Type.Array(ImportBatch) });
export type ImportBatches = Static<typeof ImportBatches>;

export const ImportQuery = Type.Object({
  kind: Type.Optional(Type.Enum([...IMPORT_KINDS, 'detect'], { description: 'the kind of file; detect (default) recognises it' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'check and report, write nothing' })),
  keepOutside: Type.Optional(Type.Boolean({
    description: 'keep incidents outside the district (a whole force file) instead of rejecting them; every count leaves them out unless the filter says extent=all',
  })),
  encoding: Type.Optional(Type.Enum(['utf-8', 'windows-1252'], { description: 'default: detected (UTF-8 with or without BOM, else Windows-1252)' })),
}, { additionalProperties: false });
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647 }),
}, { additionalProperties: false });
export type ImportParams = Static<typeof ImportParams>;

export const ImportRejects = Type.Object({
  batchId: Type.Integer(),
  rejects: Type.Array(RejectedRow),
  total: Type.Integer(),
});
export type ImportRejects = Static<typeof ImportRejects>;

export const ImportRejectsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'rows per page (default 500)' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000000 })),
}, { additionalProperties: false });
export type ImportRejectsQuery = Static<typeof ImportRejectsQuery>;

export const ImportRollback = Type.Object({
  batch: ImportBatch,
  removed: Type.Integer({ description: 'rows the batch had added, now deleted' }),
  restored: Type.Integer({ description: 'rows the batch had replaced, given their previous values' }),
});
export type ImportRollback = Static<typeof ImportRollback>;
