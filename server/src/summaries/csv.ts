// The area summary as CSV: a header block (what, when, where, how protected, from what
// data), a blank line, then one row for the district and one per area. Hidden counts
// (a panel member's areas from fewer than 3 places) are the GSS symbol "c" (confidential).
import {
  AREA_LEVEL_LABELS,
  CATEGORIES,
  CATEGORY_LABELS,
  COMPARISON_LABELS,
  ETHNICITIES,
  GENDERS,
  NOT_RECORDED,
  SUMMARY_DEFINITIONS,
  describeFilters,
  describeNotJudged,
  describePeriod,
  type AreaSummary,
  type AreaSummaryRow,
  type Filters,
  type ProtectedCount,
} from '@lantern/shared';
import { csvField } from '../csv.js';

type Counts = Omit<AreaSummaryRow, 'code' | 'name'>;

const count = (value: ProtectedCount) => (typeof value === 'number' || value === NOT_RECORDED ? value : 'c');
const ratio = (value: number | null, hidden: boolean | typeof NOT_RECORDED) => (value === null ? (hidden === NOT_RECORDED ? NOT_RECORDED : hidden ? 'c' : '') : value);
/** Why a rate is missing: its count is hidden ("c"), not recorded, or (false) there is no population. */
const hiddenCount = (value: ProtectedCount) => (value === NOT_RECORDED ? NOT_RECORDED : typeof value !== 'number');

/** Column heading and value, in order. */
function columns(summary: AreaSummary): [string, (row: Counts) => unknown][] {
  const compared = summary.comparison !== null;
  return [
    ['Residents', (row) => row.population ?? ''],
    ['Residents aged 10-24', (row) => row.population10to24 ?? ''],
    ['Episodes', (row) => count(row.episodes)],
    ['People', (row) => count(row.people)],
    ['Episodes per 1,000 residents', (row) => ratio(row.ratePer1000, hiddenCount(row.episodes))],
    ['Episodes involving people aged 10-24', (row) => count(row.episodes10to24)],
    ['Per 1,000 residents aged 10-24', (row) => ratio(row.rate10to24Per1000, hiddenCount(row.episodes10to24))],
    ...(compared ? [
      ['Episodes in comparison period', (row: Counts) => count(row.change!.previousEpisodes)],
      ['People in comparison period', (row: Counts) => count(row.change!.previousPeople)],
      ['Change in episodes', (row: Counts) => ratio(row.change!.difference, true)],
      ['Change %', (row: Counts) => ratio(row.change!.percent, row.change!.difference === null)],
    ] as [string, (row: Counts) => unknown][] : []),
    ...CATEGORIES.map((c) => [`${CATEGORY_LABELS[c]}: episodes`, (row: Counts) => count(row.byCategory[c])] as [string, (row: Counts) => unknown]),
    ...CATEGORIES.map((c) => [`${CATEGORY_LABELS[c]}: people`, (row: Counts) => count(row.peopleByCategory[c])] as [string, (row: Counts) => unknown]),
    ['CSE or CCE: people (overlap once)', (row) => count(row.exploitation.people)],
    ['CSE and CCE: people in both', (row) => count(row.exploitation.both)],
    ['Serious violence episodes', (row) => count(row.seriousViolence.episodes)],
    ['Domestic abuse share of serious violence %', (row) => ratio(row.seriousViolence.domesticAbuseShare, hiddenCount(row.seriousViolence.episodes) || hiddenCount(row.seriousViolence.domesticAbuse))],
    ...GENDERS.map((g) => [`Gender ${g}: episodes`, (row: Counts) => count(row.byGender[g])] as [string, (row: Counts) => unknown]),
    ...ETHNICITIES.map((e) => [`Ethnic group ${e}: episodes`, (row: Counts) => count(row.byEthnicity[e])] as [string, (row: Counts) => unknown]),
    ...summary.trendMonths.map((month, index) => [`Episodes ${month}`, (row: Counts) => count(row.trend[index]!)] as [string, (row: Counts) => unknown]),
  ];
}

export interface CsvContext {
  filters: Filters;
  generatedAt: Date;
  generatedBy: string;
}

export function summaryCsv(summary: AreaSummary, context: CsvContext): string {
  const line = (cells: unknown[]) => cells.map(csvField).join(',');
  const period = summary.period ? `${describePeriod(summary.period)} (${summary.period.from} to ${summary.period.to})` : 'No incidents';
  const header = [
    ['Lantern area summary'],
    ['Geography', `${AREA_LEVEL_LABELS[summary.level]} (${summary.rows.length} areas)`],
    ['Period', period],
    ['Compared with', summary.comparison
      ? `${COMPARISON_LABELS[summary.comparison.kind]}: ${describePeriod(summary.comparison)} (${summary.comparison.from} to ${summary.comparison.to})${
        summary.comparison.covered ? '' : '; no data to compare: the data does not reach back that far, so no change is given'}`
      : 'No comparison'],
    ['Period with data', summary.periodWithData ? `${summary.periodWithData.from} to ${summary.periodWithData.to}` : ''],
    ['Measure', 'Episodes (incidents) and people (distinct pseudonymous persons), by area; rates per 1,000 residents'],
    ['Filters', describeFilters(context.filters).join('; ') || 'None: all incidents in the period'],
    ['Not judged', describeNotJudged(summary.notJudged).join('; ') || 'None: every filter could judge every incident'],
    ['Suppression', summary.disclosureControl
      ? `${summary.rule} In this file every hidden count is "c" (GSS symbol: confidential).`
      : summary.rule],
    ['Data sources', summary.sources.join('; ') || 'None loaded'],
    ...SUMMARY_DEFINITIONS.map((text, index) => [index === 0 ? 'Definitions' : '', text]),
    ['Generated', `${context.generatedAt.toISOString()} by ${context.generatedBy}`],
  ];
  const table = columns(summary);
  const rows = [
    line(['Area code', 'Area name', ...table.map(([heading]) => heading)]),
    line(['', 'District total', ...table.map(([, value]) => value(summary.total))]),
    ...summary.rows.map((row) => line([row.code, row.name, ...table.map(([, value]) => value(row))])),
  ];
  return `${[...header.map(line), '', ...rows].join('\r\n')}\r\n`;
}
