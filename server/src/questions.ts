// The questions several routes and roles share: the map page's under one filter (the
// hexagon counts every incident tile of zooms 10-13 is drawn from, the hour x weekday
// profile, the places ranking), the hotspot layers' answers (Gi*, kernel density's
// surface, emerging hot spots), and the area summary before disclosure control. Each is kept in the results cache (plugins/results-cache.ts)
// under what it depends on (the parsed filter and its own options; no role: the routes
// asking answer every role they allow alike, and the summary route applies disclosure
// control to the kept exact summary per request), so the routes and the warm-up
// (plugins/warm-up.ts) meet on one key: a question the warm-up has answered is a cache
// hit for the first person to ask. The counts behind these, and the hotspot engine's
// (hotspotSources), are asked of the counting engine for the data version they are kept
// under (plugins/counting.ts: the column copy when it holds it, else PostgreSQL).
import {
  CATEGORIES, CATEGORY_LABELS, DEFAULT_LOCATION_LIMIT, DEFAULT_LOCATION_RADIUS, NEAR_REPEAT_LIMIT, PEER_GROUP_LIMIT, ROLES_IN_INCIDENT, type AreaLevel, type Category, type RoleInIncident, type Comparison, type Filters, type FlowPeriod, type HourWeekdayProfile, type PeopleRepeats, type LocationCollection } from '@lantern/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hotspotData, keptStudyGrid, type HotspotData, type Keep } from './hotspots/data.js';
import { chooseCellSize, emergingInput, giStarInput, kdeInput, type EmergingOptions, type GiStarOptions, type KernelDensityOptions } from './hotspots/engine.js';
import { emergingTask, gistarTask, groupsTask, kdeTask, knoxTask, type GroupsAnswer, type Serialised } from './hotspots/worker.js';
import { notJudgedQuestions, type NotJudgedCounts } from './counting/conditions.js';
import type { HexagonCountsByZoom, NearPlace } from './repositories/incidents.js';
import type { TileAddress } from './tiles/hexagons.js';
import type { IncidentTotals } from './repositories/meta.js';
import { comparisonPeriods, type NamedPlace } from './repositories/locations.js';
import { summaryPlan, type ExactSummary } from './repositories/summaries.js';
import { flowPeriods, type PeopleFlowRow, type SourcesRow } from './repositories/people.js';

export function askHexagonCounts(app: FastifyInstance, filters: Filters): Promise<HexagonCountsByZoom> {
  return app.results.rememberShared('hexagon-counts', { filters }, (version) => app.counting.at(version).hexagonCounts(filters));
}

/** The incidents a point tile draws, asked of the engine that holds the data now; not kept (the tile is). */
export async function askTileIncidents(app: FastifyInstance, filters: Filters, tile: TileAddress, limit: number): Promise<number[]> {
  return app.counting.at(await app.results.dataVersion()).tileIncidents(filters, tile, limit);
}

export function askHourWeekdayProfile(app: FastifyInstance, filters: Filters, near?: NearPlace): Promise<HourWeekdayProfile> {
  return app.results.rememberShared('hour-weekday-profile', { filters, near: near ?? null },
    (version) => app.counting.at(version).hourWeekdayProfile(filters, near));
}

/** How many incidents matching the rest each filter could not judge (counting/conditions.ts), kept as the others are. */
export async function askNotJudged(app: FastifyInstance, filters: Filters): Promise<NotJudgedCounts> {
  if (notJudgedQuestions(filters).length === 0) return { counts: {}, keys: {} };
  return app.results.rememberShared('not-judged', { filters }, (version) => app.counting.at(version).notJudged(filters));
}

export function askLocationRanking(
  app: FastifyInstance,
  filters: Filters,
  { limit = DEFAULT_LOCATION_LIMIT, radius = DEFAULT_LOCATION_RADIUS }: { limit?: number; radius?: number } = {},
): Promise<LocationCollection> {
  return app.results.rememberShared('location-ranking', { filters, limit, radius }, async (version) => {
    const periods = comparisonPeriods(filters, await app.metadata.dateRange());
    const previous = periods.previousPeriod ? { ...filters, ...periods.previousPeriod } : null;
    const counts = await app.counting.at(version).placeCounts(filters, previous, radius);
    return app.locations.list(filters, { limit, radius, periods, counts });
  });
}

/**
 * Gi* under one filter and its options (the same for every role allowed it); the cell
 * size as asked (the map asks MAP_GISTAR_CELL_SIZE) or, when not, chosen from the data.
 * The map's hot spot layer asks it unfiltered first: the warm-up answers that one ahead.
 */
