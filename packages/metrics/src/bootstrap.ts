/**
 * Seeded percentile bootstrap over samples that are each summarised by one small integer code.
 *
 * Every judge metric here is a function of a histogram of per-sample codes (a confusion matrix is a
 * histogram of `label * 4 + prediction`), so a resample needs only `n` index draws and `n` counter
 * increments into a reused histogram: no per-resample allocation, one byte read per draw.
 */

import { createRng, InvalidArgumentError, Rng, type Seed } from '@judgekit/core';
import { sampleMultinomial } from './binomial.js';

/** Options of a bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples. Default 1000. */
  resamples?: number;
  /** Seed of the resampling stream (core's xoshiro128**). Default 0. */
  seed?: Seed;
  /** Two-sided confidence level of the percentile interval. Default 0.95. */
  confidence?: number;
  /**
   * How a resample is drawn. `'multinomial'` (default): each resample's histogram is one
   * Multinomial(n, full-sample histogram / n) draw over the bins, which is exactly the distribution
   * of the histogram of n indices drawn with replacement (the statistics only read the histogram),
   * at a cost of a few binomial draws per bin instead of n index draws. `'resample'`: draw the n
   * indices (core `Rng.sampleIndices`), the behaviour before 0.2, kept so old seeds reproduce
   * their intervals exactly. The two give statistically identical intervals, not identical numbers.
   */
  method?: BootstrapMethod;
}

/** Values of {@link BootstrapOptions.method}. */
export type BootstrapMethod = 'multinomial' | 'resample';

/** A point estimate with its percentile bootstrap interval. JSON-serialisable (NaN becomes null). */
export interface ConfidenceInterval {
  /** The statistic on the full sample. */
  estimate: number;
  /** Lower percentile bound (`(1 − confidence) / 2` quantile of the replicates). */
  lower: number;
  /** Upper percentile bound. */
  upper: number;
  /** Standard deviation of the replicates (ddof = 1). */
  standardError: number;
  /** Confidence level. */
  confidence: number;
  /** Resamples drawn. */
  resamples: number;
}

/** A statistic of a histogram: reads `hist` (length `bins`), writes `statCount` values into `out`. */
export type HistogramStatistic = (hist: Float64Array, out: Float64Array) => void;

/** Resolved bootstrap options. */
export interface ResolvedBootstrap {
  resamples: number;
  seed: Seed;
  confidence: number;
  method: BootstrapMethod;
}

