import { describe, expect, it } from 'vitest';
import { knoxReading, knoxTest, type KnoxInput } from './knox.js';

// Four incidents: A (0, 0) day 0, B (100, 0) day 3, C (5 km east) day 1, D (0, 150) day 20.
const FOUR = (iterations: number): KnoxInput => ({
  x: Float64Array.from([0, 100, 5000, 0]), y: Float64Array.from([0, 0, 0, 150]), day: Int32Array.from([0, 3, 1, 20]),
  spatialBand: 200, spatialBands: 1, temporalBand: 7, temporalBands: 1, iterations, seed: 1,
});

/** Every assignment of the days to the places, for the exact expectation and p-value. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, k) => permutations([...items.slice(0, k), ...items.slice(k + 1)]).map((rest) => [item, ...rest]));
}

describe('the Knox test', () => {
  it('bands every pair as worked out by hand', () => {
    // Pairs: AB 100 m 3 days, AD 150 m 20 days, BD 180 m 17 days; AC, BC, CD beyond 200 m, 1, 2 and 19 days.
    const result = knoxTest(FOUR(0));
    expect(result.spatialLabels).toEqual(['Same location', '1-200 m', 'More than 200 m']);
    expect(result.temporalLabels).toEqual(['0-7 days', 'More than 7 days']);
    expect(result.cells.map((row) => row.map((cell) => cell.observed))).toEqual([[0, 0], [1, 2], [2, 1]]);
    expect(result.pairs).toBe(6);
  });

  it('expects what shuffling the dates gives, and its p-value, as an exact count over all 24 shuffles shows', () => {
    const days = [0, 3, 1, 20];
    const near = [[0, 1], [0, 3], [1, 3]] as const;
    const withinWeek = permutations(days).map((order) => near.filter(([i, j]) => Math.abs(order[i]! - order[j]!) <= 7).length);
    const expected = withinWeek.reduce((sum, n) => sum + n, 0) / withinWeek.length;
    const atLeastOne = withinWeek.filter((n) => n >= 1).length / withinWeek.length;
    expect(expected).toBe(1.5);
    const result = knoxTest(FOUR(20_000));
    const cell = result.cells[1]![0]!;
    expect(cell.expected).toBeCloseTo(expected, 1);
    expect(cell.ratio!).toBeCloseTo(1 / expected, 1);
    expect(cell.p).toBeCloseTo(atLeastOne, 1);
    // The far row keeps every pair: a shuffle of the same days cannot change the pairs per time band.
    expect(result.cells[2]![0]!.expected + cell.expected + result.cells[0]![0]!.expected).toBeCloseTo(3, 9);
    // The same seed, the same answer.
    expect(knoxTest(FOUR(200))).toEqual(knoxTest(FOUR(200)));
  });

  it('finds planted near repeats and says so in words', () => {
    // Forty pairs: each incident followed by another 50 m away 2 days later; pairs scattered over 10 km and a year.
    const x: number[] = [];
    const y: number[] = [];
    const day: number[] = [];
    for (let k = 0; k < 40; k++) {
      const [px, py, pd] = [(k * 7919) % 10_000, (k * 104_729) % 10_000, (k * 37) % 365];
      x.push(px, px + 50);
      y.push(py, py);
      day.push(pd, pd + 2);
    }
    const result = knoxTest({ x: Float64Array.from(x), y: Float64Array.from(y), day: Int32Array.from(day),
      spatialBand: 100, spatialBands: 3, temporalBand: 7, temporalBands: 2, iterations: 199, seed: 7 });
    const cell = result.cells[1]![0]!;
    expect(cell.observed).toBeGreaterThanOrEqual(40);
    expect(cell.ratio!).toBeGreaterThan(5);
    expect(cell.p).toBeLessThanOrEqual(0.01);
    expect(knoxReading(result, 'Robberies')).toMatch(/^Robberies within 100 m and 7 days of another are \d+\.\d times as common as chance would give \(p = 0\.005\)\.$/);
    expect(knoxReading(knoxTest(FOUR(99)), 'Robberies')).toMatch(/^No near repeat stands out/);
    // Repeats at one address, two days apart, and nothing near: said as such.
    const same = knoxTest({ x: Float64Array.from(x.map((_, k) => x[k - (k % 2)]!)), y: Float64Array.from(y), day: Int32Array.from(day),
      spatialBand: 100, spatialBands: 3, temporalBand: 7, temporalBands: 2, iterations: 199, seed: 7 });
    expect(knoxReading(same, 'Robberies')).toMatch(/^Robberies at the same location within 7 days of another are \d+\.\d times as common as chance would give \(p = 0\.005\)\. No near repeat stands out beyond the same location\.$/);
  });
});
