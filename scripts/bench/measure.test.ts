import { describe, expect, it } from 'vitest';
import { percentile, Random, tileAt } from './measure.js';

describe('benchmark measures', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('finds the tile of a point', () => {
    // Bath Abbey at zoom 12 and 16 (checked against the slippy-map formula by hand).
    expect(tileAt(-2.3590, 51.3815, 12)).toEqual({ z: 12, x: 2021, y: 1364 });
    expect(tileAt(0, 0, 1)).toEqual({ z: 1, x: 1, y: 1 });
  });

  it('repeats its sequence for a seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Random(43).next()).not.toBe(first[0]);
  });
});
