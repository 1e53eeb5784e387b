// Area summaries: per-area counts for the filters, with disclosure control for panel members.
import { Type, type Static, type TSchema } from 'typebox';
import { FilterQueryProperties } from './filters.js';
import { COMPARISONS } from './periods.js';
import { AREA_LEVELS, CATEGORIES, ETHNICITIES, GENDERS, type AreaLevel, type Category } from './vocabulary.js';

/** People among incidents none of which records a person (police.uk): not a zero. */
export const NOT_RECORDED = 'not recorded';

/**
 * People counted among episodes, in words: where there are episodes but no person,
 * none of them names one (any named person counts), so people are "not recorded".
 */
export const peopleText = (episodes: number, people: number) =>
  (episodes > 0 && people === 0 ? `people ${NOT_RECORDED}` : `${people.toLocaleString('en-GB')} ${people === 1 ? 'person' : 'people'}`);

/**
 * A count as a role may see it: a number, "c" for a count hidden (an area whose counts
 * come from fewer than 3 places), or "not recorded" for people where no incident
 * counted records a person. Under disclosure control (panel members) the numbers are
 * perturbed and never 1-4 (docs/disclosure.md).
 */
export const ProtectedCount = Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('c'), Type.Literal(NOT_RECORDED)]);
export type ProtectedCount = Static<typeof ProtectedCount>;

/** Disclosure control's published parameters (docs/disclosure.md): no count 1-4 is shown, */
export const SMALLEST_SHOWN = 5;
/** no count of 5 or more moves by more than this, */
export const MAXIMUM_PERTURBATION = 4;
/** and an area whose counts come from fewer places than this (a locationKinds filter) is hidden. */
export const FEWEST_PLACES = 3;

/**
 * How many incidents matching every other filter a filter could not judge, field by
 * field: an hours or weekdays filter cannot judge an incident with no time (police.uk
 * publishes months only), an ages filter one with no age, and so on. Present only for
 * the fields a filter touches. Unknown is never shown as zero.
 */
export const NotJudged = Type.Object({
  time: Type.Optional(Type.Integer({ description: 'incidents with no time of day (or no day) that the hours or weekdays filter left out' })),
  age: Type.Optional(Type.Integer({ description: 'incidents with no age recorded that the ages filter left out' })),
  gender: Type.Optional(Type.Integer({ description: 'incidents with no gender recorded that the genders filter left out' })),
  role: Type.Optional(Type.Integer({ description: 'incidents with no role recorded that the roles filter left out' })),
  outcome: Type.Optional(Type.Integer({ description: 'incidents with no outcome recorded (all but police.uk crimes) that the outcomes filter left out' })),
}, { description: 'incidents each filter could not judge, by field' });
export type NotJudged = Static<typeof NotJudged>;

const countsOf = <K extends string>(keys: readonly K[], description: string) =>
  Type.Object(Object.fromEntries(keys.map((key) => [key, ProtectedCount])) as Record<K, typeof ProtectedCount>, { description });
const nullable = <T extends TSchema>(schema: T, description: string) => Type.Union([schema, Type.Null()], { description });

/**
 * "Serious violence" for the share that is domestic abuse (councillors' question): the
 * violent categories Lantern records. Robbery is counted with acquisitive crime here.
 */
export const SERIOUS_VIOLENCE_GROUP: readonly Category[] = ['serious_violence', 'knife_crime', 'domestic_abuse'];
/** Age bands counted against the population aged 10-24. */
export const AGED_10_TO_24 = ['10-14', '15-17', '18-24'] as const;

/** Definitions shown beside every summary, in its CSV and on the printed report. */
export const SUMMARY_DEFINITIONS = [
  '"Episodes" are incidents; "people" are distinct pseudonymous persons among them (incidents with no person recorded count as episodes only).',
  'People are counted once per area and once in the district total, whatever the number of episodes or categories; the CSE and CCE columns count each child in both groups once in "CSE or CCE".',
  'Serious violence = serious violence, knife crime and domestic abuse episodes; "domestic abuse share" = domestic abuse episodes as a percentage of those.',
  'Rates are episodes per 1,000 residents (census population); "aged 10-24" rates count episodes involving people aged 10-24 per 1,000 residents aged 10-24.',
  'Areas are counted by where each incident happened (point in polygon); police.uk locations are anonymised snap points.',
] as const;

