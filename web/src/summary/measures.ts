// What the area summary's map and table show, as plain functions: the measures, their
// classes and legend, the table's columns, sorting and the text of a change.
import {
  CATEGORIES,
  CATEGORY_LABELS,
  ETHNICITIES,
  GENDERS,
  NOT_RECORDED,
  type AreaSummary,
  type AreaSummaryRow,
  type Category,
  type ProtectedCount,
} from '@lantern/shared';
import { interpolateBlues, schemePuOr } from 'd3-scale-chromatic';

export type Row = Omit<AreaSummaryRow, 'code' | 'name'>;
export type Value = ProtectedCount | number | null;

export const MEASURES = {
  episodes: 'Episodes (incidents)',
  people: 'People (distinct persons)',
  ratePer1000: 'Episodes per 1,000 residents',
  rate10to24Per1000: 'Episodes involving 10-24s per 1,000 residents aged 10-24',
  change: 'Change in episodes',
} as const;
export type Measure = keyof typeof MEASURES;

export function measureValue(row: Row, measure: Measure): Value {
  if (measure === 'change') return row.change?.comparable ? row.change.difference ?? 'c' : null;
  return row[measure];
}

const format = (value: number) => value.toLocaleString('en-GB', { maximumFractionDigits: 1 });

/** A value as the table and map label show it: "c" (hidden), "–" (none), or the number. */
export function shown(value: Value): string {
  return value === null ? '–' : typeof value === 'number' ? format(value) : value;
}

export interface LegendClass {
  colour: string;
  label: string;
}
export interface Choropleth {
  /** Per area code: fill colour and the map label. */
  values: Map<string, { colour: string; label: string }>;
  classes: LegendClass[];
}

export const HIDDEN_COLOUR = '#bdbdbd';
export const NONE_COLOUR = '#f2f2f2';
const SEQUENTIAL = [0.15, 0.33, 0.51, 0.69, 0.87].map((t) => interpolateBlues(t));
// ColorBrewer PuOr (d3 orders it purple to orange): purple falls, orange rises; safe for
// the common colour-vision deficiencies, and the legend and table say it in words.
const DIVERGING = [...schemePuOr[5]!];

/**
 * Quintile classes of the values shown (sequential blues), or for change five classes
 * around zero (falls purple, rises orange). Hidden values ("c") are grey and say
 * so in the legend; no value (no population, no comparison) is pale.
 */
export function choropleth(summary: AreaSummary, measure: Measure): Choropleth {
  const values = new Map<string, { colour: string; label: string }>();
  const numbers = summary.rows.map((row) => measureValue(row, measure)).filter((v): v is number => typeof v === 'number');
  let classOf: (value: number) => number;
  let classes: LegendClass[];
  let palette: string[] = DIVERGING;
  if (measure === 'change') {
    const magnitudes = numbers.filter((v) => v !== 0).map(Math.abs).sort((a, b) => a - b);
    const step = Math.max(1, magnitudes[Math.floor((magnitudes.length - 1) / 2)] ?? 1);
    classOf = (v) => (v === 0 ? 2 : v < 0 ? (v < -step ? 0 : 1) : v > step ? 4 : 3);
    classes = [`Fell by more than ${format(step)}`, `Fell by up to ${format(step)}`, 'No change', `Rose by up to ${format(step)}`, `Rose by more than ${format(step)}`]
      .map((label, index) => ({ colour: DIVERGING[index]!, label }));
  } else {
    const sorted = [...numbers].sort((a, b) => a - b);
    const breaks = sorted.length ? [...new Set([0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.floor(q * (sorted.length - 1))]!))] : [];
    const max = sorted[sorted.length - 1] ?? 0;
    const count = sorted.length ? breaks.length + 1 : 0;
    // Colours spread over the ramp whatever the number of classes.
    palette = Array.from({ length: count }, (_, i) => SEQUENTIAL[count === 1 ? 2 : Math.round((i * 4) / (count - 1))]!);
    classOf = (v) => breaks.filter((b) => v > b).length;
    classes = palette.map((colour, index) => ({
      colour,
      label: index > 0
        ? `over ${format(breaks[index - 1]!)} to ${format(breaks[index] ?? max)}`
        : sorted[0] === (breaks[0] ?? max) ? format(sorted[0]!) : `${format(sorted[0]!)} to ${format(breaks[0] ?? max)}`,
    }));
  }
  for (const row of summary.rows) {
    const value = measureValue(row, measure);
    if (typeof value === 'number') values.set(row.code, { colour: palette[classOf(value)]!, label: shown(value) });
    else if (value === null) values.set(row.code, { colour: NONE_COLOUR, label: '–' });
    else if (value === NOT_RECORDED) values.set(row.code, { colour: NONE_COLOUR, label: NOT_RECORDED });
    else values.set(row.code, { colour: HIDDEN_COLOUR, label: value });
  }
  const anyHidden = summary.rows.some((row) => { const v = measureValue(row, measure); return v === 'c'; });
  const anyNone = summary.rows.some((row) => measureValue(row, measure) === null);
  const anyUnrecorded = summary.rows.some((row) => measureValue(row, measure) === NOT_RECORDED);
  return {
    values,
    classes: [
      ...classes,
      ...(anyHidden ? [{ colour: HIDDEN_COLOUR, label: 'Hidden: counts from fewer than 3 places (c)' }] : []),
      ...(anyNone ? [{ colour: NONE_COLOUR, label: measure === 'change' ? 'No comparison' : 'No population figure' }] : []),
      ...(anyUnrecorded ? [{ colour: NONE_COLOUR, label: 'Not recorded: none of these records names a person' }] : []),
    ],
  };
}

