/**
 * Training loop for {@link RewardHead} on fixed features: Bradley–Terry pairs (TRL
 * `RewardTrainer` objective), cross-encoder labels (BCE-with-logits) or score regression (MSE,
 * the JudgeLRM CLS-RM baseline), with AdamW, gradient clipping and an HF-style schedule. Deterministic for a seed: the same seed gives bit-identical
 * parameters (initialisation and per-epoch shuffles come from core's `createRng`).
 */

import { createRng, InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import { AdamW, clipGradNorm, type LrScheduleKind, lrSchedule } from './adamw.js';
import { bradleyTerryLoss } from './bradley-terry-loss.js';
import { binaryCrossEntropyWithLogits } from './cross-encoder-loss.js';
import { mseLoss } from './mse-loss.js';
import { RewardHead, type RewardHeadConfig } from './reward-head.js';

/** Bradley–Terry training data: feature rows of the chosen and rejected side of each pair. */
export interface PairFeatures {
  kind: 'pairs';
  /** [N, D] row-major. */
  chosen: Float64Array;
  /** [N, D] row-major. */
  rejected: Float64Array;
  /** Optional per-pair margin [N]. */
  margin?: Float64Array;
}

/**
 * Per-item training data: one feature row per item with a target. Cross-encoder (`objective:
 * 'bce'`, the default): a label in [0, 1]. Regression (`objective: 'mse'`): any real target, e.g.
 * the GPT-4 absolute score the JudgeLRM CLS-RM baseline regresses on.
 */
export interface LabelledFeatures {
  kind: 'labels';
  /** [N, D] row-major. */
  features: Float64Array;
  /**
   * [N] targets: in [0, 1] for `bce` (soft labels allowed, e.g. {@link softPreferenceTarget});
   * real-valued scores for `mse`.
   */
  labels: Float64Array;
}

/**
 * Objective of {@link trainRewardHead}:
 * - `bradley-terry` (pairs only; the default for pairs): TRL `RewardTrainer` loss, see `bradleyTerryLoss`;
 * - `bce` (labels only; the default for labels): sentence-transformers `BinaryCrossEntropyLoss`;
 * - `mse` (labels only): `nn.MSELoss()` (mean) of the head's scalar against each target — the
 *   JudgeLRM CLS-RM baseline (`baseline/src/train_reward_model.py`, judgelrm spec §6), see {@link mseLoss}.
 */
export type RewardHeadObjective = 'bradley-terry' | 'bce' | 'mse';

/** Options of {@link trainRewardHead}. */
export interface TrainRewardHeadOptions {
  /** A head to continue training, or the shape of a new one (initialised from `seed`). */
  head: RewardHead | RewardHeadConfig;
  /** Seed of the initialisation and the shuffles. Default 0. */
  seed?: number | string;
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Pairs (or items) per optimiser step. Default 8. */
  batchSize?: number;
  /** Peak learning rate. Default 1e-3. */
  learningRate?: number;
  /** Schedule (HF `lr_scheduler_type`). Default `'cosine'`. */
  schedule?: LrScheduleKind;
  /** Warmup fraction of the total steps. Default 0. */
  warmupRatio?: number;
  /** AdamW weight decay (biases excluded unless `decayBiases`). Default 0. */
  weightDecay?: number;
  /** Apply weight decay to biases too (PyTorch default when all params are in one group). Default false. */
  decayBiases?: boolean;
  /** AdamW betas. Default (0.9, 0.999). */
  betas?: readonly [number, number];
  /** AdamW ε. Default 1e-8. */
  eps?: number;
  /** Clip the gradient to this L2 norm (HF `max_grad_norm`); 0 disables. Default 1. */
  maxGradNorm?: number;
  /** Bradley–Terry `center_rewards_coefficient`. Default 0. */
  centerRewardsCoefficient?: number;
  /** Cross-encoder BCE `pos_weight`. Default 1. */
  posWeight?: number;
  /** Loss (see {@link RewardHeadObjective}). Default: `bradley-terry` for pairs, `bce` for labels. */
  objective?: RewardHeadObjective;
  /** Shuffle each epoch. Default true. */
  shuffle?: boolean;
  /** Called after each optimiser step. */
  onStep?: (info: { step: number; epoch: number; loss: number; lr: number; gradNorm: number }) => void;
}

/** Result of {@link trainRewardHead}. */
export interface TrainRewardHeadResult {
  head: RewardHead;
  /** The optimiser (its moments and step count), to continue training. */
  optimizer: AdamW;
  /** Loss of each optimiser step. */
  losses: Float64Array;
}

/** Train a reward head with AdamW on fixed features (see the module doc). */
export function trainRewardHead(
  data: PairFeatures | LabelledFeatures,
  options: TrainRewardHeadOptions,
): TrainRewardHeadResult {
  const rng = createRng(options.seed ?? 0);
  const head = options.head instanceof RewardHead ? options.head : RewardHead.create(options.head, rng);
  const d = head.inputDim;
  let n: number;
  if (data.kind === 'pairs') {
    n = data.chosen.length / d;
    if (!Number.isInteger(n)) throw new ShapeMismatchError('chosen features', [n, d], [data.chosen.length]);
    if (data.rejected.length !== n * d)
      throw new ShapeMismatchError('rejected features', [n, d], [data.rejected.length]);
    if (data.margin && data.margin.length !== n)
      throw new ShapeMismatchError('margin', [n], [data.margin.length]);
  } else {
    n = data.features.length / d;
    if (!Number.isInteger(n)) throw new ShapeMismatchError('features', [n, d], [data.features.length]);
    if (data.labels.length !== n) throw new ShapeMismatchError('labels', [n], [data.labels.length]);
  }
  const objective = options.objective ?? (data.kind === 'pairs' ? 'bradley-terry' : 'bce');
  if ((data.kind === 'pairs') !== (objective === 'bradley-terry')) {
    throw new InvalidArgumentError(
      'objective',
      `"${objective}" does not apply to ${data.kind} data (pairs: bradley-terry; labels: bce or mse)`,
    );
  }
  const epochs = options.epochs ?? 1;
  const bs = options.batchSize ?? 8;
  if (!Number.isInteger(epochs) || epochs < 1)
    throw new InvalidArgumentError('epochs', `must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(bs) || bs < 1)
    throw new InvalidArgumentError('batchSize', `must be a positive integer, got ${bs}`);
  if (n < 1) throw new InvalidArgumentError('data', 'no training rows');
  const stepsPerEpoch = Math.ceil(n / bs);
  const total = stepsPerEpoch * epochs;
  const baseLr = options.learningRate ?? 1e-3;
  const sched = lrSchedule({
    kind: options.schedule ?? 'cosine',
    totalSteps: total,
    warmupRatio: options.warmupRatio ?? 0,
  });
  const opt = new AdamW(head.params, {
    lr: baseLr,
    betas: options.betas ?? [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? 0,
    decayMask: options.decayBiases ? undefined : head.decayMask(),
  });
  const maxNorm = options.maxGradNorm ?? 1;
  const rows = data.kind === 'pairs' ? 2 * bs : bs;
  const xb = new Float64Array(rows * d);
  const rb = new Float64Array(rows);
  const gb = new Float64Array(rows);
  const aux1 = new Float64Array(bs);
  const aux2 = new Float64Array(bs);
  const order: number[] = Array.from({ length: n }, (_, i) => i);
  const losses = new Float64Array(total);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (options.shuffle ?? true) rng.shuffle(order);
    for (let s = 0; s < stepsPerEpoch; s++) {
      const lo = s * bs;
      const m = Math.min(bs, n - lo);
      head.zeroGrad();
      let loss: number;
      if (data.kind === 'pairs') {
        for (let i = 0; i < m; i++) {
          const src = order[lo + i]! * d;
          xb.set(data.chosen.subarray(src, src + d), i * d);
          xb.set(data.rejected.subarray(src, src + d), (m + i) * d);
        }
        const x = xb.subarray(0, 2 * m * d);
        const r = head.forward(x, 2 * m, rb.subarray(0, 2 * m));
        let margin: Float64Array | undefined;
        if (data.margin) {
          margin = aux1.subarray(0, m);
          for (let i = 0; i < m; i++) margin[i] = data.margin[order[lo + i]!]!;
        }
        const res = bradleyTerryLoss(
          { rewardsChosen: r.subarray(0, m), rewardsRejected: r.subarray(m, 2 * m), margin },
          { centerRewardsCoefficient: options.centerRewardsCoefficient ?? 0 },
          { rewardsChosen: gb.subarray(0, m), rewardsRejected: gb.subarray(m, 2 * m) },
        );
        loss = res.loss;
        head.backward(x, 2 * m, gb.subarray(0, 2 * m));
      } else {
        const y = aux2.subarray(0, m);
        for (let i = 0; i < m; i++) {
          const src = order[lo + i]!;
          xb.set(data.features.subarray(src * d, src * d + d), i * d);
          y[i] = data.labels[src]!;
        }
        const x = xb.subarray(0, m * d);
        const r = head.forward(x, m, rb.subarray(0, m));
        const res =
          objective === 'mse'
            ? mseLoss(r, y, { out: gb.subarray(0, m) })
            : binaryCrossEntropyWithLogits(r, y, {
                posWeight: options.posWeight ?? 1,
                out: gb.subarray(0, m),
              });
        loss = res.loss;
        head.backward(x, m, gb.subarray(0, m));
      }
      const gradNorm = maxNorm > 0 ? clipGradNorm(head.grads, maxNorm) : Number.NaN;
      const lr = baseLr * sched(step);
      opt.step(head.grads, lr);
      losses[step] = loss;
      options.onStep?.({ step, epoch, loss, lr, gradNorm });
      step++;
    }
  }
  return { head, optimizer: opt, losses };
}

/** Mean squared error of the head's scores against real-valued targets ([N, D] features, [N] targets). */
export function headMeanSquaredError(
  head: RewardHead,
  features: Float64Array,
  targets: Float64Array,
): number {
  const n = features.length / head.inputDim;
  if (!Number.isInteger(n) || targets.length !== n)
    throw new ShapeMismatchError('targets', [n], [targets.length]);
  return mseLoss(head.forward(features, n), targets).loss;
}

/** Fraction of pairs whose chosen row scores strictly higher (ties count as wrong, as TRL). */
export function pairwiseAccuracy(head: RewardHead, chosen: Float64Array, rejected: Float64Array): number {
  const n = chosen.length / head.inputDim;
  const a = head.forward(chosen, n);
  const b = head.forward(rejected, n);
  let c = 0;
  for (let i = 0; i < n; i++) if (a[i]! > b[i]!) c++;
  return c / n;
}
