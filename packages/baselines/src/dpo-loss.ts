/**
 * The TRL DPO loss family, forward and backward, on per-sequence log-probs (float64).
 *
 * Two upstream versions are offered behind `variant`:
 * - `'v0.28'` (default): huggingface/trl, trl/trainer/dpo_trainer.py, `DPOTrainer.dpo_loss` at tag
 *   v0.28.0 (commit 49ef3342), with label smoothing in `sigmoid`, `reference_free`, the running-mean
 *   δ of `bco_pair` and the silent ε = 1e-3 of `exo_pair`;
 * - `'head'`: huggingface/trl, trl/trainer/dpo_trainer.py, `DPOTrainer._compute_loss` at commit
 *   d2b72b72: `sigmoid` without smoothing, no `reference_free`, `bco_pair` without δ, `exo_pair`
 *   raising at ε = 0, `ipo` / `sigmoid_norm` dividing each log-ratio by max(len, 1).
 *
 * Notation (spec loss-math.md §7): a = π_c − ρ_c, b = π_r − ρ_r, Δ = a − b, x = βΔ. The batch loss
 * is the mean over pairs; gradients are of that mean.
 */

import { ConfigError, InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import { logSigmoid, sigmoid } from './numerics.js';

/** Every DPO loss type implemented (TRL `loss_type` names). */
export type DpoLossType =
  | 'sigmoid'
  | 'hinge'
  | 'ipo'
  | 'robust'
  | 'bco_pair'
  | 'exo_pair'
  | 'nca_pair'
  | 'aot'
  | 'aot_unpaired'
  | 'apo_zero'
  | 'apo_down'
  | 'sppo_hard'
  | 'discopop'
  | 'sigmoid_norm';

/** All loss types, in TRL's documentation order. */
export const DPO_LOSS_TYPES: readonly DpoLossType[] = [
  'sigmoid',
  'hinge',
  'ipo',
  'robust',
  'bco_pair',
  'exo_pair',
  'nca_pair',
  'aot',
  'aot_unpaired',
  'apo_zero',
  'apo_down',
  'sppo_hard',
  'discopop',
  'sigmoid_norm',
];

/** Per-pair sequence log-probs, all of length B (one entry per preference pair). */
export interface DpoInputs {
  /** Summed completion log-prob of the chosen response under the policy, π_c. */
  chosenLogps: ArrayLike<number>;
  /** Summed completion log-prob of the rejected response under the policy, π_r. */
  rejectedLogps: ArrayLike<number>;
  /** Same under the frozen reference model, ρ_c (ignored by reference-free losses). */
  refChosenLogps: ArrayLike<number>;
  /** Same under the frozen reference model, ρ_r. */
  refRejectedLogps: ArrayLike<number>;
  /** Completion token counts of the chosen responses; needed by `ipo` (head) and `sigmoid_norm`. */
  chosenLengths?: ArrayLike<number>;
  /** Completion token counts of the rejected responses. */
  rejectedLengths?: ArrayLike<number>;
}

/** Options of {@link dpoLoss}. Defaults follow TRL `DPOConfig`. */
export interface DpoOptions {
  /** TRL `loss_type`. Default `'sigmoid'`. */
  lossType?: DpoLossType;
  /** Which TRL version to reproduce (see the module doc). Default `'v0.28'`. */
  variant?: 'v0.28' | 'head';
  /** β, the KL-penalty temperature. Default 0.1. */
  beta?: number;
  /** ε of cDPO / robust / exo (`label_smoothing`). Default 0. */
  labelSmoothing?: number;
  /**
   * v0.28 `reference_free`: the reference log-ratios are taken as 0 in `sigmoid`, `robust`,
   * `exo_pair`, `hinge`, `ipo` and `apo_*`; the other types recompute their log-ratios with the
   * reference and ignore it (as upstream). Not available with `variant: 'head'`.
   */
  referenceFree?: boolean;
  /** τ of `discopop`. Default 0.05. */
  discopopTau?: number;
  /**
   * δ of `bco_pair` (v0.28). Default: the batch mean of the 2B implicit rewards, i.e. a fresh
   * `RunningMoments`; pass {@link BcoRunningMean.update}'s result to reproduce a running trainer.
   */
  bcoDelta?: number;
}

/** Forward values of {@link dpoLoss}. */
export interface DpoResult {
  /** Mean of `losses`. */
  loss: number;
  /** Per-pair losses, shape [B] (for `aot*`, in the sorted order upstream produces). */
  losses: Float64Array;
  /** β·(π_c − ρ_c), detached metrics (always with the reference, as upstream). */
  chosenRewards: Float64Array;
  /** β·(π_r − ρ_r). */
  rejectedRewards: Float64Array;
}

/** Gradients of the mean loss with respect to each input, each of shape [B]. */
export interface DpoGrads {
  chosenLogps: Float64Array;
  rejectedLogps: Float64Array;
  refChosenLogps: Float64Array;
  refRejectedLogps: Float64Array;
}

interface Resolved {
  type: DpoLossType;
  head: boolean;
  beta: number;
  eps: number;
  refFree: boolean;
  tau: number;
  bcoDelta: number | undefined;
}

function resolve(options: DpoOptions): Resolved {
  const type = options.lossType ?? 'sigmoid';
  if (!DPO_LOSS_TYPES.includes(type)) {
    throw new ConfigError(`Unknown DPO loss type "${type}"; expected one of ${DPO_LOSS_TYPES.join(', ')}`);
  }
  const variant = options.variant ?? 'v0.28';
  if (variant !== 'v0.28' && variant !== 'head') {
    throw new ConfigError(`Unknown DPO variant "${variant}"; expected 'v0.28' or 'head'`);
  }
  const head = variant === 'head';
  const beta = options.beta ?? 0.1;
  if (!Number.isFinite(beta) || beta <= 0) throw new InvalidArgumentError('beta', `must be > 0, got ${beta}`);
  let eps = options.labelSmoothing ?? 0;
  if (!Number.isFinite(eps) || eps < 0 || eps > 1) {
    throw new InvalidArgumentError('labelSmoothing', `must be in [0, 1], got ${eps}`);
  }
  const refFree = options.referenceFree ?? false;
  if (head && refFree) {
    throw new ConfigError('referenceFree was removed from TRL HEAD DPO; use variant "v0.28" (or CPO)');
  }
  if (head && type === 'sigmoid' && eps !== 0) {
    throw new ConfigError('TRL HEAD sigmoid DPO has no label smoothing; use variant "v0.28" for cDPO');
  }
  if (type === 'exo_pair' && eps === 0) {
    if (head) throw new ConfigError('exo_pair needs labelSmoothing > 0 (TRL HEAD raises for 0)');
    eps = 1e-3; // v0.28 silently replaces 0 by 1e-3
  }
  const tau = options.discopopTau ?? 0.05;
  if (!Number.isFinite(tau) || tau <= 0) {
    throw new InvalidArgumentError('discopopTau', `must be > 0, got ${tau}`);
  }
  return { type, head, beta, eps, refFree, tau, bcoDelta: options.bcoDelta };
}

function batchSize(inputs: DpoInputs): number {
  const n = inputs.chosenLogps.length;
  for (const [name, arr] of [
    ['rejectedLogps', inputs.rejectedLogps],
    ['refChosenLogps', inputs.refChosenLogps],
    ['refRejectedLogps', inputs.refRejectedLogps],
  ] as const) {
    if (arr.length !== n) throw new ShapeMismatchError(`DPO input ${name}`, [n], [arr.length]);
  }
  return n;
}

/**
 * Sorting permutation (ascending, stable by index) of `values`, used by `aot` / `aot_unpaired`
 * where upstream calls `torch.sort(dim=0)`.
 */
function sortPermutation(values: Float64Array): Uint32Array {
  const idx = new Uint32Array(values.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((i, j) => values[i]! - values[j]! || i - j);
  return idx;
}

/** Label-smoothed sigmoid loss and its derivative in Δ (not x): returns loss, writes d/dΔ to out[0]. */
function sigmoidEps(x: number, beta: number, eps: number, out: Float64Array): number {
  out[0] = beta * (-(1 - eps) * sigmoid(-x) + eps * sigmoid(x));
  // (1-ε)·softplus(−x) + ε·softplus(x); written with eps = 0 short-cut for exact HEAD values
  return eps === 0 ? -logSigmoid(x) : -(1 - eps) * logSigmoid(x) - eps * logSigmoid(-x);
}

/**
 * Core kernel. Writes per-pair losses and, when `grads` is given, the per-pair partial derivatives
 * of the *mean* loss times `gradLoss`.
 */
function dpoKernel(
  inputs: DpoInputs,
  o: Resolved,
  losses: Float64Array,
  grads: DpoGrads | undefined,
  gradLoss: number,
): void {
  const n = losses.length;
  const pc = inputs.chosenLogps;
  const pr = inputs.rejectedLogps;
  const rc = inputs.refChosenLogps;
  const rr = inputs.refRejectedLogps;
  const { beta, eps, type } = o;
  const scale = n > 0 ? gradLoss / n : 0;
  const tmp = new Float64Array(1);
  // k = 1 when the reference enters a/b (and Δ) for this type, 0 when reference-free applies.
  const honoursRefFree =
    type === 'sigmoid' ||
    type === 'robust' ||
    type === 'exo_pair' ||
    type === 'hinge' ||
    type === 'ipo' ||
    type === 'apo_zero' ||
    type === 'apo_down' ||
    type === 'sigmoid_norm';
  const k = o.refFree && honoursRefFree ? 0 : 1;

  if (type === 'aot' || type === 'aot_unpaired') {
    const u = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (type === 'aot') {
        u[i] = pc[i]! - pr[i]!;
        v[i] = rc[i]! - rr[i]!;
      } else {
        u[i] = pc[i]! - rc[i]!;
        v[i] = pr[i]! - rr[i]!;
      }
    }
    const pu = sortPermutation(u);
    const pv = sortPermutation(v);
    for (let j = 0; j < n; j++) {
      const iu = pu[j]!;
      const iv = pv[j]!;
      const delta = u[iu]! - v[iv]!;
      losses[j] = sigmoidEps(beta * delta, beta, eps, tmp);
      if (grads) {
        const g = tmp[0]! * scale;
        if (type === 'aot') {
          grads.chosenLogps[iu] = g;
          grads.rejectedLogps[iu] = -g;
          grads.refChosenLogps[iv] = -g;
          grads.refRejectedLogps[iv] = g;
        } else {
          grads.chosenLogps[iu] = g;
          grads.refChosenLogps[iu] = -g;
          grads.rejectedLogps[iv] = -g;
          grads.refRejectedLogps[iv] = g;
        }
      }
    }
    return;
  }

  // Length normalisation (ipo HEAD / ipo v0.28 with lengths / sigmoid_norm).
  const needsLen = type === 'sigmoid_norm' || (type === 'ipo' && o.head);
  const useLen = needsLen || (type === 'ipo' && inputs.chosenLengths !== undefined);
  const lc = inputs.chosenLengths;
  const lr = inputs.rejectedLengths;
  if (useLen) {
    if (lc === undefined || lr === undefined) {
      throw new InvalidArgumentError(
        'chosenLengths',
        `loss type "${type}" (${o.head ? 'head' : 'v0.28'}) needs chosenLengths and rejectedLengths`,
      );
    }
    if (lc.length !== n) throw new ShapeMismatchError('DPO input chosenLengths', [n], [lc.length]);
    if (lr.length !== n) throw new ShapeMismatchError('DPO input rejectedLengths', [n], [lr.length]);
  }
  // HEAD clamps the length at 1; v0.28 divides by the raw count (0 → NaN/inf, as upstream).
  const clampLen = o.head || type === 'sigmoid_norm';

  let bcoDelta = 0;
  if (type === 'bco_pair' && !o.head) {
    if (o.bcoDelta !== undefined) bcoDelta = o.bcoDelta;
    else {
      let s = 0;
      for (let i = 0; i < n; i++) s += beta * (pc[i]! - rc[i]!) + beta * (pr[i]! - rr[i]!);
      bcoDelta = n > 0 ? s / (2 * n) : 0;
    }
  }

  for (let i = 0; i < n; i++) {
    let a = pc[i]! - k * rc[i]!;
    let b = pr[i]! - k * rr[i]!;
    let ic = 1;
    let ir = 1;
    if (useLen) {
      ic = 1 / (clampLen ? Math.max(lc![i]!, 1) : lc![i]!);
      ir = 1 / (clampLen ? Math.max(lr![i]!, 1) : lr![i]!);
      a *= ic;
      b *= ir;
    }
    const delta = a - b;
    const x = beta * delta;
    let loss: number;
    let ga: number; // ∂ℓ/∂a
    let gb: number; // ∂ℓ/∂b
    switch (type) {
      case 'sigmoid':
      case 'sigmoid_norm': {
        loss = sigmoidEps(x, beta, eps, tmp);
        ga = tmp[0]!;
        gb = -ga;
        break;
      }
      case 'robust': {
        const d = 1 - 2 * eps;
        loss = (-(1 - eps) * logSigmoid(x) + eps * logSigmoid(-x)) / d;
        ga = (-beta * ((1 - eps) * sigmoid(-x) + eps * sigmoid(x))) / d;
        gb = -ga;
        break;
      }
      case 'hinge': {
        loss = Math.max(0, 1 - x);
        ga = x < 1 ? -beta : 0;
        gb = -ga;
        break;
      }
      case 'ipo': {
        const c = delta - 1 / (2 * beta);
        loss = c * c;
        ga = 2 * c;
        gb = -ga;
        break;
      }
      case 'exo_pair': {
        const sp = sigmoid(x);
        const sn = sigmoid(-x);
        loss = sp * (logSigmoid(x) - Math.log(1 - eps)) + sn * (logSigmoid(-x) - Math.log(eps));
        ga = beta * sp * sn * (x - Math.log((1 - eps) / eps));
        gb = -ga;
        break;
      }
      case 'discopop': {
        const m = sigmoid(x / o.tau);
        const logistic = -logSigmoid(x);
        const e = Math.exp(-x);
        loss = logistic * (1 - m) + e * m;
        ga = beta * (-sigmoid(-x) * (1 - m) - e * m + ((m * (1 - m)) / o.tau) * (e - logistic));
        gb = -ga;
        break;
      }
      case 'bco_pair': {
        const u = beta * a - bcoDelta;
        const w = beta * b - bcoDelta;
        loss = -logSigmoid(u) - logSigmoid(-w);
        ga = -beta * sigmoid(-u);
        gb = beta * sigmoid(w);
        break;
      }
      case 'nca_pair': {
        const u = beta * a;
        const w = beta * b;
        loss = -logSigmoid(u) - 0.5 * logSigmoid(-u) - 0.5 * logSigmoid(-w);
        ga = beta * (-sigmoid(-u) + 0.5 * sigmoid(u));
        gb = 0.5 * beta * sigmoid(w);
        break;
      }
      case 'sppo_hard': {
        const u = a - 1 / (2 * beta);
        const w = b + 1 / (2 * beta);
        loss = u * u + w * w;
        ga = 2 * u;
        gb = 2 * w;
        break;
      }
      case 'apo_zero': {
        const su = sigmoid(beta * a);
        const sw = sigmoid(beta * b);
        loss = 1 - su + sw;
        ga = -beta * su * (1 - su);
        gb = beta * sw * (1 - sw);
        break;
      }
      case 'apo_down': {
        const su = sigmoid(beta * a);
        const sd = sigmoid(x);
        loss = su + 1 - sd;
        const sdp = beta * sd * (1 - sd);
        ga = beta * su * (1 - su) - sdp;
        gb = sdp;
        break;
      }
      default:
        throw new ConfigError(`Unhandled DPO loss type ${type as string}`);
    }
    losses[i] = loss;
    if (grads) {
      const gc = ga * ic * scale;
      const gr = gb * ir * scale;
      grads.chosenLogps[i] = gc;
      grads.rejectedLogps[i] = gr;
      grads.refChosenLogps[i] = -k * gc;
      grads.refRejectedLogps[i] = -k * gr;
    }
  }
}

/**
 * DPO-family loss forward pass (TRL `dpo_loss` v0.28.0 or HEAD `_compute_loss`, see the module
 * doc). Inputs are per-pair sequence log-probs (see {@link sequenceLogps}); the result holds the
 * mean loss, the per-pair losses and the detached implicit rewards.
 */
export function dpoLoss(inputs: DpoInputs, options: DpoOptions = {}): DpoResult {
  const o = resolve(options);
  const n = batchSize(inputs);
  const losses = new Float64Array(n);
  dpoKernel(inputs, o, losses, undefined, 1);
  const chosenRewards = new Float64Array(n);
  const rejectedRewards = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += losses[i]!;
    chosenRewards[i] = o.beta * (inputs.chosenLogps[i]! - inputs.refChosenLogps[i]!);
    rejectedRewards[i] = o.beta * (inputs.rejectedLogps[i]! - inputs.refRejectedLogps[i]!);
  }
  return { loss: sum / n, losses, chosenRewards, rejectedRewards };
}

