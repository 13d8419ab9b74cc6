/**
 * verl GSPO with the KL loss and entropy bonus (`verlActorLoss({ policyLoss: 'gspo' })` and
 * `grpoStep`). The golden file has GSPO vectors only for the policy term (`verl_gspo`); the KL
 * term is checked against its definition (agg(kl_penalty) with `loss_agg_mode`, independent of the
 * policy loss; spec §4.3, §6) and by finite differences.
 */
import { createRng, type Rng } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { expectGradClose, numericGrad } from '../test/fd.js';
import { expectClose, flat, golden, type Nested, num, shapeOf } from '../test/golden.js';
import { verlActorLoss } from './actor-loss.js';
import { verlActorLossFused } from './actor-loss-fused.js';
import { VERL_LOSS_AGG_MODES, verlAggLoss, verlAggLossWeights } from './aggregation.js';
import { grpoStep } from './grpo-step.js';
import { type KlEstimator, klPenalty, klPenaltyBackward } from './kl.js';
import { tokenLogProbs } from './logits.js';
import { verlPolicyLossGspo } from './policy-loss.js';

const B = 4;
const T = 6;

function normal(rng: Rng, n: number, std = 1, mean = 0): Float64Array {
  return rng.fillNormal(new Float64Array(n), mean, std);
}

/** GSPO inputs with one advantage per row (the outcome-advantage case GSPO is used with). */
function gspoInputs(seed: number) {
  const rng = createRng(`gspo-kl-${seed}`);
  const n = B * T;
  const old = normal(rng, n, 1, -2);
  const logProb = Float64Array.from(old, (v) => v + 0.05 * rng.nextNormal());
  const mask = new Float64Array(n);
  const advantages = new Float64Array(n);
  for (let i = 0; i < B; i++) {
    const len = i === 1 ? 0 : 1 + rng.nextInt(T); // row 1 empty
    const a = rng.nextNormal();
    for (let t = 0; t < T; t++) {
      mask[i * T + t] = t < len ? 1 : 0;
      advantages[i * T + t] = t < len ? a : 0;
    }
  }
  return {
    inp: { oldLogProb: old, logProb, advantages, responseMask: mask, rows: B, cols: T },
    ref: normal(rng, n, 0.3, -2),
    ent: normal(rng, n, 0.5, 1),
  };
}

