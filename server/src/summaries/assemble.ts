// The area summary a role receives, from the exact counts: as counted (analysts,
// police), or under disclosure control (panel members, and analysts' preview). Derived
// figures (rates, shares, change, the CSE/CCE overlap) are computed in one place from
// the counts as shown, so a panel member's rate or change never uses a hidden count.
import {
  CATEGORIES,
  ETHNICITIES,
  GENDERS,
  SERIOUS_VIOLENCE_GROUP,
  type AreaSummary,
  type AreaSummaryRow,
  type Category,
  type ProtectedCount,
} from '@lantern/shared';
import {
  DISCLOSURE_RULE,
  protectCount,
  protectedRate,
  protectLinkedTables,
  protectTable,
  type CountTable,
  type ProtectedTable,
} from '../disclosure/protect.js';
import type { AreaCounts, ExactSummary } from '../repositories/summaries.js';

export const EXACT_RULE = 'Exact counts: no suppression (analyst and police view).';

export type SummaryWithoutSources = Omit<AreaSummary, 'sources'>;
type Counts = Omit<AreaSummaryRow, 'code' | 'name' | 'population' | 'population10to24'>;

/** The counts as a role sees them, before the derived figures. */
interface Shown {
  episodes: ProtectedCount;
  people: ProtectedCount;
  episodes10to24: ProtectedCount;
  exploitationPeople: ProtectedCount;
  exploitationBoth: ProtectedCount;
  byCategory: Record<Category, ProtectedCount>;
  peopleByCategory: Record<Category, ProtectedCount>;
  byGender: AreaSummaryRow['byGender'];
  byEthnicity: AreaSummaryRow['byEthnicity'];
  previous: { episodes: ProtectedCount; people: ProtectedCount } | null;
  trend: ProtectedCount[];
}

const numberOr = (value: ProtectedCount): number | null => (typeof value === 'number' ? value : null);
const percent = (part: number, whole: number) => Math.round((part / whole) * 1000) / 10;

/** Rates, shares, overlap and change from the counts as shown. */
function derive(shown: Shown, population: number | null, population10to24: number | null, comparable: boolean): Counts {
  const violent = SERIOUS_VIOLENCE_GROUP.map((category) => numberOr(shown.byCategory[category]));
  const violence: ProtectedCount = violent.every((value) => value !== null) ? violent.reduce<number>((a, b) => a + b!, 0) : 'c';
  const domesticAbuse = numberOr(shown.byCategory.domestic_abuse);
  const now = numberOr(shown.episodes);
  const then = shown.previous ? numberOr(shown.previous.episodes) : null;
  return {
    episodes: shown.episodes,
    people: shown.people,
    ratePer1000: protectedRate(shown.episodes, population),
    episodes10to24: shown.episodes10to24,
    rate10to24Per1000: protectedRate(shown.episodes10to24, population10to24),
    byCategory: shown.byCategory,
    peopleByCategory: shown.peopleByCategory,
    exploitation: { people: shown.exploitationPeople, both: shown.exploitationBoth },
    seriousViolence: {
      episodes: violence,
      domesticAbuse: shown.byCategory.domestic_abuse,
      domesticAbuseShare: typeof violence === 'number' && violence > 0 && domesticAbuse !== null ? percent(domesticAbuse, violence) : null,
    },
    byGender: shown.byGender,
    byEthnicity: shown.byEthnicity,
    change: shown.previous ? {
      previousEpisodes: shown.previous.episodes,
      previousPeople: shown.previous.people,
      // Against a stretch the data does not cover, "then" is not a count of zero but unknown.
      difference: comparable && now !== null && then !== null ? now - then : null,
      percent: comparable && now !== null && then !== null && then > 0 ? percent(now - then, then) : null,
      comparable,
    } : null,
    trend: shown.trend,
  };
}

function assemble(summary: ExactSummary, level: AreaSummary['level'], disclosureControl: boolean,
  shownRows: Shown[], shownTotal: Shown): SummaryWithoutSources {
  const comparable = summary.comparison?.covered ?? false;
  return {
    level,
    disclosureControl,
    rule: disclosureControl ? DISCLOSURE_RULE : EXACT_RULE,
    period: summary.period,
    periodWithData: summary.periodWithData,
    comparison: summary.comparison,
    trendMonths: summary.trendMonths,
    rows: summary.rows.map((row, index) => ({
      code: row.code, name: row.name, population: row.population, population10to24: row.population10to24,
      ...derive(shownRows[index]!, row.population, row.population10to24, comparable),
    })),
    total: {
      population: summary.total.population,
      population10to24: summary.total.population10to24,
      ...derive(shownTotal, summary.total.population, summary.total.population10to24, comparable),
    },
  };
}

