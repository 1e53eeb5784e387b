// The Knox test for near repeats, as Ratcliffe's Near Repeat Calculator does it: every
// pair of incidents falls in one spatial band x temporal band; the observed pairs are
// compared with the pairs expected when the dates are shuffled among the places (Monte
// Carlo, seeded), giving a Knox ratio (observed / expected) and a p-value per cell.
// Pure and synchronous: a worker thread runs it (hotspots/worker.ts).
//
// Only pairs within the widest finite spatial band change under a shuffle of dates, so
// they are found once (a grid of that width) and re-banded per iteration; the pairs
// beyond it are, per temporal band, all pairs of that band (which a shuffle of the same
// dates cannot change) less the near ones.

export interface KnoxInput {
  /** British National Grid metres and local day numbers, one per incident. */
  x: Float64Array;
  y: Float64Array;
  day: Int32Array;
  /** Width of each spatial band (m) and how many after "same location": 0, 1-w, w+1-2w, ... and beyond. */
  spatialBand: number;
  spatialBands: number;
  /** Width of each temporal band (days) and how many: 0-t, t+1-2t, ... and beyond. */
  temporalBand: number;
  temporalBands: number;
  iterations: number;
  seed: number;
}

export interface KnoxCell {
  observed: number;
  expected: number;
  /** observed / expected (null when nothing was expected). */
  ratio: number | null;
  /** (simulations with at least the observed count + 1) / (iterations + 1). */
  p: number;
}

export interface KnoxResult {
  spatialLabels: string[];
  temporalLabels: string[];
  /** cells[spatial][temporal]. */
  cells: KnoxCell[][];
  incidents: number;
  pairs: number;
}

/** Same location: closer than this (m), as two records of one address. */
const SAME_PLACE_M = 1;

/** A small seeded generator (mulberry32), so a seed gives the same answer every time. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The pairs (i < j) within `reach` metres, with their spatial band. */
function nearPairs(input: KnoxInput, reach: number): { i: Int32Array; j: Int32Array; band: Uint8Array } {
  const { x, y, spatialBand } = input;
  const cells = new Map<string, number[]>();
  for (let k = 0; k < x.length; k++) {
    const key = `${Math.floor(x[k]! / reach)}:${Math.floor(y[k]! / reach)}`;
    const list = cells.get(key);
    if (list) list.push(k);
    else cells.set(key, [k]);
  }
  const is: number[] = [];
  const js: number[] = [];
  const bands: number[] = [];
  for (let k = 0; k < x.length; k++) {
    const cx = Math.floor(x[k]! / reach);
    const cy = Math.floor(y[k]! / reach);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const m of cells.get(`${cx + dx}:${cy + dy}`) ?? []) {
          if (m <= k) continue;
          const d = Math.hypot(x[k]! - x[m]!, y[k]! - y[m]!);
          if (d > reach) continue;
          is.push(k);
          js.push(m);
          bands.push(d < SAME_PLACE_M ? 0 : Math.min(input.spatialBands, Math.ceil(d / spatialBand)));
        }
      }
    }
  }
  return { i: Int32Array.from(is), j: Int32Array.from(js), band: Uint8Array.from(bands) };
}

const temporalIndex = (dt: number, width: number, bands: number) => (dt <= width ? 0 : Math.min(bands, Math.ceil(dt / width) - 1));

/** All pairs per temporal band, whatever their distance: from the sorted days alone. */
function pairsByTime(day: Int32Array, width: number, bands: number): number[] {
  const sorted = Int32Array.from(day).sort();
  // within[b]: pairs at most (b + 1) * width days apart.
  const within = Array.from({ length: bands }, (_, b) => {
    const bound = (b + 1) * width;
    let count = 0;
    let end = 0;
    for (let start = 0; start < sorted.length; start++) {
      if (end < start + 1) end = start + 1;
      while (end < sorted.length && sorted[end]! - sorted[start]! <= bound) end++;
      count += end - start - 1;
    }
    return count;
  });
  const total = (sorted.length * (sorted.length - 1)) / 2;
  return [...within.map((n, b) => n - (b > 0 ? within[b - 1]! : 0)), total - (within[bands - 1] ?? 0)];
}

