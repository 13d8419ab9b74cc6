import { describe, expect, it } from 'vitest';
import { expectClose, flat, golden, type Nested, num, shapeOf } from '../test/golden.js';
import {
  trlGrpoAdvantage,
  verlGrpoAdvantage,
  verlReinforcePlusPlusAdvantage,
  verlReinforcePlusPlusBaselineAdvantage,
  verlRlooAdvantage,
} from './advantages.js';
import { type VerlLossAggMode, verlAggLoss, verlAggLossWeights } from './aggregation.js';
import { type KlEstimator, klPenalty, klPenaltyBackward } from './kl.js';
import {
  entropyBackward,
  entropyFromLogits,
  logProbsAndEntropy,
  tokenLogProbs,
  tokenLogProbsBackward,
} from './logits.js';
import { maskedMean, maskedRowMean, maskedSum, maskedVar, maskedWhiten } from './masked.js';
import { trlGrpoLoss, verlPolicyLossGspo, verlPolicyLossVanilla } from './policy-loss.js';

type Obj = Record<string, Nested>;

function verlInputs(name: string) {
  const c = golden(name);
  const [rows, cols] = shapeOf(c.inputs.token_level_rewards as Nested) as [number, number];
  return {
    tokenLevelRewards: flat(c.inputs.token_level_rewards as Nested),
    responseMask: flat(c.inputs.response_mask as Nested),
    index: c.inputs.index as string[],
    rows,
    cols,
  };
}

describe('golden: advantages', () => {
  it('verl_grpo_advantage', () => {
    const c = golden('verl_grpo_advantage');
    const inp = verlInputs(c.name);
    const eps = num(c.params.epsilon);
    const loop = verlGrpoAdvantage(inp, { epsilon: eps });
    expectClose('norm_std', loop.advantages, c.outputs.advantages_norm_std as Nested);
    expect(c.outputs.returns_equal_advantages).toBe(true);
    expect(loop.returns).toBe(loop.advantages);
    expectClose(
      'drgrpo',
      verlGrpoAdvantage(inp, { epsilon: eps, normAdvByStd: false }).advantages,
      c.outputs.advantages_no_std_drgrpo as Nested,
    );
    expectClose(
      'vectorized',
      verlGrpoAdvantage(inp, { epsilon: eps, impl: 'vectorized' }).advantages,
      c.outputs.advantages_vectorized_norm_std as Nested,
    );
  });

  it('verl_grpo_advantage_near_equal', () => {
    const c = golden('verl_grpo_advantage_near_equal');
    const inp = verlInputs(c.name);
    expectClose('loop', verlGrpoAdvantage(inp).advantages, c.outputs.advantages_loop as Nested);
    expectClose(
      'vectorized',
      verlGrpoAdvantage(inp, { impl: 'vectorized' }).advantages,
      c.outputs.advantages_vectorized as Nested,
    );
  });

  it('trl_grpo_advantage', () => {
    const c = golden('trl_grpo_advantage');
    const rewards = flat(c.inputs.rewards as Nested);
    const G = num(c.params.num_generations);
    for (const scale of ['group', 'batch', 'none'] as const) {
      const r = trlGrpoAdvantage(rewards, {
        numGenerations: G,
        scaleRewards: scale,
        epsilon: num(c.params.eps),
      });
      const o = c.outputs[scale] as Obj;
      expectClose(`${scale}.advantages`, r.advantages, o.advantages as Nested);
      expectClose(`${scale}.std`, r.stdRewards, o.std_rewards as Nested);
      expectClose(`${scale}.is_std_zero`, r.isStdZero, o.is_std_zero as Nested);
    }
  });

  it('verl_rloo_rfpp_advantage', () => {
    const c = golden('verl_rloo_rfpp_advantage');
    const inp = verlInputs(c.name);
    expectClose('rloo', verlRlooAdvantage(inp).advantages, c.outputs.rloo as Nested);
    expectClose(
      'rloo_vectorized',
      verlRlooAdvantage(inp, { impl: 'vectorized' }).advantages,
      c.outputs.rloo_vectorized as Nested,
    );
    expectClose(
      'rfpp_baseline',
      verlReinforcePlusPlusBaselineAdvantage(inp).advantages,
      c.outputs.rfpp_baseline as Nested,
    );
    for (const gamma of c.params.gammas as number[]) {
      const key = gamma === 1 ? 'rfpp_gamma1' : `rfpp_gamma${gamma}`;
      const o = c.outputs[key] as Obj;
      const r = verlReinforcePlusPlusAdvantage(inp, { gamma });
      expectClose(`${key}.advantages`, r.advantages, o.advantages as Nested);
      expectClose(`${key}.returns`, r.returns, o.returns as Nested);
    }
  });
});

