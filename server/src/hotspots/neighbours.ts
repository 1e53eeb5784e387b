// Fixed-distance-band neighbourhoods of grid cells (centroids in metres), found through
// a bucket grid so that each cell looks only at the buckets around it.

/**
 * A centre within the band plus this many metres is within it. The distances between
 * hexagon centres are a few lattice lengths (the side times √3, 3, √12, √21...), metres
 * apart, while floating point puts equal ones up to 1e-6 m apart: a millimetre keeps
 * equal distances together, and bands are reported to the millimetre, so a reported band
 * asked for again gives the same neighbourhoods.
 */
export const BAND_TOLERANCE_METRES = 0.001;

/** A band as it is used and reported: to the millimetre. */
export const roundBand = (band: number) => Math.round(band * 1000) / 1000;

/** For every cell, the indices of cells whose centroid is within `band` + 1 mm (itself included), in order unless `sorted` is false. */
export function neighboursWithin(x: ArrayLike<number>, y: ArrayLike<number>, band: number, sorted = true): number[][] {
  const n = x.length;
  const reach = band + BAND_TOLERANCE_METRES;
  const buckets = new Map<number, number[]>();
  // One number per bucket (a string key took most of the time): exact for |bucket| < 2^20.
  const key = (bx: number, by: number) => (bx + 2 ** 20) * 2 ** 21 + (by + 2 ** 20);
  for (let i = 0; i < n; i++) {
    const k = key(Math.floor(x[i]! / reach), Math.floor(y[i]! / reach));
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  }
  const reach2 = reach * reach;
  const result: number[][] = [];
  for (let i = 0; i < n; i++) {
    const bx = Math.floor(x[i]! / reach);
    const by = Math.floor(y[i]! / reach);
    const around: number[] = [];
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const j of buckets.get(key(bx + dx, by + dy)) ?? []) {
          if ((x[j]! - x[i]!) ** 2 + (y[j]! - y[i]!) ** 2 <= reach2) around.push(j);
        }
      }
    }
    result.push(sorted ? around.sort((a, b) => a - b) : around);
  }
  return result;
}

export interface BandChoice {
  band: number;
  /** neighboursWithin(x, y, band). */
  neighbours: number[][];
  source: string;
}

/** The band asked for (to the millimetre) with its neighbourhoods, or the default band's. */
export function chooseBand(x: ArrayLike<number>, y: ArrayLike<number>, cellSpacing: number, requested?: number): BandChoice {
  if (requested !== undefined) {
    const band = roundBand(requested);
    return { band, neighbours: neighboursWithin(x, y, band), source: 'requested' };
  }
  return defaultBand(x, y, cellSpacing);
}

/**
 * The default distance band: the smallest distance that gives every cell at least one
 * neighbour and the cells on average at least 8 (neighbours other than the cell itself),
 * to the millimetre. Candidate distances are the centroid spacings up to 4 grid steps.
 */
function defaultBand(x: ArrayLike<number>, y: ArrayLike<number>, cellSpacing: number): BandChoice {
  const n = x.length;
  const reach = cellSpacing * 4;
  const near = neighboursWithin(x, y, reach, false);
  // A typed array sorts numerically without a comparator: several times faster.
  const distances = new Float64Array(near.reduce((sum, list) => sum + list.length - 1, 0));
  let count = 0;
  let largestNearest = 0;
  for (let i = 0; i < n; i++) {
    let nearest = Infinity;
    for (const j of near[i]!) {
      if (j === i) continue;
      const d = Math.sqrt((x[j]! - x[i]!) ** 2 + (y[j]! - y[i]!) ** 2);
      distances[count++] = d;
      nearest = Math.min(nearest, d);
    }
    if (nearest < Infinity) largestNearest = Math.max(largestNearest, nearest);
  }
  distances.sort();
  // Mean neighbours at distance d = (ordered pairs within d) / n.
  const needed = 8 * n;
  const forMean = distances.length >= needed ? distances[needed - 1]! : distances[distances.length - 1] ?? cellSpacing;
  const band = roundBand(Math.max(largestNearest, forMean, cellSpacing));
  return { band, neighbours: neighboursWithin(x, y, band), source: 'automatic: smallest giving every cell a neighbour and 8 on average' };
}
