// Near repeats (issue 32 item 4): the Knox test as in Ratcliffe's Near Repeat Calculator.
import { Type, type Static } from 'typebox';
import { FilterQueryProperties } from './filters.js';

export const NEAR_REPEAT_LIMIT = 5000;

export const NearRepeatQuery = Type.Object(
  {
    ...FilterQueryProperties,
    spatialBand: Type.Optional(Type.Integer({ minimum: 10, maximum: 2000, default: 200, description: 'width of each distance band, metres' })),
    spatialBands: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5, description: 'distance bands after "same location"' })),
    temporalBand: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7, description: 'width of each time band, days' })),
    temporalBands: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 4, description: 'time bands before "more than"' })),
    iterations: Type.Optional(Type.Integer({ minimum: 19, maximum: 999, default: 99, description: 'Monte Carlo shuffles of the dates' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, default: 1, description: 'seed of the shuffles: the same seed gives the same answer' })),
  },
  { additionalProperties: false },
);
export type NearRepeatQuery = Static<typeof NearRepeatQuery>;

const Cell = Type.Object({
  observed: Type.Integer({ minimum: 0, description: 'pairs of incidents this far apart in space and time' }),
  expected: Type.Number({ description: 'mean pairs over the shuffles of dates among the places' }),
  ratio: Type.Union([Type.Number(), Type.Null()], { description: 'Knox ratio: observed / expected' }),
  p: Type.Number({ description: '(shuffles with at least the observed pairs + 1) / (shuffles + 1)' }),
});

export const NearRepeatResult = Type.Object({
  parameters: Type.Object({
    spatialBand: Type.Integer(), spatialBands: Type.Integer(), temporalBand: Type.Integer(), temporalBands: Type.Integer(),
    iterations: Type.Integer(), seed: Type.Integer(),
    incidents: Type.Integer({ description: 'incidents with a known day, each a point' }),
    monthsOnly: Type.Integer({ description: 'incidents matching the filters left out: their day is not known (police.uk publishes months)' }),
    pairs: Type.Integer(),
  }),
  spatialLabels: Type.Array(Type.String()),
  temporalLabels: Type.Array(Type.String()),
  cells: Type.Array(Type.Array(Cell), { description: 'cells[distance band][time band]' }),
  reading: Type.String(),
});
export type NearRepeatResult = Static<typeof NearRepeatResult>;