export function askGiStar(
  app: FastifyInstance,
  filters: Filters,
  { cellSize, ...options }: Omit<GiStarOptions, 'cellSize'> & { cellSize?: number },
  asker?: FastifyRequest,
): Promise<Serialised> {
  return app.results.rememberShared('gi-star', { filters, cellSize: cellSize ?? null, band: options.band ?? null, fdr: options.fdr, weight: options.weight },
    async (version, signal) => {
      const data = hotspotSources(app, version);
      const input = await giStarInput(data, filters, { ...options, cellSize: await chooseCellSize(data, filters, cellSize) });
      return app.compute.run(gistarTask(input), signal);
    }, asker);
}

/** Emerging hot spots under one filter and its options; the warm-up answers the layer as it opens (no filter, the defaults). */
export function askEmergingHotspots(app: FastifyInstance, filters: Filters, options: EmergingOptions, asker?: FastifyRequest): Promise<Serialised> {
  const { cellSize, band = null, slice, timeSteps, fdr, dateRange } = options;
  return app.results.rememberShared('emerging-hotspots', { filters, cellSize, band, slice, timeSteps, fdr, dateRange }, async (version, signal) =>
    app.compute.run(emergingTask(await emergingInput(hotspotSources(app, version), filters, options)), signal), asker);
}

/**
 * Kernel density's surface under one filter and its options (the same for every role
 * allowed it). The map's KDE layer asks it unfiltered first: the warm-up answers that
 * one ahead.
 */
export function askKernelDensity(app: FastifyInstance, filters: Filters, options: KernelDensityOptions, asker?: FastifyRequest): Promise<Serialised> {
  const { bandwidth = null, resolution = null, weight } = options;
  return app.results.rememberShared('kernel-density', { filters, bandwidth, resolution, weight }, async (version, signal) =>
    app.compute.run(kdeTask(await kdeInput(hotspotSources(app, version), filters, options)), signal), asker);
}

/**
 * The Knox test under one filter and its bands (the same for every role allowed it), in
 * a worker thread; `tooMany` when more incidents match than it takes.
 */
export function askNearRepeat(
  app: FastifyInstance, filters: Filters,
  options: { spatialBand: number; spatialBands: number; temporalBand: number; temporalBands: number; iterations: number; seed: number },
  asker?: FastifyRequest,
): Promise<Serialised | { tooMany: number }> {
  return app.results.rememberShared('near-repeat', { filters, ...options }, async (version, signal) => {
    const points = await app.counting.at(version).incidentPoints(filters, NEAR_REPEAT_LIMIT + 1);
    if (points.day.length > NEAR_REPEAT_LIMIT) return { tooMany: points.day.length };
    const what = filters.categories?.length === 1 ? `${CATEGORY_LABELS[filters.categories[0]!]} incidents` : 'Incidents';
    return app.compute.run(knoxTask({
      x: Float64Array.from(points.x), y: Float64Array.from(points.y), day: Int32Array.from(points.day), ...options,
    }, what, points.monthsOnly), signal);
  }, asker);
}

/** How many groups an answer describes (largest first); the rest are counted in the sizes. */
export const PEER_GROUPS_SHOWN = 25;

/** The peer groups' search and its counts: the groups (largest first, with place ids) or `tooMany`. */
export interface PeerGroupSearch {
  answer: GroupsAnswer;
  incidents: number;
  unknownTime: number;
  /** The places the described groups use, by id. */
  places: Map<number, NamedPlace>;
}

/**
 * Peer groups under one filter (analysis/groups.ts) in a worker thread: the incidents
 * naming a person at a known minute, people as dense indexes; `tooMany` beyond the limit.
 */
