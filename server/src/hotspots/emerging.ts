// Emerging hot spots, after ArcGIS's Emerging Hot Spot Analysis: a space-time cube of
// cells x time slices, Gi* per bin with the neighbourhood in space (distance band) and
// time (the bin and the k slices before it), the Mann-Kendall trend of each cell's
// z-scores, and the published pattern categories.
import { confidenceBins, mannKendall, twoSidedP } from './statistics.js';

/**
 * A trend in intensity needs the Mann-Kendall test's two-sided p below this. Esri's
 * definitions ("How Emerging Hot Spot Analysis works") ask for an increase or decrease
 * that "is statistically significant" without naming a level; Lantern takes 95%, the
 * conventional level for a trend test and the one docs/hotspots.md states (sfdep's
 * emerging_hotspot_analysis uses 0.01 by default).
 */
export const TREND_ALPHA = 0.05;

export const EMERGING_CATEGORIES = [
  'new', 'consecutive', 'intensifying', 'persistent', 'diminishing', 'sporadic', 'oscillating', 'historical',
] as const;
export type EmergingPattern =
  | `${(typeof EMERGING_CATEGORIES)[number]}_hot`
  | `${(typeof EMERGING_CATEGORIES)[number]}_cold`
  | 'no_pattern';

/**
 * Gi* over a space-time cube. values[t][c] is the count of cell c in slice t; spatial[c]
 * the cells within the distance band (c included). The neighbourhood of (c, t) is every
 * spatial neighbour in slices t − timeSteps .. t. Mean and standard deviation are over the
 * whole cube, as ArcGIS computes them.
 */
export function spaceTimeGiStar(values: Float64Array[], spatial: readonly (readonly number[])[], timeSteps: number): { z: Float64Array[]; p: Float64Array[] } {
  const slices = values.length;
  const cells = spatial.length;
  const n = slices * cells;
  let sum = 0;
  let sumSquares = 0;
  for (const slice of values) {
    for (let c = 0; c < cells; c++) {
      sum += slice[c]!;
      sumSquares += slice[c]! * slice[c]!;
    }
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
  const z: Float64Array[] = [];
  const p: Float64Array[] = [];
  for (let t = 0; t < slices; t++) {
    const zt = new Float64Array(cells);
    const pt = new Float64Array(cells);
    const first = Math.max(0, t - timeSteps);
    for (let c = 0; c < cells; c++) {
      let local = 0;
      let w = 0;
      for (let u = first; u <= t; u++) {
        const slice = values[u]!;
        for (const neighbour of spatial[c]!) local += slice[neighbour]!;
        w += spatial[c]!.length;
      }
      const denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
      zt[c] = denominator > 0 ? (local - mean * w) / denominator : 0;
      pt[c] = twoSidedP(zt[c]!);
    }
    z.push(zt);
    p.push(pt);
  }
  return { z, p };
}

/**
 * The pattern of one location from its bins over time (-3..3, 0 not significant; any
 * non-zero bin counts as significant at 90% or more) and the Mann-Kendall trend of its
 * z-scores (1 up, -1 down, 0 none), following ArcGIS's definitions:
 * - new: significant in the final slice only, never before;
 * - consecutive: one uninterrupted run of at least two significant final slices, never
 *   significant before the run, under 90% of slices significant;
 * - intensifying / persistent / diminishing: significant in at least 90% of slices
 *   including the final one, with a rising / no / falling trend in intensity;
 * - sporadic: significant in the final slice, on and off before, under 90% of slices,
 *   never of the opposite sign;
 * - oscillating: significant in the final slice, of the opposite sign in some earlier
 *   slice, under 90% of slices;
 * - historical: not significant in the final slice, but in at least 90% of the others.
 * Cold patterns mirror the hot ones (for cold, "intensifying" means z falling).
 */
export function classifyPattern(bins: ArrayLike<number>, trend: -1 | 0 | 1): EmergingPattern {
  const n = bins.length;
  const last = bins[n - 1]!;
  const pick = (sign: 1 | -1): EmergingPattern | null => {
    const significant = (b: number) => Math.sign(b) === sign;
    const opposite = (b: number) => Math.sign(b) === -sign;
    let count = 0;
    let opposites = 0;
    for (let i = 0; i < n; i++) {
      if (significant(bins[i]!)) count += 1;
      if (opposite(bins[i]!)) opposites += 1;
    }
    const suffix = sign === 1 ? 'hot' : 'cold';
    const share = count / n;
    const lastSignificant = significant(last);
    const directed = trend * sign; // intensity rising for hot = z rising; for cold = z falling
    if (lastSignificant && share >= 0.9) {
      if (directed > 0) return `intensifying_${suffix}`;
      if (directed < 0) return `diminishing_${suffix}`;
      return `persistent_${suffix}`;
    }
    if (!lastSignificant) {
      // Historical: at least 90% of the slices were significant, but not the final one.
      return count >= 0.9 * n && count > 0 ? `historical_${suffix}` : null;
    }
    if (count === 1) return `new_${suffix}`;
    // The final run of significant slices.
    let run = 0;
    for (let i = n - 1; i >= 0 && significant(bins[i]!); i--) run += 1;
    if (run === count && run >= 2) return `consecutive_${suffix}`;
    if (opposites > 0) return `oscillating_${suffix}`;
    return `sporadic_${suffix}`;
  };
  return pick(Math.sign(last) === -1 ? -1 : 1) ?? pick(-1) ?? pick(1) ?? 'no_pattern';
}

export interface EmergingCell {
  pattern: EmergingPattern;
  trendZ: number;
  trendP: number;
  hotSlices: number;
  coldSlices: number;
  bins: number[];
}

/** Patterns for every cell of the cube (bins FDR-corrected per slice when asked). */
export function emergingPatterns(values: Float64Array[], spatial: readonly (readonly number[])[], timeSteps: number, fdr: boolean): EmergingCell[] {
  const { z, p } = spaceTimeGiStar(values, spatial, timeSteps);
  const bins = z.map((zt, t) => confidenceBins(zt, p[t]!, fdr));
  return spatial.map((_, c) => {
    const series = z.map((zt) => zt[c]!);
    const cellBins = bins.map((bt) => bt[c]!);
    const trend = mannKendall(series, TREND_ALPHA);
    return {
      pattern: classifyPattern(cellBins, trend.trend),
      trendZ: trend.z,
      trendP: trend.p,
      hotSlices: cellBins.filter((b) => b > 0).length,
      coldSlices: cellBins.filter((b) => b < 0).length,
      bins: cellBins,
    };
  });
}
