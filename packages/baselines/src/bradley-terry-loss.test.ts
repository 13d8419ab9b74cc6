import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, finiteDiff, flat, goldenCase } from '../test/golden.js';
import { bradleyTerryLoss, logSigmoid, sigmoid } from './index.js';

describe('bradleyTerryLoss golden (TRL RewardTrainer.compute_loss)', () => {
  const c = goldenCase('bradley_terry');
  const rc = flat(c.inputs.rewards_chosen);
  const rr = flat(c.inputs.rewards_rejected);
  const margin = flat(c.inputs.margin);
  const variants = {
    plain: {},
    margin: { margin: true },
    'center_0.01': { center: 0.01 },
    'margin_center_0.01': { margin: true, center: 0.01 },
  } as Record<string, { margin?: boolean; center?: number }>;
  for (const [name, v] of Object.entries(variants)) {
    it(name, () => {
      const r = bradleyTerryLoss(
        { rewardsChosen: rc, rewardsRejected: rr, ...(v.margin ? { margin } : {}) },
        { centerRewardsCoefficient: v.center ?? 0 },
      );
      const exp = c.outputs[name] as Record<string, unknown>;
      expectClose(r.loss, exp.loss, 'loss');
      expectClose(r.accuracy, exp.accuracy, 'accuracy');
      expectClose(r.margin, exp.margin, 'margin');
      expectClose(r.grads.rewardsChosen, c.grads![name]!.rewards_chosen, 'd rc');
      expectClose(r.grads.rewardsRejected, c.grads![name]!.rewards_rejected, 'd rr');
    });
  }
  it('matches finite differences', () => {
    fc.assert(
      fc.property(
        fc.noBias(
          fc.array(
            fc.integer({ min: -5000, max: 5000 }).map((x) => x / 1000),
            { minLength: 9, maxLength: 9 },
          ),
        ),
        (v) => {
          const a = Float64Array.from(v.slice(0, 3));
          const b = Float64Array.from(v.slice(3, 6));
          const m = Float64Array.from(v.slice(6, 9));
          const g = bradleyTerryLoss(
            { rewardsChosen: a, rewardsRejected: b, margin: m },
            { centerRewardsCoefficient: 0.1 },
          );
          const lossAt = (x: Float64Array, y: Float64Array) =>
            bradleyTerryLoss(
              { rewardsChosen: x, rewardsRejected: y, margin: m },
              { centerRewardsCoefficient: 0.1 },
            ).loss;
          const fa = finiteDiff((x) => lossAt(x, b), a);
          const fb = finiteDiff((x) => lossAt(a, x), b);
          for (let i = 0; i < 3; i++) {
            expect(Math.abs(fa[i]! - g.grads.rewardsChosen[i]!)).toBeLessThan(1e-6);
            expect(Math.abs(fb[i]! - g.grads.rewardsRejected[i]!)).toBeLessThan(1e-6);
          }
        },
      ),
      { numRuns: 50, seed: 3 },
    );
  });
  it('rejects mismatched shapes', () => {
    expect(() => bradleyTerryLoss({ rewardsChosen: [1, 2], rewardsRejected: [1] })).toThrow(/Shape mismatch/);
  });
  it('fused pass equals the unfused logSigmoid / sigmoid formulation bit for bit', () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: -60, max: 60, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-300, 800, -800, Infinity, -Infinity) },
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 9 })
          .chain((n) =>
            fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 3, maxLength: 3 }),
          ),
        fc.boolean(),
        fc.constantFrom(0, 0.01, 0.5),
        ([x, y, z], withMargin, c) => {
          const n = x!.length;
          const r = bradleyTerryLoss(
            { rewardsChosen: x!, rewardsRejected: y!, ...(withMargin ? { margin: z! } : {}) },
            { centerRewardsCoefficient: c },
          );
          // Reference: the straightforward per-term formulation with the shared scalar numerics.
          let loss = 0;
          let center = 0;
          let correct = 0;
          let margin = 0;
          for (let i = 0; i < n; i++) {
            const a = x![i]!;
            const b = y![i]!;
            const d = a - b - (withMargin ? z![i]! : 0);
            loss -= logSigmoid(d);
            center += (a + b) * (a + b);
            if (a > b) correct++;
            margin += a - b;
            const sn = sigmoid(-d);
            const cg = 2 * c * (a + b);
            expect(Object.is(r.grads.rewardsChosen[i], (-sn + cg) * (1 / n)), `d rc[${i}]`).toBe(true);
            expect(Object.is(r.grads.rewardsRejected[i], (sn + cg) * (1 / n)), `d rr[${i}]`).toBe(true);
          }
          expect(Object.is(r.loss, loss * (1 / n) + (c !== 0 ? c * center * (1 / n) : 0)), 'loss').toBe(true);
          expect(r.accuracy).toBe(correct * (1 / n));
          expect(Object.is(r.margin, margin * (1 / n))).toBe(true);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});
