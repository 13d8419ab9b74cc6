import { createRng } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { logFactorial, sampleBinomial, sampleMultinomial } from './binomial.js';
import { bootstrapReplicates, evaluateJudge, pairedBootstrap } from './index.js';

/** Exact Binomial(n, p) pmf via log-factorials computed by summation. */
function pmf(n: number, p: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) lf[k] = lf[k - 1]! + Math.log(k);
  return Float64Array.from({ length: n + 1 }, (_, k) =>
    Math.exp(lf[n]! - lf[k]! - lf[n - k]! + k * Math.log(p) + (n - k) * Math.log1p(-p)),
  );
}

/** Pearson χ² of observed counts against the pmf, pooling cells with expectation < 5. */
function chiSquare(counts: Float64Array, probs: Float64Array, draws: number): { stat: number; df: number } {
  let stat = 0;
  let df = -1;
  let accO = 0;
  let accE = 0;
  for (let k = 0; k < probs.length; k++) {
    accO += counts[k] ?? 0;
    accE += probs[k]! * draws;
    if (accE >= 5) {
      stat += (accO - accE) ** 2 / accE;
      df++;
      accO = 0;
      accE = 0;
    }
  }
  if (accE > 0) stat += (accO - accE) ** 2 / Math.max(accE, 1e-300);
  return { stat, df };
}

describe('binomial and multinomial sampling', () => {
  it('logFactorial: table and Stirling series agree with summation', () => {
    let s = 0;
    for (let k = 1; k <= 5000; k++) {
      s += Math.log(k);
      expect(Math.abs(logFactorial(k) - s)).toBeLessThan(1e-9 * Math.max(1, s));
    }
  });

  // Both regimes (inversion for n·p < 10, BTRS above), p > 0.5 through symmetry.
  for (const [n, p] of [
    [20, 0.3],
    [1000, 0.004],
    [1000, 0.3],
    [100_000, 0.25],
    [500, 0.93],
  ] as const) {
    it(`Binomial(${n}, ${p}) draws fit the exact pmf (χ², p > 1e-4)`, () => {
      const rng = createRng(n * 31 + Math.round(p * 1000));
      const draws = 40_000;
      const counts = new Float64Array(n + 1);
      let sum = 0;
      for (let i = 0; i < draws; i++) {
        const k = sampleBinomial(rng, n, p);
        expect(Number.isInteger(k) && k >= 0 && k <= n).toBe(true);
        counts[k]! += 1;
        sum += k;
      }
      const { stat, df } = chiSquare(counts, pmf(n, p), draws);
      // χ²_df upper 1e-4 quantile < df + 4.5·sqrt(2 df) + 15 for the df here (Wilson–Hilferty bound)
      expect(stat).toBeLessThan(df + 4.5 * Math.sqrt(2 * df) + 15);
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(sum / draws - n * p)).toBeLessThan((5 * sd) / Math.sqrt(draws));
    });
  }

  it('multinomial draws sum to n and match each bin’s binomial mean and variance', () => {
    const rng = createRng(3);
    const weights = [500, 0, 120, 9000, 3, 377];
    const total = weights.reduce((a, b) => a + b, 0);
    const n = 10_000;
    const out = new Float64Array(weights.length);
    const draws = 20_000;
    const sum = new Float64Array(weights.length);
    const sq = new Float64Array(weights.length);
    for (let i = 0; i < draws; i++) {
      sampleMultinomial(rng, n, weights, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(n);
      for (let b = 0; b < out.length; b++) {
        sum[b]! += out[b]!;
        sq[b]! += out[b]! ** 2;
      }
    }
    weights.forEach((w, b) => {
      const p = w / total;
      const mean = sum[b]! / draws;
      const variance = sq[b]! / draws - mean ** 2;
      expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt((n * p * (1 - p)) / draws) + 1e-12);
      if (p > 0) expect(Math.abs(variance / (n * p * (1 - p)) - 1)).toBeLessThan(0.06);
      else expect(variance).toBe(0);
    });
  });
});

