// The study grid of one cell size as columns in shared memory: kept once per data
// version (repositories/hotspots.ts), read by every Gi* of that size in the worker
// threads without being copied. Only the counts (one number per cell) travel per request.
export interface StudyGrid {
  /** Names this grid (its size and when it was made), for what a worker keeps per grid. */
  key: string;
  size: number;
  /** Cells, in the order of STUDY_GRID_SQL (i, then j). */
  n: number;
  i: Int32Array;
  j: Int32Array;
  /** Lattice centres, British National Grid metres. */
  x: Float64Array;
  y: Float64Array;
  /** Each cell's outline, GeoJSON in WGS84, as UTF-8: bytes offsets[k] to offsets[k + 1]. */
  outlines: Uint8Array;
  offsets: Int32Array;
}

/** A study grid's counts under one filter, by cell, and the filtered incidents in no cell. */
export interface GridCounts {
  grid: StudyGrid;
  count: Float64Array;
  harm: Float64Array;
  outside: { count: number; harm: number };
}

const shared = <T extends Int32Array | Float64Array | Uint8Array>(make: new (buffer: SharedArrayBuffer) => T, length: number, bytes: number): T =>
  new make(new SharedArrayBuffer(length * bytes));

export function packStudyGrid(size: number, cells: { i: number; j: number; x: number; y: number; geometry: string }[]): StudyGrid {
  const n = cells.length;
  const encoded = cells.map((cell) => Buffer.from(cell.geometry, 'utf8'));
  const total = encoded.reduce((sum, bytes) => sum + bytes.length, 0);
  const grid: StudyGrid = {
    key: `${size}@${process.hrtime.bigint()}`, size, n,
    i: shared(Int32Array, n, 4), j: shared(Int32Array, n, 4), x: shared(Float64Array, n, 8), y: shared(Float64Array, n, 8),
    outlines: shared(Uint8Array, total, 1), offsets: shared(Int32Array, n + 1, 4),
  };
  let at = 0;
  cells.forEach((cell, k) => {
    grid.i[k] = cell.i;
    grid.j[k] = cell.j;
    grid.x[k] = cell.x;
    grid.y[k] = cell.y;
    grid.offsets[k] = at;
    grid.outlines.set(encoded[k]!, at);
    at += encoded[k]!.length;
  });
  grid.offsets[n] = at;
  return grid;
}

/** Cell k's outline as GeoJSON text. */
export const outlineOf = (grid: StudyGrid, k: number): string =>
  Buffer.from(grid.outlines.buffer, grid.outlines.byteOffset, grid.outlines.byteLength).toString('utf8', grid.offsets[k]!, grid.offsets[k + 1]!);
