/**
 * Policy-gradient losses, forward and backward (spec §4): verl PPO clip with dual clip, verl GSPO,
 * TRL GRPO `_compute_loss` (token- and sequence-level ratios, `delta`, β·k3).
 *
 * All per-token tensors are row-major `[rows, cols]` (B × T). Gradients are returned with respect
 * to the current policy log-probs (`logProb`); old log-probs are constants, as upstream.
 *
 * torch semantics are copied exactly: `clamp` passes the gradient at its bounds (inclusive),
 * `maximum`/`minimum` split the gradient 50/50 on exact ties.
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import {
  type TrlAggOptions,
  type TrlLossType,
  trlAggLoss,
  trlAggLossWeights,
  type VerlAggOptions,
  type VerlLossAggMode,
  verlAggLoss,
  verlAggLossWeights,
} from './aggregation.js';
import type { Mask } from './masked.js';

function check(what: string, a: ArrayLike<number>, n: number, shape: number[]): void {
  if (a.length !== n) throw new ShapeMismatchError(what, shape, [a.length]);
}

function buf(out: Float64Array | undefined, n: number, what: string): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) throw new ShapeMismatchError(what, [n], [out.length]);
  return out;
}

/** The `agg_loss` options out of a wider options object. */
function aggOptions(o: VerlAggOptions | undefined): VerlAggOptions | undefined {
  if (o === undefined) return undefined;
  const r: VerlAggOptions = {};
  if (o.reference !== undefined) r.reference = o.reference;
  if (o.version !== undefined) r.version = o.version;
  if (o.lossScaleFactor !== undefined) r.lossScaleFactor = o.lossScaleFactor;
  if (o.dpSize !== undefined) r.dpSize = o.dpSize;
  if (o.batchNumTokens !== undefined) r.batchNumTokens = o.batchNumTokens;
  if (o.globalBatchSize !== undefined) r.globalBatchSize = o.globalBatchSize;
  return r;
}

/** masked_mean with verl's +1e-8 (metrics). */
function metricMean(sum: number, count: number): number {
  return sum / (count + 1e-8);
}

// ---------------------------------------------------------------------------------------------
// verl vanilla PPO (dual clip)
// ---------------------------------------------------------------------------------------------

/** Inputs of {@link verlPolicyLossVanilla} and {@link verlPolicyLossGspo}; all `[rows, cols]`. */
export interface VerlPolicyLossInputs {
  /** π_old log-probs (`old_log_prob`), constants. */
  oldLogProb: ArrayLike<number>;
  /** Current policy log-probs (`log_prob`); the gradient is taken with respect to these. */
  logProb: ArrayLike<number>;
  /** Per-token advantages (`advantages`). */
  advantages: ArrayLike<number>;
  /** `response_mask`. */
  responseMask: Mask;
  /** B. */
  rows: number;
  /** T. */
  cols: number;
  /** Optional `rollout_is_weights` (rollout correction): ℓ is multiplied by them first. */
  rolloutIsWeights?: ArrayLike<number>;
}

/** Options of {@link verlPolicyLossVanilla} (verl `ActorConfig` names; defaults as verl). */
export interface VerlPolicyLossOptions extends VerlAggOptions {
  /** `clip_ratio` (default 0.2), used where low/high are not given. */
  clipRatio?: number;
  /**
   * `clip_ratio_low` ε_lo (default `clipRatio`). verl's name; the same quantity is `epsilon` in
   * {@link trlGrpoLoss} (TRL `epsilon`) and `epsilon_low` in the golden vectors.
   */
  clipRatioLow?: number;
  /** `clip_ratio_high` ε_hi (default `clipRatio`; DAPO uses 0.28). TRL's `epsilon_high`. */
  clipRatioHigh?: number;
  /** `clip_ratio_c` c of the dual clip (default 3; must be > 1). */
  clipRatioC?: number;
  /** `loss_agg_mode` (default `token-mean`). */
  lossAggMode?: VerlLossAggMode;
  /** Compute ∂pg_loss/∂log_prob (default true). */
  computeGrad?: boolean;
  /** Reusable output buffers, each `[rows*cols]`. */
  out?: { pgLosses?: Float64Array; ratio?: Float64Array; gradLogProb?: Float64Array };
}

