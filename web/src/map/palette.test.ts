import { describe, expect, it } from 'vitest';
import { densityBreaks, DENSITY_COLOURS } from './palette';

describe('density classes', () => {
  it('are four strictly increasing breaks for five colours', () => {
    expect(DENSITY_COLOURS).toHaveLength(5);
    const values = Object.freeze(Array.from({ length: 200 }, (_, i) => (i * 7.3) % 113));
    const breaks = densityBreaks(values);
    expect(breaks).toHaveLength(4);
    for (let i = 1; i < breaks.length; i++) expect(breaks[i]!).toBeGreaterThan(breaks[i - 1]!);
  });

  it('stay increasing when most values are equal, and ignore zeros', () => {
    const breaks = densityBreaks([0, 0, 5, 5, 5, 5, 5, 5, 5, 50]);
    for (let i = 1; i < breaks.length; i++) expect(breaks[i]!).toBeGreaterThan(breaks[i - 1]!);
    expect(densityBreaks([])).toEqual([1, 2, 4, 8]);
  });
});