/**
 * Backward pass of {@link dpoLoss}: gradients of `gradLoss · mean(losses)` with respect to the four
 * log-prob inputs (reference gradients are 0 where reference-free applies; `bco_pair`'s δ is
 * detached, as upstream). `out` may supply preallocated arrays of length B.
 */
export function dpoLossBackward(
  inputs: DpoInputs,
  options: DpoOptions = {},
  gradLoss = 1,
  out?: DpoGrads,
): DpoGrads {
  const o = resolve(options);
  const n = batchSize(inputs);
  const grads = out ?? {
    chosenLogps: new Float64Array(n),
    rejectedLogps: new Float64Array(n),
    refChosenLogps: new Float64Array(n),
    refRejectedLogps: new Float64Array(n),
  };
  for (const [name, arr] of Object.entries(grads)) {
    if (arr.length !== n) throw new ShapeMismatchError(`DPO gradient buffer ${name}`, [n], [arr.length]);
  }
  dpoKernel(inputs, o, new Float64Array(n), grads, gradLoss);
  return grads;
}

/**
 * Forward and backward in one pass (the kernel computes both anyway). Returns the forward result
 * and the gradients of the mean loss.
 */
export function dpoLossWithGrad(
  inputs: DpoInputs,
  options: DpoOptions = {},
  out?: { losses?: Float64Array; grads?: DpoGrads },
): { loss: number; losses: Float64Array; grads: DpoGrads } {
  const o = resolve(options);
  const n = batchSize(inputs);
  const losses = out?.losses ?? new Float64Array(n);
  const grads = out?.grads ?? {
    chosenLogps: new Float64Array(n),
    rejectedLogps: new Float64Array(n),
    refChosenLogps: new Float64Array(n),
    refRejectedLogps: new Float64Array(n),
  };
  dpoKernel(inputs, o, losses, grads, 1);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += losses[i]!;
  return { loss: sum / n, losses, grads };
}

/**
 * TRL's `RunningMoments` as used for the v0.28 `bco_pair` δ (huggingface/trl, trl/trainer/utils.py
 * at v0.28.0): each step calls `update(mean(cat(βa, βb)))` with the batch's mean implicit reward
 * and uses the running mean (count-weighted, starting from count 1e-24) as δ.
 */
export class BcoRunningMean {
  /** Current running mean (δ). */
  mean = 0;
  /** Accumulated count (starts at 1e-24 as upstream). */
  count = 1e-24;

  /** Fold in one batch's mean reward and return the new δ. */
  update(batchMean: number): number {
    const tot = this.count + 1;
    this.mean += ((batchMean - this.mean) * 1) / tot;
    this.count = tot;
    return this.mean;
  }

  /** The batch mean of the 2B implicit rewards β(π − ρ) that upstream feeds to `update`. */
  static batchMean(inputs: DpoInputs, beta = 0.1): number {
    const n = batchSize(inputs);
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += beta * (inputs.chosenLogps[i]! - inputs.refChosenLogps[i]!);
      s += beta * (inputs.rejectedLogps[i]! - inputs.refRejectedLogps[i]!);
    }
    return s / (2 * n);
  }
}