/** Result of {@link verlPolicyLossVanilla}. */
export interface VerlPolicyLossResult {
  /** Aggregated loss `pg_loss`. */
  pgLoss: number;
  /** Per-token loss `pg_losses` `[rows, cols]` (every position, masked ones included). */
  pgLosses: Float64Array;
  /** r = exp(clamp(logp − old, −20, 20)) `[rows, cols]`. */
  ratio: Float64Array;
  /** `pg_clipfrac` = masked_mean(L2 > L1). */
  pgClipfrac: number;
  /** `ppo_kl` = masked_mean(−δ). */
  ppoKl: number;
  /** `pg_clipfrac_lower` = masked_mean((C1 > L3)·(A<0)). */
  pgClipfracLower: number;
  /** ∂pg_loss/∂log_prob `[rows, cols]`, or null when `computeGrad` is false. */
  gradLogProb: Float64Array | null;
}

/**
 * verl `compute_policy_loss_vanilla` (volcengine/verl, verl/trainer/ppo/core_algos.py, commit
 * 5689fd79): PPO clipped surrogate with asymmetric clip, dual clip for A < 0 and the ±20 log-ratio
 * clamp, aggregated with `agg_loss`. Gradient per token: −A·r·a·w_it (spec §4.1).
 */
export function verlPolicyLossVanilla(
  inputs: VerlPolicyLossInputs,
  options?: VerlPolicyLossOptions,
): VerlPolicyLossResult {
  const { oldLogProb, logProb, advantages, responseMask: mask, rows, cols, rolloutIsWeights } = inputs;
  const n = rows * cols;
  const shape = [rows, cols];
  check('oldLogProb', oldLogProb, n, shape);
  check('logProb', logProb, n, shape);
  check('advantages', advantages, n, shape);
  check('responseMask', mask, n, shape);
  if (rolloutIsWeights !== undefined) check('rolloutIsWeights', rolloutIsWeights, n, shape);
  const clip = options?.clipRatio ?? 0.2;
  const lo = 1 - (options?.clipRatioLow ?? clip);
  const hi = 1 + (options?.clipRatioHigh ?? clip);
  const c = options?.clipRatioC ?? 3;
  if (!(c > 1)) throw new InvalidArgumentError('clipRatioC', `must be > 1 (verl asserts it), got ${c}`);
  const mode = options?.lossAggMode ?? 'token-mean';
  const wantGrad = options?.computeGrad ?? true;
  const pgLosses = buf(options?.out?.pgLosses, n, 'out.pgLosses');
  const ratio = buf(options?.out?.ratio, n, 'out.ratio');
  const grad = wantGrad ? buf(options?.out?.gradLogProb, n, 'out.gradLogProb') : null;

  let kSum = 0;
  let cfSum = 0;
  let cflSum = 0;
  let mSum = 0;
  for (let i = 0; i < n; i++) {
    const x = (logProb[i] as number) - (oldLogProb[i] as number);
    const delta = x < -20 ? -20 : Math.min(x, 20);
    const dd = x >= -20 && x <= 20 ? 1 : 0;
    const r = Math.exp(delta);
    const a = advantages[i] as number;
    const rc = r < lo ? lo : Math.min(r, hi);
    const l1 = -a * r;
    const l2 = -a * rc;
    const c1 = l1 > l2 ? l1 : l2 > l1 ? l2 : l1 === l2 ? l1 : Number.NaN;
    const l3 = -a * c;
    let loss = c1;
    let g = 0;
    if (grad !== null) {
      const g1 = -a * r * dd;
      const g2 = r >= lo && r <= hi ? g1 : 0;
      g = l1 > l2 ? g1 : l2 > l1 ? g2 : 0.5 * (g1 + g2);
    }
    if (a < 0) {
      if (l3 < c1) {
        loss = l3;
        g = 0;
      } else if (l3 === c1) {
        g *= 0.5;
      }
    }
    const m = mask[i] as number;
    if (m !== 0) {
      mSum += m;
      kSum += -delta * m;
      if (l2 > l1) cfSum += m;
      if (c1 > l3 && a < 0) cflSum += m;
    }
    if (rolloutIsWeights !== undefined) {
      const w = rolloutIsWeights[i] as number;
      loss *= w;
      g *= w;
    }
    pgLosses[i] = loss;
    ratio[i] = r;
    if (grad !== null) grad[i] = g;
  }
  const pgLoss = verlAggLoss(pgLosses, mask, rows, cols, mode, aggOptions(options));
  if (grad !== null) {
    const w = verlAggLossWeights(mask, rows, cols, mode, aggOptions(options));
    for (let i = 0; i < n; i++) grad[i] = (grad[i] as number) * (w[i] as number);
  }
  return {
    pgLoss,
    pgLosses,
    ratio,
    pgClipfrac: metricMean(cfSum, mSum),
    ppoKl: metricMean(kSum, mSum),
    pgClipfracLower: metricMean(cflSum, mSum),
    gradLogProb: grad,
  };
}

