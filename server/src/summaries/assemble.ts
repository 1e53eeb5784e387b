// The area summary a role receives, from the exact counts: as counted (analysts,
// police), or under disclosure control (panel members, and analysts' preview). Derived
// figures (rates, shares, change, the CSE/CCE overlap) are computed in one place from
// the counts as shown, so a panel member's rate or change never uses a hidden count.
import {
  CATEGORIES,
  ETHNICITIES,
  FEWEST_PLACES,
  GENDERS,
  NOT_RECORDED,
  SERIOUS_VIOLENCE_GROUP,
  type AreaSummary,
  type AreaSummaryRow,
  type Category,
  type Ethnicity,
  type Gender,
  type ProtectedCount,
} from '@lantern/shared';
import { addUpTo, DISCLOSURE_RULE, keyOfSum, keyOfUnionPart, perturb, perturbRecord, protectedRate } from '../disclosure/protect.js';
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

/**
 * People where no incident counted records a person (police.uk publishes none), and
 * episodes involving 10-24s where none records an age, are "not recorded", never 0:
 * judged on the episodes as shown and the exact people (or aged episodes).
 */
function peopleRecorded(shown: Shown, exact: AreaCounts): Shown {
  const unrecorded = (episodes: ProtectedCount, people: number, value: ProtectedCount): ProtectedCount =>
    (typeof episodes === 'number' && episodes > 0 && people === 0 ? NOT_RECORDED : value);
  return {
    ...shown,
    people: unrecorded(shown.episodes, exact.people, shown.people),
    episodes10to24: unrecorded(shown.episodes, exact.aged, shown.episodes10to24),
    peopleByCategory: Object.fromEntries(CATEGORIES.map((category) => [category,
      unrecorded(shown.byCategory[category], exact.peopleByCategory[category], shown.peopleByCategory[category])])) as Shown['peopleByCategory'],
    previous: shown.previous && exact.previous
      ? { ...shown.previous, people: unrecorded(shown.previous.episodes, exact.previous.people, shown.previous.people) }
      : shown.previous,
  };
}

function assemble(summary: ExactSummary, level: AreaSummary['level'], disclosureControl: boolean,
  shownRowsAsCounted: Shown[], shownTotalAsCounted: Shown): SummaryWithoutSources {
  const shownRows = shownRowsAsCounted.map((shown, index) => peopleRecorded(shown, summary.rows[index]!));
  const shownTotal = peopleRecorded(shownTotalAsCounted, summary.total);
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
const inBoth = (counts: Pick<AreaCounts, 'peopleByCategory' | 'exploitationPeople'>) => counts.peopleByCategory.cse + counts.peopleByCategory.cce - counts.exploitationPeople;
const asShown = ({ keys: _keys, ...counts }: AreaCounts): Shown => ({ ...counts, exploitationBoth: inBoth(counts) });

/** The summary exactly as counted. */
export function exactSummary(summary: ExactSummary, level: AreaSummary['level']): SummaryWithoutSources {
  return assemble(summary, level, false, summary.rows.map(asShown), asShown(summary.total));
}

/** Where the panel's answer has a locationKinds filter: the number of places each area's counts come from. */
export interface PlacesCounted {
  byArea: Map<string, number>;
  district: number;
}


const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const ALL_HIDDEN = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((key) => [key, 'c'])) as Record<K, ProtectedCount>;

/** An area's counts perturbed (docs/disclosure.md), its episodes the sum of its categories as shown. */
function perturbedArea(counts: AreaCounts): Shown & { byCategory: Record<Category, number> } {
  const { keys } = counts;
  const byCategory = perturbRecord(counts.byCategory, keys.byCategory);
  const episodes = sum(Object.values(byCategory));
  const episodesKey = keyOfSum(Object.values(keys.byCategory));
  const breakdown = <K extends string>(names: readonly K[], exact: Record<K, number>, cellKeys: Record<K, number>) => {
    const parts = addUpTo(names.map((name) => perturb(exact[name], cellKeys[name])), episodes, episodesKey);
    return Object.fromEntries(names.map((name, index) => [name, parts[index]!])) as Record<K, number>;
  };
  const peopleByCategory = Object.fromEntries(CATEGORIES.map((category) =>
    [category, Math.min(perturb(counts.peopleByCategory[category], keys.peopleByCategory[category]), byCategory[category])])) as Record<Category, number>;
  const exploitationPeople = perturb(counts.exploitationPeople, keys.exploitationPeople);
  const bothKey = keyOfUnionPart(keys.peopleByCategory.cse, keys.peopleByCategory.cce, keys.exploitationPeople);
  const previousEpisodes = counts.previous ? perturb(counts.previous.episodes, keys.previous.episodes) : 0;
  return {
    episodes,
    people: Math.min(perturb(counts.people, keys.people), episodes),
    episodes10to24: Math.min(perturb(counts.episodes10to24, keys.episodes10to24), episodes),
    exploitationPeople,
    exploitationBoth: Math.min(perturb(inBoth(counts), bothKey), peopleByCategory.cse, peopleByCategory.cce),
    byCategory,
    peopleByCategory,
    byGender: breakdown(GENDERS, counts.byGender, keys.byGender),
    byEthnicity: breakdown(ETHNICITIES, counts.byEthnicity, keys.byEthnicity),
    previous: counts.previous
      ? { episodes: previousEpisodes, people: Math.min(perturb(counts.previous.people, keys.previous.people), previousEpisodes) }
      : null,
    trend: counts.trend.map((value, index) => perturb(value, keys.trend[index]!)),
  };
}