describe('golden: masked stats', () => {
  it('verl_masked_stats', () => {
    const c = golden('verl_masked_stats');
    const v = flat(c.inputs.values as Nested);
    const m = flat(c.inputs.mask as Nested);
    const [rows, cols] = shapeOf(c.inputs.values as Nested) as [number, number];
    expectClose('masked_sum', maskedSum(v, m), c.outputs.masked_sum as Nested);
    expectClose('masked_mean', maskedMean(v, m), c.outputs.masked_mean as Nested);
    expectClose(
      'masked_mean_axis',
      maskedRowMean(v, m, rows, cols),
      c.outputs['masked_mean_axis_-1'] as Nested,
    );
    expectClose('masked_var', maskedVar(v, m), c.outputs.masked_var_unbiased as Nested);
    expectClose('masked_whiten', maskedWhiten(v, m), c.outputs.masked_whiten as Nested);
    expectClose(
      'masked_whiten_keep_mean',
      maskedWhiten(v, m, { shiftMean: false }),
      c.outputs.masked_whiten_keep_mean as Nested,
    );
    expectClose(
      'empty',
      maskedMean(v, new Float64Array(v.length)),
      c.outputs.masked_mean_empty_mask as Nested,
    );
  });
});

describe('golden: KL estimators', () => {
  const c = golden('kl_estimators');
  const logp = flat(c.inputs.logprob as Nested);
  const ref = flat(c.inputs.ref_logprob as Nested);
  const variants: [string, KlEstimator, 'verl' | 'trl'][] = [
    ['verl_k1', 'k1', 'verl'],
    ['verl_abs', 'abs', 'verl'],
    ['verl_k2', 'k2', 'verl'],
    ['verl_k3', 'k3', 'verl'],
    ['verl_k1+', 'k1+', 'verl'],
    ['verl_k3+', 'k3+', 'verl'],
    ['trl_k3', 'k3', 'trl'],
  ];
  it.each(variants)('%s', (key, type, impl) => {
    expectClose(`${key}.value`, klPenalty(logp, ref, { type, impl }), c.outputs[key] as Nested);
    const g = klPenaltyBackward(logp, ref, { type, impl });
    const eg = (c.grads as Record<string, Obj>)[key] as Obj;
    expectClose(`${key}.grad.logprob`, g.logProb, eg.logprob as Nested);
    expectClose(`${key}.grad.ref`, g.refLogProb, eg.ref_logprob as Nested);
  });
  it('aliases resolve to the same estimator', () => {
    const aliases = c.params.aliases as Record<string, KlEstimator>;
    for (const [alias, base] of Object.entries(aliases)) {
      expect(Array.from(klPenalty(logp, ref, { type: alias as KlEstimator }))).toEqual(
        Array.from(klPenalty(logp, ref, { type: base })),
      );
    }
  });
});

function ppoInputs(name: string) {
  const c = golden(name);
  const [rows, cols] = shapeOf(c.inputs.log_prob as Nested) as [number, number];
  return {
    oldLogProb: flat(c.inputs.old_log_prob as Nested),
    logProb: flat(c.inputs.log_prob as Nested),
    advantages: flat(c.inputs.advantages as Nested),
    responseMask: flat(c.inputs.response_mask as Nested),
    rows,
    cols,
  };
}

