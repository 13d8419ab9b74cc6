/**
 * The entropy term of the verl actor loss in one call: `entropy_loss = agg_loss(entropy,
 * response_mask, loss_agg_mode)` (volcengine/verl, verl/workers/actor/dp_actor.py
 * `update_policy`, with `entropy_from_logits` of verl/utils/torch_functional.py, commit 67a127b4),
 * its value and its gradient with respect to the logits.
 *
 * @module
 */

import { InvalidArgumentError } from '@judgekit/core';
import { type VerlAggOptions, type VerlLossAggMode, verlAggLoss, verlAggLossWeights } from './aggregation.js';
import { entropyBackward, entropyFromLogits, type LogitsArray } from './logits.js';
import type { Mask } from './masked.js';

/** Options of {@link entropyLoss}. */
export interface EntropyLossOptions extends VerlAggOptions {
  /** `loss_agg_mode` (default `token-mean`). */
  lossAggMode?: VerlLossAggMode;
  /** Sampling temperature τ > 0; logits are divided by it first, as verl does (default 1). */
  temperature?: number;
  /** Reusable output buffers: `entropy` `[rows*cols]`, `gradLogits` `[rows*cols*vocab]`. */
  out?: { entropy?: Float64Array; gradLogits?: Float64Array };
}

/** Result of {@link entropyLoss}. */
export interface EntropyLossResult {
  /** agg(H) over the response tokens (verl's `entropy_loss`; the actor subtracts `entropy_coeff` times it). */
  entropyLoss: number;
  /** Per-token entropy H_it `[rows, cols]`. */
  entropy: Float64Array;
  /** ∂entropyLoss/∂logits `[rows, cols, vocab]` = Σ_t w_it·∂H_it/∂logits (w from `verlAggLossWeights`). */
  gradLogits: Float64Array;
}

/**
 * Aggregated token entropy and its gradient with respect to the logits `[rows, cols, vocab]` in
 * one function: with the default `token-mean`, H̄ = Σ_it m_it·H_it / Σm and ∂H̄/∂z_itk =
 * −w_it·p_k(log p_k + H_it) with w_it = m_it/Σm. For a loss that *rewards* entropy (verl's
 * `pg_loss − entropy_coeff·entropy_loss`), multiply both by −entropy_coeff.
 */
export function entropyLoss(
  logits: LogitsArray,
  mask: Mask,
  rows: number,
  cols: number,
  vocab: number,
  options?: EntropyLossOptions,
): EntropyLossResult {
  if (!Number.isInteger(cols) || cols < 0)
    throw new InvalidArgumentError('cols', `must be a non-negative integer, got ${cols}`);
  const mode = options?.lossAggMode ?? 'token-mean';
  const temp = options?.temperature === undefined ? {} : { temperature: options.temperature };
  const entropy = entropyFromLogits(logits, rows * cols, vocab, {
    ...temp,
    ...(options?.out?.entropy === undefined ? {} : { out: options.out.entropy }),
  });
  const { out: _out, lossAggMode: _mode, temperature: _t, ...agg } = options ?? {};
  const value = verlAggLoss(entropy, mask, rows, cols, mode, agg);
  const w = verlAggLossWeights(mask, rows, cols, mode, agg);
  const gradLogits = entropyBackward(logits, rows * cols, vocab, w, {
    ...temp,
    ...(options?.out?.gradLogits === undefined ? {} : { out: options.out.gradLogits }),
  });
  return { entropyLoss: value, entropy, gradLogits };
}