// Inclusion-exclusion on exact counts: in both = CSE + CCE - (CSE or CCE).
const inBoth = (counts: AreaCounts) => counts.peopleByCategory.cse + counts.peopleByCategory.cce - counts.exploitationPeople;
const asShown = (counts: AreaCounts): Shown => ({ ...counts, exploitationBoth: inBoth(counts) });

/** The summary exactly as counted. */
export function exactSummary(summary: ExactSummary, level: AreaSummary['level']): SummaryWithoutSources {
  return assemble(summary, level, false, summary.rows.map(asShown), asShown(summary.total));
}

/** An areas x keys table of the counts, with the areas' and district's totals. */
function tableOf<K extends string>(summary: ExactSummary, keys: readonly K[], pick: (counts: AreaCounts) => Record<K, number>,
  totalOf: (counts: AreaCounts) => number): CountTable {
  return {
    cells: summary.rows.map((row) => keys.map((key) => pick(row)[key])),
    rowTotals: summary.rows.map(totalOf),
    columnTotals: keys.map((key) => pick(summary.total)[key]),
    total: totalOf(summary.total),
  };
}
const keyed = <K extends string>(keys: readonly K[], values: ProtectedCount[]) =>
  Object.fromEntries(keys.map((key, index) => [key, values[index]!])) as Record<K, ProtectedCount>;
const eachCount = <K extends string>(keys: readonly K[], counts: Record<K, number>) =>
  keyed(keys, keys.map((key) => protectCount(counts[key])));

/**
 * The summary as a panel member may see it. Episodes by category, by gender and by
 * ethnicity are three tables sharing the areas' totals, protected together; the
 * comparison period's episodes and the monthly trend are tables of their own; people
 * (not additive) and the aged 10-24 subset are protected one by one.
 */
export function protectedSummary(summary: ExactSummary, level: AreaSummary['level']): SummaryWithoutSources {
  const [category, gender, ethnicity] = protectLinkedTables([
    tableOf(summary, CATEGORIES, (counts) => counts.byCategory, (counts) => counts.episodes),
    tableOf(summary, GENDERS, (counts) => counts.byGender, (counts) => counts.episodes),
    tableOf(summary, ETHNICITIES, (counts) => counts.byEthnicity, (counts) => counts.episodes),
  ]) as [ProtectedTable, ProtectedTable, ProtectedTable];
  const months = summary.trendMonths.map((_, index) => String(index));
  const trend = protectTable(tableOf(summary, months, (counts) => keyed(months, counts.trend) as Record<string, number>,
    (counts) => counts.trend.reduce((a, b) => a + b, 0)));
  const previous = summary.comparison
    ? protectTable(tableOf(summary, ['episodes'], (counts) => ({ episodes: counts.previous!.episodes }), (counts) => counts.previous!.episodes))
    : null;

  const shown = (counts: AreaCounts, index: number | null): Shown => {
    const pick = (table: ProtectedTable) => (index === null
      ? { cells: table.columnTotals, total: table.total }
      : { cells: table.cells[index]!, total: table.rowTotals[index]! });
    return {
      episodes: pick(category).total,
      people: protectCount(counts.people),
      episodes10to24: protectCount(counts.episodes10to24),
      exploitationPeople: protectCount(counts.exploitationPeople),
      exploitationBoth: protectCount(inBoth(counts)),
      byCategory: keyed(CATEGORIES, pick(category).cells),
      peopleByCategory: eachCount(CATEGORIES, counts.peopleByCategory),
      byGender: keyed(GENDERS, pick(gender).cells),
      byEthnicity: keyed(ETHNICITIES, pick(ethnicity).cells),
      previous: previous && counts.previous
        ? { episodes: pick(previous).total, people: protectCount(counts.previous.people) }
        : null,
      trend: pick(trend).cells,
    };
  };
  return assemble(summary, level, true, summary.rows.map((row, index) => shown(row, index)), shown(summary.total, null));
}
