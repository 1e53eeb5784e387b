// Area summaries: per-area counts for the filters, with disclosure control for panel members.
import { Type, type Static } from 'typebox';
import { FilterQueryProperties } from './filters.js';
import { AREA_LEVELS, CATEGORIES } from './vocabulary.js';

/**
 * A count as a role may see it: a number, "<5" for a count of 1-4 (primary
 * suppression), or "c" for a count hidden so that a "<5" cannot be worked out from
 * totals (secondary suppression). Published counts are rounded to the nearest 5 when
 * disclosure control applies (docs/disclosure.md).
 */
export const ProtectedCount = Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('<5'), Type.Literal('c')]);
export type ProtectedCount = Static<typeof ProtectedCount>;

const ByCategory = Type.Object(
  Object.fromEntries(CATEGORIES.map((category) => [category, ProtectedCount])) as Record<(typeof CATEGORIES)[number], typeof ProtectedCount>,
);

export const AreaSummaryRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  population: Type.Union([Type.Integer(), Type.Null()]),
  episodes: ProtectedCount,
  people: ProtectedCount,
  /** Episodes per 1,000 residents; null when the count is suppressed or there is no population. */
  ratePer1000: Type.Union([Type.Number(), Type.Null()]),
  byCategory: ByCategory,
});
export type AreaSummaryRow = Static<typeof AreaSummaryRow>;

export const AreaSummary = Type.Object({
  level: Type.Enum(AREA_LEVELS),
  disclosureControl: Type.Boolean({ description: 'true when suppression and rounding were applied' }),
  rule: Type.String({ description: 'the disclosure rule applied, in words' }),
  rows: Type.Array(AreaSummaryRow),
  total: Type.Object({
    episodes: ProtectedCount,
    people: ProtectedCount,
    ratePer1000: Type.Union([Type.Number(), Type.Null()]),
    byCategory: ByCategory,
  }),
});
export type AreaSummary = Static<typeof AreaSummary>;

export const AreaSummaryQuery = Type.Object(
  {
    ...FilterQueryProperties,
    level: Type.Enum(AREA_LEVELS, { description: `area level, one of ${AREA_LEVELS.join(', ')}` }),
    preview: Type.Optional(Type.Enum(['panel'], { description: 'analysts: see what a panel member will see' })),
  },
  { additionalProperties: false },
);
export type AreaSummaryQuery = Static<typeof AreaSummaryQuery>;