// ---------------------------------------------------------------------------------------------
// verl GSPO
// ---------------------------------------------------------------------------------------------

/** Options of {@link verlPolicyLossGspo}. */
export interface VerlGspoOptions {
  /** `clip_ratio_low` (GSPO paper: 3e-4; default 0.2 like `ActorConfig`). TRL's `epsilon`. */
  clipRatioLow?: number;
  /** `clip_ratio_high` (GSPO paper: 4e-4; default 0.2). TRL's `epsilon_high`. */
  clipRatioHigh?: number;
  /** Compute ∂pg_loss/∂log_prob (default true). */
  computeGrad?: boolean;
}

/** Result of {@link verlPolicyLossGspo}. */
export interface VerlGspoResult {
  /** Aggregated loss (aggregation forced to `seq-mean-token-mean`). */
  pgLoss: number;
  /** Per-token loss `[rows, cols]`. */
  pgLosses: Float64Array;
  /** Per-token sequence ratio s_i (broadcast over the row), `[rows, cols]`. */
  seqImportanceRatio: Float64Array;
  /** `pg_clipfrac` = masked_mean(L2 > L1). */
  pgClipfrac: number;
  /** `ppo_kl` = masked_mean(old − logp). */
  ppoKl: number;
  /** ∂pg_loss/∂log_prob `[rows, cols]` (stop-gradient trick: −A·s_i·a per token), or null. */
  gradLogProb: Float64Array | null;
}

/**
 * verl `compute_policy_loss_gspo` (volcengine/verl, verl/trainer/ppo/core_algos.py, commit
 * 5689fd79): s_i = exp(Σ_t m(logp−old)/max(L_i,1)); per-token log s_it = logp − sg(logp) +
 * sg(log s_i) clamped at max 10; PPO clip without dual clip; `seq-mean-token-mean` aggregation.
 */
