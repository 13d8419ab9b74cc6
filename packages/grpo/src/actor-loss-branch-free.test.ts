import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTOR_PARTIALS,
  type FusedPrepared,
  fastExp20,
  prepareActorFused,
  verlActorFusedRows,
  verlActorLossFused,
} from './actor-loss-fused.js';

function bitsEqual(a: ArrayLike<number> | null, b: ArrayLike<number> | null, what: string): void {
  if (a === null || b === null) {
    expect(a, what).toBe(b);
    return;
  }
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) expect(`${what}[${i}] = ${a[i]}`).toBe(`${what}[${i}] = ${b[i]}`);
  }
}

const special = fc.constantFrom(
  0,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  25,
  -25,
  1e300,
);
// uniform on [−3, 3] (fc.double favours extremes), so ratios land inside and outside the clip range
const value = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -3_000_000, max: 3_000_000 }).map((k) => k / 1e6) },
  { weight: 1, arbitrary: special },
);

describe('fused actor loss: branch-free loop', () => {
  it('equals the branchy loop bit for bit on every output and partial (special values included)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.infiniteStream(value),
        fc.infiniteStream(fc.constantFrom(0, 1, 1, 1, 0.5, 2)),
        fc.constantFrom('token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean', 'seq-mean-token-sum-norm'),
        // −0.3: lo > hi (both clip selects fire); −2: lo = c = 3, so l3 = c1 (the dual-clip tie)
        fc.constantFrom(0.2, 0.5, -0.3, -2),
        fc.boolean(),
        fc.boolean(),
        (rows, cols, vals, masks, lossAggMode, clipRatioLow, withIsw, fastExp) => {
          const n = rows * cols;
          const it = vals[Symbol.iterator]();
          const mt = masks[Symbol.iterator]();
          const take = () => Float64Array.from({ length: n }, () => it.next().value as number);
          const oldLogProb = take();
          const logProb = take().map((v, i) => oldLogProb[i]! + v / 4);
          const inputs = {
            oldLogProb,
            logProb,
            refLogProb: take(),
            entropy: take(),
            advantages: take(),
            responseMask: Float64Array.from({ length: n }, () => mt.next().value as number),
            ...(withIsw ? { rolloutIsWeights: take().map(Math.abs) } : {}),
            rows,
            cols,
          };
          const options = {
            lossAggMode,
            clipRatioLow,
            clipRatioHigh: 0.28,
            klLossCoef: 0.01,
            entropyCoeff: 0.01,
            fastExp,
          } as const;
          const run = (branchyLoop: boolean) => {
            const prep = prepareActorFused(inputs, options) as FusedPrepared;
            prep.kernel.branchyLoop = branchyLoop;
            const partials = new Float64Array(rows * ACTOR_PARTIALS);
            verlActorFusedRows(prep.kernel, 0, rows, partials);
            return { partials, ...prep.kernel };
          };
          const a = run(false);
          const b = run(true);
          bitsEqual(a.partials, b.partials, 'partials');
          bitsEqual(a.grad, b.grad, 'grad');
          bitsEqual(a.gradRef, b.gradRef, 'gradRef');
          bitsEqual(a.gradEnt, b.gradEnt, 'gradEnt');
        },
      ),
      { numRuns: 600, seed: 15 },
    );
  });

  it('fastExp20: relative error below 1e-15 over [−20, 20], NaN stays NaN', () => {
    let worst = 0;
    for (let k = 0; k <= 4_000_000; k++) {
      const x = -20 + (40 * k) / 4_000_000 + (k % 2 === 0 ? 0 : 3.7e-9);
      if (x > 20) continue;
      const want = Math.exp(x);
      worst = Math.max(worst, Math.abs(fastExp20(x) - want) / want);
    }
    expect(worst).toBeLessThan(1e-15);
    expect(fastExp20(Number.NaN)).toBeNaN();
  });

  it('fastExp: the loss and gradients stay within 1e-13 (of their scale) of Math.exp', () => {
    const rows = 8;
    const cols = 500;
    const n = rows * cols;
    const f = (k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3) * 2 - 2);
    const inputs = {
      oldLogProb: f(1.1),
      logProb: f(1.1).map((v, i) => v + 0.3 * Math.cos(i)),
      refLogProb: f(0.7),
      advantages: Float64Array.from({ length: n }, (_, i) => Math.sin(Math.floor(i / cols))),
      responseMask: Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 0 : 1)),
      rows,
      cols,
    };
    const exact = verlActorLossFused(inputs, { klLossCoef: 0.1 });
    const fast = verlActorLossFused(inputs, { klLossCoef: 0.1, fastExp: true });
    expect(Math.abs(fast.loss - exact.loss)).toBeLessThan(1e-13 * Math.abs(exact.loss));
    // relative to the gradient's scale (an element may cancel: policy term + KL term ≈ 0)
    const scale = exact.gradLogProb.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(fast.gradLogProb[i]! - exact.gradLogProb[i]!)).toBeLessThanOrEqual(1e-13 * scale);
    }
    expect(fast.gradLogProb.some((v, i) => v !== exact.gradLogProb[i])).toBe(true); // it is another exp
  });
});
