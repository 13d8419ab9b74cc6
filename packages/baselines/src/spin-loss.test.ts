import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, finiteDiff, flat, goldenCase } from '../test/golden.js';
import { SPIN_ROUNDS, spinLoss, spinRound } from './index.js';

describe('spinLoss golden (uclaml/SPIN spin_loss)', () => {
  const c = goldenCase('spin');
  const inputs = {
    policyRealLogps: flat(c.inputs.policy_real_logps),
    policyGeneratedLogps: flat(c.inputs.policy_generated_logps),
    opponentRealLogps: flat(c.inputs.opponent_real_logps),
    opponentGeneratedLogps: flat(c.inputs.opponent_generated_logps),
  };
  const variants = {
    sigmoid: { lossType: 'sigmoid' as const },
    hinge: { lossType: 'hinge' as const },
    sigmoid_reference_free: { lossType: 'sigmoid' as const, referenceFree: true },
  };
  for (const [name, opts] of Object.entries(variants)) {
    it(name, () => {
      const r = spinLoss(inputs, { ...opts, beta: c.params.beta as number });
      const exp = c.outputs[name] as Record<string, unknown>;
      expectClose(r.loss, exp.loss, 'loss');
      expectClose(r.losses, exp.losses, 'losses');
      expectClose(r.realRewards, exp.real_rewards, 'real_rewards');
      expectClose(r.generatedRewards, exp.generated_rewards, 'generated_rewards');
      const g = c.grads![name]!;
      expectClose(r.grads.policyRealLogps, g.policy_real_logps, 'policy_real');
      expectClose(r.grads.policyGeneratedLogps, g.policy_generated_logps, 'policy_generated');
      expectClose(r.grads.opponentRealLogps, g.opponent_real_logps, 'opponent_real');
      expectClose(r.grads.opponentGeneratedLogps, g.opponent_generated_logps, 'opponent_generated');
    });
  }
  it('rejects unknown loss types', () => {
    expect(() => spinLoss(inputs, { lossType: 'ipo' as 'sigmoid' })).toThrow(/SPIN loss type/);
  });
});

describe('spinLoss backward against finite differences', () => {
  const keys = [
    'policyRealLogps',
    'policyGeneratedLogps',
    'opponentRealLogps',
    'opponentGeneratedLogps',
  ] as const;
  const variants = [
    { lossType: 'sigmoid' as const, beta: 0.1 },
    { lossType: 'sigmoid' as const, beta: 5 },
    { lossType: 'hinge' as const, beta: 0.5 },
    { lossType: 'sigmoid' as const, beta: 0.1, referenceFree: true },
  ];
  for (const opts of variants) {
    it(JSON.stringify(opts), () => {
      fc.assert(
        fc.property(
          fc.noBias(
            fc.array(
              fc.integer({ min: -40_000, max: 0 }).map((x) => x / 1000),
              { minLength: 12, maxLength: 12 },
            ),
          ),
          (v) => {
            const inputs = {
              policyRealLogps: Float64Array.from(v.slice(0, 3)),
              policyGeneratedLogps: Float64Array.from(v.slice(3, 6)),
              opponentRealLogps: Float64Array.from(v.slice(6, 9)),
              opponentGeneratedLogps: Float64Array.from(v.slice(9, 12)),
            };
            const r = spinLoss(inputs, opts);
            if (opts.lossType === 'hinge') {
              // relu(1 − βΔ) has a kink at βΔ = 1: keep the samples away from it.
              const near = r.losses.some((_l, i) => {
                const d = r.realRewards[i]! - r.generatedRewards[i]!;
                return Math.abs(1 - d) < 1e-3;
              });
              if (near) return;
            }
            for (const key of keys) {
              const fd = finiteDiff((x) => spinLoss({ ...inputs, [key]: x }, opts).loss, inputs[key].slice());
              for (let i = 0; i < 3; i++) {
                expect(Math.abs(fd[i]! - r.grads[key][i]!), `${key}[${i}]`).toBeLessThan(1e-6);
              }
            }
          },
        ),
        { numRuns: 60, seed: 11 },
      );
    });
  }
});

describe('SPIN iteration scheme', () => {
  it('holds the published β and learning rates per round', () => {
    expect(SPIN_ROUNDS.map((r) => [r.beta, r.learningRate])).toEqual([
      [0.1, 5e-7],
      [0.1, 5e-7],
      [0.1, 1e-7],
      [5.0, 1e-7],
    ]);
  });
  it('mixes the previous and current round data and extends past round 3', () => {
    expect(spinRound(0).dataRounds).toEqual([0]);
    expect(spinRound(2).dataRounds).toEqual([1, 2]);
    const r5 = spinRound(5, { beta: 1 });
    expect(r5).toMatchObject({ iteration: 5, beta: 1, learningRate: 1e-7, dataRounds: [4, 5] });
    expect(() => spinRound(-1)).toThrow();
  });
});
