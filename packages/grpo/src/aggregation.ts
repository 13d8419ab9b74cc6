/**
 * Loss aggregation (spec §5): verl `agg_loss` (HEAD and the legacy first era) and TRL GRPO's
 * `loss_type` normalisers, each with its weights w_it = ∂loss/∂ℓ_it for the backward pass.
 *
 * Shapes: per-token losses and masks are row-major `[rows, cols]` (B × T).
 *
 * @module
 */

import { InvalidArgumentError, resolveAliasedOption, ShapeMismatchError } from '@judgekit/core';
import type { Mask } from './masked.js';

/**
 * verl `loss_agg_mode` (volcengine/verl, verl/trainer/ppo/core_algos.py `agg_loss`, commit 5689fd79).
 * - `token-mean`: masked_sum(ℓ, m)·dp / N (N = Σm or `batchNumTokens`); empty mask → NaN at HEAD.
 * - `seq-mean-token-sum`: Σ_i [L_i>0]·Σ_t ℓm / S (S = #non-empty rows or `globalBatchSize`).
 * - `seq-mean-token-mean`: Σ_i [L_i>0]·Σ_t ℓm/(L_i+1e-8) / S.
 * - `seq-mean-token-sum-norm`: Σ ℓm / F (F = `lossScaleFactor` or T); no division by B.
 */
export type VerlLossAggMode =
  | 'token-mean'
  | 'seq-mean-token-sum'
  | 'seq-mean-token-mean'
  | 'seq-mean-token-sum-norm';

/** All verl aggregation modes, in spec order. */
export const VERL_LOSS_AGG_MODES: readonly VerlLossAggMode[] = [
  'token-mean',
  'seq-mean-token-sum',
  'seq-mean-token-mean',
  'seq-mean-token-sum-norm',
];

/**
 * `reference` of verl's `agg_loss`: `'verl'` = verl at commit 5689fd79 (HEAD when written),
 * `'verl@legacy'` = the first era, up to commit 4424616d (2025-10-27).
 */
export type VerlAggReference = 'verl' | 'verl@legacy';

/** Every {@link VerlAggReference}. */
export const VERL_AGG_REFERENCES: readonly VerlAggReference[] = ['verl', 'verl@legacy'];

/** Options of {@link verlAggLoss}. */
export interface VerlAggOptions {
  /**
   * Which verl `agg_loss` to reproduce (volcengine/verl, verl/trainer/ppo/core_algos.py).
   * `'verl'` (default): verl at commit 5689fd79 (divisions without 1e-8 ⇒ an empty batch gives
   * NaN in token-mean and the seq modes). `'verl@legacy'`: the first era, up to commit 4424616d
   * (2025-10-27), e.g. commit a73b2aba: token-mean = masked_mean (+1e-8, empty → 0),
   * seq-mean-token-sum = mean over **all** rows, seq-mean-token-mean = mean over all rows of
   * Σℓm/Σm (an empty row gives NaN).
   */
  reference?: VerlAggReference;
  /** @deprecated use `reference` (`'head'` → `'verl'`, `'legacy'` → `'verl@legacy'`); removed in the next minor */
  version?: 'head' | 'legacy';
  /** `loss_scale_factor` F for `seq-mean-token-sum-norm` (default: T = cols). */
  lossScaleFactor?: number;
  /** `dp_size` multiplier of the HEAD global path (default 1). */
  dpSize?: number;
  /** `batch_num_tokens` for token-mean (HEAD; default Σm of this batch). */
  batchNumTokens?: number;
  /** `global_batch_size` for the seq modes (HEAD; default the number of non-empty rows). */
  globalBatchSize?: number;
}

function checkShapes(lossLength: number, mask: Mask, rows: number, cols: number): void {
  if (lossLength !== rows * cols) throw new ShapeMismatchError('loss matrix', [rows, cols], [lossLength]);
  if (mask.length !== rows * cols) throw new ShapeMismatchError('mask', [rows, cols], [mask.length]);
}

/** Normalisers of one aggregation (internal; not exported from the package). */
export interface AggNorms {
  /** Per-row scale applied to Σ_t ℓm (before the final division). */
  rowScale: Float64Array;
  /** Final divisor. */
  divisor: number;
  /** Whether NaN at masked slots is protected (`torch.where`). */
  protectMasked: boolean;
}