export function askPeerGroups(
  app: FastifyInstance, filters: Filters, options: { withinHours: number; together: number; minSize: number }, asker?: FastifyRequest,
): Promise<PeerGroupSearch | { tooMany: number }> {
  return app.results.rememberShared('peer-groups', { filters, ...options }, async (version, signal) => {
    const found = await app.counting.at(version).groupIncidents(filters, PEER_GROUP_LIMIT + 1);
    if (found.rows.length > PEER_GROUP_LIMIT) return { tooMany: found.rows.length };
    const rows = found.rows;
    const column = <T extends Int32Array | Float64Array | Uint8Array>(make: new (n: number) => T, value: (row: (typeof rows)[number]) => number) => {
      const out = new make(rows.length);
      for (let k = 0; k < rows.length; k++) out[k] = value(rows[k]!);
      return out;
    };
    const people = rows.reduce((most, row) => Math.max(most, row[0] + 1), 0);
    const personKey = new Uint8Array(people);
    for (const row of rows) personKey[row[0]] = row[1];
    const input = {
      person: column(Int32Array, (row) => row[0]), minute: column(Float64Array, (row) => row[2]),
      x: column(Float64Array, (row) => row[3]), y: column(Float64Array, (row) => row[4]), place: column(Int32Array, (row) => row[5]),
      role: column(Uint8Array, (row) => ROLES_IN_INCIDENT.indexOf(row[6] as RoleInIncident)),
      category: column(Uint8Array, (row) => CATEGORIES.indexOf(row[7] as Category)),
      hour: column(Uint8Array, (row) => row[8]), day: column(Int32Array, (row) => row[9]), personKey,
      hours: options.withinHours, together: options.together, minSize: options.minSize,
    };
    const answer = parsed<GroupsAnswer>(await app.compute.run(groupsTask(input, ROLES_IN_INCIDENT.length, CATEGORIES.length, PEER_GROUPS_SHOWN), signal));
    const ids = [...new Set(answer.groups.flatMap((group) => group.places.map(([place]) => place)))];
    return { answer, incidents: rows.length, unknownTime: found.unknownTime, places: await app.locations.named(ids) };
  }, asker);
}

/** A kept answer as its object (the few callers that read into one: OGC pages, meeting packs). */
export const parsed = <T>(answer: Serialised): T => JSON.parse(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8')) as T;

/** The exact summary (every count): the route gives panel members its disclosure-controlled form. */
export function askAreaSummary(app: FastifyInstance, level: AreaLevel, filters: Filters, compare?: Comparison): Promise<ExactSummary> {
  return app.results.rememberShared('area-summary', { level, filters, compare: compare ?? null }, async (version) => {
    const plan = summaryPlan(level, filters, compare, await app.metadata.dateRange());
    return app.summaries.byArea(plan, await app.counting.at(version).areaCounts(plan.question));
  });
}

/** Repeat people under the filters (analysts only: it describes people, not places), kept per data version. */
export function askPeopleRepeats(app: FastifyInstance, filters: Filters): Promise<PeopleRepeats> {
  return app.results.rememberShared('people-repeats', { filters }, (version) => app.counting.at(version).peopleRepeats(filters));
}

/** People by the set of sources naming them, exact with cell keys, kept per data version. */
export function askPeopleSources(app: FastifyInstance, filters: Filters): Promise<SourcesRow[]> {
  return app.results.rememberShared('people-sources', { filters }, (version) => app.counting.at(version).peopleSources(filters));
}

/** People per period under the filters (new, returning, continuing), exact, with the calendar periods they fall in; kept per data version. */
export function askPeopleFlow(app: FastifyInstance, filters: Filters, unit: FlowPeriod): Promise<{ periods: ReturnType<typeof flowPeriods>; rows: PeopleFlowRow[] }> {
  return app.results.rememberShared('people-flow', { filters, unit }, async (version) => {
    const range = await app.metadata.dateRange();
    const from = filters.from ?? range?.from;
    const to = filters.to ?? range?.to;
    if (!from || !to || from > to) return { periods: [], rows: [] };
    return { periods: flowPeriods(unit, from, to), rows: await app.counting.at(version).peopleFlow({ filters, unit, from, to }) };
  });
}

/**
 * The incidents' totals (how many, distinct people, time unknown) for /api/meta, which
 * every page asks as it opens: from the column copy when it holds the data, else three
 * passes in PostgreSQL, kept per data version.
 */
export function askIncidentTotals(app: FastifyInstance): Promise<IncidentTotals> {
  return app.results.rememberShared('incident-totals', {}, (version) => app.counting.at(version).incidentTotals());
}

/**
 * What the hotspot engine (hotspots/engine.ts) reads for a question kept under
 * `dataVersion`: the study area's grids, kept in the results cache while the data is
 * unchanged, and the counts of the counting engine for that version.
 */
export function hotspotSources(app: FastifyInstance, dataVersion: number): HotspotData {
  return hotspotData(app.hotspotStudy, app.counting.at(dataVersion), keepInResults(app));
}

/** Builds and keeps the study grid of a cell size now, so that the first Gi* or emerging hot spots of that size does not wait for it. */
export async function prepareStudyGrid(app: FastifyInstance, size: number): Promise<void> {
  await keptStudyGrid(app.hotspotStudy, keepInResults(app), size);
}

const keepInResults = (app: FastifyInstance): Keep => (name, parts, make) => app.results.rememberShared(name, parts, make);
