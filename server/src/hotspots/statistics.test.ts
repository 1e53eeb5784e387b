// Hand-computed checks of the published formulas (see docs/hotspots.md).
import { describe, expect, it } from 'vitest';
import { confidenceBins, fdrCriticalValues, giStar, mannKendall, quarticKernel, silvermanBandwidth, twoSidedP, weightedLowerMedian } from './statistics.js';

describe('normal tail', () => {
  it('matches standard table values', () => {
    expect(twoSidedP(1.959964)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(2.575829)).toBeCloseTo(0.01, 6);
    expect(twoSidedP(1.644854)).toBeCloseTo(0.1, 6);
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    expect(twoSidedP(-3.290527)).toBeCloseTo(0.001, 6);
  });
});

describe('Gi*', () => {
  // Five cells in a row, values 1 2 3 4 10, neighbours = itself and the cells beside it.
  // n = 5, mean 4, S = √(130/5 − 16) = √10.
  const values = Object.freeze([1, 2, 3, 4, 10]);
  const neighbours = Object.freeze([[0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4]]);
  const { z, p } = giStar(values, neighbours);

  it('gives the z-scores of the formula', () => {
    const s = Math.sqrt(10);
    expect(z[4]).toBeCloseTo((14 - 4 * 2) / (s * Math.sqrt((5 * 2 - 4) / 4)), 10); // 1.549193
    expect(z[0]).toBeCloseTo((3 - 8) / (s * Math.sqrt(1.5)), 10); // -1.290994
    expect(z[2]).toBeCloseTo((9 - 12) / (s * Math.sqrt((15 - 9) / 4)), 10); // -0.774597
    expect(z[4]).toBeCloseTo(1.549193, 5);
    expect(p[4]).toBeCloseTo(0.121335, 5);
  });

  it('is 0 where every value is the same', () => {
    const flat = giStar([2, 2, 2], [[0, 1], [0, 1, 2], [1, 2]]);
    expect([...flat.z]).toEqual([0, 0, 0]);
  });
});

describe('confidence bins', () => {
  it('follow 90/95/99% without FDR, signed by z', () => {
    const bins = confidenceBins([3, 2.2, 1.7, 1.5, -2.7, -1.7], [0.0027, 0.0278, 0.0891, 0.1336, 0.0069, 0.0891], false);
    expect([...bins]).toEqual([3, 2, 1, 0, -3, -1]);
  });

  it('use Benjamini-Hochberg critical p-values with FDR', () => {
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    expect(fdrCriticalValues(p)).toEqual({ p99: 0.001, p95: 0.008, p90: 0.06 });
    const z = p.map(() => 2);
    expect([...confidenceBins(z, p, true)]).toEqual([3, 2, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect([...confidenceBins(z, p, false)]).toEqual([3, 3, 2, 2, 2, 1, 1, 0, 0, 0]);
  });
});

describe('Mann-Kendall', () => {
  it('counts S and its variance without ties', () => {
    const result = mannKendall([1, 2, 3, 4, 5], 0.05);
    expect(result.s).toBe(10);
    expect(result.variance).toBeCloseTo((5 * 4 * 15) / 18, 10);
    expect(result.z).toBeCloseTo(9 / Math.sqrt(5 * 4 * 15 / 18), 10);
    expect(result.trend).toBe(1);
  });

  it('corrects the variance for ties', () => {
    const result = mannKendall([1, 1, 2, 3], 0.05);
    expect(result.s).toBe(5);
    expect(result.variance).toBeCloseTo((4 * 3 * 13 - 2 * 1 * 9) / 18, 10);
  });

  it('finds no trend in a flat or alternating series', () => {
    expect(mannKendall([2, 2, 2, 2, 2], 0.05).trend).toBe(0);
    expect(mannKendall([1, 3, 1, 3, 1, 3], 0.05).trend).toBe(0);
    expect(mannKendall([9, 8, 7, 6, 5, 4, 3], 0.05).trend).toBe(-1);
  });
});

describe('quartic kernel', () => {
  it('integrates to 1 over the plane', () => {
    const h = 100;
    const step = 1;
    let total = 0;
    for (let x = -h; x <= h; x += step) for (let y = -h; y <= h; y += step) total += quarticKernel(x * x + y * y, h) * step * step;
    expect(total).toBeCloseTo(1, 3);
    expect(quarticKernel(0, h)).toBeCloseTo(3 / (Math.PI * h * h), 12);
    expect(quarticKernel(h * h, h)).toBe(0);
  });

  it('defaults its bandwidth by Silverman\'s rule', () => {
    // Four points on a 200 m square around (0,0): SD = √(2·100²) = 141.42, Dm = 141.42.
    const h = silvermanBandwidth([-100, 100, -100, 100], [-100, -100, 100, 100], [1, 1, 1, 1]);
    expect(h).toBeCloseTo(0.9 * Math.min(141.4214, Math.sqrt(1 / Math.LN2) * 141.4214) * 4 ** -0.2, 3);
  });

  it('finds the weighted median distance as sorting would, ties and uneven weights included', () => {
    let state = 42;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (const n of [1, 2, 3, 10, 101, 5000]) {
      // Whole metres, so many values repeat; weights 1-5, as counts of snapped points are.
      const values = Float64Array.from({ length: n }, () => Math.floor(next() * Math.sqrt(n) * 10));
      const weights = Float64Array.from({ length: n }, () => 1 + Math.floor(next() * 5));
      const total = weights.reduce((a, b) => a + b, 0);
      const order = [...values.keys()].sort((a, b) => values[a]! - values[b]!);
      let seen = 0;
      const expected = values[order.find((i) => (seen += weights[i]!) >= total / 2)!];
      expect(weightedLowerMedian(values, weights, total / 2), `n = ${n}`).toBe(expected);
    }
  });
});
