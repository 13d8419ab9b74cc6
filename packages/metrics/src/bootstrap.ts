/**
 * Seeded percentile bootstrap over samples that are each summarised by one small integer code.
 *
 * Every judge metric here is a function of a histogram of per-sample codes (a confusion matrix is a
 * histogram of `label * 4 + prediction`), so a resample needs only `n` index draws and `n` counter
 * increments into a reused histogram: no per-resample allocation, one byte read per draw.
 */

import { createRng, InvalidArgumentError, type Seed } from '@judgekit/core';

/** Options of a bootstrap. */
export interface BootstrapOptions {
  /** Number of resamples. Default 1000. */
  resamples?: number;
  /** Seed of the resampling stream (core's xoshiro128**). Default 0. */
  seed?: Seed;
  /** Two-sided confidence level of the percentile interval. Default 0.95. */
  confidence?: number;
}

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
}

/** Fill in defaults and validate. */
export function resolveBootstrap(options: BootstrapOptions = {}): ResolvedBootstrap {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new InvalidArgumentError('resamples', `must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new InvalidArgumentError('confidence', `must be in (0, 1), got ${confidence}`);
  return { resamples, seed: options.seed ?? 0, confidence };
}

/**
 * Draw `resamples` bootstrap resamples of `codes` (values in `[0, bins)`), evaluate `statistic` on
 * each resample's histogram and return the replicates, row-major `[resamples, statCount]`.
 * Index draws are exactly core's `Rng.nextInt(n)` (unbiased rejection), so the stream equals
 * `createRng(seed).sampleIndices(n, n)` resample after resample.
 */
export function bootstrapReplicates(
  codes: Uint8Array,
  bins: number,
  statCount: number,
  statistic: HistogramStatistic,
  options: BootstrapOptions = {},
): Float64Array {
  const { resamples, seed } = resolveBootstrap(options);
  const n = codes.length;
  const replicates = new Float64Array(resamples * statCount);
  if (n === 0) return replicates.fill(Number.NaN);
  // xoshiro128** 1.1 inlined on local state (the same stream as core's Rng.nextUint32, which the
  // tests check against Rng.sampleIndices); locals keep the hot loop free of property writes.
  let [s0, s1, s2, s3] = createRng(seed).state;
  const hist = new Float64Array(bins);
  const out = new Float64Array(statCount);
  const TWO32 = 4294967296;
  const limit = TWO32 - (TWO32 % n);
  for (let r = 0; r < resamples; r++) {
    hist.fill(0);
    for (let i = 0; i < n; i++) {
      let x: number;
      do {
        const m = Math.imul(s1, 5);
        x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
      } while (x >= limit);
      hist[codes[x % n]!]! += 1;
    }
    statistic(hist, out);
    replicates.set(out, r * statCount);
  }
  return replicates;
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
  codeValues: readonly number[],
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
