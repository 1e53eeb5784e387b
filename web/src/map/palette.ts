// Colours for map layers and legends, in one place so map and legend always agree.
import { EMERGING_PATTERN_LABELS, type Category, type LocationKind } from '@lantern/shared';
import { interpolateYlOrRd } from 'd3-scale-chromatic';

export type Rgb = [number, number, number];

/** Kinds of place: distinct hues (after Tableau 10), green for parks, brown for estates. */
export const KIND_COLOURS: Record<LocationKind, Rgb> = {
  park: [89, 161, 79],
  housing_estate: [156, 117, 95],
  stairwell: [176, 122, 161],
  takeaway: [242, 142, 43],
  hotel: [255, 157, 167],
  transport_hub: [78, 121, 167],
  school: [118, 183, 178],
  shop: [186, 176, 60],
  licensed_premises: [225, 87, 89],
  car_park: [121, 112, 110],
  other: [60, 60, 60],
};

export const CATEGORY_COLOURS: Record<Category, string> = {
  cse: '#b07aa1',
  cce: '#9c755f',
  county_lines: '#7b3294',
  cuckooing: '#8c6d31',
  serious_violence: '#d62728',
  knife_crime: '#a50f15',
  robbery: '#f28e2b',
  missing_episode: '#4e79a7',
  drugs: '#59a14f',
  domestic_abuse: '#e377c2',
  asb: '#bab0ac',
  other: '#7f7f7f',
};

export const rgbCss = ([r, g, b]: Rgb, alpha = 1) => `rgba(${r}, ${g}, ${b}, ${alpha})`;

/** The category and kind colours: distinct hues (the default), or colour-blind safe. */
export const PALETTES = ['standard', 'colour-blind'] as const;
export type PaletteName = (typeof PALETTES)[number];

const rgbOf = (hex: string): Rgb => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as Rgb;

/**
 * Twelve colours that stay apart for normal vision and under simulated protanopia,
 * deuteranopia and tritanopia (every pair at least 15 CIELAB units apart in all four:
 * palette.test.ts), none too pale for the light basemap. Chosen from Paul Tol's and
 * Okabe and Ito's colour-blind-safe sets by greatest least distance; warm ones for
 * violence, blues and purples for exploitation. Twelve hues cannot all be told apart
 * at a glance by everyone: the legend, the tooltips and the "only" filter name each one.
 */
export const CATEGORY_COLOURS_SAFE: Record<Category, string> = {
  cse: '#aa3377',
  cce: '#332288',
  county_lines: '#0072b2',
  cuckooing: '#cc79a7',
  serious_violence: '#cc3311',
  knife_crime: '#663333',
  robbery: '#ee7733',
  missing_episode: '#33bbee',
  drugs: '#009e73',
  domestic_abuse: '#ffaabb',
  asb: '#ddcc77',
  other: '#e69f00',
};

/** The same twelve for the eleven kinds of place: green for parks, brown for estates. */
export const KIND_COLOURS_SAFE: Record<LocationKind, Rgb> = {
  park: rgbOf('#009e73'),
  housing_estate: rgbOf('#663333'),
  stairwell: rgbOf('#aa3377'),
  takeaway: rgbOf('#ee7733'),
  hotel: rgbOf('#ffaabb'),
  transport_hub: rgbOf('#0072b2'),
  school: rgbOf('#33bbee'),
  shop: rgbOf('#ddcc77'),
  licensed_premises: rgbOf('#cc3311'),
  car_park: rgbOf('#332288'),
  other: rgbOf('#cc79a7'),
};

/** Each category's colour in a palette. */
export const categoryColours = (palette: PaletteName): Record<Category, string> =>
  (palette === 'colour-blind' ? CATEGORY_COLOURS_SAFE : CATEGORY_COLOURS);

/** Each kind of place's colour in a palette. */
export const kindColours = (palette: PaletteName): Record<LocationKind, Rgb> =>
  (palette === 'colour-blind' ? KIND_COLOURS_SAFE : KIND_COLOURS);

/**
 * Gi* confidence bins -3..3, ColorBrewer RdBu (colour-blind safe, diverging): blues cold,
 * reds hot, 0 left transparent. Same colours ArcGIS uses for its hot spot renderer.
 */
export const GISTAR_COLOURS: Record<number, string> = {
  [-3]: '#2166ac', [-2]: '#67a9cf', [-1]: '#d1e5f0', 0: 'rgba(0,0,0,0)', 1: '#fddbc7', 2: '#ef8a62', 3: '#b2182b',
};
export const GISTAR_LABELS: Record<number, string> = {
  3: 'Hot spot, 99% confidence', 2: 'Hot spot, 95%', 1: 'Hot spot, 90%',
  [-1]: 'Cold spot, 90%', [-2]: 'Cold spot, 95%', [-3]: 'Cold spot, 99% confidence',
};

/** Emerging hot spot patterns: warm colours for hot patterns, cool for cold, grey for historical. */
export const EMERGING_COLOURS: Record<string, string> = {
  new_hot: '#fdae61', consecutive_hot: '#f46d43', intensifying_hot: '#a50026', persistent_hot: '#d73027',
  diminishing_hot: '#f4a582', sporadic_hot: '#fee090', oscillating_hot: '#c51b7d', historical_hot: '#9e9e9e',
  new_cold: '#abd9e9', consecutive_cold: '#74add1', intensifying_cold: '#313695', persistent_cold: '#4575b4',
  diminishing_cold: '#92c5de', sporadic_cold: '#e0f3f8', oscillating_cold: '#4d9221', historical_cold: '#6b6b6b',
};

/** Emerging hot spot pattern names (shared with the server's meeting pack). */
export const EMERGING_LABELS: Record<string, string> = EMERGING_PATTERN_LABELS;

/** Kernel density's colour at a share t (0-1) of the surface's maximum (as drawn and keyed). */
export const kdeColour = (t: number) => interpolateYlOrRd(0.25 + 0.75 * Math.sqrt(t));

/** Five sequential classes for incident density, light to dark. */
export const DENSITY_COLOURS = [0.12, 0.3, 0.5, 0.72, 0.95].map((t) => interpolateYlOrRd(t));

/**
 * Class breaks for the densities in view: quintiles of the non-zero values, rounded
 * to two significant figures and strictly increasing. Returns the 4 inner breaks.
 */
export function densityBreaks(values: readonly number[]): number[] {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return [1, 2, 4, 8];
  const round = (v: number) => {
    const magnitude = 10 ** Math.floor(Math.log10(v) - 1);
    return Math.max(magnitude, Math.round(v / magnitude) * magnitude);
  };
  const breaks: number[] = [];
  for (const q of [0.2, 0.4, 0.6, 0.8]) {
    let value = round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    const previous = breaks[breaks.length - 1];
    if (previous !== undefined && value <= previous) value = round(previous * 1.5);
    breaks.push(value);
  }
  return breaks;
}
