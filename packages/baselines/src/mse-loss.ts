/**
 * Mean-squared-error regression loss on scalar scores, forward and backward (float64): the
 * objective of the JudgeLRM "CLS-RM" baseline, which is a regression despite its name — a scalar
 * head trained with MSE against the GPT-4 absolute score of each response (JudgeLRM
 * `baseline/src/train_reward_model.py`; judgelrm spec §6). Reduction as PyTorch `nn.MSELoss()`
 * (`mean` by default). There are no golden vectors for it; it is tested against the formula and by
 * finite differences.
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import type { LossWithGrad } from './cross-encoder-loss.js';

/** Options of {@link mseLoss}. */
export interface MseOptions {
  /** `'mean'` (default, as `nn.MSELoss`) or `'sum'`. */
  reduction?: 'mean' | 'sum';
  /** Optional gradient buffer of length N. */
  out?: Float64Array;
}

/**
 * MSE of N predictions against N real-valued targets: ℓ = Σ_i (p_i − y_i)² / N (or the sum), with
 * ∂ℓ/∂p_i = 2(p_i − y_i)/N. Non-finite targets are rejected (they are data, not model output).
 */
export function mseLoss(
  predictions: ArrayLike<number>,
  targets: ArrayLike<number>,
  options: MseOptions = {},
): LossWithGrad {
  const n = predictions.length;
  if (targets.length !== n) throw new ShapeMismatchError('targets', [n], [targets.length]);
  const grad = options.out ?? new Float64Array(n);
  if (grad.length !== n) throw new ShapeMismatchError('out', [n], [grad.length]);
  const scale = options.reduction === 'sum' ? 1 : 1 / n;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const y = targets[i]!;
    if (!Number.isFinite(y)) throw new InvalidArgumentError('targets', `target ${i} is not finite (${y})`);
    const e = predictions[i]! - y;
    loss += e * e;
    grad[i] = 2 * e * scale;
  }
  return { loss: loss * scale, grad };
}
