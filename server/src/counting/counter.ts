// The seam between Lantern's questions and its two counting engines: every pass over
// the incidents under a filter is one of these methods. PostgreSQL answers them all
// (counting/postgres.ts); the column copy (counting/duckdb/copy.ts) answers the same with the
// same numbers, or declines one it cannot (null). `firstAnswering` puts the two together.
import type { Filters, HourWeekdayProfile, PeopleRepeats } from '@lantern/shared';
import type { NotJudgedCounts } from './conditions.js';
import type { BinnedRow, SnappedPoints } from '../repositories/hotspots.js';
import type { HexagonCountsByZoom, NearPlace } from '../repositories/incidents.js';
import type { PlaceCounts } from '../repositories/locations.js';
import type { IncidentTotals } from '../repositories/meta.js';
import type { AreaCountRows, AreaCountsQuestion } from '../repositories/summaries.js';
import type { GroupIncidents, PeopleFlowQuestion, PeopleFlowRow, SourcesRow } from '../repositories/people.js';
import type { TileAddress } from '../tiles/hexagons.js';

export interface IncidentCounter {
  /** Episodes and harm per hexagon of every zoom the incident tiles aggregate at. */
  hexagonCounts(filters: Filters): Promise<HexagonCountsByZoom>;
  /** Hour x weekday; with a place, only the incidents that count at it (sql/places.ts). */
  hourWeekdayProfile(filters: Filters, near?: NearPlace): Promise<HourWeekdayProfile>;
  /** How many incidents matching the other filters each filter could not judge. */
  notJudged(filters: Filters): Promise<NotJudgedCounts>;
  /** Each place's counts within `radius` under the filters and the previous period's. */
  placeCounts(filters: Filters, previous: Filters | null, radius: number): Promise<PlaceCounts>;
  /** The area summary's four counts. */
  areaCounts(question: AreaCountsQuestion): Promise<AreaCountRows>;
  /** Counts per hexagon of side `size`; with boundaries, within [first, last) and per slice. */
  binned(size: number, filters: Filters, boundaries: string[] | null): Promise<BinnedRow[]>;
  /** Kernel density's points: incidents snapped to 10 m with their counts and harm. */
  snappedPoints(filters: Filters): Promise<SnappedPoints>;
  /** How many incidents, distinct people and incidents without a known time there are. */
  incidentTotals(): Promise<IncidentTotals>;
  /** Per period, the people named: new, returning, continuing (repositories/people.ts). */
  peopleFlow(question: PeopleFlowQuestion): Promise<PeopleFlowRow[]>;
  /** Up to `limit` incidents with a known day as points (BNG x, y, day number), and how many matched without one. */
  incidentPoints(filters: Filters, limit: number): Promise<IncidentPoints>;
  /** Episodes per person (1, 2, 3-4, 5+) overall and by role, the victim-suspect overlap, and the places people keep appearing at. */
  peopleRepeats(filters: Filters): Promise<PeopleRepeats>;
  /** People by the set of sources naming them (repositories/people.ts SOURCES_SQL). */
  peopleSources(filters: Filters): Promise<SourcesRow[]>;
  /** Up to `limit` incidents naming a person at a known minute, for the peer-group search (repositories/people.ts GROUP_INCIDENTS_SQL). */
  groupIncidents(filters: Filters, limit: number): Promise<GroupIncidents>;
  /** The ids of up to `limit` incidents under the filters inside a tile grown by its buffer: what a point tile draws. */
  tileIncidents(filters: Filters, tile: TileAddress, limit: number): Promise<number[]>;
}

/** Incidents as columns of points: British National Grid metres and days since 1970-01-01. */
export interface IncidentPoints {
  x: number[];
  y: number[];
  day: number[];
  /** Incidents matching the filters whose day is not known (months only). */
  monthsOnly: number;
}

type Declining<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R | null> : never;
};

/** An engine that may decline a question (null): the column copy, which holds one radius and one data version. */
export type PartialCounter = Declining<IncidentCounter>;

/** Every method of the seam by name: the engines are put together method by method. */
export const COUNTER_METHODS = [
  'hexagonCounts', 'hourWeekdayProfile', 'notJudged', 'placeCounts', 'areaCounts', 'binned', 'snappedPoints',
  'incidentTotals', 'peopleFlow', 'incidentPoints', 'peopleRepeats', 'peopleSources', 'groupIncidents', 'tileIncidents',
] as const satisfies readonly (keyof IncidentCounter)[];
// A method of IncidentCounter missing from the list fails to compile here.
const _everyMethodListed: Exclude<keyof IncidentCounter, (typeof COUNTER_METHODS)[number]> extends never ? true : never = true;

type Method = (...args: unknown[]) => Promise<unknown>;

/** An object with each method of the seam made by `make` from its name. */
export function eachMethod<T>(make: (name: (typeof COUNTER_METHODS)[number]) => Method): T {
  return Object.fromEntries(COUNTER_METHODS.map((name) => [name, make(name)])) as T;
}

/** Calls the method `name` of an engine with `args`, as the engine's own method (its `this`). */
export const call = (engine: object, name: (typeof COUNTER_METHODS)[number], args: unknown[]) =>
  ((engine as Record<string, Method>)[name]!).apply(engine, args);

/** Each question asked of `first` (when there is one), and of `fallback` when it declines. */
export function firstAnswering(first: PartialCounter | null, fallback: IncidentCounter): IncidentCounter {
  if (!first) return fallback;
  return eachMethod<IncidentCounter>((name) => async (...args) => await call(first, name, args) ?? call(fallback, name, args));
}
