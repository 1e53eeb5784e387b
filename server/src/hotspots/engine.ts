// The hotspot engine: turns grid counts from PostGIS into Gi* hot and cold spots,
// kernel density surfaces and PAI/PEI evaluations. SQL lives in
// repositories/hotspots.ts; the statistics in statistics.ts.
import {
  EMERGING_CELL_SIZE, OUTSIDE_STUDY_AREA, type EmergingResult, type EvaluateResult, type Filters, type GiStarResult, type KdeResult,
} from '@lantern/shared';
import { emergingPatterns, TREND_ALPHA } from './emerging.js';
import { HttpError } from '../errors.js';
import type { GridCell, SnappedPoints, StudyBounds } from '../repositories/hotspots.js';
import type { HotspotData } from './data.js';
import { chooseBand, neighboursWithin, type BandChoice } from './neighbours.js';
import { outlineOf, type GridCounts } from './study-grid.js';
import { confidenceBins, giStar, quarticKernel, silvermanBandwidth } from './statistics.js';

/** Most cells a grid may have; a finer automatic cell size is coarsened to fit. */
export const MAX_CELLS = 40_000;
const HEXAGON_AREA = (side: number) => ((3 * Math.sqrt(3)) / 2) * side * side;

export interface CellSizeChoice {
  cellSize: number;
  source: string;
}

/**
 * Cell size like Optimized Hot Spot Analysis: the larger of the mean and median
 * distance from each incident to its nearest (non-coincident) neighbour, kept within
 * 50-1000 m and coarse enough that the study area needs at most MAX_CELLS cells.
 */
export async function chooseCellSize(data: HotspotData, filters: Filters, requested?: number): Promise<CellSizeChoice> {
  const area = await data.studyAreaSquareMetres();
  // Edge cells overhang the outline, so aim 10% under the cap.
  const floor = Math.sqrt(area / (0.9 * MAX_CELLS) / HEXAGON_AREA(1));
  if (requested !== undefined) {
    if (requested < floor) return { cellSize: Math.ceil(floor), source: `requested ${requested} m, coarsened to keep within ${MAX_CELLS} cells` };
    return { cellSize: requested, source: 'requested' };
  }
  const nn = await data.nearestNeighbourDistances(filters);
  const fromData = Math.max(nn.mean ?? 0, nn.median ?? 0);
  const size = Math.round(Math.min(1000, Math.max(50, fromData, floor)));
  return {
    cellSize: size,
    source: `automatic: larger of mean (${(nn.mean ?? 0).toFixed(1)} m) and median (${(nn.median ?? 0).toFixed(1)} m) `
      + `nearest-neighbour distance of ${nn.n} sampled incidents, within 50-1000 m and ${MAX_CELLS} cells`,
  };
}

export interface GiStarOptions {
  cellSize: CellSizeChoice;
  band?: number;
  fdr: boolean;
  weight: 'count' | 'harm';
}

export interface GiStarComputation {
  z: Float64Array;
  p: Float64Array;
  bins: Int8Array;
  neighbours: number[][];
  band: number;
  bandSource: string;
  minNeighbours: number;
  meanNeighbours: number;
}

/** The cells' centres (metres) as two columns. */
export const centresOf = (cells: { x: number; y: number }[]) => ({ x: cells.map((cell) => cell.x), y: cells.map((cell) => cell.y) });

/** The neighbours of each cell within the band (neighbours.ts chooseBand); a caller may keep them per grid and band. */
export type BandOf = (centres: { x: ArrayLike<number>; y: ArrayLike<number> }, spacing: number, requested?: number) => BandChoice;