/** verl `agg_loss` normalisers for a mask and mode (internal; used by the fused actor loss). */
export function verlNorms(
  mask: Mask,
  rows: number,
  cols: number,
  mode: VerlLossAggMode,
  options?: VerlAggOptions,
): AggNorms {
  const reference = resolveAliasedOption('reference', options?.reference, VERL_AGG_REFERENCES, 'verl', {
    name: 'version',
    value: options?.version,
    values: [
      ['head', 'verl'],
      ['legacy', 'verl@legacy'],
    ],
  });
  const version = reference === 'verl' ? 'head' : 'legacy';
  const dp = options?.dpSize ?? 1;
  const rowScale = new Float64Array(rows);
  let total = 0;
  let nonEmpty = 0;
  for (let i = 0; i < rows; i++) {
    let l = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) l += mask[t] as number;
    rowScale[i] = l; // temporarily the row length
    total += l;
    if (l > 0) nonEmpty++;
  }
  switch (mode) {
    case 'token-mean': {
      rowScale.fill(1);
      if (version === 'legacy') return { rowScale, divisor: total + 1e-8, protectMasked: true };
      return { rowScale, divisor: (options?.batchNumTokens ?? total) / dp, protectMasked: true };
    }
    case 'seq-mean-token-sum': {
      if (version === 'legacy') {
        rowScale.fill(1);
        return { rowScale, divisor: rows, protectMasked: false };
      }
      for (let i = 0; i < rows; i++) rowScale[i] = (rowScale[i] as number) > 0 ? 1 : 0;
      return { rowScale, divisor: (options?.globalBatchSize ?? nonEmpty) / dp, protectMasked: false };
    }
    case 'seq-mean-token-mean': {
      if (version === 'legacy') {
        for (let i = 0; i < rows; i++) rowScale[i] = 1 / (rowScale[i] as number);
        return { rowScale, divisor: rows, protectMasked: false };
      }
      for (let i = 0; i < rows; i++) {
        const l = rowScale[i] as number;
        rowScale[i] = l > 0 ? 1 / (l + 1e-8) : 0;
      }
      return { rowScale, divisor: (options?.globalBatchSize ?? nonEmpty) / dp, protectMasked: false };
    }
    case 'seq-mean-token-sum-norm': {
      rowScale.fill(1);
      const f = options?.lossScaleFactor ?? cols;
      return { rowScale, divisor: f, protectMasked: false };
    }
    default:
      throw new InvalidArgumentError('mode', `unknown verl loss_agg_mode "${String(mode)}"`);
  }
}

function aggregate(loss: ArrayLike<number>, mask: Mask, rows: number, cols: number, n: AggNorms): number {
  let acc = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    if (n.protectMasked) {
      for (let t = i * cols, e = t + cols; t < e; t++) {
        const m = mask[t] as number;
        if (m !== 0) s += (loss[t] as number) * m;
      }
    } else {
      for (let t = i * cols, e = t + cols; t < e; t++) s += (loss[t] as number) * (mask[t] as number);
    }
    const r = n.rowScale[i] as number;
    // torch multiplies seq_losses by the 0/1 seq mask, so NaN·0 stays NaN.
    acc += s * r;
  }
  return acc / n.divisor;
}

function weights(mask: Mask, rows: number, cols: number, n: AggNorms, out?: Float64Array): Float64Array {
  const w = out ?? new Float64Array(rows * cols);
  if (w.length !== rows * cols) throw new ShapeMismatchError('out', [rows, cols], [w.length]);
  for (let i = 0; i < rows; i++) {
    const r = (n.rowScale[i] as number) / n.divisor;
    for (let t = i * cols, e = t + cols; t < e; t++) w[t] = (mask[t] as number) * r;
  }
  return w;
}

/**
 * verl `agg_loss(loss_mat, loss_mask, loss_agg_mode)`: aggregates the per-token loss `[rows, cols]`.
 * Only `token-mean` protects against NaN/inf at masked slots (as upstream).
 */
export function verlAggLoss(
  lossMat: ArrayLike<number>,
  mask: Mask,
  rows: number,
  cols: number,
  mode: VerlLossAggMode = 'token-mean',
  options?: VerlAggOptions,
): number {
  checkShapes(lossMat.length, mask, rows, cols);
  return aggregate(lossMat, mask, rows, cols, verlNorms(mask, rows, cols, mode, options));
}

/**
 * Backward of {@link verlAggLoss}: w_it = ∂loss/∂ℓ_it, `[rows, cols]` (the table in spec §5.1).
 * Independent of the loss values; multiply by ∂ℓ/∂x for a chain rule.
 */
