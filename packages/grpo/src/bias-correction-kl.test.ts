/**
 * TRL `use_bias_correction_kl` (spec §3: the k3 KL is multiplied by the importance ratio coef_1).
 * The golden file has no vectors for it, so the value is checked against the formula written out
 * here and the gradients by finite differences.
 */
import { createRng } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { expectGradClose, numericGrad } from '../test/fd.js';
import { trlGrpoAdvantage } from './advantages.js';
import { TRL_LOSS_TYPES, trlAggLoss } from './aggregation.js';
import { grpoStep } from './grpo-step.js';
import { trlGrpoLoss } from './policy-loss.js';

const B = 4;
const T = 5;

function inputs(seed: number) {
  const rng = createRng(`bias-kl-${seed}`);
  const n = B * T;
  const old = rng.fillNormal(new Float64Array(n), -2, 1);
  const logp = Float64Array.from(old, (v) => v + 0.3 * rng.nextNormal());
  const ref = Float64Array.from(old, (v) => v + 0.4 * rng.nextNormal());
  const mask = Float64Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
  const advantages = rng.fillNormal(new Float64Array(B));
  return {
    perTokenLogps: logp,
    oldPerTokenLogps: old,
    refPerTokenLogps: ref,
    advantages,
    mask,
    rows: B,
    cols: T,
  };
}

/** Per-token loss written out from the spec, for the value check. */
function expectedPerToken(
  inp: ReturnType<typeof inputs>,
  beta: number,
  eps: number,
  level: 'token' | 'sequence',
): { loss: Float64Array; kl: Float64Array } {
  const loss = new Float64Array(B * T);
  const kl = new Float64Array(B * T);
  for (let i = 0; i < B; i++) {
    let s = 0;
    let l = 0;
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      s += (inp.mask[k] as number) * ((inp.perTokenLogps[k] as number) - (inp.oldPerTokenLogps[k] as number));
      l += inp.mask[k] as number;
    }
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      const lw =
        level === 'sequence'
          ? s / Math.max(l, 1)
          : (inp.perTokenLogps[k] as number) - (inp.oldPerTokenLogps[k] as number);
      const c1 = Math.exp(lw);
      const c2 = Math.min(Math.max(c1, 1 - eps), 1 + eps);
      const a = inp.advantages[i] as number;
      const d = (inp.refPerTokenLogps[k] as number) - (inp.perTokenLogps[k] as number);
      kl[k] = (Math.exp(d) - d - 1) * c1;
      loss[k] = -Math.min(c1 * a, c2 * a) + beta * kl[k];
    }
  }
  return { loss, kl };
}

describe('TRL use_bias_correction_kl', () => {
  for (const level of ['token', 'sequence'] as const) {
    it(`value = agg(−min(c1·A, c2·A) + β·c1·k3), ${level} level, every loss type`, () => {
      const inp = inputs(1);
      const beta = 0.04;
      const want = expectedPerToken(inp, beta, 0.2, level);
      for (const lossType of TRL_LOSS_TYPES) {
        const opts = { lossType, beta, importanceSamplingLevel: level, maxCompletionLength: 8 };
        const r = trlGrpoLoss(inp, { ...opts, useBiasCorrectionKl: true });
        expectGradClose(`${lossType}/kl`, r.perTokenKl as Float64Array, want.kl, 1e-15, 1e-12);
        expectGradClose(`${lossType}/per_token_loss`, r.perTokenLoss, want.loss, 1e-15, 1e-12);
        expect(r.loss).toBeCloseTo(trlAggLoss(want.loss, inp.mask, B, T, lossType, opts), 14);
        // off by default; differs from the plain k3 when the ratio is not 1
        const plain = trlGrpoLoss(inp, opts);
        expect(trlGrpoLoss(inp, { ...opts, useBiasCorrectionKl: false }).loss).toBe(plain.loss);
        expect(Math.abs(plain.loss - r.loss)).toBeGreaterThan(1e-6);
      }
    });
  }

  it('on-policy (old = current, detached): value equals the plain k3 loss', () => {
    const { oldPerTokenLogps: _o, ...inp } = inputs(2);
    const opts = { beta: 0.04, lossType: 'grpo' as const };
    const a = trlGrpoLoss(inp, { ...opts, useBiasCorrectionKl: true });
    const b = trlGrpoLoss(inp, opts);
    expect(a.loss).toBeCloseTo(b.loss, 15);
    // …but the gradient differs: β·k3 flows through c1 (∂c1/∂logp = 1 at ratio 1)
    const ga = a.gradPerTokenLogps as Float64Array;
    const gb = b.gradPerTokenLogps as Float64Array;
    expect(ga.some((g, i) => Math.abs(g - (gb[i] as number)) > 1e-6)).toBe(true);
  });

  for (const seed of [1, 2, 3]) {
    it(`finite differences, every loss type, token and sequence level, with delta (seed ${seed})`, () => {
      const inp = inputs(seed);
      for (const lossType of TRL_LOSS_TYPES) {
        for (const level of ['token', 'sequence'] as const) {
          for (const extra of [{}, { delta: 1.3 }]) {
            const opts = {
              lossType,
              importanceSamplingLevel: level,
              beta: 0.5,
              epsilon: 0.2,
              epsilonHigh: 0.28,
              maxCompletionLength: 8,
              useBiasCorrectionKl: true,
              ...extra,
            };
            const r = trlGrpoLoss(inp, opts);
            const f = (x: Float64Array) =>
              trlGrpoLoss({ ...inp, perTokenLogps: x }, { ...opts, computeGrad: false }).loss;
            const fr = (x: Float64Array) =>
              trlGrpoLoss({ ...inp, refPerTokenLogps: x }, { ...opts, computeGrad: false }).loss;
            const tag = `${lossType}/${level}/${JSON.stringify(extra)}`;
            expectGradClose(tag, r.gradPerTokenLogps as Float64Array, numericGrad(f, inp.perTokenLogps));
            expectGradClose(
              `${tag}/ref`,
              r.gradRefPerTokenLogps as Float64Array,
              numericGrad(fr, inp.refPerTokenLogps),
            );
          }
        }
      }
    });
  }

  it('grpoStep passes the switch through (trl)', () => {
    const inp = inputs(4);
    const step = (useBiasCorrectionKl: boolean) =>
      grpoStep(
        {
          rows: B,
          cols: T,
          mask: inp.mask,
          rewards: [1, 0, 0.5, 0.25],
          groupIds: ['a', 'a', 'b', 'b'],
          logProbs: inp.perTokenLogps,
          oldLogProbs: inp.oldPerTokenLogps,
          refLogProbs: inp.refPerTokenLogps,
        },
        { impl: 'trl', trl: { beta: 0.04, useBiasCorrectionKl } },
      );
    const on = step(true);
    const off = step(false);
    const direct = trlGrpoLoss(
      { ...inp, advantages: trlGrpoAdvantage([1, 0, 0.5, 0.25], { numGenerations: 2 }).advantages },
      { beta: 0.04, useBiasCorrectionKl: true },
    );
    expect(on.loss).not.toBe(off.loss);
    expect(on.loss).toBeCloseTo(direct.loss, 12);
  });
});
