/**
 * verl's full actor objective (spec §6): volcengine/verl, verl/workers/actor/dp_actor.py
 * `update_policy` and verl/workers/utils/losses.py `ppo_loss` (commit b178a3cd56f5):
 *
 *   L = pg_loss − entropy_coeff·agg(H, m, mode) + kl_loss_coef·agg(kl_penalty(logp, ρ, kl_loss_type), m, mode)
 *
 * forward and backward with respect to the current log-probs (and the entropies, when given).
 *
 * @module
 */

import { ShapeMismatchError } from '@judgekit/core';
import { verlAggLoss, verlAggLossWeights } from './aggregation.js';
import { type KlEstimator, klForwardBackwardInto } from './kl.js';
import {
  type VerlPolicyLossInputs,
  type VerlPolicyLossOptions,
  verlPolicyLossGspo,
  verlPolicyLossVanilla,
} from './policy-loss.js';

/** Inputs of {@link verlActorLoss}: the policy-loss inputs plus optional reference log-probs and entropies. */
export interface VerlActorLossInputs extends VerlPolicyLossInputs {
  /** `ref_log_prob` `[rows, cols]`; needed when `useKlLoss`. */
  refLogProb?: ArrayLike<number>;
  /** Per-token entropy `[rows, cols]`; needed when `entropyCoeff` ≠ 0. */
  entropy?: ArrayLike<number>;
}

/** Options of {@link verlActorLoss} (verl `ActorConfig` names; defaults as verl). */
export interface VerlActorLossOptions extends VerlPolicyLossOptions {
  /** `use_kl_loss` (default: true exactly when `refLogProb` is given). */
  useKlLoss?: boolean;
  /** `kl_loss_coef` (default 0.001). */
  klLossCoef?: number;
  /** `kl_loss_type` (default `low_var_kl`). */
  klLossType?: KlEstimator;
  /** `entropy_coeff` (default 0). */
  entropyCoeff?: number;
  /**
   * `policy_loss.loss_mode`: `vanilla` (default, {@link verlPolicyLossVanilla}) or `gspo`
   * ({@link verlPolicyLossGspo}: its `pg_loss` is always aggregated with `seq-mean-token-mean`,
   * `clipRatioC` is unused and `pgClipfracLower` is 0). As in verl's `dp_actor.update_policy`,
   * the KL and entropy terms do not depend on the loss mode: they are aggregated with
   * `lossAggMode` (default `token-mean`), not with GSPO's forced mode.
   */
  policyLoss?: 'vanilla' | 'gspo';
}

/** Result of {@link verlActorLoss}. */
export interface VerlActorLossResult {
  /** The total loss L. */
  loss: number;
  /** The policy-gradient term `pg_loss`. */
  pgLoss: number;
  /** agg(kl) (not yet multiplied by the coefficient), or null without KL loss. */
  klLoss: number | null;
  /** agg(H), or null without entropy bonus. */
  entropyLoss: number | null;
  /** `pg_clipfrac`. */
  pgClipfrac: number;
  /** `ppo_kl`. */
  ppoKl: number;
  /** `pg_clipfrac_lower`. */
  pgClipfracLower: number;
  /** ∂L/∂log_prob `[rows, cols]`. */
  gradLogProb: Float64Array;
  /** ∂L/∂ref_log_prob `[rows, cols]`, or null without KL loss. */
  gradRefLogProb: Float64Array | null;
  /** ∂L/∂entropy `[rows, cols]`, or null without entropy bonus. */
  gradEntropy: Float64Array | null;
}

/**
 * verl actor loss: PPO clip (dual clip, ±20 clamp) or GSPO (`policyLoss: 'gspo'`) +
 * `kl_loss_coef`·agg(KL) − `entropy_coeff`·agg(H), the KL and entropy terms aggregated with
 * `loss_agg_mode` (so is the vanilla `pg_loss`; GSPO forces `seq-mean-token-mean` on its own
 * term only). The KL is per token on `log_prob` (with gradient) vs `ref_log_prob`, independent of
 * the policy loss (volcengine/verl, verl/workers/actor/dp_actor.py `update_policy`, commit
 * b178a3cd56f5; spec §3, §4.3, §6). One pass per term, no per-element allocation.
 */