export function verlPolicyLossGspo(inputs: VerlPolicyLossInputs, options?: VerlGspoOptions): VerlGspoResult {
  const { oldLogProb, logProb, advantages, responseMask: mask, rows, cols, rolloutIsWeights } = inputs;
  const n = rows * cols;
  const shape = [rows, cols];
  check('oldLogProb', oldLogProb, n, shape);
  check('logProb', logProb, n, shape);
  check('advantages', advantages, n, shape);
  check('responseMask', mask, n, shape);
  if (rolloutIsWeights !== undefined) check('rolloutIsWeights', rolloutIsWeights, n, shape);
  const lo = 1 - (options?.clipRatioLow ?? 0.2);
  const hi = 1 + (options?.clipRatioHigh ?? 0.2);
  const wantGrad = options?.computeGrad ?? true;
  const pgLosses = new Float64Array(n);
  const sir = new Float64Array(n);
  const grad = wantGrad ? new Float64Array(n) : null;
  let kSum = 0;
  let cfSum = 0;
  let mSum = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    let l = 0;
    const b = i * cols;
    for (let t = b; t < b + cols; t++) {
      const m = mask[t] as number;
      s += ((logProb[t] as number) - (oldLogProb[t] as number)) * m;
      l += m;
    }
    const logSeq = s / Math.max(l, 1);
    for (let t = b; t < b + cols; t++) {
      const lv = logSeq; // logp − sg(logp) is 0 in value
      const clamped = Math.min(lv, 10);
      const dd = lv <= 10 ? 1 : 0;
      const r = Math.exp(clamped);
      const a = advantages[t] as number;
      const rc = r < lo ? lo : Math.min(r, hi);
      const l1 = -a * r;
      const l2 = -a * rc;
      let loss = l1 > l2 ? l1 : l2 > l1 ? l2 : l1 === l2 ? l1 : Number.NaN;
      let g = 0;
      if (grad !== null) {
        const g1 = -a * r * dd;
        const g2 = r >= lo && r <= hi ? g1 : 0;
        g = l1 > l2 ? g1 : l2 > l1 ? g2 : 0.5 * (g1 + g2);
      }
      if (rolloutIsWeights !== undefined) {
        const w = rolloutIsWeights[t] as number;
        loss *= w;
        g *= w;
      }
      const m = mask[t] as number;
      if (m !== 0) {
        mSum += m;
        kSum += ((oldLogProb[t] as number) - (logProb[t] as number)) * m;
        if (l2 > l1) cfSum += m;
      }
      pgLosses[t] = loss;
      sir[t] = r;
      if (grad !== null) grad[t] = g;
    }
  }
  const mode: VerlLossAggMode = 'seq-mean-token-mean';
  const pgLoss = verlAggLoss(pgLosses, mask, rows, cols, mode);
  if (grad !== null) {
    const w = verlAggLossWeights(mask, rows, cols, mode);
    for (let i = 0; i < n; i++) grad[i] = (grad[i] as number) * (w[i] as number);
  }
  return {
    pgLoss,
    pgLosses,
    seqImportanceRatio: sir,
    pgClipfrac: metricMean(cfSum, mSum),
    ppoKl: metricMean(kSum, mSum),
    gradLogProb: grad,
  };
}

// ---------------------------------------------------------------------------------------------
// TRL GRPO
// ---------------------------------------------------------------------------------------------

/** Inputs of {@link trlGrpoLoss}. Per-token arrays are `[rows, cols]`. */
export interface TrlGrpoLossInputs {
  /** `per_token_logps` of the current policy; gradients are taken with respect to these. */
  perTokenLogps: ArrayLike<number>;
  /** `old_per_token_logps`; default: `perTokenLogps` detached (ratio 1, `num_iterations=1`). */
  oldPerTokenLogps?: ArrayLike<number>;
  /** `ref_per_token_logps`; required when β ≠ 0. */
  refPerTokenLogps?: ArrayLike<number>;
  /** Advantages per completion, `[rows]` (TRL unsqueezes them to `[rows, 1]`). */
  advantages: ArrayLike<number>;
  /** `completion_mask` (times `tool_mask` where used). */
  mask: Mask;
  /** B. */
  rows: number;
  /** T. */
  cols: number;
}