/** Gi* over a grid of cells (centres x, y in metres). */
export function computeGiStar(centres: { x: ArrayLike<number>; y: ArrayLike<number> }, values: ArrayLike<number>, cellSize: number,
  options: { band?: number; fdr: boolean }, bandOf: BandOf = ({ x, y }, spacing, requested) => chooseBand(x, y, spacing, requested)): GiStarComputation {
  // Centre to centre of neighbouring hexagons: √3 × the side.
  const { band, neighbours, source: bandSource } = bandOf(centres, Math.sqrt(3) * cellSize, options.band);
  const { z, p } = giStar(values, neighbours);
  const bins = confidenceBins(z, p, options.fdr);
  let minNeighbours = Number.POSITIVE_INFINITY;
  let total = 0;
  for (const list of neighbours) {
    minNeighbours = Math.min(minNeighbours, list.length - 1);
    total += list.length - 1;
  }
  return {
    z, p, bins, neighbours, band, bandSource,
    minNeighbours: neighbours.length ? minNeighbours : 0,
    meanNeighbours: neighbours.length ? total / neighbours.length : 0,
  };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** What Gi* is computed from: the study grid's counts under the filter, and the options (plain data, so a worker thread can take it). */
export interface GiStarInput extends GiStarOptions {
  counts: GridCounts;
}

export async function giStarInput(data: HotspotData, filters: Filters, options: GiStarOptions): Promise<GiStarInput> {
  return { ...options, counts: await data.gridCounts(options.cellSize.cellSize, filters) };
}

/** Gi* hot and cold spots from the grid's counts (CPU only: runs in a worker thread, hotspots/worker.ts). */
export function giStarResult(options: GiStarInput, bandOf?: BandOf): GiStarResult {
  const { grid, count, harm, outside } = options.counts;
  const values = options.weight === 'harm' ? harm : count;
  const result = computeGiStar(grid, values, options.cellSize.cellSize, options, bandOf);
  const summary = { hot99: 0, hot95: 0, hot90: 0, cold99: 0, cold95: 0, cold90: 0 };
  const names = { 3: 'hot99', 2: 'hot95', 1: 'hot90', [-1]: 'cold90', [-2]: 'cold95', [-3]: 'cold99' } as const;
  const features: GiStarResult['features'] = [];
  let incidents = 0;
  for (let index = 0; index < grid.n; index++) {
    const bin = result.bins[index]!;
    incidents += count[index]!;
    if (bin !== 0) summary[names[bin as 3 | 2 | 1 | -1 | -2 | -3]] += 1;
    if (count[index] === 0 && bin === 0) continue;
    const id = `${grid.i[index]}:${grid.j[index]}`;
    features.push({
      type: 'Feature',
      id,
      geometry: JSON.parse(outlineOf(grid, index)),
      properties: {
        id, count: count[index]!, harm: round(harm[index]!, 2), z: round(result.z[index]!, 6), p: round(result.p[index]!, 6), bin,
        neighbours: result.neighbours[index]!.length,
      },
    });
  }
  return {
    type: 'FeatureCollection',
    parameters: {
      cellSize: options.cellSize.cellSize,
      cellSizeSource: options.cellSize.source,
      cellArea: round(HEXAGON_AREA(options.cellSize.cellSize), 1),
      band: result.band,
      bandSource: result.bandSource,
      fdr: options.fdr,
      weight: options.weight,
      cells: grid.n,
      incidents,
      outside: { incidents: outside.count, reason: OUTSIDE_STUDY_AREA },
      minNeighbours: result.minNeighbours,
      meanNeighbours: round(result.meanNeighbours, 2),
      crs: 'EPSG:27700',
    },
    summary,
    features,
  };
}

/**
 * Quartic kernel density on a square grid over the study area's bounds, in incidents
 * (or harm) per km². Points come pre-aggregated on a 10 m grid; each adds its kernel to
 * the output cells within one bandwidth.
 */
export interface KernelDensityOptions {
  bandwidth?: number;
  resolution?: number;
  weight: 'count' | 'harm';
}

/** Where the surface lies and how fine it is: decided from the points before the work (a 400 when too fine). */
export interface KdeLayout {
  bandwidth: number;
  bandwidthSource: string;
  resolution: number;
  xmin: number;
  ymin: number;
  columns: number;
  rows: number;
}

export function kdeLayout(points: SnappedPoints, bounds: StudyBounds | null, options: KernelDensityOptions): KdeLayout {
  const { x, y } = points;
  let bandwidth = options.bandwidth ?? 0;
  let bandwidthSource = 'requested';
  if (!options.bandwidth) {
    bandwidth = Math.min(5000, Math.max(50, Math.round(silvermanBandwidth(x, y, points.count) || 500)));
    bandwidthSource = 'automatic: Silverman\'s rule of thumb for two dimensions (0.9 · min(SD, √(1/ln 2) · Dm) · n^−0.2), within 50-5000 m';
  }
  const resolution = options.resolution ?? Math.max(50, Math.round(bandwidth / 4));
  const box = bounds ?? { xmin: 0, ymin: 0, xmax: resolution, ymax: resolution };
  const xmin = Math.floor(box.xmin / resolution) * resolution;
  const ymin = Math.floor(box.ymin / resolution) * resolution;
  const columns = Math.max(1, Math.ceil((box.xmax - xmin) / resolution));
  const rows = Math.max(1, Math.ceil((box.ymax - ymin) / resolution));
  if (columns * rows > 400_000) {
    throw new HttpError(400, `resolution: ${resolution} m makes a grid of ${columns * rows} cells; use at least ${Math.ceil(resolution * Math.sqrt((columns * rows) / 400_000))} m`, 'resolution');
  }
  return { bandwidth, bandwidthSource, resolution, xmin, ymin, columns, rows };
}

/** The surface's corners (NW, NE, SE, SW) in WGS84, for the map to place it. */
export const kdeCorners = (layout: KdeLayout): [number, number][] => {
  const xmax = layout.xmin + layout.columns * layout.resolution;
  const ymax = layout.ymin + layout.rows * layout.resolution;
  return [[layout.xmin, ymax], [xmax, ymax], [xmax, layout.ymin], [layout.xmin, layout.ymin]];
};

export interface KdeInput {
  points: SnappedPoints;
  layout: KdeLayout;
  corners: [number, number][];
  weight: KernelDensityOptions['weight'];
}

export async function kdeInput(data: HotspotData, filters: Filters, options: KernelDensityOptions): Promise<KdeInput> {
  const [points, bounds] = await Promise.all([data.snappedPoints(filters), data.studyBounds()]);
  const layout = kdeLayout(points, bounds, options);
  return { points, layout, corners: await data.toWgs84(kdeCorners(layout)), weight: options.weight };
}

/** The surface itself (CPU only: runs in a worker thread, hotspots/worker.ts). */
export function kdeResult({ points, layout, corners, weight }: KdeInput): KdeResult {
  const { x, y } = points;
  const weights = weight === 'harm' ? points.harm : points.count;
  const incidents = points.count.reduce((sum, count) => sum + count, 0);
  const { bandwidth, bandwidthSource, resolution, xmin, ymin, columns, rows } = layout;
  const values = new Float64Array(columns * rows);
  const reach = Math.ceil(bandwidth / resolution);
  // quarticKernel inlined, with each column's and row's squared offset worked out once
  // per point: the same arithmetic in the same order (the same values to the last bit),
  // without a call and two subtractions per cell (hundreds of thousands of points at 10M).
  const h2 = bandwidth * bandwidth;
  const norm = 3 / (Math.PI * h2);
  const dy2 = new Float64Array(2 * reach + 1);
  for (let k = 0; k < x.length; k++) {
    const px = x[k]!;
    const py = y[k]!;
    const w = weights[k]!;
    const column = Math.floor((px - xmin) / resolution);
    const row = Math.floor((py - ymin) / resolution);
    const r0 = Math.max(0, row - reach);
    const r1 = Math.min(rows - 1, row + reach);
    for (let r = r0; r <= r1; r++) dy2[r - r0] = (ymin + (r + 0.5) * resolution - py) ** 2;
    for (let c = Math.max(0, column - reach); c <= Math.min(columns - 1, column + reach); c++) {
      const dx2 = (xmin + (c + 0.5) * resolution - px) ** 2;
      if (dx2 >= h2) continue;
      for (let r = r0; r <= r1; r++) {
        const d2 = dx2 + dy2[r - r0]!;
        if (d2 >= h2) continue;
        const u = 1 - d2 / h2;
        // Rows are stored from the north: row 0 is the top of the grid.
        values[(rows - 1 - r) * columns + c]! += w * (norm * u * u) * 1e6;
      }
    }
  }
  const xmax = xmin + columns * resolution;
  const ymax = ymin + rows * resolution;
  // A point beyond the surface still adds the part of its kernel that reaches it, but
  // its incident is not on the surface: say how many.
  let outside = 0;
  for (let k = 0; k < x.length; k++) {
    if (x[k]! < xmin || x[k]! >= xmax || y[k]! < ymin || y[k]! >= ymax) outside += points.count[k]!;
  }
  let max = 0;
  const rounded: number[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    rounded[i] = round(values[i]!, 3);
    max = Math.max(max, values[i]!);
  }
  return {
    parameters: {
      kernel: 'quartic', bandwidth, bandwidthSource, resolution, weight, incidents: incidents - outside,
      outside: { incidents: outside, reason: 'located beyond the surface (the study area\'s bounding rectangle); their kernels add only where they reach it' },
      units: weight === 'harm' ? 'harm weight per km²' : 'incidents per km²', crs: 'EPSG:27700',
    },
    grid: { xmin, ymin, columns, rows, corners, max: round(max, 3), values: rounded },
  };
}

/**
 * Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008) and Predictive Efficiency
 * Index (Hunt 2016): flag the top share of cells from the training period, then see how
 * many of the test period's incidents they capture. Cells are equal hexagons, so the area
 * share is the share of cells.
 */
export async function evaluateHotspots(data: HotspotData, filters: Filters, options: {
  method: 'gistar' | 'kde' | 'count'; cellSize: CellSizeChoice; top: number;
  trainFrom: string; trainTo: string; testFrom: string; testTo: string;
}): Promise<EvaluateResult> {
  const size = options.cellSize.cellSize;
  const [trainingGrid, testGrid] = await Promise.all([
    data.grid(size, { ...filters, from: options.trainFrom, to: options.trainTo }),
    data.grid(size, { ...filters, from: options.testFrom, to: options.testTo }),
  ]);
  const training = trainingGrid.cells;
  const test = testGrid.cells;
  const n = training.length;
  const trainCounts = training.map((cell) => cell.count);
  let score: ArrayLike<number>;
  if (options.method === 'gistar') {
    score = computeGiStar(centresOf(training), trainCounts, size, { fdr: false }).z;
  } else if (options.method === 'kde') {
    // Kernel density at each cell centre from the training counts (cell centres as
    // points), bandwidth three cell spacings.
    const bandwidth = 3 * Math.sqrt(3) * size;
    const near = neighboursWithin(training.map((c) => c.x), training.map((c) => c.y), bandwidth);
    score = training.map((cell, i) => near[i]!.reduce((sum, j) =>
      sum + trainCounts[j]! * quarticKernel((training[j]!.x - cell.x) ** 2 + (training[j]!.y - cell.y) ** 2, bandwidth), 0));
  } else {
    score = trainCounts;
  }
  const k = Math.max(1, Math.ceil((options.top / 100) * n));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (score[b]! - score[a]!) || a - b);
  const flagged = order.slice(0, k);
  const testCounts = test.map((cell) => cell.count);
  const testTotal = testCounts.reduce((a, b) => a + b, 0);
  const captured = flagged.reduce((sum, i) => sum + testCounts[i]!, 0);
  const bestCaptured = [...testCounts].sort((a, b) => b - a).slice(0, k).reduce((a, b) => a + b, 0);
  const hitRate = testTotal ? captured / testTotal : 0;
  const areaShare = n ? k / n : 0;
  return {
    parameters: {
      method: options.method, cellSize: size, top: options.top,
      trainFrom: options.trainFrom, trainTo: options.trainTo, testFrom: options.testFrom, testTo: options.testTo,
      cells: n, flaggedCells: k,
      outside: {
        training: { incidents: trainingGrid.outside.count, reason: OUTSIDE_STUDY_AREA },
        test: { incidents: testGrid.outside.count, reason: OUTSIDE_STUDY_AREA },
      },
      areaShare: 'of the grid\'s cells (equal hexagons covering the district, edge cells overhanging its outline)',
    },
    trainingIncidents: trainCounts.reduce((a, b) => a + b, 0),
    testIncidents: testTotal,
    captured,
    hitRate: round(hitRate, 4),
    areaShare: round(areaShare, 4),
    pai: testTotal && areaShare ? round(hitRate / areaShare, 3) : null,
    pei: bestCaptured ? round(captured / bestCaptured, 3) : null,
    bestCaptured,
  };
}

