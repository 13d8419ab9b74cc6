/**
 * AdamW, gradient-norm clipping and learning-rate schedules on flat float64 parameter vectors.
 *
 * Sources: PyTorch `torch.optim.AdamW` (decoupled weight decay, bias correction in the
 * `step_size = lr / bc1`, `denom = sqrt(v)/sqrt(bc2) + eps` form), `torch.nn.utils.clip_grad_norm_`
 * (coefficient max_norm/(‖g‖ + 1e-6), clamped to 1), and huggingface/transformers
 * src/transformers/optimization.py `get_cosine_schedule_with_warmup` /
 * `get_linear_schedule_with_warmup` (warmup steps = ceil(ratio · total) as in `TrainingArguments`).
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/** Options of {@link AdamW}. Defaults are PyTorch's. */
export interface AdamWOptions {
  /** Base learning rate (the schedule multiplies it). Default 1e-3. */
  lr?: number;
  /** (β1, β2). Default (0.9, 0.999). */
  betas?: readonly [number, number];
  /** ε added to the denominator. Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay λ (p ← p − lr·λ·p). Default 0.01 (PyTorch; HF Trainer uses 0). */
  weightDecay?: number;
  /**
   * Which parameters decay (1) and which do not (0), length P. Default: all decay. HF Trainer
   * excludes biases and norms; {@link RewardHead.decayMask} builds that mask.
   */
  decayMask?: Uint8Array;
}

/** AdamW optimiser over one flat parameter vector (updated in place). */
export class AdamW {
  /** First-moment estimate. */
  readonly m: Float64Array;
  /** Second-moment estimate. */
  readonly v: Float64Array;
  /** Number of steps taken. */
  stepCount = 0;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decayMask: Uint8Array | undefined;

  constructor(
    readonly params: Float64Array,
    options: AdamWOptions = {},
  ) {
    this.lr = options.lr ?? 1e-3;
    [this.beta1, this.beta2] = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.decayMask = options.decayMask;
    if (!(this.lr >= 0)) throw new InvalidArgumentError('lr', `must be ≥ 0, got ${this.lr}`);
    for (const [k, b] of [
      ['betas[0]', this.beta1],
      ['betas[1]', this.beta2],
    ] as const) {
      if (!(b >= 0 && b < 1)) throw new InvalidArgumentError(k, `must be in [0, 1), got ${b}`);
    }
    if (!(this.eps >= 0)) throw new InvalidArgumentError('eps', `must be ≥ 0, got ${this.eps}`);
    if (!(this.weightDecay >= 0))
      throw new InvalidArgumentError('weightDecay', `must be ≥ 0, got ${this.weightDecay}`);
    if (this.decayMask && this.decayMask.length !== params.length) {
      throw new ShapeMismatchError('decayMask', [params.length], [this.decayMask.length]);
    }
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }

  /**
   * One update with gradient `grads` (length P) at learning rate `lr` (default: the base rate;
   * pass `base · schedule(step)` for a schedule). Same arithmetic order as PyTorch's
   * single-tensor AdamW.
   */
  step(grads: Float64Array, lr = this.lr): void {
    const p = this.params;
    const n = p.length;
    if (grads.length !== n) throw new ShapeMismatchError('grads', [n], [grads.length]);
    this.stepCount++;
    const t = this.stepCount;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const stepSize = lr / bc1;
    const bc2Sqrt = Math.sqrt(bc2);
    const decay = 1 - lr * this.weightDecay;
    adamwKernel(p, grads, this.m, this.v, this.decayMask, b1, b2, stepSize, bc2Sqrt, decay, this.eps);
  }
}

/** The AdamW inner loop as a free function over typed arrays (keeps V8 on its fast path). */
function adamwKernel(
  p: Float64Array,
  grads: Float64Array,
  m: Float64Array,
  v: Float64Array,
  mask: Uint8Array | undefined,
  b1: number,
  b2: number,
  stepSize: number,
  bc2Sqrt: number,
  decay: number,
  eps: number,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  const n = p.length;
  if (mask === undefined) {
    for (let i = 0; i < n; i++) {
      const g = grads[i]!;
      const mi = b1 * m[i]! + c1 * g;
      const vi = b2 * v[i]! + c2 * g * g;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i]! * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = grads[i]!;
    const w = mask[i] !== 0 ? p[i]! * decay : p[i]!;
    const mi = b1 * m[i]! + c1 * g;
    const vi = b2 * v[i]! + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    p[i] = w - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

/**
 * `clip_grad_norm_`: scales `grads` in place so that ‖g‖₂ ≤ maxNorm (coefficient
 * maxNorm/(‖g‖ + 1e-6), only when < 1). Returns the norm before clipping.
 */
export function clipGradNorm(grads: Float64Array, maxNorm: number): number {
  let s = 0;
  for (let i = 0; i < grads.length; i++) s += grads[i]! * grads[i]!;
  const norm = Math.sqrt(s);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (let i = 0; i < grads.length; i++) grads[i] = grads[i]! * coef;
  return norm;
}

/** Learning-rate schedule kinds (HF `lr_scheduler_type`). */
export type LrScheduleKind = 'cosine' | 'linear' | 'constant';

/** Options of {@link lrSchedule}. */
export interface LrScheduleOptions {
  kind?: LrScheduleKind;
  /** Total optimiser steps. */
  totalSteps: number;
  /** Warmup steps; default ceil(warmupRatio · totalSteps). */
  warmupSteps?: number;
  /** Fraction of steps used for linear warmup. Default 0. */
  warmupRatio?: number;
  /** Cosine cycles (HF `num_cycles`). Default 0.5 (half a cosine, down to 0). */
  numCycles?: number;
}

/**
 * Learning-rate multiplier λ(step) for optimiser step `step` (0-based), as the HF schedulers
 * (step 0 of a warmup has λ = 0): warmup step/warmup, then cosine
 * max(0, ½(1 + cos(π·2·cycles·progress))) or linear max(0, (total − step)/(total − warmup)).
 */
export function lrSchedule(options: LrScheduleOptions): (step: number) => number {
  const kind = options.kind ?? 'cosine';
  const total = options.totalSteps;
  if (!Number.isInteger(total) || total < 0)
    throw new InvalidArgumentError('totalSteps', `must be an integer ≥ 0, got ${total}`);
  const warmup = options.warmupSteps ?? Math.ceil(total * (options.warmupRatio ?? 0));
  const cycles = options.numCycles ?? 0.5;
  return (step: number) => {
    if (kind !== 'constant' || warmup > 0) {
      if (step < warmup) return step / Math.max(1, warmup);
    }
    if (kind === 'constant') return 1;
    if (kind === 'linear') return Math.max(0, (total - step) / Math.max(1, total - warmup));
    if (kind === 'cosine') {
      const progress = (step - warmup) / Math.max(1, total - warmup);
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress)));
    }
    throw new InvalidArgumentError('kind', `unknown schedule "${kind as string}"`);
  };
}