export function verlAggLossWeights(
  mask: Mask,
  rows: number,
  cols: number,
  mode: VerlLossAggMode = 'token-mean',
  options?: VerlAggOptions & { out?: Float64Array },
): Float64Array {
  if (mask.length !== rows * cols) throw new ShapeMismatchError('mask', [rows, cols], [mask.length]);
  return weights(mask, rows, cols, verlNorms(mask, rows, cols, mode, options), options?.out);
}

/**
 * TRL GRPO `loss_type` (huggingface/trl, trl/trainer/grpo_trainer.py `_compute_loss`, commit
 * c1f6f24e; spec §5.2):
 * - `grpo` (and `sapo`): mean_i[Σ_t ℓm / max(L_i,1)] / GA — fully-masked rows still count in B;
 * - `bnpo`: Σℓm / max(Σm,1) / GA;
 * - `dr_grpo`: Σℓm / (B·max_completion_length) / GA;
 * - `dapo` (TRL default; also `cispo`, `vespo`): Σℓm / (max(num_items_in_batch,1)/P).
 */
export type TrlLossType = 'grpo' | 'bnpo' | 'dr_grpo' | 'dapo';

/** All TRL loss types handled here. */
export const TRL_LOSS_TYPES: readonly TrlLossType[] = ['grpo', 'bnpo', 'dr_grpo', 'dapo'];

/** Options of {@link trlAggLoss}. */
export interface TrlAggOptions {
  /** `max_completion_length` for `dr_grpo` (TRL default 512). */
  maxCompletionLength?: number;
  /** `num_items_in_batch` for `dapo`: the gathered token count of the generation batch (default Σm). */
  numItemsInBatch?: number;
  /** Number of processes P for `dapo` (default 1). */
  numProcesses?: number;
  /** Gradient-accumulation steps GA for grpo / bnpo / dr_grpo (default 1). */
  gradientAccumulationSteps?: number;
}

function trlNorms(
  mask: Mask,
  rows: number,
  cols: number,
  lossType: TrlLossType,
  options?: TrlAggOptions,
): AggNorms {
  const ga = options?.gradientAccumulationSteps ?? 1;
  const rowScale = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let l = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) l += mask[t] as number;
    rowScale[i] = l;
    total += l;
  }
  switch (lossType) {
    case 'grpo':
      for (let i = 0; i < rows; i++) rowScale[i] = 1 / Math.max(rowScale[i] as number, 1);
      return { rowScale, divisor: rows * ga, protectMasked: false };
    case 'bnpo':
      rowScale.fill(1);
      return { rowScale, divisor: Math.max(total, 1) * ga, protectMasked: false };
    case 'dr_grpo':
      rowScale.fill(1);
      return { rowScale, divisor: rows * (options?.maxCompletionLength ?? 512) * ga, protectMasked: false };
    case 'dapo': {
      rowScale.fill(1);
      const n = options?.numItemsInBatch ?? total;
      return { rowScale, divisor: Math.max(n, 1) / (options?.numProcesses ?? 1), protectMasked: false };
    }
    default:
      throw new InvalidArgumentError('lossType', `unknown TRL loss_type "${String(lossType)}"`);
  }
}

/** TRL GRPO aggregation of a per-token loss `[rows, cols]` (masked by multiplication, as TRL). */
export function trlAggLoss(
  perTokenLoss: ArrayLike<number>,
  mask: Mask,
  rows: number,
  cols: number,
  lossType: TrlLossType = 'dapo',
  options?: TrlAggOptions,
): number {
  checkShapes(perTokenLoss.length, mask, rows, cols);
  const n = trlNorms(mask, rows, cols, lossType, options);
  let acc = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) s += (perTokenLoss[t] as number) * (mask[t] as number);
    acc += s * (n.rowScale[i] as number);
  }
  return acc / n.divisor;
}

/** Backward of {@link trlAggLoss}: w_it = ∂loss/∂ℓ_it, `[rows, cols]` (spec §5.2). */
export function trlAggLossWeights(
  mask: Mask,
  rows: number,
  cols: number,
  lossType: TrlLossType = 'dapo',
  options?: TrlAggOptions & { out?: Float64Array },
): Float64Array {
  if (mask.length !== rows * cols) throw new ShapeMismatchError('mask', [rows, cols], [mask.length]);
  return weights(mask, rows, cols, trlNorms(mask, rows, cols, lossType, options), options?.out);
}