/** Fill in defaults and validate. */
export function resolveBootstrap(options: BootstrapOptions = {}): ResolvedBootstrap {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new InvalidArgumentError('resamples', `must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new InvalidArgumentError('confidence', `must be in (0, 1), got ${confidence}`);
  const method = options.method ?? 'multinomial';
  if (method !== 'multinomial' && method !== 'resample')
    throw new InvalidArgumentError('method', `must be 'multinomial' or 'resample', got ${String(method)}`);
  return { resamples, seed: options.seed ?? 0, confidence, method };
}

/**
 * Draw `resamples` bootstrap resamples of `codes` (values in `[0, bins)`), evaluate `statistic` on
 * each resample's histogram and return the replicates, row-major `[resamples, statCount]`.
 * `method: 'multinomial'` (default) draws each histogram as Multinomial(n, full histogram / n)
 * (see {@link BootstrapOptions.method}); with `method: 'resample'` the index draws are exactly core's
 * `Rng.nextInt(n)` (unbiased rejection), so the stream equals `createRng(seed).sampleIndices(n, n)`
 * resample after resample.
 */
export function bootstrapReplicates(
  codes: Uint8Array,
  bins: number,
  statCount: number,
  statistic: HistogramStatistic,
  options: BootstrapOptions = {},
): Float64Array {
  const { resamples, seed, method } = resolveBootstrap(options);
  const n = codes.length;
  const replicates = new Float64Array(resamples * statCount);
  if (n === 0) return replicates.fill(Number.NaN);
  if (method === 'multinomial') {
    const full = new Float64Array(bins);
    for (let i = 0; i < n; i++) full[codes[i]!]! += 1;
    const rng = createRng(seed);
    const hist = new Float64Array(bins);
    const out = new Float64Array(statCount);
    for (let r = 0; r < resamples; r++) {
      sampleMultinomial(rng, n, full, hist);
      statistic(hist, out);
      replicates.set(out, r * statCount);
    }
    return replicates;
  }
  // xoshiro128** state words as int32, carried from resample to resample.
  const state = Int32Array.from(createRng(seed).state);
  const counts = new Uint32Array(bins);
  const hist = new Float64Array(bins);
  const out = new Float64Array(statCount);
  for (let r = 0; r < resamples; r++) {
    if (n <= MAX_FAST_N) drawHistogram(state, codes, counts);
    else drawHistogramViaRng(state, codes, counts);
    for (let b = 0; b < bins; b++) hist[b] = counts[b]!;
    statistic(hist, out);
    replicates.set(out, r * statCount);
  }
  return replicates;
}

/** Largest sample count of the integer fast path (the quotient below must fit an int32). */
const MAX_FAST_N = 0x40000000;
const TWO32 = 4294967296;
const SIGN = -0x80000000;

/**
 * Zero `counts`, draw `n = codes.length` indices exactly as core's `Rng.nextInt(n)` does from the
 * xoshiro128** state `state` (so resample after resample the stream equals
 * `createRng(seed).sampleIndices(n, n)`), count the code of each drawn sample, and leave the
 * advanced state in `state`.
 *
 * The hot loop runs xoshiro128** 1.1 on local int32 words (no property writes, no heap numbers),
 * tests the rejection `x >= limit` on the uint32 draw with a sign-flipped int32 compare, and
 * computes `x % n` without an integer division: `q = trunc(x · (1/n))` is exact or one too small
 * (only when `x` is a multiple of `n`), so `x − q·n` (in int32, exact as it lies in `[0, 2n)`)
 * needs at most one correction. Needs `n ≤ 2^30` so that `q` fits an int32; `n = 1` works too
 * (`q·1` wraps to `x`, the remainder is 0).
 */
function drawHistogram(state: Int32Array, codes: Uint8Array, counts: Uint32Array): void {
  const n = codes.length | 0;
  counts.fill(0);
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let s3 = state[3]!;
  const inv = 1 / n;
  // Accept the uint32 draw iff x <= limit − 1, i.e. iff (x ^ 2^31) <= limit − 1 − 2^31 as int32
  // (limit = 2^32 when n is a power of two: every draw is accepted, the bound is 2^31 − 1).
  const maxFlipped = (TWO32 - (TWO32 % n) - 1 - 0x80000000) | 0;
  for (let i = 0; i < n; i++) {
    let x: number;
    do {
      const m = Math.imul(s1, 5);
      x = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    } while ((x ^ SIGN) > maxFlipped);
    const q = ((x >>> 0) * inv) | 0;
    let j = (x - Math.imul(q, n)) | 0;
    if (j >= n) j -= n;
    counts[codes[j]!]!++;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** {@link drawHistogram} for `n > 2^30`, through core's `Rng.nextInt`. */
function drawHistogramViaRng(state: Int32Array, codes: Uint8Array, counts: Uint32Array): void {
  const rng = new Rng([state[0]!, state[1]!, state[2]!, state[3]!]);
  counts.fill(0);
  const n = codes.length;
  for (let i = 0; i < n; i++) counts[codes[rng.nextInt(n)]!]!++;
  state.set(rng.state);
}

/**
 * Quantile of sorted values with NumPy's default `linear` method (`np.percentile(x, 100 q)`):
 * h = (n − 1) q, interpolate between the neighbours of h.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Percentile interval of column `col` of row-major replicates `[resamples, statCount]`. NaN
 * replicates (a resample where the statistic is undefined) are left out, as `np.nanpercentile`.
 */
export function percentileInterval(
  replicates: Float64Array,
  statCount: number,
  col: number,
  estimate: number,
  confidence: number,
): ConfidenceInterval {
  const resamples = replicates.length / statCount;
  const vals = new Float64Array(resamples);
  let m = 0;
  let sum = 0;
  for (let r = 0; r < resamples; r++) {
    const v = replicates[r * statCount + col]!;
    if (!Number.isNaN(v)) {
      vals[m++] = v;
      sum += v;
    }
  }
  const kept = vals.subarray(0, m).sort();
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (kept[i]! - mean) ** 2;
  const alpha = (1 - confidence) / 2;
  return {
    estimate,
    lower: quantileSorted(kept, alpha),
    upper: quantileSorted(kept, 1 - alpha),
    standardError: m > 1 ? Math.sqrt(ss / (m - 1)) : Number.NaN,
    confidence,
    resamples,
  };
}

/**
 * Percentile bootstrap interval of the mean of per-sample values that take few distinct values
 * (0/1 correctness, 0/0.5/1 credit, …). `values` must be small non-negative integers after scaling:
 * pass `codes` and a `codeValues` table, e.g. codes 0/1 with values [0, 1].
 */
export function bootstrapMean(
  codes: Uint8Array,
  codeValues: ArrayLike<number>,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const { confidence } = resolveBootstrap(options);
  const bins = codeValues.length;
  const stat: HistogramStatistic = (hist, out) => {
    let s = 0;
    let c = 0;
    for (let b = 0; b < bins; b++) {
      s += hist[b]! * codeValues[b]!;
      c += hist[b]!;
    }
    out[0] = c > 0 ? s / c : Number.NaN;
  };
  const full = new Float64Array(bins);
  for (let i = 0; i < codes.length; i++) {
    if (codes[i]! >= bins) throw new InvalidArgumentError('codes', `code ${codes[i]} at ${i} has no value`);
    full[codes[i]!]! += 1;
  }
  const est = new Float64Array(1);
  stat(full, est);
  const reps = bootstrapReplicates(codes, bins, 1, stat, options);
  return percentileInterval(reps, 1, 0, est[0]!, confidence);
}
