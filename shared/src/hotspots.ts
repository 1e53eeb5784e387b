// The hotspot engine's requests and answers. Every answer states its parameters so a
// result can be reproduced.
import { Type, type Static } from 'typebox';
import { FilterQueryProperties } from './filters.js';

/** The hexagon side (m) of the map's Gi* layer. */
export const MAP_GISTAR_CELL_SIZE = 150;
/** The hexagon side (m) of emerging hot spots when none is asked for (and of the meeting packs'). */
export const EMERGING_CELL_SIZE = 250;

const HotspotOptions = {
  cellSize: Type.Optional(Type.Number({
    minimum: 50, maximum: 1000,
    description: 'hexagon side in metres (50-1000); omitted = automatic, from nearest-neighbour distances',
  })),
  weight: Type.Optional(Type.Enum(['count', 'harm'], { description: 'count incidents (default) or sum their harm weights' })),
};

/** Filtered incidents an answer could not count, and why: every hotspot answer accounts for all of them. */
export const Outside = Type.Object({
  incidents: Type.Integer({ description: 'filtered incidents left out' }),
  reason: Type.String(),
});
export type Outside = Static<typeof Outside>;

/** Why an incident is in no cell: the grid covers the study area (the district) only. */
export const OUTSIDE_STUDY_AREA = 'located beyond the study area (the district outline): in no cell of its grid';

export const GiStarQuery = Type.Object(
  {
    ...FilterQueryProperties,
    ...HotspotOptions,
    band: Type.Optional(Type.Number({
      minimum: 50, maximum: 10000,
      description: 'fixed distance band in metres; omitted = smallest giving every cell a neighbour and 8 on average',
    })),
    fdr: Type.Optional(Type.Boolean({ default: true, description: 'False Discovery Rate correction of the bins (default true)' })),
  },
  { additionalProperties: false },
);
export type GiStarQuery = Static<typeof GiStarQuery>;

export const GiStarParameters = Type.Object({
  cellSize: Type.Number({ description: 'hexagon side, metres' }),
  cellSizeSource: Type.String(),
  cellArea: Type.Number({ description: 'square metres' }),
  band: Type.Number({ description: 'fixed distance band, metres (centroid to centroid)' }),
  bandSource: Type.String(),
  fdr: Type.Boolean(),
  weight: Type.Enum(['count', 'harm']),
  cells: Type.Integer({ description: 'cells in the study area (n)' }),
  incidents: Type.Integer({ description: 'filtered incidents in the cells' }),
  outside: Outside,
  minNeighbours: Type.Integer(),
  meanNeighbours: Type.Number(),
  crs: Type.Literal('EPSG:27700'),
});
export type GiStarParameters = Static<typeof GiStarParameters>;

export const GiStarCell = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }, { additionalProperties: true }),
  properties: Type.Object({
    id: Type.String(),
    count: Type.Integer(),
    harm: Type.Number(),
    z: Type.Number(),
    p: Type.Number(),
    bin: Type.Integer({ minimum: -3, maximum: 3, description: '±3 99%, ±2 95%, ±1 90% confidence hot (+) or cold (−); 0 not significant' }),
    neighbours: Type.Integer({ description: 'cells in the neighbourhood, itself included' }),
  }),
});

export const GiStarResult = Type.Object({
  type: Type.Literal('FeatureCollection'),
  parameters: GiStarParameters,
  summary: Type.Object({
    hot99: Type.Integer(), hot95: Type.Integer(), hot90: Type.Integer(),
    cold99: Type.Integer(), cold95: Type.Integer(), cold90: Type.Integer(),
  }),
  features: Type.Array(GiStarCell, { description: 'cells with incidents or a significant bin; the other cells were analysed too' }),
});
export type GiStarResult = Static<typeof GiStarResult>;

export const KdeQuery = Type.Object(
  {
    ...FilterQueryProperties,
    bandwidth: Type.Optional(Type.Number({ minimum: 50, maximum: 5000, description: 'kernel radius in metres; omitted = Silverman\'s rule' })),
    resolution: Type.Optional(Type.Number({ minimum: 25, maximum: 1000, description: 'output cell size in metres; omitted = bandwidth / 4, at least 50' })),
    weight: Type.Optional(Type.Enum(['count', 'harm'])),
  },
  { additionalProperties: false },
);
export type KdeQuery = Static<typeof KdeQuery>;

export const KdeResult = Type.Object({
  parameters: Type.Object({
    kernel: Type.Literal('quartic'),
    bandwidth: Type.Number(),
    bandwidthSource: Type.String(),
    resolution: Type.Number(),
    weight: Type.Enum(['count', 'harm']),
    incidents: Type.Integer({ description: 'filtered incidents in the surface' }),
    outside: Outside,
    units: Type.String(),
    crs: Type.Literal('EPSG:27700'),
  }),
  grid: Type.Object({
    xmin: Type.Number(), ymin: Type.Number(),
    columns: Type.Integer(), rows: Type.Integer(),
    /** Corners in WGS84 for drawing: [west, south, east, north] of the grid's BNG box, transformed. */
    corners: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), { description: 'grid corners in WGS84: top-left, top-right, bottom-right, bottom-left' }),
    max: Type.Number(),
    values: Type.Array(Type.Number(), { description: 'row by row from the north-west corner; density per km²' }),
  }),
});
export type KdeResult = Static<typeof KdeResult>;