describe('verl GSPO + KL loss', () => {
  it('keeps the golden verl_gspo policy term when the KL loss is off', () => {
    const c = golden('verl_gspo');
    const [rows, cols] = shapeOf(c.inputs.log_prob as Nested) as [number, number];
    const inp = {
      oldLogProb: flat(c.inputs.old_log_prob as Nested),
      logProb: flat(c.inputs.log_prob as Nested),
      advantages: flat(c.inputs.advantages as Nested),
      responseMask: flat(c.inputs.response_mask as Nested),
      rows,
      cols,
    };
    const r = verlActorLoss(inp, {
      policyLoss: 'gspo',
      clipRatioLow: num(c.params.clip_ratio_low),
      clipRatioHigh: num(c.params.clip_ratio_high),
    });
    expectClose('pg_loss', r.pgLoss, c.outputs.pg_loss as Nested);
    expectClose('loss', r.loss, c.outputs.pg_loss as Nested);
    expectClose(
      'grad',
      r.gradLogProb,
      ((c.grads as Record<string, Record<string, Nested>>).default as Record<string, Nested>)
        .log_prob as Nested,
    );
    expect(r.klLoss).toBeNull();
    expect(r.pgClipfracLower).toBe(0);
  });

  const types: KlEstimator[] = ['low_var_kl', 'k1', 'k2', 'abs', 'k3+'];
  it.each(types)('loss = gspo pg_loss + coef·agg(kl_penalty, loss_agg_mode) (%s)', (klLossType) => {
    const { inp, ref } = gspoInputs(1);
    const coef = 0.25;
    for (const mode of VERL_LOSS_AGG_MODES) {
      const r = verlActorLoss(
        { ...inp, refLogProb: ref },
        { policyLoss: 'gspo', lossAggMode: mode, klLossCoef: coef, klLossType, clipRatio: 0.02 },
      );
      const pg = verlPolicyLossGspo(inp, { clipRatioLow: 0.02, clipRatioHigh: 0.02 });
      const kl = klPenalty(inp.logProb, ref, { type: klLossType });
      const klAgg = verlAggLoss(kl, inp.responseMask, B, T, mode);
      expect(r.pgLoss).toBe(pg.pgLoss);
      expect(r.klLoss).toBeCloseTo(klAgg, 14);
      expect(r.loss).toBeCloseTo(pg.pgLoss + coef * klAgg, 14);
      const w = verlAggLossWeights(inp.responseMask, B, T, mode);
      const gKl = klPenaltyBackward(inp.logProb, ref, { type: klLossType, gradOut: w });
      const want = Float64Array.from(
        pg.gradLogProb as Float64Array,
        (g, i) => g + coef * (gKl.logProb[i] as number),
      );
      expectGradClose(`${mode}/logp`, r.gradLogProb, want, 1e-14, 1e-12);
      expectGradClose(
        `${mode}/ref`,
        r.gradRefLogProb as Float64Array,
        Float64Array.from(gKl.refLogProb, (g) => coef * g),
        1e-14,
        1e-12,
      );
    }
  });

  for (const seed of [1, 2, 3]) {
    it(`finite differences with k3 KL and entropy, every loss_agg_mode (seed ${seed})`, () => {
      const { inp, ref, ent } = gspoInputs(seed);
      for (const mode of VERL_LOSS_AGG_MODES) {
        const opts = {
          policyLoss: 'gspo' as const,
          lossAggMode: mode,
          klLossCoef: 0.3,
          entropyCoeff: 0.01,
          clipRatioLow: 0.03,
          clipRatioHigh: 0.04,
        };
        const full = { ...inp, refLogProb: ref, entropy: ent };
        const r = verlActorLoss(full, opts);
        expectGradClose(
          `${mode}/logp`,
          r.gradLogProb,
          numericGrad((x) => verlActorLoss({ ...full, logProb: x }, opts).loss, inp.logProb),
        );
        expectGradClose(
          `${mode}/ref`,
          r.gradRefLogProb as Float64Array,
          numericGrad((x) => verlActorLoss({ ...full, refLogProb: x }, opts).loss, ref),
        );
        expectGradClose(
          `${mode}/entropy`,
          r.gradEntropy as Float64Array,
          numericGrad((x) => verlActorLoss({ ...full, entropy: x }, opts).loss, ent),
        );
        // the fused path delegates GSPO to the reference implementation
        expect(verlActorLossFused(full, opts).loss).toBe(r.loss);
      }
    });
  }

  it('grpoStep verl GSPO with use_kl_loss: no longer throws; finite differences from logits', () => {
    const rows = 4;
    const cols = 3;
    const vocab = 5;
    const rng = createRng('grpo-step-gspo');
    const logits = normal(rng, rows * cols * vocab, 1.5);
    const labels = Array.from({ length: rows * cols }, () => rng.nextInt(vocab));
    const mask = Float64Array.from([1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1]);
    const old = new Float64Array(rows * cols);
    tokenLogProbs(logits, labels, rows * cols, vocab, { temperature: 0.8 }).forEach((v, i) => {
      old[i] = v + 0.02 * rng.nextNormal();
    });
    const ref = Float64Array.from(old, (v) => v - 0.2);
    const run = (z: Float64Array, verl: Record<string, unknown>) =>
      grpoStep(
        {
          rows,
          cols,
          mask,
          rewards: [1, 0, 0.5, 1],
          groupIds: ['a', 'a', 'b', 'b'],
          oldLogProbs: old,
          refLogProbs: ref,
          logits: { logits: z, labels, vocab, temperature: 0.8 },
        },
        { impl: 'verl', verl: { policyLoss: 'gspo', clipRatio: 0.01, ...verl } },
      );
    const verl = { klLossCoef: 0.1, entropyCoeff: 0.01, lossAggMode: 'token-mean' };
    const r = run(logits, verl);
    expect(r.klLoss).not.toBeNull();
    expect(r.metrics.kl_loss).toBe(r.klLoss);
    const off = run(logits, { ...verl, useKlLoss: false, entropyCoeff: 0 });
    expect(off.klLoss).toBeNull();
    expect(r.pgLoss).toBe(off.pgLoss);
    expect(r.loss).toBeCloseTo(
      off.pgLoss + 0.1 * (r.klLoss as number) - 0.01 * (r.metrics.entropy as number),
      14,
    );
    expectGradClose(
      'logits',
      r.gradLogits as Float64Array,
      numericGrad((z) => run(z, verl).loss, logits),
    );
  });
});