describe("bootstrap method 'multinomial' against 'resample' (same distribution)", () => {
  const n = 1500;
  const rng = createRng(11);
  const codes = Uint8Array.from({ length: n }, () => {
    const u = rng.nextFloat();
    return u < 0.55 ? 0 : u < 0.8 ? 5 : u < 0.97 ? 10 : 3;
  });
  // accuracy-like statistic on the 3 × 4 confusion layout: diagonal share
  const stat = (h: Float64Array, out: Float64Array) => {
    out[0] = (h[0]! + h[5]! + h[10]!) / (h[0]! + h[3]! + h[5]! + h[10]!);
  };

  it('replicate distributions agree: two-sample KS and matching quantiles over 20000 replicates', () => {
    const R = 20_000;
    const a = bootstrapReplicates(codes, 12, 1, stat, {
      resamples: R,
      seed: 1,
      method: 'multinomial',
    }).sort();
    const b = bootstrapReplicates(codes, 12, 1, stat, { resamples: R, seed: 2, method: 'resample' }).sort();
    // two-sample KS statistic
    let i = 0;
    let j = 0;
    let d = 0;
    while (i < R && j < R) {
      const x = Math.min(a[i]!, b[j]!);
      while (i < R && a[i]! <= x) i++;
      while (j < R && b[j]! <= x) j++;
      d = Math.max(d, Math.abs(i / R - j / R));
    }
    expect(d).toBeLessThan(1.95 * Math.sqrt(2 / R)); // α = 0.001
    const sd = Math.sqrt((0.97 * 0.03) / n);
    for (const q of [0.025, 0.5, 0.975]) {
      expect(Math.abs(a[Math.floor(q * R)]! - b[Math.floor(q * R)]!)).toBeLessThan(0.1 * sd);
    }
    // and neither equals the other's numbers (different streams, not a copy)
    expect(a.some((v, k) => v !== b[k])).toBe(true);
  });

  it('CI bounds over many seeds: means agree within their Monte Carlo error', () => {
    const seeds = 60;
    const lo = [0, 0];
    const hi = [0, 0];
    const loSq = [0, 0];
    (['multinomial', 'resample'] as const).forEach((method, m) => {
      for (let s = 0; s < seeds; s++) {
        const r = evaluateJudge({
          predictions: Uint8Array.from(codes, (c) => c & 3),
          labels: Uint8Array.from(codes, (c) => c >> 2),
          bootstrap: { resamples: 400, seed: 1000 * m + s, method },
        });
        lo[m]! += r.ci!.accuracy.lower / seeds;
        hi[m]! += r.ci!.accuracy.upper / seeds;
        loSq[m]! += r.ci!.accuracy.lower ** 2 / seeds;
      }
    });
    const seedSd = Math.sqrt(Math.max(loSq[0]! - lo[0]! ** 2, 1e-12));
    const tol = 5 * seedSd * Math.sqrt(2 / seeds) + 1e-4;
    expect(Math.abs(lo[0]! - lo[1]!)).toBeLessThan(tol);
    expect(Math.abs(hi[0]! - hi[1]!)).toBeLessThan(tol);
  });

  it('is the default, reproducible by seed, for evaluateJudge and pairedBootstrap', () => {
    const predictions = Uint8Array.from(codes, (c) => c & 3);
    const labels = Uint8Array.from(codes, (c) => c >> 2);
    const x = evaluateJudge({ predictions, labels, bootstrap: { resamples: 200, seed: 9 } });
    const y = evaluateJudge({
      predictions,
      labels,
      bootstrap: { resamples: 200, seed: 9, method: 'multinomial' },
    });
    const z = evaluateJudge({
      predictions,
      labels,
      bootstrap: { resamples: 200, seed: 9, method: 'resample' },
    });
    expect(x.ci).toEqual(y.ci);
    expect(x.ci).not.toEqual(z.ci);
    const predictionsB = Uint8Array.from(predictions, (p, i) => (i % 4 === 0 ? (p + 1) % 3 : p));
    const p1 = pairedBootstrap({
      predictionsA: predictions,
      predictionsB,
      labels,
      bootstrap: { resamples: 300, seed: 4 },
    });
    const p2 = pairedBootstrap({
      predictionsA: predictions,
      predictionsB,
      labels,
      bootstrap: { resamples: 300, seed: 4, method: 'resample' },
    });
    expect(p1.difference.accuracy.estimate).toBe(p2.difference.accuracy.estimate);
    const se = p2.difference.accuracy.standardError;
    expect(Math.abs(p1.difference.accuracy.standardError - se)).toBeLessThan(0.25 * se);
    expect(() => evaluateJudge({ predictions, labels, bootstrap: { method: 'bogus' as never } })).toThrow(
      /method/,
    );
  });
});