export function verlActorLoss(
  inputs: VerlActorLossInputs,
  options?: VerlActorLossOptions,
): VerlActorLossResult {
  const { rows, cols, responseMask: mask, logProb, refLogProb, entropy } = inputs;
  const n = rows * cols;
  const mode = options?.lossAggMode ?? 'token-mean';
  let pg: {
    pgLoss: number;
    pgClipfrac: number;
    ppoKl: number;
    pgClipfracLower: number;
    gradLogProb: Float64Array | null;
  };
  if ((options?.policyLoss ?? 'vanilla') === 'gspo') {
    const clip = options?.clipRatio ?? 0.2;
    const g = verlPolicyLossGspo(inputs, {
      clipRatioLow: options?.clipRatioLow ?? clip,
      clipRatioHigh: options?.clipRatioHigh ?? clip,
      computeGrad: true,
    });
    pg = { ...g, pgClipfracLower: 0 };
  } else {
    pg = verlPolicyLossVanilla(inputs, { ...options, computeGrad: true });
  }
  const grad = pg.gradLogProb as Float64Array;
  let loss = pg.pgLoss;
  const useKl = options?.useKlLoss ?? refLogProb !== undefined;
  const coefH = options?.entropyCoeff ?? 0;
  let klLoss: number | null = null;
  let entropyLoss: number | null = null;
  let gradRef: Float64Array | null = null;
  let gradEntropy: Float64Array | null = null;
  const aggOpts = {
    ...(options?.reference !== undefined ? { reference: options.reference } : {}),
    ...(options?.version !== undefined ? { version: options.version } : {}),
    ...(options?.lossScaleFactor !== undefined ? { lossScaleFactor: options.lossScaleFactor } : {}),
    ...(options?.dpSize !== undefined ? { dpSize: options.dpSize } : {}),
    ...(options?.batchNumTokens !== undefined ? { batchNumTokens: options.batchNumTokens } : {}),
    ...(options?.globalBatchSize !== undefined ? { globalBatchSize: options.globalBatchSize } : {}),
  };
  const needW = useKl || coefH !== 0;
  const w = needW ? verlAggLossWeights(mask, rows, cols, mode, aggOpts) : null;
  if (useKl && w !== null) {
    if (refLogProb === undefined) throw new ShapeMismatchError('refLogProb', [rows, cols], [0]);
    if (refLogProb.length !== n)
      throw new ShapeMismatchError('refLogProb', [rows, cols], [refLogProb.length]);
    const type = options?.klLossType ?? 'low_var_kl';
    const coef = options?.klLossCoef ?? 0.001;
    const kl = new Float64Array(n);
    gradRef = new Float64Array(n);
    klForwardBackwardInto(logProb, refLogProb, type, 'verl', kl, gradRef, w, -coef, false);
    for (let i = 0; i < n; i++) grad[i] = (grad[i] as number) - (gradRef[i] as number);
    klLoss = verlAggLoss(kl, mask, rows, cols, mode, aggOpts);
    loss += coef * klLoss;
  }
  if (coefH !== 0 && w !== null) {
    if (entropy === undefined || entropy.length !== n) {
      throw new ShapeMismatchError('entropy', [rows, cols], [entropy?.length ?? 0]);
    }
    entropyLoss = verlAggLoss(entropy, mask, rows, cols, mode, aggOpts);
    loss -= coefH * entropyLoss;
    gradEntropy = new Float64Array(n);
    for (let i = 0; i < n; i++) gradEntropy[i] = -coefH * (w[i] as number);
  }
  return {
    loss,
    pgLoss: pg.pgLoss,
    klLoss,
    entropyLoss,
    pgClipfrac: pg.pgClipfrac,
    ppoKl: pg.ppoKl,
    pgClipfracLower: pg.pgClipfracLower,
    gradLogProb: grad,
    gradRefLogProb: gradRef,
    gradEntropy,
  };
}
