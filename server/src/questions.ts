// The questions several routes and roles share: the map page's under one filter (the
// hexagon counts every incident tile of zooms 10-13 is drawn from, the hour x weekday
// profile, the places ranking), the hotspot layers' answers (Gi*, kernel density's
// surface, emerging hot spots), and the area summary before disclosure control. Each is kept in the results cache (plugins/results-cache.ts)
// under what it depends on (the parsed filter and its own options; no role: the routes
// asking answer every role they allow alike, and the summary route applies disclosure
// control to the kept exact summary per request), so the routes and the warm-up
// (plugins/warm-up.ts) meet on one key: a question the warm-up has answered is a cache
// hit for the first person to ask. The counts behind these, and the hotspot engine's
// (hotspotData), are made by the column copy (plugins/column-copy.ts) when it holds the
// data version they are asked at and can answer their filter, else by PostgreSQL.
import { DEFAULT_LOCATION_LIMIT, DEFAULT_LOCATION_RADIUS, type AreaLevel, type Comparison, type Filters, type HourWeekdayProfile, type LocationCollection } from '@lantern/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readDataVersion } from './plugins/database.js';
import { chooseCellSize, emergingInput, giStarInput, kdeInput, type EmergingOptions, type GiStarOptions, type KernelDensityOptions } from './hotspots/engine.js';
import { emergingTask, gistarTask, kdeTask, type Serialised } from './hotspots/worker.js';
import { notJudgedQuestions, type NotJudgedCounts } from './counting/conditions.js';
import type { HotspotDataRepository } from './repositories/hotspots.js';
import type { HexagonCountsByZoom, NearPlace } from './repositories/incidents.js';
import type { IncidentTotals } from './repositories/meta.js';
import type { ExactSummary } from './repositories/summaries.js';

export function askHexagonCounts(app: FastifyInstance, filters: Filters): Promise<HexagonCountsByZoom> {
  return app.results.rememberShared('hexagon-counts', { filters }, async (version) =>
    await app.columns.answer(version, (copy) => copy.hexagonCounts(filters)) ?? app.incidents.hexagonCounts(filters));
}

export function askHourWeekdayProfile(app: FastifyInstance, filters: Filters, near?: NearPlace): Promise<HourWeekdayProfile> {
  return app.results.rememberShared('hour-weekday-profile', { filters, near: near ?? null }, async (version) =>
    await app.columns.answer(version, (copy) => copy.hourWeekdayProfile(filters, near)) ?? app.incidents.hourWeekdayProfile(filters, near));
}

/** How many incidents matching the rest each filter could not judge (counting/conditions.ts), kept as the others are. */
export async function askNotJudged(app: FastifyInstance, filters: Filters): Promise<NotJudgedCounts> {
  if (notJudgedQuestions(filters).length === 0) return { counts: {}, keys: {} };
  return app.results.rememberShared('not-judged', { filters }, async (version) =>
    await app.columns.answer(version, (copy) => copy.notJudged(filters)) ?? app.incidents.notJudged(filters));
}

export function askLocationRanking(
  app: FastifyInstance,
  filters: Filters,
  { limit = DEFAULT_LOCATION_LIMIT, radius = DEFAULT_LOCATION_RADIUS }: { limit?: number; radius?: number } = {},
): Promise<LocationCollection> {
  return app.results.rememberShared('location-ranking', { filters, limit, radius }, async (version) =>
    app.locations.list(filters, {
      limit, radius, dataRange: await app.metadata.dateRange(),
      countPlaces: (current, previous) => app.columns.answer(version, async (copy) =>
        (radius === copy.radius ? copy.placeCounts(current, previous) : null)),
    }));
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
    async (version, signal) => app.compute.run(gistarTask(await giStarInput(await hotspotData(app, version), filters, {
      ...options, cellSize: await chooseCellSize(app.hotspotData, filters, cellSize),
    })), signal), asker);
}

/** Emerging hot spots under one filter and its options; the warm-up answers the layer as it opens (no filter, the defaults). */
export function askEmergingHotspots(app: FastifyInstance, filters: Filters, options: EmergingOptions, asker?: FastifyRequest): Promise<Serialised> {
  const { cellSize, band = null, slice, timeSteps, fdr, dateRange } = options;
  return app.results.rememberShared('emerging-hotspots', { filters, cellSize, band, slice, timeSteps, fdr, dateRange }, async (version, signal) =>
    app.compute.run(emergingTask(await emergingInput(await hotspotData(app, version), filters, options)), signal), asker);
}

/**
 * Kernel density's surface under one filter and its options (the same for every role
 * allowed it). The map's KDE layer asks it unfiltered first: the warm-up answers that
 * one ahead.
 */
export function askKernelDensity(app: FastifyInstance, filters: Filters, options: KernelDensityOptions, asker?: FastifyRequest): Promise<Serialised> {
  const { bandwidth = null, resolution = null, weight } = options;
  return app.results.rememberShared('kernel-density', { filters, bandwidth, resolution, weight }, async (version, signal) =>
    app.compute.run(kdeTask(await kdeInput(await hotspotData(app, version), filters, options)), signal), asker);
}

/** A kept answer as its object (the few callers that read into one: OGC pages, meeting packs). */
export const parsed = <T>(answer: Serialised): T => JSON.parse(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength).toString('utf8')) as T;

/** The exact summary (every count): the route gives panel members its disclosure-controlled form. */
export function askAreaSummary(app: FastifyInstance, level: AreaLevel, filters: Filters, compare?: Comparison): Promise<ExactSummary> {
  return app.results.rememberShared('area-summary', { level, filters, compare: compare ?? null }, async (version) =>
    app.summaries.byArea(level, filters, {
      compare, dataRange: await app.metadata.dateRange(),
      countAreas: (question) => app.columns.answer(version, (copy) => copy.areaCounts(question)),
    }));
}

/**
 * The incidents' totals (how many, distinct people, time unknown) for /api/meta, which
 * every page asks as it opens: from the column copy when it holds the data, else three
 * passes in PostgreSQL, kept per data version.
 */
export function askIncidentTotals(app: FastifyInstance): Promise<IncidentTotals> {
  return app.results.rememberShared('incident-totals', {}, async (version) =>
    await app.columns.answer(version, (copy) => copy.incidentTotals()) ?? app.metadata.incidentTotals());
}

/**
 * The hotspot engine's data (hotspots/engine.ts) with its incident counts (the grids of
 * Gi* and emerging hot spots, kernel density's points) made by the column copy when it
 * holds `dataVersion` (by default the version now) and can answer the filter, else by
 * PostgreSQL.
 */
export async function hotspotData(app: FastifyInstance, dataVersion?: number): Promise<HotspotDataRepository> {
  const version = dataVersion ?? await readDataVersion(app.db);
  return app.hotspotData.counting({
    binned: (size, filters, boundaries) => app.columns.answer(version, (copy) => copy.binned(size, filters, boundaries)),
    snappedPoints: (filters) => app.columns.answer(version, (copy) => copy.snappedPoints(filters)),
  });
}
