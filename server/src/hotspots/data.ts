// What the hotspot engine (engine.ts) reads: the study area's grids (kept per data
// version by whoever makes this: the results cache in the server) and the counts under
// a filter from a counting engine (counting/counter.ts), placed on those grids.
import type { Filters } from '@lantern/shared';
import type { IncidentCounter } from '../counting/counter.js';
import type { BinnedRow, GridCell, HotspotStudyRepository, SnappedPoints, StudyBounds } from '../repositories/hotspots.js';
import { outlineOf, packStudyGrid, type GridCounts, type StudyGrid } from './study-grid.js';

/** The study grid's cells with their counts, and the filtered incidents in no cell. */
export interface Grid {
  cells: GridCell[];
  outside: { count: number; harm: number };
}

/** Counts per cell and slice (one row per cell and slice with incidents, one with no slice for an empty cell), and per slice the incidents in no cell. */
export interface SlicedGrid {
  rows: GridCell[];
  outside: number[];
}

/** A study grid packed in shared memory, with each cell's index by "i:j". */
export interface PackedGrid {
  grid: StudyGrid;
  index: Map<string, number>;
}

/** Keeps what `make` gives under `name` and `parts` while the data is unchanged. */
export type Keep = <T extends object>(name: string, parts: object, make: () => Promise<T>) => Promise<T>;

export interface HotspotData {
  /** The study grid's counts as columns over the kept grid, for Gi*. */
  gridCounts(size: number, filters: Filters): Promise<GridCounts>;
  /** The same as cells with their outlines (evaluation, patrol plans). */
  grid(size: number, filters: Filters): Promise<Grid>;
  /** Counts per cell per time slice: slice k covers [boundaries[k], boundaries[k+1]). */
  slicedGrid(size: number, filters: Filters, boundaries: string[]): Promise<SlicedGrid>;
  snappedPoints(filters: Filters): Promise<SnappedPoints>;
  studyAreaSquareMetres(): Promise<number>;
  studyBounds(): Promise<StudyBounds | null>;
  nearestNeighbourDistances(filters: Filters): Promise<{ mean: number | null; median: number | null; n: number }>;
  insideStudyArea(x: number[], y: number[]): Promise<boolean[]>;
  toWgs84(points: [number, number][]): Promise<[number, number][]>;
}

/** The study grid of a size as kept: its cells and their packed form. */
export function keptStudyGrid(study: HotspotStudyRepository, keep: Keep, size: number): Promise<{ cells: Awaited<ReturnType<HotspotStudyRepository['grid']>> } & PackedGrid> {
  return keep('study-grid', { size }, async () => {
    const cells = await study.grid(size);
    return { cells, grid: packStudyGrid(size, cells), index: new Map(cells.map((cell, k) => [`${cell.i}:${cell.j}`, k])) };
  });
}

export function hotspotData(study: HotspotStudyRepository, counter: IncidentCounter, keep: Keep): HotspotData {
  const data: HotspotData = {
    async gridCounts(size, filters) {
      const [{ grid, index }, rows] = await Promise.all([keptStudyGrid(study, keep, size), counter.binned(size, filters, null)]);
      const count = new Float64Array(grid.n);
      const harm = new Float64Array(grid.n);
      // Rows in hexagons that are not the study area's were counted outside it.
      const outside = { count: 0, harm: 0 };
      for (const row of rows) {
        const k = index.get(`${row.i}:${row.j}`);
        if (k === undefined) {
          outside.count += row.count;
          outside.harm += row.harm;
        } else {
          count[k] = count[k]! + row.count;
          harm[k] = harm[k]! + row.harm;
        }
      }
      return { grid, count, harm, outside };
    },
    async grid(size, filters) {
      const { grid, count, harm, outside } = await data.gridCounts(size, filters);
      const cells = Array.from({ length: grid.n }, (_, k) => ({
        i: grid.i[k]!, j: grid.j[k]!, x: grid.x[k]!, y: grid.y[k]!, geometry: outlineOf(grid, k), count: count[k]!, harm: harm[k]!,
      }));
      return { cells, outside };
    },
    async slicedGrid(size, filters, boundaries) {
      const [{ cells }, rows] = await Promise.all([keptStudyGrid(study, keep, size), counter.binned(size, filters, boundaries)]);
      const byCell = new Map<string, BinnedRow[]>();
      for (const row of rows) {
        const key = `${row.i}:${row.j}`;
        const list = byCell.get(key);
        if (list) list.push(row);
        else byCell.set(key, [row]);
      }
      // One row per cell and slice with incidents; one row with no slice for an empty cell.
      const counted = cells.flatMap((cell) => {
        const key = `${cell.i}:${cell.j}`;
        const list = byCell.get(key);
        byCell.delete(key);
        if (!list) return [{ ...cell, slice: null, count: 0, harm: 0 }];
        return list.map((row) => ({ ...cell, slice: row.slice, count: row.count, harm: row.harm }));
      });
      const outside = new Array<number>(boundaries.length - 1).fill(0);
      for (const list of byCell.values()) for (const row of list) outside[row.slice!] = (outside[row.slice!] ?? 0) + row.count;
      return { rows: counted, outside };
    },
    snappedPoints: (filters) => counter.snappedPoints(filters),
    studyAreaSquareMetres: async () => (await keep('study-area', {}, async () => ({ m2: await study.areaSquareMetres() }))).m2,
    studyBounds: async () => (await keep('study-bounds', {}, async () => ({ bounds: await study.bounds() }))).bounds,
    nearestNeighbourDistances: (filters) => study.nearestNeighbourDistances(filters),
    insideStudyArea: (x, y) => study.insideStudyArea(x, y),
    toWgs84: (points) => study.toWgs84(points),
  };
  return data;
}

/** A Keep for scripts and tests outside the server: a plain memo (they run on unchanging data). */
export function memo(): Keep {
  const kept = new Map<string, Promise<object>>();
  return <T extends object>(name: string, parts: object, make: () => Promise<T>) => {
    const key = `${name} ${JSON.stringify(parts)}`;
    let value = kept.get(key);
    if (!value) {
      value = make();
      kept.set(key, value);
    }
    return value as Promise<T>;
  };
}