/** Options of {@link trlGrpoLoss} (TRL `GRPOConfig` names; defaults as TRL at commit 286d19fc). */
export interface TrlGrpoLossOptions extends TrlAggOptions {
  /** `loss_type` (default `dapo`). */
  lossType?: TrlLossType;
  /** KL coefficient β (default 0.0). */
  beta?: number;
  /**
   * `epsilon` ε_lo (default 0.2). TRL's name (`GRPOConfig.epsilon`); the same quantity is
   * `clipRatioLow` in the verl functions (verl `clip_ratio_low`) and `epsilon_low` in the golden
   * vectors.
   */
  epsilon?: number;
  /** `epsilon_high` ε_hi (default `epsilon`); verl's `clipRatioHigh`. */
  epsilonHigh?: number;
  /** `delta`: two-sided clip of the ratio for A < 0 (INTELLECT-2); default none. */
  delta?: number;
  /** `importance_sampling_level`: `token` (default) or `sequence` (GSPO). */
  importanceSamplingLevel?: 'token' | 'sequence';
  /**
   * `use_bias_correction_kl` (default false): multiply the per-token k3 by the importance weight
   * c1 = exp(log-ratio) (token or sequence level, before the `delta` cap), with the gradient
   * flowing through c1 as in TRL (`per_token_kl = per_token_kl * coef_1`, coef_1 not detached;
   * huggingface/trl, trl/trainer/grpo_trainer.py, commit c1f6f24e; spec §3). Only matters with
   * β ≠ 0. The golden file (`loss-math.json`) has no vectors for it: it is tested against the
   * formula and by finite differences.
   */
  useBiasCorrectionKl?: boolean;
  /** Compute the gradients (default true). */
  computeGrad?: boolean;
}

/** Result of {@link trlGrpoLoss}. */
export interface TrlGrpoLossResult {
  /** The aggregated loss. */
  loss: number;
  /**
   * Per-token loss `[rows, cols]` (−min(c1·A, c2·A) + β·k3). With sequence-level ratios and β = 0
   * TRL's tensor is `[rows, 1]`; here it is broadcast over the row, so TRL's value of row i is
   * `perTokenLoss[i * cols]` (aggregation is unchanged: TRL's masked sums broadcast it the same way).
   */
  perTokenLoss: Float64Array;
  /** Per-token k3 (unclamped; times c1 with `useBiasCorrectionKl`) `[rows, cols]`, or null when β = 0. */
  perTokenKl: Float64Array | null;
  /** Importance weight c1 before the `delta` cap, `[rows, cols]` (row-constant for `sequence`). */
  coef1: Float64Array;
  /** ∂loss/∂per_token_logps `[rows, cols]`, or null. */
  gradPerTokenLogps: Float64Array | null;
  /** ∂loss/∂ref_per_token_logps `[rows, cols]` (non-zero only with β ≠ 0), or null. */
  gradRefPerTokenLogps: Float64Array | null;
}

/**
 * TRL `GRPOTrainer._compute_loss` (huggingface/trl, trl/trainer/grpo_trainer.py, commit c1f6f24e;
 * spec §4.2): ratios without a clamp, c2 = clamp(c1, 1−ε_lo, 1+ε_hi), optional `delta` cap,
 * ℓ = −min(c1·A, c2·A) + β·k3 (β·c1·k3 with `useBiasCorrectionKl`), aggregated by `loss_type`
 * (spec §5.2).
 */