export const EvaluateQuery = Type.Object(
  {
    ...FilterQueryProperties,
    ...HotspotOptions,
    method: Type.Optional(Type.Enum(['gistar', 'kde', 'count'], { description: 'how cells are ranked from the training period' })),
    trainFrom: Type.String({ format: 'date' }),
    trainTo: Type.String({ format: 'date' }),
    testFrom: Type.String({ format: 'date' }),
    testTo: Type.String({ format: 'date' }),
    top: Type.Optional(Type.Number({ minimum: 0.1, maximum: 50, default: 5, description: 'share of the study area flagged, percent' })),
  },
  { additionalProperties: false },
);
export type EvaluateQuery = Static<typeof EvaluateQuery>;

export const EvaluateResult = Type.Object({
  parameters: Type.Object({
    method: Type.String(), cellSize: Type.Number(), top: Type.Number(),
    trainFrom: Type.String(), trainTo: Type.String(), testFrom: Type.String(), testTo: Type.String(),
    cells: Type.Integer(), flaggedCells: Type.Integer(),
    outside: Type.Object({ training: Outside, test: Outside }),
    areaShare: Type.String({ description: 'which area the area share is a share of' }),
  }),
  trainingIncidents: Type.Integer(),
  testIncidents: Type.Integer(),
  captured: Type.Integer({ description: 'test incidents inside the flagged cells' }),
  hitRate: Type.Number({ description: 'captured / test incidents' }),
  areaShare: Type.Number({ description: 'flagged area / study area' }),
  pai: Type.Union([Type.Number(), Type.Null()], { description: 'Predictive Accuracy Index = hit rate / area share' }),
  pei: Type.Union([Type.Number(), Type.Null()], { description: 'Predictive Efficiency Index = captured / best possible capture with as many cells' }),
  bestCaptured: Type.Integer(),
});
export type EvaluateResult = Static<typeof EvaluateResult>;

export const EMERGING_PATTERNS = [
  'new_hot', 'consecutive_hot', 'intensifying_hot', 'persistent_hot', 'diminishing_hot', 'sporadic_hot', 'oscillating_hot', 'historical_hot',
  'new_cold', 'consecutive_cold', 'intensifying_cold', 'persistent_cold', 'diminishing_cold', 'sporadic_cold', 'oscillating_cold', 'historical_cold',
  'no_pattern',
] as const;
export type EmergingPatternId = (typeof EMERGING_PATTERNS)[number];
export const EMERGING_PATTERN_LABELS: Record<EmergingPatternId, string> = {
  new_hot: 'New hot spot', consecutive_hot: 'Consecutive hot spot', intensifying_hot: 'Intensifying hot spot',
  persistent_hot: 'Persistent hot spot', diminishing_hot: 'Diminishing hot spot', sporadic_hot: 'Sporadic hot spot',
  oscillating_hot: 'Oscillating hot spot', historical_hot: 'Historical hot spot',
  new_cold: 'New cold spot', consecutive_cold: 'Consecutive cold spot', intensifying_cold: 'Intensifying cold spot',
  persistent_cold: 'Persistent cold spot', diminishing_cold: 'Diminishing cold spot', sporadic_cold: 'Sporadic cold spot',
  oscillating_cold: 'Oscillating cold spot', historical_cold: 'Historical cold spot', no_pattern: 'No pattern',
};

export const EmergingQuery = Type.Object(
  {
    ...FilterQueryProperties,
    cellSize: Type.Optional(Type.Number({ minimum: 100, maximum: 1000, description: `hexagon side in metres (100-1000); omitted = ${EMERGING_CELL_SIZE}` })),
    band: Type.Optional(Type.Number({ minimum: 100, maximum: 10000, description: 'distance band in metres; omitted = automatic' })),
    slice: Type.Optional(Type.Enum(['week', 'month', 'quarter'], { description: 'time slice (default month)' })),
    timeSteps: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, default: 1, description: 'earlier slices in each neighbourhood (default 1)' })),
    fdr: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type EmergingQuery = Static<typeof EmergingQuery>;

export const EmergingResult = Type.Object({
  type: Type.Literal('FeatureCollection'),
  parameters: Type.Object({
    cellSize: Type.Number(), band: Type.Number(), slice: Type.String(), slices: Type.Integer(),
    firstSlice: Type.String(), lastSliceEnds: Type.String({ description: 'exclusive' }),
    timeSteps: Type.Integer(), fdr: Type.Boolean(), cells: Type.Integer(),
    incidents: Type.Integer({ description: 'filtered incidents in the cube' }),
    outside: Outside,
    partialSlice: Type.Union([Type.Object({
      from: Type.String(), to: Type.String({ description: 'inclusive' }), incidents: Type.Integer(),
    }), Type.Null()], { description: 'the days before the first whole slice (slices end where the data or the dates end), left out of the cube' }),
    trendAlpha: Type.Number({ description: 'a trend needs a two-sided Mann-Kendall p below this' }),
    significance: Type.String(), crs: Type.Literal('EPSG:27700'),
  }),
  summary: Type.Record(Type.String(), Type.Integer()),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }, { additionalProperties: true }),
    properties: Type.Object({
      id: Type.String(),
      pattern: Type.Enum(EMERGING_PATTERNS),
      count: Type.Integer(),
      trendZ: Type.Number(), trendP: Type.Number(),
      hotSlices: Type.Integer(), coldSlices: Type.Integer(),
      bins: Type.Array(Type.Integer(), { description: 'confidence bin per slice, oldest first' }),
    }),
  }), { description: 'cells with a pattern' }),
});
export type EmergingResult = Static<typeof EmergingResult>;
