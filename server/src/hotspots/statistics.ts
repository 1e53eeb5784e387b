// The statistics behind Lantern's hotspots, as pure functions over arrays, each from its
// published definition (docs/hotspots.md gives the formulas and references):
// - Getis-Ord Gi* with binary fixed-distance weights, self included (Getis & Ord 1992;
//   Ord & Getis 1995), two-sided normal p-values;
// - confidence bins -3..3 as ArcGIS's Hot Spot Analysis reports them, optionally with the
//   Benjamini-Hochberg False Discovery Rate correction applied to the bins;
// - the Mann-Kendall trend test with the tie correction of its variance;
// - the quartic (biweight) kernel for density.
// Hand-written: the JavaScript statistics libraries on npm do not provide Gi*, FDR bins or
// Mann-Kendall with ties, and the normal tail needs more precision than their tables.

/** The complementary error function: Numerical Recipes' erfcc (Chebyshev fit), relative error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
    + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Two-sided p-value of a standard normal z-score. */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

export interface GiStarResult {
  z: Float64Array;
  p: Float64Array;
}

/**
 * Gi* for every cell: values x, and for each cell the indices of its neighbours within the
 * distance band (itself included), binary weights.
 *   Gi* = (Σj wij xj − X̄ Σj wij) / (S √((n Σj wij² − (Σj wij)²) / (n − 1)))
 * with X̄ the mean and S = √(Σ x² / n − X̄²) over all n cells.
 * A cell whose neighbourhood is the whole study area has no defined z (0 is returned).
 */
export function giStar(values: ArrayLike<number>, neighbours: readonly (readonly number[])[]): GiStarResult {
  const n = values.length;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    sumSquares += values[i]! * values[i]!;
  }
  const mean = sum / n;
  const s = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const around = neighbours[i]!;
    const w = around.length; // Σ wij = Σ wij² for binary weights
    let local = 0;
    for (const j of around) local += values[j]!;
    const denominator = s * Math.sqrt((n * w - w * w) / (n - 1));
    z[i] = denominator > 0 ? (local - mean * w) / denominator : 0;
    p[i] = twoSidedP(z[i]!);
  }
  return { z, p };
}

/**
 * Benjamini-Hochberg critical p-values for the 90, 95 and 99% levels: for each alpha the
 * largest p(k) with p(k) <= k·alpha/n over the sorted p-values (0 when none qualifies).
 */
export function fdrCriticalValues(p: ArrayLike<number>): { p90: number; p95: number; p99: number } {
  const sorted = Float64Array.from(p as ArrayLike<number>).sort();
  const n = sorted.length;
  const critical = (alpha: number) => {
    let found = 0;
    for (let k = 1; k <= n; k++) if (sorted[k - 1]! <= (k * alpha) / n) found = sorted[k - 1]!;
    return found;
  };
  return { p90: critical(0.1), p95: critical(0.05), p99: critical(0.01) };
}

/**
 * Confidence bins as ArcGIS reports them: ±3 for 99%, ±2 for 95%, ±1 for 90%, 0 not
 * significant; the sign is the sign of z. With FDR the thresholds are the
 * Benjamini-Hochberg critical p-values instead of 0.01, 0.05 and 0.10.
 */
export function confidenceBins(z: ArrayLike<number>, p: ArrayLike<number>, fdr: boolean): Int8Array {
  const thresholds = fdr ? fdrCriticalValues(p) : { p90: 0.1, p95: 0.05, p99: 0.01 };
  const bins = new Int8Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const pi = p[i]!;
    const level = fdr
      ? (thresholds.p99 > 0 && pi <= thresholds.p99 ? 3 : thresholds.p95 > 0 && pi <= thresholds.p95 ? 2 : thresholds.p90 > 0 && pi <= thresholds.p90 ? 1 : 0)
      : (pi < 0.01 ? 3 : pi < 0.05 ? 2 : pi < 0.1 ? 1 : 0);
    bins[i] = z[i]! > 0 ? level : z[i]! < 0 ? -level : 0;
  }
  return bins;
}

