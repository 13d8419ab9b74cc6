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
  const { rc, rr, m, c, gc, gr, n } = prepareBradleyTerry(inputs, options, out);
  const blocks = Math.ceil(n / BT_BLOCK);
  const partials = new Float64Array(blocks * BT_PARTIALS);
  bradleyTerryBlocks({ rc, rr, m: m ?? null, c2: 2 * c, inv: 1 / n, gc, gr, n }, 0, blocks, partials);
  return reduceBradleyTerry(partials, blocks, n, c, gc, gr);
}

/** Checked inputs and output buffers of {@link bradleyTerryLoss}. @internal */
export function prepareBradleyTerry(
  inputs: BradleyTerryInputs,
  options: BradleyTerryOptions,
  out: { rewardsChosen: Float64Array; rewardsRejected: Float64Array } | undefined,
) {
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
  return { rc, rr, m, c, gc, gr, n };
}

/** Pairs per block of {@link bradleyTerryBlocks}: sums run in order inside a block, then over blocks in order. */
export const BT_BLOCK = 4096;
/** Partial sums per block: loss, centre, correct, margin. */
export const BT_PARTIALS = 4;

/** Arguments of {@link bradleyTerryBlocks} (structured-clonable for a worker). @internal */
export interface BradleyTerryKernelArgs {
  rc: ArrayLike<number>;
  rr: ArrayLike<number>;
  m: ArrayLike<number> | null;
  c2: number;
  inv: number;
  gc: Float64Array;
  gr: Float64Array;
  n: number;
}

/**
 * Blocks `[b0, b1)` of {@link BT_BLOCK} pairs: gradients of those pairs and each block's partial
 * sums. The reduction over blocks is the caller's, in block order, so any split of the blocks over
 * threads gives the same bits. @internal shared with the worker entry.
 */
export function bradleyTerryBlocks(
  k: BradleyTerryKernelArgs,
  b0: number,
  b1: number,
  partials: Float64Array,
): void {
  const { rc, rr, m, c2, inv, gc, gr, n } = k;
  for (let blk = b0; blk < b1; blk++) {
    let loss = 0;
    let center = 0;
    let correct = 0;
    let marginSum = 0;
    // One pass per pair; e = e^{−|d|} and log1p(e) are shared by −logσ(d) = softplus(−d) and σ(−d)
    // (the same values as numerics.ts `logSigmoid(d)` / `sigmoid(-d)`, bit for bit).
    for (let i = blk * BT_BLOCK, e1 = Math.min(n, i + BT_BLOCK); i < e1; i++) {
      const a = rc[i]!;
      const b = rr[i]!;
      const diff = a - b;
      const d = m === null ? diff : diff - m[i]!;
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
    const o = blk * BT_PARTIALS;
    partials[o] = loss;
    partials[o + 1] = center;
    partials[o + 2] = correct;
    partials[o + 3] = marginSum;
  }
}

/** Sum the block partials in block order into the result. @internal */
export function reduceBradleyTerry(
  partials: Float64Array,
  blocks: number,
  n: number,
  c: number,
  gc: Float64Array,
  gr: Float64Array,
): BradleyTerryResult {
  let loss = 0;
  let center = 0;
  let correct = 0;
  let marginSum = 0;
  for (let blk = 0; blk < blocks; blk++) {
    const o = blk * BT_PARTIALS;
    loss += partials[o]!;
    center += partials[o + 1]!;
    correct += partials[o + 2]!;
    marginSum += partials[o + 3]!;
  }
  const inv = 1 / n;
  return {
    loss: loss * inv + (c !== 0 ? c * center * inv : 0),
    accuracy: correct * inv,
    meanRewardMargin: marginSum * inv,
    margin: marginSum * inv,
    grads: { rewardsChosen: gc, rewardsRejected: gr },
  };
}
