import { describe, expect, it } from 'vitest';
import { hexagonCountsFromRows, hexagonCountsOfSets, hexagonSetIndex, type HexagonCountsByZoom } from './incidents.js';

// Sets of four hexagons (i, j at zooms 10, 11, 12, 13); two share their zoom-10 to zoom-12 hexagons.
const SETS = [
  [-3, 5, -6, 10, -12, 20, -24, 40],
  [-3, 5, -6, 10, -12, 20, -24, 41],
  [-4, 5, -7, 10, -13, 21, -25, 42],
  [2, -1, 4, -2, 8, -4, 16, -8],
];

describe('hexagon counts per zoom from counts per set of four', () => {
  it('sums the sets of each hexagon, orders hexagons by (i, j) and leaves out those with no incident', () => {
    const index = hexagonSetIndex(SETS);
    const counts = hexagonCountsOfSets(index, [0, 1, 3], [2, 3, 5], [1.5, 0.5, 4]);
    expect([...counts.at(10).i]).toEqual([-3, 2]);
    expect([...counts.at(10).j]).toEqual([5, -1]);
    expect([...counts.at(10).episodes]).toEqual([5, 5]);
    expect([...counts.at(10).harm]).toEqual([2, 4]);
    expect([...counts.at(13).i]).toEqual([-24, -24, 16]);
    expect([...counts.at(13).j]).toEqual([40, 41, -8]);
    expect([...counts.at(13).episodes]).toEqual([2, 3, 5]);
  });

  it('sums a zoom once, when first asked for, and refuses a zoom it does not hold', () => {
    const counts = hexagonCountsOfSets(hexagonSetIndex(SETS), [0], [1], [1]);
    expect(counts.at(12)).toBe(counts.at(12));
    expect(() => counts.at(14)).toThrow('no hexagon counts at zoom 14');
  });

  it('gives the same answer in whatever order an engine returns the sets', () => {
    const rows = SETS.map((set, k) => [...set, k + 1, (k + 1) / 4]);
    const byZoom = (counts: HexagonCountsByZoom) => [10, 11, 12, 13].map((zoom) => counts.at(zoom));
    const reversed = byZoom(hexagonCountsFromRows([...rows].reverse()));
    expect(reversed).toEqual(byZoom(hexagonCountsFromRows(rows)));
    expect(byZoom(hexagonCountsOfSets(hexagonSetIndex(SETS), [3, 2, 1, 0], [4, 3, 2, 1], [1, 0.75, 0.5, 0.25]))).toEqual(reversed);
  });
});
