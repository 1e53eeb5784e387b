// Reporting periods for area summaries: calendar month, quarter and year presets, and
// the period a summary is compared with. Dates are local calendar days 'YYYY-MM-DD'
// (Europe/London; the server filters on incidents' local_date), so plain UTC date
// arithmetic on them is exact: no clock, no time zone.

import { TIME_ZONE } from './vocabulary.js';

/** Today's date where Lantern's users are (Europe/London), 'YYYY-MM-DD'. */
export function localToday(now = new Date()): string {
  return now.toLocaleDateString('en-CA', { timeZone: TIME_ZONE });
}

export const PERIOD_KINDS = ['month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  month: 'Month', quarter: 'Quarter', year: 'Year', custom: 'Custom dates',
};

export const COMPARISONS = ['previous', 'last_year'] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const COMPARISON_LABELS: Record<Comparison, string> = {
  previous: 'Previous period', last_year: 'Same period last year',
};

export interface DateRange {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const parse = (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { y, m, d };
};
const format = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `months` months away, clamped to the month's last day (31 Mar - 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
}

export function lastDayOfMonth(date: string): string {
  const { y, m } = parse(date);
  return format(y, m, daysInMonth(y, m));
}

/** Days in the range, both ends included. */
export function daysIn(range: DateRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Whole calendar months in the range (1st of a month to the last day of a month), else null. */
export function wholeMonths(range: DateRange): number | null {
  const from = parse(range.from);
  const to = parse(range.to);
  if (from.d !== 1 || range.to !== lastDayOfMonth(range.to)) return null;
  const months = (to.y - from.y) * 12 + (to.m - from.m) + 1;
  return months > 0 ? months : null;
}

/** The calendar month, quarter or year containing `date`. */
export function presetPeriod(kind: Exclude<PeriodKind, 'custom'>, date: string): DateRange {
  const { y, m } = parse(date);
  const firstMonth = kind === 'month' ? m : kind === 'quarter' ? m - ((m - 1) % 3) : 1;
  const months = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const from = format(y, firstMonth, 1);
  return { from, to: lastDayOfMonth(addMonths(from, months - 1)) };
}

/** The latest quarter the data covers to its end (a partial quarter misleads a comparison), else the latest. */
export function latestWholeQuarter(range: DateRange): DateRange {
  const latest = presetPeriod('quarter', range.to);
  const before = addMonths(latest.from, -1);
  return presetPeriod('quarter', latest.to > range.to && before >= range.from ? before : range.to);
}

/**
 * The period a summary is compared with. "previous": the period just before, of the
 * same number of whole months when the period is whole months (Q2 -> Q1, March ->
 * February), otherwise of the same number of days. "last_year": the same dates a year
 * earlier (a period ending on 29 February ends on 28 February).
 */
export function comparisonPeriod(period: DateRange, comparison: Comparison): DateRange {
  const months = wholeMonths(period);
  if (comparison === 'last_year' || months !== null) {
    const shift = comparison === 'last_year' ? -12 : -months!;
    const from = addMonths(period.from, shift);
    const to = months !== null ? lastDayOfMonth(addMonths(period.to, shift)) : addMonths(period.to, shift);
    return { from, to };
  }
  const to = addDays(period.from, -1);
  return { from: addDays(to, -(daysIn(period) - 1)), to };
}

/** The `count` calendar months ending with the month containing `date`, as 'YYYY-MM'. */
export function monthsEnding(date: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addMonths(`${date.slice(0, 7)}-01`, index - count + 1).slice(0, 7));
}

/** "March 2025", "Q1 2025 (January to March)", "2025", or "1 Jan 2025 to 15 Feb 2025". */
export function describePeriod(range: DateRange): string {
  const long = (date: string, parts: Intl.DateTimeFormatOptions) =>
    new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', ...parts });
  const months = wholeMonths(range);
  const { y, m } = parse(range.from);
  if (months === 1) return long(range.from, { month: 'long', year: 'numeric' });
  if (months === 3 && (m - 1) % 3 === 0) return `Q${(m + 2) / 3} ${y} (${long(range.from, { month: 'long' })} to ${long(range.to, { month: 'long' })})`;
  if (months === 12 && m === 1) return String(y);
  const day = { day: 'numeric', month: 'short', year: 'numeric' } as const;
  return `${long(range.from, day)} to ${long(range.to, day)}`;
}

/**
 * A meeting's default date: today, or the day after the data ends when the data ends
 * earlier (a pack covers up to the day before its date, so a date past the data's end
 * would compare an empty stretch with a full one and show everything falling).
 */
export function defaultMeetingDate(dataTo: string | null, today = localToday()): string {
  if (!dataTo) return today;
  const dayAfter = addDays(dataTo, 1);
  return dayAfter < today ? dayAfter : today;
}