export interface MannKendall {
  s: number;
  variance: number;
  z: number;
  p: number;
  /** 1 rising, -1 falling, 0 no trend significant at alpha (two-sided). */
  trend: -1 | 0 | 1;
}

/**
 * Mann-Kendall: S = Σ_{i<j} sign(xj − xi); Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18
 * over groups of t tied values; z with the continuity correction (S ∓ 1)/√Var.
 */
export function mannKendall(series: readonly number[], alpha: number): MannKendall {
  const n = series.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign(series[j]! - series[i]!);
  const ties = new Map<number, number>();
  for (const value of series) ties.set(value, (ties.get(value) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance > 0 ? (s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0) : 0;
  const p = twoSidedP(z);
  return { s, variance, z, p, trend: p < alpha ? (z > 0 ? 1 : -1) : 0 };
}

/** The quartic (biweight) kernel in two dimensions, per square unit: 3/(πh²)·(1 − d²/h²)² for d < h. */
export function quarticKernel(distanceSquared: number, bandwidth: number): number {
  const h2 = bandwidth * bandwidth;
  if (distanceSquared >= h2) return 0;
  const u = 1 - distanceSquared / h2;
  return (3 / (Math.PI * h2)) * u * u;
}

/**
 * The smallest value at which the weights of the values up to it (in ascending order)
 * reach `half`: a weighted median, found by three-way quickselect in linear time
 * (sorting hundreds of thousands of (distance, weight) pairs took a quarter of a
 * second).
 */
export function weightedLowerMedian(values: Float64Array, weights: Float64Array, half: number): number {
  let v = values;
  let w = weights;
  let target = half;
  while (v.length > 0) {
    // Median of three as the pivot; equal values are kept together.
    const a = v[0]!;
    const b = v[v.length >> 1]!;
    const c = v[v.length - 1]!;
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let lessCount = 0;
    let greaterCount = 0;
    let lessWeight = 0;
    let equalWeight = 0;
    for (let i = 0; i < v.length; i++) {
      if (v[i]! < pivot) {
        lessCount += 1;
        lessWeight += w[i]!;
      } else if (v[i]! > pivot) greaterCount += 1;
      else equalWeight += w[i]!;
    }
    if (lessWeight >= target && lessCount > 0) {
      const nextV = new Float64Array(lessCount);
      const nextW = new Float64Array(lessCount);
      for (let i = 0, k = 0; i < v.length; i++) if (v[i]! < pivot) { nextV[k] = v[i]!; nextW[k++] = w[i]!; }
      v = nextV;
      w = nextW;
    } else if (lessWeight + equalWeight >= target || greaterCount === 0) {
      return pivot;
    } else {
      target -= lessWeight + equalWeight;
      const nextV = new Float64Array(greaterCount);
      const nextW = new Float64Array(greaterCount);
      for (let i = 0, k = 0; i < v.length; i++) if (v[i]! > pivot) { nextV[k] = v[i]!; nextW[k++] = w[i]!; }
      v = nextV;
      w = nextW;
    }
  }
  return 0;
}

/**
 * Default bandwidth, Silverman's rule of thumb for two dimensions as ArcGIS's Kernel
 * Density uses it: 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−0.2), with SD the standard
 * distance and Dm the median distance to the mean centre (weights count as points).
 */
export function silvermanBandwidth(x: ArrayLike<number>, y: ArrayLike<number>, weights: ArrayLike<number>): number {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    n += weights[i]!;
    mx += x[i]! * weights[i]!;
    my += y[i]! * weights[i]!;
  }
  if (n === 0) return 0;
  mx /= n;
  my /= n;
  let squares = 0;
  const distances = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const d2 = (x[i]! - mx) ** 2 + (y[i]! - my) ** 2;
    squares += d2 * weights[i]!;
    distances[i] = Math.sqrt(d2);
  }
  const standardDistance = Math.sqrt(squares / n);
  const median = weightedLowerMedian(distances, Float64Array.from(weights), n / 2);
  return 0.9 * Math.min(standardDistance, Math.sqrt(1 / Math.LN2) * median) * n ** -0.2;
}