/** "▲ +6 (+150%)", "▼ −3 (−20%)", "no change", "c", or "–" with no comparison. */
export function changeText(change: Row['change']): string {
  if (!change) return '–';
  if (!change.comparable) return 'no data to compare';
  if (change.difference === null) return 'c';
  if (change.difference === 0) return 'no change';
  const sign = change.difference > 0 ? '+' : '−';
  const percent = change.percent === null ? '' : ` (${sign}${format(Math.abs(change.percent))}%)`;
  return `${change.difference > 0 ? '▲' : '▼'} ${sign}${format(Math.abs(change.difference))}${percent}`;
}

export const BREAKDOWNS = {
  category: 'Categories (episodes)',
  exploitation: 'CSE and CCE (people)',
  violence: 'Serious violence and domestic abuse',
  gender: 'Gender (episodes)',
  ethnicity: 'Ethnic group (episodes)',
} as const;
export type Breakdown = keyof typeof BREAKDOWNS;

export interface Column {
  key: string;
  label: string;
  /** A count (disclosure control applies), not a rate, share or difference. */
  count?: boolean;
  value(row: Row): Value;
  text?(row: Row): string;
}

const titleCase = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function breakdownColumns(breakdown: Breakdown, categories: readonly Category[] = CATEGORIES): Column[] {
  switch (breakdown) {
    case 'category':
      return categories.map((c) => ({ key: `cat-${c}`, label: CATEGORY_LABELS[c], count: true, value: (row) => row.byCategory[c] }));
    case 'exploitation':
      return [
        { key: 'cse-people', count: true, label: 'CSE people', value: (row) => row.peopleByCategory.cse },
        { key: 'cce-people', count: true, label: 'CCE people', value: (row) => row.peopleByCategory.cce },
        { key: 'either', count: true, label: 'CSE or CCE, counted once', value: (row) => row.exploitation.people },
        { key: 'both', count: true, label: 'In both', value: (row) => row.exploitation.both },
      ];
    case 'violence':
      return [
        { key: 'sv', count: true, label: 'Serious violence episodes', value: (row) => row.seriousViolence.episodes },
        { key: 'da', count: true, label: 'Domestic abuse episodes', value: (row) => row.seriousViolence.domesticAbuse },
        {
          key: 'da-share', label: 'Domestic abuse share %', value: (row) => row.seriousViolence.domesticAbuseShare,
          text: (row) => (row.seriousViolence.domesticAbuseShare === null ? (typeof row.seriousViolence.episodes === 'number' ? '–' : 'c') : `${format(row.seriousViolence.domesticAbuseShare)}%`),
        },
      ];
    case 'gender':
      return GENDERS.map((g) => ({ key: `g-${g}`, label: titleCase(g), count: true, value: (row) => row.byGender[g] }));
    case 'ethnicity':
      return ETHNICITIES.map((e) => ({ key: `e-${e}`, label: titleCase(e), count: true, value: (row) => row.byEthnicity[e] }));
  }
}

/** Sort key of a shown value: hidden ("c") and none last. */
export function sortKey(value: Value): number {
  if (typeof value === 'number') return value;
  return Number.NEGATIVE_INFINITY;
}

export function sortRows<R extends Row & { name: string }>(rows: readonly R[], column: Column | null, direction: 'ascending' | 'descending'): R[] {
  const sorted = [...rows].sort((a, b) => {
    if (!column) return a.name.localeCompare(b.name, 'en-GB');
    const difference = sortKey(column.value(a)) - sortKey(column.value(b));
    return Number.isNaN(difference) || difference === 0 ? a.name.localeCompare(b.name, 'en-GB') : difference;
  });
  return direction === 'descending' ? sorted.reverse() : sorted;
}