function hiddenArea(counts: AreaCounts): Shown {
  return {
    episodes: 'c', people: 'c', episodes10to24: 'c', exploitationPeople: 'c', exploitationBoth: 'c',
    byCategory: ALL_HIDDEN(CATEGORIES), peopleByCategory: ALL_HIDDEN(CATEGORIES),
    byGender: ALL_HIDDEN(GENDERS), byEthnicity: ALL_HIDDEN(ETHNICITIES),
    previous: counts.previous ? { episodes: 'c', people: 'c' } : null,
    trend: counts.trend.map(() => 'c'),
  };
}

/**
 * The areas hidden from the panel: those whose counts come from 1 or 2 places (with a
 * locationKinds filter), and, when exactly one area is so hidden, the smallest other
 * area with counts too, so the district less the areas shown is never one place.
 */
function hiddenAreas(summary: ExactSummary, perturbed: ReturnType<typeof perturbedArea>[], places: PlacesCounted | null): Set<number> {
  const hidden = new Set<number>();
  if (!places) return hidden;
  summary.rows.forEach((row, index) => {
    const count = places.byArea.get(row.code) ?? 0;
    if (count > 0 && count < FEWEST_PLACES) hidden.add(index);
  });
  if (hidden.size === 1) {
    const other = perturbed.map((shown, index) => ({ episodes: shown.episodes, index }))
      .filter((area) => !hidden.has(area.index) && (places.byArea.get(summary.rows[area.index]!.code) ?? 0) > 0)
      .sort((a, b) => (a.episodes as number) - (b.episodes as number) || a.index - b.index)[0];
    if (other) hidden.add(other.index);
  }
  return hidden;
}

/**
 * The summary as a panel member may see it (docs/disclosure.md): every count perturbed
 * by its cell key; an area's episodes the sum of its categories as shown, its genders
 * and ethnic groups made to add up to that; the district's additive counts the sums of
 * the areas' (so every table adds up as shown); people, not additive, perturbed on their
 * own. With a locationKinds filter, areas whose counts come from fewer than 3 places
 * are hidden ("c"), and everything is when the district's are.
 */
export function protectedSummary(summary: ExactSummary, level: AreaSummary['level'], places: PlacesCounted | null = null): SummaryWithoutSources {
  const perturbed = summary.rows.map(perturbedArea);
  const hidden = hiddenAreas(summary, perturbed, places);
  const everything = places !== null && places.district > 0 && places.district < FEWEST_PLACES;
  const district = perturbedArea(summary.total);
  const sumOver = <K extends string>(names: readonly K[], pick: (area: ReturnType<typeof perturbedArea>) => Record<K, number>) =>
    Object.fromEntries(names.map((name) => [name, sum(perturbed.map((area) => pick(area)[name]))])) as Record<K, number>;
  const byCategory = sumOver(CATEGORIES, (area) => area.byCategory);
  const total: Shown = {
    ...district,
    episodes: sum(Object.values(byCategory)),
    episodes10to24: sum(perturbed.map((area) => area.episodes10to24 as number)),
    byCategory,
    byGender: sumOver(GENDERS, (area) => area.byGender as Record<Gender, number>),
    byEthnicity: sumOver(ETHNICITIES, (area) => area.byEthnicity as Record<Ethnicity, number>),
    previous: district.previous
      ? { episodes: sum(perturbed.map((area) => area.previous!.episodes as number)), people: district.previous.people }
      : null,
    trend: summary.trendMonths.map((_, index) => sum(perturbed.map((area) => area.trend[index] as number))),
  };
  const rows = summary.rows.map((row, index) => (everything || hidden.has(index) ? hiddenArea(row) : perturbed[index]!));
  return assemble(summary, level, true, rows, everything ? hiddenArea(summary.total) : total);
}