describe('golden: policy losses', () => {
  it('verl_ppo_clip', () => {
    const c = golden('verl_ppo_clip');
    const inp = ppoInputs(c.name);
    const variants: [string, number, number][] = [
      ['dapo_clip_0.2_0.28', 0.2, 0.28],
      ['default_clip_0.2_0.2', 0.2, 0.2],
    ];
    for (const [key, low, high] of variants) {
      const r = verlPolicyLossVanilla(inp, {
        clipRatioLow: low,
        clipRatioHigh: high,
        clipRatioC: num(c.params.clip_ratio_c),
        lossAggMode: c.params.loss_agg_mode as VerlLossAggMode,
      });
      const o = c.outputs[key] as Obj;
      expectClose(`${key}.pg_loss`, r.pgLoss, o.pg_loss as Nested);
      expectClose(`${key}.pg_losses`, r.pgLosses, o.pg_losses as Nested);
      expectClose(`${key}.ratio`, r.ratio, o.ratio as Nested);
      expectClose(`${key}.pg_clipfrac`, r.pgClipfrac, o.pg_clipfrac as Nested);
      expectClose(`${key}.ppo_kl`, r.ppoKl, o.ppo_kl as Nested);
      expectClose(`${key}.pg_clipfrac_lower`, r.pgClipfracLower, o.pg_clipfrac_lower as Nested);
      expectClose(
        `${key}.grad`,
        r.gradLogProb as Float64Array,
        ((c.grads as Record<string, Obj>)[key] as Obj).log_prob as Nested,
      );
    }
  });

  it('verl_agg_loss_modes (values and gradients, HEAD and legacy)', () => {
    const c = golden('verl_agg_loss_modes');
    const inp = ppoInputs(c.name);
    const opts = {
      clipRatioLow: num(c.params.clip_ratio_low),
      clipRatioHigh: num(c.params.clip_ratio_high),
      clipRatioC: num(c.params.clip_ratio_c),
    };
    const pgMat = flat(c.inputs.pg_losses_matrix as Nested);
    const modes: [string, VerlLossAggMode, number | undefined][] = [
      ['token-mean', 'token-mean', undefined],
      ['seq-mean-token-sum', 'seq-mean-token-sum', undefined],
      ['seq-mean-token-mean', 'seq-mean-token-mean', undefined],
      ['seq-mean-token-sum-norm', 'seq-mean-token-sum-norm', undefined],
      ['seq-mean-token-sum-norm@loss_scale_factor=8', 'seq-mean-token-sum-norm', 8],
    ];
    for (const [key, mode, lsf] of modes) {
      const extra = lsf === undefined ? {} : { lossScaleFactor: lsf };
      const r = verlPolicyLossVanilla(inp, { ...opts, lossAggMode: mode, ...extra });
      expectClose(`${key}.pg_losses`, r.pgLosses, pgMat);
      expectClose(`${key}.value`, r.pgLoss, c.outputs[key] as Nested);
      expectClose(
        `${key}.direct`,
        verlAggLoss(pgMat, inp.responseMask, inp.rows, inp.cols, mode, extra),
        c.outputs[key] as Nested,
      );
      expectClose(
        `${key}.grad`,
        r.gradLogProb as Float64Array,
        ((c.grads as Record<string, Obj>)[key] as Obj).log_prob as Nested,
      );
    }
    const legacy = c.outputs.legacy_pre_nov2025 as Obj;
    for (const mode of Object.keys(legacy) as VerlLossAggMode[]) {
      expectClose(
        `legacy.${mode}`,
        verlAggLoss(pgMat, inp.responseMask, inp.rows, inp.cols, mode, { version: 'legacy' }),
        legacy[mode] as Nested,
      );
    }
  });

  it('verl_agg_loss_edges', () => {
    const c = golden('verl_agg_loss_edges');
    const [rows, cols] = shapeOf(c.inputs.loss_mat as Nested) as [number, number];
    const loss = flat(c.inputs.loss_mat as Nested);
    const zero = flat(c.inputs.all_zero_mask as Nested);
    const nanLoss = flat(c.inputs.loss_mat_with_nan as Nested);
    const half = flat(c.inputs.half_mask as Nested);
    const modes: VerlLossAggMode[] = [
      'token-mean',
      'seq-mean-token-sum',
      'seq-mean-token-mean',
      'seq-mean-token-sum-norm',
    ];
    for (const mode of modes) {
      expectClose(`empty.${mode}`, verlAggLoss(loss, zero, rows, cols, mode), c.outputs[mode] as Nested);
      expectClose(
        `legacy.${mode}`,
        verlAggLoss(loss, zero, rows, cols, mode, { version: 'legacy' }),
        (c.outputs.legacy as Obj)[mode] as Nested,
      );
      expectClose(
        `nan.${mode}`,
        verlAggLoss(nanLoss, half, rows, cols, mode),
        (c.outputs.nan_at_masked_slot as Obj)[mode] as Nested,
      );
    }
  });

  it('verl_gspo', () => {
    const c = golden('verl_gspo');
    const inp = ppoInputs(c.name);
    const r = verlPolicyLossGspo(inp, {
      clipRatioLow: num(c.params.clip_ratio_low),
      clipRatioHigh: num(c.params.clip_ratio_high),
    });
    expectClose('pg_loss', r.pgLoss, c.outputs.pg_loss as Nested);
    expectClose('pg_losses', r.pgLosses, c.outputs.pg_losses as Nested);
    expectClose('seq_importance_ratio', r.seqImportanceRatio, c.outputs.seq_importance_ratio as Nested);
    expectClose(
      'grad',
      r.gradLogProb as Float64Array,
      ((c.grads as Record<string, Obj>).default as Obj).log_prob as Nested,
    );
  });

  it('trl_grpo_loss_types', () => {
    const c = golden('trl_grpo_loss_types');
    const [rows, cols] = shapeOf(c.inputs.per_token_logps as Nested) as [number, number];
    const inp = {
      perTokenLogps: flat(c.inputs.per_token_logps as Nested),
      oldPerTokenLogps: flat(c.inputs.old_per_token_logps as Nested),
      refPerTokenLogps: flat(c.inputs.ref_per_token_logps as Nested),
      advantages: flat(c.inputs.advantages as Nested),
      mask: flat(c.inputs.mask as Nested),
      rows,
      cols,
    };
    for (const lossType of ['grpo', 'bnpo', 'dr_grpo', 'dapo'] as const) {
      const r = trlGrpoLoss(inp, {
        lossType,
        beta: num(c.params.beta),
        epsilon: num(c.params.epsilon_low),
        epsilonHigh: num(c.params.epsilon_high),
        maxCompletionLength: num(c.params.max_completion_length),
        numProcesses: num(c.params.num_processes),
      });
      const o = c.outputs[lossType] as Obj;
      expectClose(`${lossType}.loss`, r.loss, o.loss as Nested);
      expectClose(`${lossType}.per_token_loss`, r.perTokenLoss, o.per_token_loss as Nested);
      expectClose(`${lossType}.per_token_kl`, r.perTokenKl as Float64Array, o.per_token_kl as Nested);
      expectClose(
        `${lossType}.grad`,
        r.gradPerTokenLogps as Float64Array,
        ((c.grads as Record<string, Obj>)[lossType] as Obj).per_token_logps as Nested,
      );
    }
  });

  it('trl_delta_vs_verl_dual_clip', () => {
    const c = golden('trl_delta_vs_verl_dual_clip');
    const [rows, cols] = shapeOf(c.inputs.per_token_logps as Nested) as [number, number];
    const logp = flat(c.inputs.per_token_logps as Nested);
    const old = flat(c.inputs.old_per_token_logps as Nested);
    const adv = flat(c.inputs.advantages as Nested);
    const mask = flat(c.inputs.mask as Nested);
    const base = { perTokenLogps: logp, oldPerTokenLogps: old, advantages: adv, mask, rows, cols };
    const eps = {
      epsilon: num(c.params.epsilon_low),
      epsilonHigh: num(c.params.epsilon_high),
      lossType: 'bnpo' as const,
    };
    const grads = c.grads as Record<string, Obj>;
    const withDelta = trlGrpoLoss(base, { ...eps, delta: num(c.params.delta) });
    expectClose('trl_bnpo_delta3', withDelta.loss, c.outputs.trl_bnpo_delta3 as Nested);
    expectClose(
      'trl_bnpo_delta3.grad',
      withDelta.gradPerTokenLogps as Float64Array,
      (grads.trl_bnpo_delta3 as Obj).per_token_logps as Nested,
    );
    const noDelta = trlGrpoLoss(base, eps);
    expectClose('trl_bnpo_no_delta', noDelta.loss, c.outputs.trl_bnpo_no_delta as Nested);
    expectClose(
      'trl_bnpo_no_delta.grad',
      noDelta.gradPerTokenLogps as Float64Array,
      (grads.trl_bnpo_no_delta as Obj).per_token_logps as Nested,
    );
    const advTok = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) advTok.fill(adv[i] as number, i * cols, (i + 1) * cols);
    const verl = verlPolicyLossVanilla(
      { oldLogProb: old, logProb: logp, advantages: advTok, responseMask: mask, rows, cols },
      {
        clipRatioLow: num(c.params.epsilon_low),
        clipRatioHigh: num(c.params.epsilon_high),
        clipRatioC: num(c.params.clip_ratio_c),
      },
    );
    expectClose('verl_token_mean_c3', verl.pgLoss, c.outputs.verl_token_mean_c3 as Nested);
    expectClose(
      'verl_token_mean_c3.grad',
      verl.gradLogProb as Float64Array,
      (grads.verl_token_mean_c3 as Obj).per_token_logps as Nested,
    );
  });

  it('trl_grpo_sequence_level', () => {
    const c = golden('trl_grpo_sequence_level');
    const [rows, cols] = shapeOf(c.inputs.per_token_logps as Nested) as [number, number];
    const r = trlGrpoLoss(
      {
        perTokenLogps: flat(c.inputs.per_token_logps as Nested),
        oldPerTokenLogps: flat(c.inputs.old_per_token_logps as Nested),
        advantages: flat(c.inputs.advantages as Nested),
        mask: flat(c.inputs.mask as Nested),
        rows,
        cols,
      },
      {
        lossType: c.params.loss_type as 'grpo',
        beta: num(c.params.beta),
        epsilon: num(c.params.epsilon_low),
        epsilonHigh: num(c.params.epsilon_high),
        importanceSamplingLevel: 'sequence',
      },
    );
    expectClose('loss', r.loss, c.outputs.loss as Nested);
    const perSeq = new Float64Array(rows);
    for (let i = 0; i < rows; i++) perSeq[i] = r.perTokenLoss[i * cols] as number;
    expectClose('per_token_loss', perSeq, c.outputs.per_token_loss as Nested);
    expectClose('verl_gspo_same_inputs', r.loss, c.outputs.verl_gspo_same_inputs as Nested);
    expectClose(
      'grad',
      r.gradPerTokenLogps as Float64Array,
      ((c.grads as Record<string, Obj>).default as Obj).per_token_logps as Nested,
    );
  });
});