const Counts = {
  episodes: ProtectedCount,
  people: Type.Union([ProtectedCount], { description: 'distinct pseudonymous persons' }),
  ratePer1000: nullable(Type.Number(), 'episodes per 1,000 residents; null when hidden or no population'),
  episodes10to24: Type.Union([ProtectedCount], { description: 'episodes involving people aged 10-24' }),
  rate10to24Per1000: nullable(Type.Number(), 'episodes involving people aged 10-24 per 1,000 residents aged 10-24'),
  byCategory: countsOf(CATEGORIES, 'episodes by category'),
  peopleByCategory: countsOf(CATEGORIES, 'distinct people by category (a person in two categories appears in both)'),
  exploitation: Type.Object({
    people: Type.Union([ProtectedCount], { description: 'distinct people in CSE or CCE: the overlap counted once' }),
    both: Type.Union([ProtectedCount], { description: 'people in both CSE and CCE' }),
  }),
  seriousViolence: Type.Object({
    episodes: ProtectedCount,
    domesticAbuse: ProtectedCount,
    domesticAbuseShare: nullable(Type.Number(), 'domestic abuse as a percentage of serious violence episodes'),
  }),
  byGender: countsOf(GENDERS, 'episodes by gender of the person involved'),
  byEthnicity: countsOf(ETHNICITIES, 'episodes by ethnic group (ONS high-level) of the person involved'),
  change: nullable(Type.Object({
    previousEpisodes: ProtectedCount,
    previousPeople: ProtectedCount,
    difference: nullable(Type.Integer(), 'episodes now minus then; null when either is hidden'),
    percent: nullable(Type.Number(), 'change as a percentage of then; null when hidden or then was 0'),
    comparable: Type.Boolean({ description: 'false when the data does not reach back over the whole comparison period: no change is computed ("no data to compare")' }),
  }), 'against the comparison period; null when no comparison was asked for'),
  trend: Type.Array(ProtectedCount, { description: 'episodes per month, one per trendMonths entry' }),
};

export const AreaSummaryRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  population: nullable(Type.Integer(), 'residents, all ages'),
  population10to24: nullable(Type.Integer(), 'residents aged 10-24'),
  ...Counts,
});
export type AreaSummaryRow = Static<typeof AreaSummaryRow>;

const DateRange = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) });

export const AreaSummary = Type.Object({
  level: Type.Enum(AREA_LEVELS),
  disclosureControl: Type.Boolean({ description: 'true when disclosure control (cell-key perturbation) was applied' }),
  rule: Type.String({ description: 'the disclosure rule applied, in words' }),
  period: nullable(DateRange, 'the period counted (open ends filled from the data); null when there are no incidents'),
  comparison: nullable(Type.Object({
    kind: Type.Enum(COMPARISONS), from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }),
    covered: Type.Boolean({ description: 'whether the data reaches back over the whole comparison period; when not, no change is computed' }),
  }), 'the period compared with: matched day for day to the part of the period the data covers'),
  periodWithData: nullable(DateRange, 'the part of the period the data covers (its first to its last incident): what the comparison matches'),
  sources: Type.Array(Type.String(), { description: 'where the data came from, one line per kind of import' }),
  notJudged: Type.Optional(NotJudged),
  trendMonths: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}$' }), { description: 'the twelve months ending with the period' }),
  rows: Type.Array(AreaSummaryRow),
  total: Type.Object({
    population: nullable(Type.Integer(), 'residents of all the areas; null unless every area has a population'),
    population10to24: nullable(Type.Integer(), 'residents aged 10-24 of all the areas'),
    ...Counts,
  }, { description: 'the district: people counted once across areas' }),
});
export type AreaSummary = Static<typeof AreaSummary>;

export const AreaSummaryQuery = Type.Object(
  {
    ...FilterQueryProperties,
    level: Type.Enum(AREA_LEVELS, { description: `area level, one of ${AREA_LEVELS.join(', ')}` }),
    compare: Type.Optional(Type.Enum(COMPARISONS, { description: 'compare with the previous period or the same period last year' })),
    preview: Type.Optional(Type.Enum(['panel'], { description: 'analysts: see what a panel member will see' })),
  },
  { additionalProperties: false },
);
export type AreaSummaryQuery = Static<typeof AreaSummaryQuery>;

/** The levels the summary page offers, of those holding areas (the district is its total row, not a choice). */
export function summaryLevels(levels: readonly { level: string }[]): AreaLevel[] {
  return levels.map((l) => l.level as AreaLevel).filter((level) => level !== 'district');
}

/** The level the summary page opens on: the first it offers, else the district. */
export function defaultSummaryLevel(levels: readonly { level: string }[]): AreaLevel {
  return summaryLevels(levels)[0] ?? 'district';
}