export function trlGrpoLoss(inputs: TrlGrpoLossInputs, options?: TrlGrpoLossOptions): TrlGrpoLossResult {
  const { perTokenLogps: logp, advantages, mask, rows, cols } = inputs;
  const n = rows * cols;
  const shape = [rows, cols];
  check('perTokenLogps', logp, n, shape);
  check('mask', mask, n, shape);
  check('advantages', advantages, rows, [rows]);
  const old = inputs.oldPerTokenLogps ?? logp;
  check('oldPerTokenLogps', old, n, shape);
  const beta = options?.beta ?? 0;
  const ref = inputs.refPerTokenLogps;
  if (beta !== 0) {
    if (ref === undefined) throw new InvalidArgumentError('refPerTokenLogps', 'required when beta ≠ 0');
    check('refPerTokenLogps', ref, n, shape);
  }
  const eps = options?.epsilon ?? 0.2;
  const lo = 1 - eps;
  const hi = 1 + (options?.epsilonHigh ?? eps);
  const delta = options?.delta;
  const seqLevel = (options?.importanceSamplingLevel ?? 'token') === 'sequence';
  const lossType = options?.lossType ?? 'dapo';
  const wantGrad = options?.computeGrad ?? true;
  const biasCorr = options?.useBiasCorrectionKl ?? false;

  const perTokenLoss = new Float64Array(n);
  const coef1 = new Float64Array(n);
  const perTokenKl = beta !== 0 ? new Float64Array(n) : null;
  const gLogp = wantGrad ? new Float64Array(n) : null;
  const gRef = wantGrad ? new Float64Array(n) : null;
  // ∂ℓ/∂(log importance weight) per token (token level) or per row (sequence level)
  const gLw = wantGrad ? new Float64Array(n) : null;

  const rowLen = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const b = i * cols;
    let lw = 0;
    let l = 0;
    if (seqLevel) {
      for (let t = b; t < b + cols; t++) {
        const m = mask[t] as number;
        lw += ((logp[t] as number) - (old[t] as number)) * m;
        l += m;
      }
      lw /= Math.max(l, 1);
    }
    rowLen[i] = Math.max(l, 1);
    const a = advantages[i] as number;
    for (let t = b; t < b + cols; t++) {
      const x = seqLevel ? lw : (logp[t] as number) - (old[t] as number);
      const c1raw = Math.exp(x);
      const c2 = c1raw < lo ? lo : Math.min(c1raw, hi);
      const c2pass = c1raw >= lo && c1raw <= hi ? 1 : 0;
      let c1 = c1raw;
      let c1pass = 1;
      if (delta !== undefined && c1raw > delta) {
        c1 = delta;
        c1pass = 0;
      }
      const p1 = c1 * a;
      const p2 = c2 * a;
      let loss = -(p1 < p2 ? p1 : p2 < p1 ? p2 : p1 === p2 ? p1 : Number.NaN);
      coef1[t] = c1raw;
      if (gLw !== null) {
        const g1 = -a * c1raw * c1pass;
        const g2 = -a * c1raw * c2pass;
        gLw[t] = p1 < p2 ? g1 : p2 < p1 ? g2 : 0.5 * (g1 + g2);
      }
      if (perTokenKl !== null && ref !== undefined) {
        const dref = (ref[t] as number) - (logp[t] as number);
        const e = Math.exp(dref);
        const k3 = e - dref - 1;
        const iw = biasCorr ? c1raw : 1;
        const kl = k3 * iw;
        perTokenKl[t] = kl;
        loss += beta * kl;
        if (gLogp !== null && gRef !== null) {
          // token level: ∂c1_t/∂logp_t = c1_t; sequence level: added per row below
          gLogp[t] = beta * iw * (1 - e) + (biasCorr && !seqLevel ? beta * kl : 0);
          gRef[t] = beta * iw * (e - 1);
        }
      }
      perTokenLoss[t] = loss;
    }
  }
  const loss = trlAggLoss(perTokenLoss, mask, rows, cols, lossType, options);
  if (gLogp !== null && gRef !== null && gLw !== null) {
    const w = trlAggLossWeights(mask, rows, cols, lossType, options);
    for (let i = 0; i < rows; i++) {
      const b = i * cols;
      if (seqLevel) {
        // the row's loss value is broadcast over its tokens: ∂L/∂ℓ_i = Σ_t w_it
        let wsum = 0;
        let kw = 0; // Σ_t w_t·β·k3_t·c1_i: the bias-corrected KL's dependence on c1_i
        for (let t = b; t < b + cols; t++) {
          wsum += w[t] as number;
          if (biasCorr && perTokenKl !== null) kw += (w[t] as number) * beta * (perTokenKl[t] as number);
        }
        const gseq = ((gLw[b] as number) * wsum + kw) / (rowLen[i] as number);
        for (let t = b; t < b + cols; t++) {
          const wt = w[t] as number;
          gLogp[t] = (gLogp[t] as number) * wt + gseq * (mask[t] as number);
          gRef[t] = (gRef[t] as number) * wt;
        }
      } else {
        for (let t = b; t < b + cols; t++) {
          const wt = w[t] as number;
          gLogp[t] = ((gLogp[t] as number) + (gLw[t] as number)) * wt;
          gRef[t] = (gRef[t] as number) * wt;
        }
      }
    }
  }
  return {
    loss,
    perTokenLoss,
    perTokenKl,
    coef1,
    gradPerTokenLogps: gLogp,
    gradRefPerTokenLogps: gRef,
  };
}