export interface TimeSlices {
  /** Slice k is [boundaries[k], boundaries[k + 1]); the last boundary is the day after the period. */
  boundaries: string[];
  /** The days before the first whole slice, left out of the cube; null when the slices fill the period. */
  partial: { from: string; to: string } | null;
}

/**
 * Slices of a week, month or quarter ending where the period ends and counted back from
 * there, as ArcGIS's space-time cube aligns time steps to the end of the data by
 * default: the latest slice is always whole. A month or quarter back from the 31st ends
 * on the month's last day. Days before the first whole slice would make a short slice
 * that reads as a fall, so they are left out and reported.
 */
export function timeSlices(from: string, to: string, slice: 'week' | 'month' | 'quarter'): TimeSlices {
  const day = (text: string) => Date.parse(`${text}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const start = day(from);
  const end = day(to) + 86_400_000;
  const endDate = new Date(end);
  const stepBack = (k: number): number => {
    if (slice === 'week') return end - k * 7 * 86_400_000;
    const months = endDate.getUTCFullYear() * 12 + endDate.getUTCMonth() - k * (slice === 'quarter' ? 3 : 1);
    const year = Math.floor(months / 12);
    const month = months - year * 12;
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Date.UTC(year, month, Math.min(endDate.getUTCDate(), last));
  };
  const boundaries = [end];
  for (let k = 1; stepBack(k) >= start && k <= 10_000; k++) boundaries.unshift(stepBack(k));
  const first = boundaries[0]!;
  return {
    boundaries: boundaries.map(iso),
    partial: start < first ? { from: iso(start), to: iso(first - 86_400_000) } : null,
  };
}

export interface EmergingOptions {
  cellSize: number;
  band?: number;
  slice: 'week' | 'month' | 'quarter';
  timeSteps: number;
  fdr: boolean;
  dateRange: { from: string; to: string };
}

/** Emerging hot spots' options when the request leaves them out (as the map's layer asks it). */
export const EMERGING_DEFAULTS = { cellSize: EMERGING_CELL_SIZE, slice: 'month', timeSteps: 1, fdr: true } as const satisfies Partial<EmergingOptions>;

/** The fewest and most time slices emerging hot spots takes (Mann-Kendall needs three). */
const MIN_SLICES = 3;
const MAX_SLICES = 160;

/** Does the period cut into a number of slices emerging hot spots takes? */
export function slicesFit(from: string, to: string, slice: EmergingOptions['slice']): boolean {
  const slices = timeSlices(from, to, slice).boundaries.length - 1;
  return slices >= MIN_SLICES && slices <= MAX_SLICES;
}

/** What emerging hot spots are computed from: the cube's counts by cell and slice, and the options. */
export interface EmergingInput extends EmergingOptions {
  rows: GridCell[];
  outside: number[];
  boundaries: string[];
  partial: TimeSlices['partial'];
}

export async function emergingInput(data: HotspotData, filters: Filters, options: EmergingOptions): Promise<EmergingInput> {
  const { boundaries, partial } = timeSlices(filters.from ?? options.dateRange.from, filters.to ?? options.dateRange.to, options.slice);
  const slices = boundaries.length - 1;
  if (slices < MIN_SLICES || slices > MAX_SLICES) {
    throw new HttpError(400, `slice: ${slices} whole slices of a ${options.slice}; choose a slice and dates giving ${MIN_SLICES} to ${MAX_SLICES}`, 'slice');
  }
  // The partial slice is counted too (as slice 0), so that its incidents can be reported.
  const { rows, outside } = await data.slicedGrid(options.cellSize, filters, partial ? [partial.from, ...boundaries] : boundaries);
  return { ...options, rows, outside, boundaries, partial };
}

/** Patterns from the cube (CPU only: runs in a worker thread, hotspots/worker.ts). */
export function emergingResult(options: EmergingInput): EmergingResult {
  const { rows, outside, boundaries, partial } = options;
  const slices = boundaries.length - 1;
  const skip = partial ? 1 : 0;
  // One entry per cell; rows carry a slice, or none for cells without incidents.
  const index = new Map<string, number>();
  const cells: GridCell[] = [];
  for (const row of rows) {
    const key = `${row.i}:${row.j}`;
    if (!index.has(key)) {
      index.set(key, cells.length);
      cells.push({ ...row, count: 0 });
    }
  }
  const values = Array.from({ length: slices }, () => new Float64Array(cells.length));
  let inPartial = skip ? outside[0]! : 0;
  for (const row of rows) {
    if (row.slice === null || row.slice === undefined) continue;
    if (row.slice < skip) {
      inPartial += row.count;
      continue;
    }
    const c = index.get(`${row.i}:${row.j}`)!;
    values[row.slice - skip]![c] = row.count;
    cells[c]!.count += row.count;
  }
  const x = cells.map((cell) => cell.x);
  const y = cells.map((cell) => cell.y);
  const { band, neighbours: spatial } = chooseBand(x, y, Math.sqrt(3) * options.cellSize, options.band);
  const patterns = emergingPatterns(values, spatial, options.timeSteps, options.fdr);
  const summary: Record<string, number> = {};
  const features: EmergingResult['features'] = [];
  patterns.forEach((pattern, c) => {
    summary[pattern.pattern] = (summary[pattern.pattern] ?? 0) + 1;
    if (pattern.pattern === 'no_pattern') return;
    const cell = cells[c]!;
    const id = `${cell.i}:${cell.j}`;
    features.push({
      type: 'Feature', id, geometry: JSON.parse(cell.geometry),
      properties: {
        id, pattern: pattern.pattern, count: cell.count, trendZ: round(pattern.trendZ, 3), trendP: round(pattern.trendP, 5),
        hotSlices: pattern.hotSlices, coldSlices: pattern.coldSlices, bins: pattern.bins,
      },
    });
  });
  return {
    type: 'FeatureCollection',
    parameters: {
      cellSize: options.cellSize, band, slice: options.slice, slices,
      firstSlice: boundaries[0]!, lastSliceEnds: boundaries[slices]!, timeSteps: options.timeSteps, fdr: options.fdr,
      cells: cells.length, incidents: cells.reduce((sum, cell) => sum + cell.count, 0),
      outside: { incidents: outside.slice(skip).reduce((a, b) => a + b, 0), reason: OUTSIDE_STUDY_AREA },
      partialSlice: partial && { ...partial, incidents: inPartial },
      trendAlpha: TREND_ALPHA,
      significance: 'a bin is significant at 90% confidence or more (FDR-corrected per slice when fdr is on)',
      crs: 'EPSG:27700',
    },
    summary,
    features,
  };
}
