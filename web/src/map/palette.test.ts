import { describe, expect, it } from 'vitest';
import { CATEGORIES, LOCATION_KINDS } from '@lantern/shared';
import { CATEGORY_COLOURS, densityBreaks, DENSITY_COLOURS, KIND_COLOURS, KIND_COLOURS_SAFE, CATEGORY_COLOURS_SAFE, type Rgb } from './palette';

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

// Colour vision simulated as Machado, Oliveira and Fernandes (2009) do, at full severity,
// on linear RGB; distances in CIELAB (D65).
const SIMULATIONS: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

function lab(rgb: Rgb, matrix: number[][]): [number, number, number] {
  const linear = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = matrix.map((row) => Math.min(1, Math.max(0, row.reduce((sum, m, k) => sum + m * linear[k]!, 0)))) as [number, number, number];
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const [x, y, z] = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** The least CIELAB distance between two of the colours, for normal vision and each simulated colour blindness. */
function leastDistance(colours: Rgb[]): number {
  let least = Infinity;
  for (const matrix of Object.values(SIMULATIONS)) {
    const points = colours.map((colour) => lab(colour, matrix));
    points.forEach((a, i) => points.slice(i + 1).forEach((b) => { least = Math.min(least, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])); }));
  }
  return least;
}

const hex = (colour: string): Rgb => [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16)) as Rgb;

describe('the colour-blind-safe palette', () => {
  it('keeps every two categories and every two kinds of place apart under protanopia, deuteranopia and tritanopia', () => {
    expect(leastDistance(CATEGORIES.map((category) => hex(CATEGORY_COLOURS_SAFE[category])))).toBeGreaterThanOrEqual(15);
    expect(leastDistance(LOCATION_KINDS.map((kind) => KIND_COLOURS_SAFE[kind]))).toBeGreaterThanOrEqual(15);
    expect(new Set(Object.values(CATEGORY_COLOURS_SAFE)).size).toBe(CATEGORIES.length);
  });

  it('is needed: the distinct hues run together for someone colour blind', () => {
    expect(leastDistance(CATEGORIES.map((category) => hex(CATEGORY_COLOURS[category])))).toBeLessThan(7);
    expect(leastDistance(LOCATION_KINDS.map((kind) => KIND_COLOURS[kind]))).toBeLessThan(2);
  });
});
