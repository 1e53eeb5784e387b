// Grid cells as columns, to hand to a worker thread (plugins/compute.ts): typed arrays
// move without being copied, and each distinct outline is sent once (an emerging hot
// spot cube repeats a cell's outline in every slice), where an array of objects would
// be cloned property by property on the event loop.
import type { GridCell } from '../repositories/hotspots.js';

export interface PackedCells {
  i: Int32Array;
  j: Int32Array;
  /** -1 for none. */
  slice: Int32Array;
  count: Float64Array;
  harm: Float64Array;
  x: Float64Array;
  y: Float64Array;
  /** Index into outlines. */
  outline: Int32Array;
  outlines: string[];
}

export function packCells(cells: GridCell[]): PackedCells {
  const n = cells.length;
  const packed: PackedCells = {
    i: new Int32Array(n), j: new Int32Array(n), slice: new Int32Array(n), count: new Float64Array(n), harm: new Float64Array(n),
    x: new Float64Array(n), y: new Float64Array(n), outline: new Int32Array(n), outlines: [],
  };
  const seen = new Map<string, number>();
  cells.forEach((cell, k) => {
    packed.i[k] = cell.i;
    packed.j[k] = cell.j;
    packed.slice[k] = cell.slice ?? -1;
    packed.count[k] = cell.count;
    packed.harm[k] = cell.harm;
    packed.x[k] = cell.x;
    packed.y[k] = cell.y;
    let outline = seen.get(cell.geometry);
    if (outline === undefined) {
      outline = packed.outlines.length;
      seen.set(cell.geometry, outline);
      packed.outlines.push(cell.geometry);
    }
    packed.outline[k] = outline;
  });
  return packed;
}

export function unpackCells(packed: PackedCells): GridCell[] {
  return Array.from(packed.i, (i, k) => ({
    i, j: packed.j[k]!, slice: packed.slice[k]! < 0 ? null : packed.slice[k]!, count: packed.count[k]!, harm: packed.harm[k]!,
    x: packed.x[k]!, y: packed.y[k]!, geometry: packed.outlines[packed.outline[k]!]!,
  }));
}

/** The buffers to transfer (not copy) with a packed grid. */
export const packedBuffers = (packed: PackedCells): ArrayBuffer[] =>
  [packed.i, packed.j, packed.slice, packed.count, packed.harm, packed.x, packed.y, packed.outline].map((array) => array.buffer as ArrayBuffer);
