/**
 * Exact binomial and multinomial sampling for the bootstrap's confusion-bin draws.
 *
 * - Binomial(n, p) with n·min(p, 1−p) < 10: sequential inversion (Kachitvichyanukul & Schmeiser
 *   1988; NumPy's `random_binomial_inversion`).
 * - Otherwise BTRS, transformed rejection with squeeze (W. Hörmann, "The generation of binomial
 *   random variates", J. Stat. Comput. Simul. 46, 1993; the sampler of TensorFlow and JAX), whose
 *   acceptance test uses log-factorials: exact sums of logs below 256, Stirling's series with
 *   three correction terms above (relative error < 1e-16 at k ≥ 256), so the draws follow the
 *   binomial law exactly up to float64 rounding.
 * - Multinomial(n, p) as conditional binomials over the bins in order: k_b ~ Binomial(n − Σ_{j<b}
 *   k_j, p_b / Σ_{j≥b} p_j), with probabilities given as counts (no rounding of p_b / Σ).
 *
 * @module
 */

import type { Rng } from '@judgekit/core';

const LFACT_TABLE_SIZE = 256;
const LFACT = (() => {
  const t = new Float64Array(LFACT_TABLE_SIZE);
  for (let k = 2; k < LFACT_TABLE_SIZE; k++) t[k] = t[k - 1]! + Math.log(k);
  return t;
})();
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(k!) for an integer k ≥ 0. */
export function logFactorial(k: number): number {
  if (k < LFACT_TABLE_SIZE) return LFACT[k]!;
  const x = k + 1;
  const x2 = x * x;
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + (1 / 12 - (1 / 360 - 1 / (1260 * x2)) / x2) / x;
}

/** Binomial(n, p) for p ≤ 0.5 by inversion (mean n·p < 10). */
function inversion(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const qn = Math.exp(n * Math.log1p(-p));
  const np = n * p;
  const bound = Math.min(n, np + 10 * Math.sqrt(np * q + 1));
  const ratio = p / q;
  let x = 0;
  let px = qn;
  let u = rng.nextFloat();
  while (u > px) {
    x++;
    if (x > bound) {
      x = 0;
      px = qn;
      u = rng.nextFloat();
    } else {
      u -= px;
      px *= ((n - x + 1) * ratio) / x;
    }
  }
  return x;
}

/** Binomial(n, p) for p ≤ 0.5 and n·p ≥ 10 by BTRS. */
function btrs(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  const h = logFactorial(m) + logFactorial(n - m);
  for (;;) {
    const u = rng.nextFloat() - 0.5;
    let v = rng.nextFloat();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log((v * alpha) / (a / (us * us) + b));
    if (v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) return k;
  }
}

/** One Binomial(n, p) draw (integer n ≥ 0, p ∈ [0, 1]). */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  return n * p < 10 ? inversion(rng, n, p) : btrs(rng, n, p);
}

/**
 * One Multinomial(n, weights / Σ weights) draw into `out` (same length as `weights`; non-negative
 * integer or real weights). Bins are drawn in order as conditional binomials; the last bin with
 * weight gets the remainder.
 */
export function sampleMultinomial(rng: Rng, n: number, weights: ArrayLike<number>, out: Float64Array): void {
  let restN = n;
  let restW = 0;
  let last = -1;
  for (let b = 0; b < weights.length; b++) {
    if (weights[b]! > 0) {
      restW += weights[b]!;
      last = b;
    }
  }
  for (let b = 0; b < weights.length; b++) {
    const w = weights[b]!;
    if (!(w > 0)) {
      out[b] = 0;
      continue;
    }
    if (b === last) {
      out[b] = restN;
      restN = 0;
      continue;
    }
    const k = restN === 0 ? 0 : sampleBinomial(rng, restN, Math.min(1, w / restW));
    out[b] = k;
    restN -= k;
    restW -= w;
  }
}
