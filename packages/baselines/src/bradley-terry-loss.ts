/**
 * Bradley–Terry pairwise reward loss, forward and backward.
 *
 * Source: huggingface/trl, trl/trainer/reward_trainer.py `RewardTrainer.compute_loss` (commit
 * 84e83143): mean_i[−logσ(r_c − r_r − margin)] + c·mean_i[(r_c + r_r)²].
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/** Inputs of {@link bradleyTerryLoss}: scalar rewards of the two sides of each pair, length B. */
export interface BradleyTerryInputs {
  rewardsChosen: ArrayLike<number>;
  rewardsRejected: ArrayLike<number>;
  /** Optional per-pair margin (TRL's `margin` column), subtracted inside the sigmoid. */
  margin?: ArrayLike<number>;
}

/** Options of {@link bradleyTerryLoss}. */
export interface BradleyTerryOptions {
  /** `center_rewards_coefficient` c (TRL default None = 0; 0.01 recommended). */
  centerRewardsCoefficient?: number;
}

/** Result of {@link bradleyTerryLoss}. */
export interface BradleyTerryResult {
  loss: number;
  /** mean(r_c > r_r); ties count as wrong. */
  accuracy: number;
  /** mean(r_c − r_r) (without the `margin` input; TRL logs it as `margin`). */
  meanRewardMargin: number;
  /** @deprecated use `meanRewardMargin` (same value; `margin` is the per-pair input); removed in the next minor */
  margin: number;
  /** ∂loss/∂rewards. */
  grads: { rewardsChosen: Float64Array; rewardsRejected: Float64Array };
}

/**
 * Bradley–Terry loss with optional margin and reward centring (TRL `RewardTrainer.compute_loss`,
 * commit 84e83143), with its gradient: ∂/∂r_c = [−σ(−d) + 2c(r_c + r_r)]/B,
 * ∂/∂r_r = [σ(−d) + 2c(r_c + r_r)]/B with d = r_c − r_r − margin.
 * `out` may supply the two gradient buffers (length B) to avoid allocation in training loops.
 */
export function bradleyTerryLoss(
  inputs: BradleyTerryInputs,
  options: BradleyTerryOptions = {},
  out?: { rewardsChosen: Float64Array; rewardsRejected: Float64Array },
): BradleyTerryResult {
  const rc = inputs.rewardsChosen;
  const rr = inputs.rewardsRejected;
  const n = rc.length;
  if (rr.length !== n) throw new ShapeMismatchError('rewardsRejected', [n], [rr.length]);
  const m = inputs.margin;
  if (m !== undefined && m.length !== n) throw new ShapeMismatchError('margin', [n], [m.length]);
  const c = options.centerRewardsCoefficient ?? 0;
  if (!Number.isFinite(c) || c < 0) {
    throw new InvalidArgumentError('centerRewardsCoefficient', `must be ≥ 0, got ${c}`);
  }
  const gc = out?.rewardsChosen ?? new Float64Array(n);
  const gr = out?.rewardsRejected ?? new Float64Array(n);
  if (gc.length !== n || gr.length !== n) throw new ShapeMismatchError('gradient buffers', [n], [gc.length]);
  let loss = 0;
  let center = 0;
  let correct = 0;
  let marginSum = 0;
  const inv = 1 / n;
  const c2 = 2 * c;
  // One pass per pair; e = e^{−|d|} and log1p(e) are shared by −logσ(d) = softplus(−d) and σ(−d)
  // (the same values as numerics.ts `logSigmoid(d)` / `sigmoid(-d)`, bit for bit).
  for (let i = 0; i < n; i++) {
    const a = rc[i]!;
    const b = rr[i]!;
    const diff = a - b;
    const d = m === undefined ? diff : diff - m[i]!;
    const e = Math.exp(-Math.abs(d));
    const den = 1 + e;
    loss += Math.max(-d, 0) + Math.log1p(e);
    const sn = (d > 0 ? e : 1) / den; // σ(−d)
    const s = a + b;
    center += s * s;
    if (a > b) correct++;
    marginSum += diff;
    const cg = c2 * s;
    gc[i] = (-sn + cg) * inv;
    gr[i] = (sn + cg) * inv;
  }
  return {
    loss: loss * inv + (c !== 0 ? c * center * inv : 0),
    accuracy: correct * inv,
    meanRewardMargin: marginSum * inv,
    margin: marginSum * inv,
    grads: { rewardsChosen: gc, rewardsRejected: gr },
  };
}
