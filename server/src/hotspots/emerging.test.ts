import { describe, expect, it } from 'vitest';
import { classifyPattern, spaceTimeGiStar } from './emerging.js';
import { giStar } from './statistics.js';

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