describe('golden: logits', () => {
  it('entropy_and_logprobs', () => {
    const c = golden('entropy_and_logprobs');
    const [b, t, v] = shapeOf(c.inputs.logits as Nested) as [number, number, number];
    const rows = b * t;
    const logits = flat(c.inputs.logits as Nested);
    const labels = flat(c.inputs.labels as Nested);
    const mask = flat(c.inputs.mask as Nested);
    const temperature = num(c.params.temperature);
    const lp = tokenLogProbs(logits, labels, rows, v, { temperature });
    const h = entropyFromLogits(logits, rows, v, { temperature });
    expectClose('logprobs', lp, c.outputs.logprobs as Nested);
    expectClose('entropy_verl', h, c.outputs.entropy_verl as Nested);
    expectClose('entropy_trl', h, c.outputs.entropy_trl as Nested);
    const fused = logProbsAndEntropy(logits, labels, rows, v, { temperature });
    expectClose('fused.logprobs', fused.logProbs, lp);
    expectClose('fused.entropy', fused.entropy, h);
    // token-mean entropy (verl token-mean aggregation) and masked log-prob sum
    const hMean = verlAggLoss(h, mask, b, t, 'token-mean');
    expectClose('entropy_token_mean', hMean, c.outputs.entropy_token_mean as Nested);
    expectClose('masked_logprob_sum', maskedSum(lp, mask), c.outputs.masked_logprob_sum as Nested);
    const grads = c.grads as Record<string, Obj>;
    const wH = verlAggLossWeights(mask, b, t, 'token-mean');
    expectClose(
      'grad.entropy_token_mean',
      entropyBackward(logits, rows, v, wH, { temperature }),
      (grads.entropy_token_mean as Obj).logits as Nested,
    );
    expectClose(
      'grad.masked_logprob_sum',
      tokenLogProbsBackward(logits, labels, rows, v, mask, { temperature }),
      (grads.masked_logprob_sum as Obj).logits as Nested,
    );
  });
});