function count(pairs: ReturnType<typeof nearPairs>, day: Int32Array, input: KnoxInput, byTime: number[]): number[][] {
  const rows = input.spatialBands + 2;
  const columns = input.temporalBands + 1;
  const table = Array.from({ length: rows }, () => new Array<number>(columns).fill(0));
  for (let p = 0; p < pairs.i.length; p++) {
    const dt = Math.abs(day[pairs.i[p]!]! - day[pairs.j[p]!]!);
    table[pairs.band[p]!]![temporalIndex(dt, input.temporalBand, input.temporalBands)]! += 1;
  }
  // The last row: every pair farther than the widest band.
  for (let t = 0; t < columns; t++) {
    let near = 0;
    for (let s = 0; s < rows - 1; s++) near += table[s]![t]!;
    table[rows - 1]![t] = byTime[t]! - near;
  }
  return table;
}

export function knoxTest(input: KnoxInput): KnoxResult {
  const { spatialBand, spatialBands, temporalBand, temporalBands, iterations } = input;
  const reach = spatialBand * spatialBands;
  const pairs = nearPairs(input, reach);
  const byTime = pairsByTime(input.day, temporalBand, temporalBands);
  const observed = count(pairs, input.day, input, byTime);
  const sums = observed.map((row) => row.map(() => 0));
  const atLeast = observed.map((row) => row.map(() => 0));
  const next = random(input.seed);
  const shuffled = Int32Array.from(input.day);
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let k = shuffled.length - 1; k > 0; k--) {
      const m = Math.floor(next() * (k + 1));
      const swap = shuffled[k]!;
      shuffled[k] = shuffled[m]!;
      shuffled[m] = swap;
    }
    const simulated = count(pairs, shuffled, input, byTime);
    simulated.forEach((row, s) => row.forEach((value, t) => {
      sums[s]![t]! += value;
      if (value >= observed[s]![t]!) atLeast[s]![t]! += 1;
    }));
  }
  const cells = observed.map((row, s) => row.map((value, t) => {
    const expected = iterations > 0 ? sums[s]![t]! / iterations : 0;
    return { observed: value, expected, ratio: expected > 0 ? value / expected : null, p: (atLeast[s]![t]! + 1) / (iterations + 1) };
  }));
  const spatialLabels = ['Same location', ...Array.from({ length: spatialBands }, (_, b) => `${b === 0 ? SAME_PLACE_M : b * spatialBand + 1}-${(b + 1) * spatialBand} m`), `More than ${reach} m`];
  const temporalLabels = [...Array.from({ length: temporalBands }, (_, b) => `${b === 0 ? 0 : b * temporalBand + 1}-${(b + 1) * temporalBand} days`), `More than ${temporalBands * temporalBand} days`];
  return { spatialLabels, temporalLabels, cells, incidents: input.day.length, pairs: (input.day.length * (input.day.length - 1)) / 2 };
}

/**
 * The reading in plain words: repeats at the same location, then the nearest band and
 * the shortest time whose ratio is significant (p <= 0.05) and above 1, as Ratcliffe's
 * calculator summarises; else that no near repeat stands out.
 */
export function knoxReading(result: KnoxResult, what: string): string {
  const significant = (cell: KnoxCell) => cell.ratio !== null && cell.ratio > 1 && cell.p <= 0.05;
  const days = result.temporalLabels[0]!.replace(/^0-/, '');
  const sentences: string[] = [];
  const same = result.cells[0]![0]!;
  if (significant(same)) {
    sentences.push(`${what} at the same location within ${days} of another are ${same.ratio!.toFixed(1)} times as common as chance would give (p = ${same.p.toFixed(3)}).`);
  }
  for (let s = 1; s < result.cells.length - 1; s++) {
    const cell = result.cells[s]![0]!;
    if (significant(cell)) {
      const distance = s === 1 ? `within ${result.spatialLabels[1]!.replace(/^\d+-/, '')}` : `${result.spatialLabels[s]} away`;
      sentences.push(`${what} ${distance} and ${days} of another are ${cell.ratio!.toFixed(1)} times as common as chance would give (p = ${cell.p.toFixed(3)}).`);
      break;
    }
  }
  if (sentences.length === 1 && significant(same)) sentences.push(`No near repeat stands out beyond the same location.`);
  if (sentences.length === 0) {
    sentences.push(`No near repeat stands out: no band within ${result.spatialLabels[result.spatialLabels.length - 1]!.replace('More than ', '')} and ${result.temporalLabels[0]} is significantly above chance (p <= 0.05).`);
  }
  return sentences.join(' ');
}
