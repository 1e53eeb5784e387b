// Request and response shapes of Lantern's HTTP API: one source for the server's
// validation, the OpenAPI document and the web client's types.
import { Type, type Static } from 'typebox';
import { FilterQueryProperties } from './filters.js';
import { NotJudged, ProtectedCount } from './summary.js';
import { AREA_LEVELS, LOCATION_KINDS } from './vocabulary.js';

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  field: Type.Optional(Type.String({ description: 'the parameter at fault, when there is one' })),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  questions: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('warming'), Type.Literal('ready')], {
    description: 'the map page\'s opening questions (no filter, the time and age presets): answered ahead (ready), being answered, or not warmed (off)',
  })),
  columns: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('loading'), Type.Literal('ready'), Type.Literal('failed')], {
    description: 'the in-memory column copy the map\'s counts are made from: loading (PostgreSQL answers meanwhile), ready, failed (PostgreSQL answers; see the log) or off',
  })),
  eventLoopDelay: Type.Optional(Type.Object({
    windowSeconds: Type.Number(), p50Ms: Type.Number(), p99Ms: Type.Number(), maxMs: Type.Number(),
  }, { description: 'how long callbacks waited for the server\'s event loop over the last whole window (absent in the first)' })),
  message: Type.Optional(Type.String()),
});
export type Health = Static<typeof Health>;

const Bbox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: '[west, south, east, north] in WGS84 degrees',
});

export const Meta = Type.Object({
  demo: Type.Boolean({ description: 'true when Lantern\'s generated demo data is loaded' }),
  imported: Type.Boolean({ description: 'true when imported (real) data is loaded too; demo and imported data can coexist' }),
  outsideDistrict: Type.Boolean({ description: 'true when rows of whole force files are kept outside the district (counted only with extent=all)' }),
  counts: Type.Object({
    incidents: ProtectedCount,
    people: Type.Union([ProtectedCount], { description: 'distinct pseudonymous persons among the incidents' }),
    locations: Type.Integer(),
    areas: Type.Integer(),
    timeUnknown: Type.Union([ProtectedCount], { description: 'incidents with no known hour (e.g. police.uk months)' }),
  }, { description: 'panel members see incident counts under disclosure control' }),
  dateRange: Type.Union([
    Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }),
    Type.Null(),
  ]),
  extent: Type.Union([Bbox, Type.Null()]),
  areaLevels: Type.Array(
    Type.Object({ level: Type.String(), count: Type.Integer() }),
    { description: 'area levels present in the database' },
  ),
  vocabulary: Type.Object({
    categories: Type.Array(Type.String()),
    locationKinds: Type.Array(Type.String()),
    ageBands: Type.Array(Type.String()),
    genders: Type.Array(Type.String()),
    weekdays: Type.Array(Type.String()),
  }),
  timeZone: Type.String(),
  basemapStyleUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'a MapLibre style to draw beneath Lantern\'s layers; null = Lantern\'s plain background',
  }),
});
export type Meta = Static<typeof Meta>;

// GeoJSON geometry is passed through from PostGIS's ST_AsGeoJSON; its shape is GeoJSON's.
const Geometry = Type.Object(
  { type: Type.String(), coordinates: Type.Array(Type.Unknown()) },
  { additionalProperties: true },
);

export const DEFAULT_LOCATION_RADIUS = 100;
/** Places in a ranking when the request does not say. */
export const DEFAULT_LOCATION_LIMIT = 2000;

// No schema default: the audit log records the parameters as asked (the routes apply 100).
const LocationRadius = Type.Optional(Type.Number({
  minimum: 0, maximum: 1000,
  description: `metres from a location of concern (its edge, for an outline) within which incidents count; default ${DEFAULT_LOCATION_RADIUS}`,
}));

export const LocationProperties = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.Enum(LOCATION_KINDS),
  status: Type.String(),
  rank: Type.Integer({ minimum: 1, description: '1 = most harm within the radius, then most episodes' }),
  episodes: Type.Integer({ description: 'filtered incidents (episodes) within the radius of the place (its edge, for an outline)' }),
  people: Type.Integer({ description: 'distinct persons in those incidents' }),
  harm: Type.Number({ description: 'sum of those incidents\' harm weights' }),
  timeUnknown: Type.Integer({ description: 'of the episodes, those with no known hour' }),
  previous: Type.Union([
    Type.Object({
      episodes: Type.Integer(),
      harm: Type.Number(),
    }),
    Type.Null(),
  ], { description: 'the same filters over the previous period of equal length; null when the period is open' }),
  reviewDate: Type.Union([Type.String(), Type.Null()]),
  source: Type.String({ description: 'where the place comes from: an open dataset (e.g. fsa-food-hygiene-2019), an import, or demo' }),
  attribution: Type.Union([Type.String(), Type.Null()], { description: 'what the source\'s licence asks to be shown with it' }),
  note: Type.Union([Type.String(), Type.Null()], { description: 'what the source says of the place' }),
  approximate: Type.Boolean({ description: 'position or outline known only roughly (an estate drawn from its streets, a postcode centre)' }),
  demo: Type.Boolean({ description: 'invented for the demo data (no open data holds it), not a real place' }),
});
export type LocationProperties = Static<typeof LocationProperties>;

