/**
 * sentence-transformers cross-encoder losses, forward and backward (float64).
 *
 * Source: UKPLab/sentence-transformers, sentence_transformers/cross_encoder/losses/
 * BinaryCrossEntropyLoss.py (commit 0dafdbe8), CrossEntropyLoss.py (0f75f473),
 * MultipleNegativesRankingLoss.py (398ab3d6). The multi-class log-softmax is @judgekit/grpo's.
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import { tokenLogProbs, tokenLogProbsBackward } from '@judgekit/grpo';
import { sigmoid, softplus } from './numerics.js';

/** A loss value with the gradient of that value with respect to its logits/scores. */
export interface LossWithGrad {
  loss: number;
  /** Same shape as the logits/scores input. */
  grad: Float64Array;
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BceOptions {
  /** `pos_weight` multiplying the positive term (default 1). */
  posWeight?: number;
  /** `'mean'` (default, as `BCEWithLogitsLoss`) or `'sum'`. */
  reduction?: 'mean' | 'sum';
  /** Optional gradient buffer of length N. */
  out?: Float64Array;
}

/**
 * `BCEWithLogitsLoss(pos_weight)` on N logits with labels in [0, 1] (soft labels allowed), the
 * default cross-encoder loss (num_labels = 1). Stable form ℓ = (1−y)x + (1+(pw−1)y)·softplus(−x);
 * ∂ℓ/∂x = (1−y)σ(x) − pw·y·σ(−x).
 */
export function binaryCrossEntropyWithLogits(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: BceOptions = {},
): LossWithGrad {
  const n = logits.length;
  if (labels.length !== n) throw new ShapeMismatchError('labels', [n], [labels.length]);
  const pw = options.posWeight ?? 1;
  if (!Number.isFinite(pw) || pw < 0) throw new InvalidArgumentError('posWeight', `must be ≥ 0, got ${pw}`);
  const grad = options.out ?? new Float64Array(n);
  if (grad.length !== n) throw new ShapeMismatchError('out', [n], [grad.length]);
  const scale = options.reduction === 'sum' ? 1 : 1 / n;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i]!;
    const y = labels[i]!;
    loss += (1 - y) * x + (1 + (pw - 1) * y) * softplus(-x);
    grad[i] = ((1 - y) * sigmoid(x) - pw * y * sigmoid(-x)) * scale;
  }
  return { loss: loss * scale, grad };
}

/**
 * Mean multi-class cross-entropy (`CrossEntropyLoss`, num_labels > 1) over `rows` rows of
 * `classes` logits `[rows, classes]` (any numeric array-like) with integer labels; gradient
 * (softmax − onehot)/rows.
 */
export function crossEntropyWithLogits(
  logits: ArrayLike<number>,
  labels: ArrayLike<number>,
  rows: number,
  classes: number,
  options: { out?: Float64Array } = {},
): LossWithGrad {
  if (labels.length !== rows) throw new ShapeMismatchError('labels', [rows], [labels.length]);
  for (let i = 0; i < rows; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new InvalidArgumentError(
        'labels',
        `label ${y} at row ${i} is not a class index in [0, ${classes})`,
      );
    }
  }
  const lp = tokenLogProbs(logits, labels, rows, classes);
  let loss = 0;
  for (let i = 0; i < rows; i++) loss -= lp[i]!;
  const g = new Float64Array(rows).fill(-1 / rows);
  const grad = tokenLogProbsBackward(logits, labels, rows, classes, g, { out: options.out });
  return { loss: loss / rows, grad };
}

/** Options of {@link multipleNegativesRankingLoss}. */
export interface MnrlOptions {
  /** `scale` (default 20). */
  scale?: number;
  /** `activation_fct` applied to the scores before scaling: `'tanh'` (default) or `'identity'`. */
  activation?: 'tanh' | 'identity';
  /** Optional gradient buffer `[rows, cols]`. */
  out?: Float64Array;
}

/**
 * Cross-encoder `MultipleNegativesRankingLoss`: scores `[rows, 1 + k]` with column 0 the positive,
 * logits = scale·activation(score), mean CE with label 0. The negatives are given by the caller
 * (upstream samples `num_negatives=4` in-batch with `torch.multinomial`; use core's Rng for that).
 */
export function multipleNegativesRankingLoss(
  scores: ArrayLike<number>,
  rows: number,
  cols: number,
  options: MnrlOptions = {},
): LossWithGrad {
  if (scores.length !== rows * cols) throw new ShapeMismatchError('scores', [rows, cols], [scores.length]);
  const scale = options.scale ?? 20;
  const tanh = (options.activation ?? 'tanh') === 'tanh';
  const logits = new Float64Array(rows * cols);
  for (let i = 0; i < logits.length; i++) logits[i] = scale * (tanh ? Math.tanh(scores[i]!) : scores[i]!);
  const labels = new Int32Array(rows);
  const r = crossEntropyWithLogits(logits, labels, rows, cols, { out: options.out });
  const grad = r.grad;
  for (let i = 0; i < grad.length; i++) {
    if (tanh) {
      const t = Math.tanh(scores[i]!);
      grad[i] = grad[i]! * scale * (1 - t * t);
    } else grad[i] = grad[i]! * scale;
  }
  return { loss: r.loss, grad };
}

/**
 * Soft Bradley–Terry target of the JudgeLRM BT / Cross-BT baselines
 * (`baseline_evidence/train_scripts/BT_Reward_train_bt_reward.py`): σ(k·(s_c − s_r)) from two
 * teacher scores; k = 0 gives the hard label 1 (as upstream). Default k = 0.5.
 */
export function softPreferenceTarget(scoreChosen: number, scoreRejected: number, k = 0.5): number {
  return k === 0 ? 1 : sigmoid(k * (scoreChosen - scoreRejected));
}
