import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, finiteDiff, flat, goldenCase } from '../test/golden.js';
import { bradleyTerryLoss } from './index.js';

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
          const fa = finiteDiff(
            (x) =>
              bradleyTerryLoss(
                { rewardsChosen: x, rewardsRejected: b, margin: m },
                { centerRewardsCoefficient: 0.1 },
              ).loss,
            a,
          );
          const fb = finiteDiff(
            (x) =>
              bradleyTerryLoss(
                { rewardsChosen: a, rewardsRejected: x, margin: m },
                { centerRewardsCoefficient: 0.1 },
              ).loss,
            b,
          );
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
});
