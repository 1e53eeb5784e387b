import { describe, expect, it } from 'vitest';
import { classifyPattern, emergingPatterns, spaceTimeGiStar, TREND_ALPHA } from './emerging.js';
import { giStar, mannKendall } from './statistics.js';

describe('space-time Gi*', () => {
  it('equals plain Gi* on the flattened cube with space-time neighbourhoods', () => {
    // 3 cells in a row, 4 slices, neighbourhood = cells beside + the previous slice.
    const values = [[1, 0, 2], [0, 3, 1], [2, 5, 0], [1, 8, 9]].map((row) => Float64Array.from(row));
    const spatial = [[0, 1], [0, 1, 2], [1, 2]];
    const { z } = spaceTimeGiStar(values, spatial, 1);
    const flat = values.flatMap((row) => [...row]);
    const neighbours: number[][] = [];
    for (let t = 0; t < 4; t++) {
      for (let c = 0; c < 3; c++) {
        const list: number[] = [];
        for (let u = Math.max(0, t - 1); u <= t; u++) for (const d of spatial[c]!) list.push(u * 3 + d);
        neighbours.push(list);
      }
    }
    const expected = giStar(flat, neighbours).z;
    for (let t = 0; t < 4; t++) for (let c = 0; c < 3; c++) expect(z[t]![c]).toBeCloseTo(expected[t * 3 + c]!, 10);
  });
});

describe('emerging patterns (ArcGIS definitions)', () => {
  const ten = (bins: number[]) => Object.freeze(bins);
  it.each([
    ['new_hot', ten([0, 0, 0, 0, 0, 0, 0, 0, 0, 3]), 0],
    ['consecutive_hot', ten([0, 0, 0, 0, 0, 0, 0, 2, 3, 3]), 1],
    ['intensifying_hot', ten([0, 1, 2, 2, 3, 3, 3, 3, 3, 3]), 1],
    ['persistent_hot', ten([3, 3, 2, 3, 3, 1, 3, 3, 3, 3]), 0],
    ['diminishing_hot', ten([3, 3, 3, 3, 3, 3, 2, 2, 1, 1]), -1],
    ['sporadic_hot', ten([2, 0, 0, 3, 0, 1, 0, 0, 0, 2]), 0],
    ['oscillating_hot', ten([-2, 0, 0, 3, 0, -1, 0, 0, 0, 2]), 0],
    ['historical_hot', ten([3, 3, 3, 3, 3, 3, 3, 3, 3, 0]), -1],
    ['new_cold', ten([0, 0, 0, 0, 0, 0, 0, 0, 0, -3]), 0],
    ['intensifying_cold', ten([-1, -1, -2, -2, -3, -3, -3, -3, -3, -3]), -1],
    ['oscillating_cold', ten([2, 0, 0, -3, 0, 1, 0, 0, 0, -2]), 0],
    ['no_pattern', ten([0, 0, 1, 0, 0, 0, 2, 0, 0, 0]), 0],
  ] as const)('%s', (pattern, bins, trend) => {
    expect(classifyPattern(bins, trend as -1 | 0 | 1)).toBe(pattern);
  });
});

describe('emerging hot spots on a hand-worked space-time cube', () => {
  // 2,000 background cells at 100 in each of 10 slices, and one cell per category. Each
  // cell is its own only neighbour and the time window is the slice alone, so Gi* reduces
  // to a standard score: W = 1 gives z = (x − mean) / S over the whole cube, worked out
  // here by hand. Departures of ±30 from 100 are z of about ±7 (bin ±3), 100 is z ≈ 0.
  const up = [112, 114, 116, 118, 120, 122, 124, 126, 128, 130];
  // All hot with Mann-Kendall S = 21 (p ≈ 0.074): a trend at 90%, none at the 95% the rule asks.
  const borderline = [118, 114, 122, 112, 126, 116, 120, 130, 124, 128];
  const hot: Record<string, number[]> = {
    new_hot: [100, 100, 100, 100, 100, 100, 100, 100, 100, 130],
    consecutive_hot: [100, 100, 100, 100, 100, 100, 100, 130, 130, 130],
    intensifying_hot: up,
    persistent_hot: borderline,
    diminishing_hot: [...up].reverse(),
    sporadic_hot: [130, 100, 100, 130, 100, 130, 100, 100, 100, 130],
    oscillating_hot: [70, 100, 100, 130, 100, 70, 100, 100, 100, 130],
    historical_hot: [130, 130, 130, 130, 130, 130, 130, 130, 130, 100],
  };
  // Cold mirrors hot about 100; for a cold spot "intensifying" is z falling.
  const series: Record<string, number[]> = { ...hot };
  for (const [name, values] of Object.entries(hot)) series[name.replace('_hot', '_cold')] = values.map((v) => 200 - v);
  series.no_pattern = [100, 100, 130, 100, 100, 100, 100, 100, 130, 100];
  const names = Object.keys(series);
  const cells = 2000 + names.length;
  const values = Array.from({ length: 10 }, (_, t) => {
    const slice = new Float64Array(cells).fill(100);
    names.forEach((name, k) => { slice[2000 + k] = series[name]![t]!; });
    return slice;
  });
  const spatial = Array.from({ length: cells }, (_, c) => [c]);
  const result = emergingPatterns(values, spatial, 0, false);

  it('works Gi* out as each bin\'s standard score, and bins it at 90/95/99%', () => {
    const all = values.flatMap((slice) => [...slice]);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const s = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
    const { z } = spaceTimeGiStar(values, spatial, 0);
    names.forEach((name, k) => {
      const byHand = series[name]!.map((x) => (x - mean) / s);
      byHand.forEach((expected, t) => expect(z[t]![2000 + k]).toBeCloseTo(expected, 9));
      const bins = byHand.map((v) => (v < 0 ? -1 : 1) * (Math.abs(v) >= 2.5758 ? 3 : Math.abs(v) >= 1.96 ? 2 : Math.abs(v) >= 1.6449 ? 1 : 0) || 0);
      expect(result[2000 + k]!.bins, name).toEqual(bins);
    });
  });

  it.each(names)('finds %s', (name) => {
    expect(result[2000 + names.indexOf(name)]!.pattern).toBe(name);
  });

  it('calls a trend only at p < 0.05: the borderline series is persistent, not intensifying', () => {
    const trend = mannKendall(borderline, TREND_ALPHA);
    expect(trend.s).toBe(21);
    expect(trend.p).toBeGreaterThan(0.05);
    expect(trend.p).toBeLessThan(0.1);
    expect(trend.trend).toBe(0);
    expect(TREND_ALPHA).toBe(0.05);
  });
});