export const LocationFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Geometry,
  properties: LocationProperties,
});
export type LocationFeature = Static<typeof LocationFeature>;

const DateInterval = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) });

export const LocationCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  parameters: Type.Object({
    radius: Type.Number({ description: 'metres from each place within which incidents count' }),
    period: Type.Union([DateInterval, Type.Null()], { description: 'the period counted; null when no incidents match' }),
    previousPeriod: Type.Union([DateInterval, Type.Null()], {
      description: 'the period of equal length just before it; null unless the filters set a date range',
    }),
  }),
  features: Type.Array(LocationFeature),
  notJudged: Type.Optional(NotJudged),
});
export type LocationCollection = Static<typeof LocationCollection>;

export const LocationsQuery = Type.Object(
  {
    ...FilterQueryProperties,
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 5000, default: DEFAULT_LOCATION_LIMIT, description: 'most locations returned' }),
    ),
    radius: LocationRadius,
  },
  { additionalProperties: false },
);
export type LocationsQuery = Static<typeof LocationsQuery>;

export const AreasQuery = Type.Object(
  {
    level: Type.Enum(AREA_LEVELS, {
      description: `area level, one of ${AREA_LEVELS.join(', ')}`,
    }),
    simplify: Type.Optional(
      Type.Number({ minimum: 0, maximum: 500, default: 10, description: 'simplification tolerance in metres' }),
    ),
  },
  { additionalProperties: false },
);
export type AreasQuery = Static<typeof AreasQuery>;

export const AreaFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Geometry,
  properties: Type.Object({
    code: Type.String(),
    name: Type.String(),
    level: Type.String(),
    population: Type.Union([Type.Integer(), Type.Null()]),
    population10to24: Type.Union([Type.Integer(), Type.Null()]),
    labelPoint: Type.Tuple([Type.Number(), Type.Number()]),
  }),
});
export const AreaCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(AreaFeature),
});
export type AreaCollection = Static<typeof AreaCollection>;

export const ProfileQuery = Type.Object(
  {
    ...FilterQueryProperties,
    locationId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'only incidents within the radius of this location of concern' }),
    ),
    radius: LocationRadius,
  },
  { additionalProperties: false },
);
export type ProfileQuery = Static<typeof ProfileQuery>;

const Grid = Type.Array(Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }), {
  minItems: 7,
  maxItems: 7,
  description: '7 rows (Monday first) of 24 local hours',
});

export const HourWeekdayProfile = Type.Object({
  episodes: Grid,
  people: Type.Array(Type.Array(Type.Integer()), {
    description: 'distinct persons per cell; a person may appear in several cells',
  }),
  totals: Type.Object({
    episodes: Type.Integer({ description: 'all matching incidents, including time unknown' }),
    people: Type.Integer({ description: 'distinct persons across all matching incidents' }),
    timeUnknown: Type.Integer({ description: 'matching incidents whose hour is unknown' }),
  }),
  notJudged: Type.Optional(NotJudged),
});
export type HourWeekdayProfile = Static<typeof HourWeekdayProfile>;

export const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22, description: 'zoom 0-22' }),
  x: Type.Integer({ minimum: 0, description: 'column, 0 to 2^z - 1' }),
  y: Type.Integer({ minimum: 0, description: 'row, 0 to 2^z - 1' }),
});
export type TileParams = Static<typeof TileParams>;

export const BasemapFontParams = Type.Object({
  fontstack: Type.String({ minLength: 1, maxLength: 200, description: 'font name, or a comma-separated stack', pattern: '^[A-Za-z0-9 ,_-]+$' }),
  range: Type.String({ pattern: '^[0-9]{1,5}-[0-9]{1,5}$', description: 'glyph range, e.g. 0-255' }),
});
export type BasemapFontParams = Static<typeof BasemapFontParams>;

export const TileQuery = Type.Object(FilterQueryProperties, { additionalProperties: false });

/** Zoom at and above which incident tiles carry points rather than hexagons. */
export const POINT_ZOOM = 14;

export const IncidentExportQuery = Type.Object(
  {
    ...FilterQueryProperties,
    format: Type.Optional(Type.Enum(['csv', 'geojson'], { description: 'csv (default) or geojson' })),
    justification: Type.String({
      minLength: 10,
      maxLength: 500,
      description: 'why this export of incident points is needed (written to the audit log)',
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 50000, description: 'most incidents' })),
  },
  { additionalProperties: false },
);
export type IncidentExportQuery = Static<typeof IncidentExportQuery>;
