/**
 * Causal-LM label alignment, per-sequence log-probs and SFT token cross-entropy from logits,
 * forward and backward. The log-softmax itself is @judgekit/grpo's `tokenLogProbs` /
 * `tokenLogProbsBackward` (one CPU truth for it); this module handles the shift and ignore index.
 *
 * Sources: uclaml/SPIN, spin/alignment/trainer.py `_get_batch_logps` (commit 6246db3) = classic
 * huggingface/trl `DPOTrainer.get_batch_logps` (v0.28.0); huggingface/transformers,
 * src/transformers/loss/loss_utils.py `ForCausalLMLoss` / `fixed_cross_entropy` (commit 0114da07);
 * huggingface/trl, trl/trainer/sft_trainer.py (commit 84e83143); volcengine/verl,
 * verl/workers/utils/losses.py `sft_loss` (commit b178a3cd56f5).
 */

import { InvalidArgumentError, resolveAliasedOption, ShapeMismatchError } from '@judgekit/core';
import { type LogitsArray, tokenLogProbs, tokenLogProbsBackward } from '@judgekit/grpo';

/**
 * Shape of a batch of causal-LM logits: `[batch, seqLen, vocab]` (labels are `[batch, seqLen]`).
 *
 * @deprecated pass the dimensions positionally as `rows, cols, vocab` (docs/conventions.md); this
 * object form is accepted by the deprecated overloads and removed in the next minor
 */
export interface LogitsShape {
  batch: number;
  seqLen: number;
  vocab: number;
}

/** Label alignment options. */
export interface LabelOptions {
  /** Label value that marks a position without a target (prompt, padding). Default −100. */
  ignoreIndex?: number;
  /**
   * `true` (default): logits at position t predict `labels[t+1]` (causal LM; the last position has
   * no target), as `labels[:, 1:]` vs `logits[:, :-1]` upstream. `false`: labels are already aligned.
   */
  shift?: boolean;
}

/**
 * The shape and the remaining arguments of a call made either positionally (`rows, cols, vocab,
 * …rest`) or through the deprecated `{ batch, seqLen, vocab }` object (`shape, …rest`).
 */
function dims(args: readonly unknown[]): { shape: LogitsShape; rest: unknown[] } {
  const [a, b, c] = args;
  if (typeof a === 'number') {
    for (const [k, v] of [
      ['cols', b],
      ['vocab', c],
    ] as const) {
      if (typeof v !== 'number') throw new InvalidArgumentError(k, `must be a number, got ${typeof v}`);
    }
    return { shape: { batch: a, seqLen: b as number, vocab: c as number }, rest: args.slice(3) };
  }
  if (a === null || typeof a !== 'object')
    throw new InvalidArgumentError('rows', `must be a number, got ${a === null ? 'null' : typeof a}`);
  return { shape: a as LogitsShape, rest: args.slice(1) };
}

function checkShape(logits: LogitsArray, labels: ArrayLike<number>, shape: LogitsShape): void {
  const { batch, seqLen, vocab } = shape;
  for (const [k, v] of Object.entries(shape)) {
    if (!Number.isInteger(v) || v < 0)
      throw new InvalidArgumentError(`shape.${k}`, `must be a non-negative integer, got ${v}`);
  }
  if (logits.length !== batch * seqLen * vocab) {
    throw new ShapeMismatchError('logits', [batch, seqLen, vocab], [logits.length]);
  }
  if (labels.length !== batch * seqLen)
    throw new ShapeMismatchError('labels', [batch, seqLen], [labels.length]);
}

/**
 * Targets aligned with the logits rows (`[rows·cols]` for labels `[rows, cols]`), −1 where there
 * is none (ignored label or the last position under `shift`). Also returns the valid count per
 * sequence, `[rows]`.
 */
export function alignLabels(
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  options: LabelOptions = {},
): { targets: Int32Array; counts: Float64Array } {
  const batch = rows;
  const seqLen = cols;
  const ignore = options.ignoreIndex ?? -100;
  const shift = options.shift ?? true;
  if (labels.length !== batch * seqLen)
    throw new ShapeMismatchError('labels', [batch, seqLen], [labels.length]);
  const targets = new Int32Array(batch * seqLen);
  const counts = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let c = 0;
    for (let t = 0; t < seqLen; t++) {
      const src = shift ? t + 1 : t;
      let y = -1;
      if (src < seqLen) {
        const l = labels[b * seqLen + src]!;
        if (l !== ignore) {
          if (!Number.isInteger(l) || l < 0) {
            throw new InvalidArgumentError(
              'labels',
              `label ${l} at [${b}, ${src}] is neither a token id nor the ignore index ${ignore}`,
            );
          }
          y = l;
          c++;
        }
      }
      targets[b * seqLen + t] = y;
    }
    counts[b] = c;
  }
  return { targets, counts };
}

/** Options of {@link sequenceLogps}. */
export interface SequenceLogpsOptions extends LabelOptions {
  /** `average_log_prob`: divide each sum by its valid-token count (0/0 = NaN, as upstream). Default false. */
  average?: boolean;
}

/** Per-sequence log-probs and the token counts behind them. */
export interface SequenceLogps {
  /** Σ_t log p(target_t) per sequence (or the mean with `average`), `[batch]`. */
  logps: Float64Array;
  /** Valid target tokens per sequence, `[batch]` (the lengths `dpoLoss` needs for `ipo`/`sigmoid_norm`). */
  counts: Float64Array;
}

/**
 * Sequence log-probs from logits `[rows, cols, vocab]` and labels `[rows, cols]` (SPIN
 * `_get_batch_logps` = classic TRL `get_batch_logps`): shift, drop ignored labels, sum (or
 * average) per sequence. These are the π / ρ inputs of {@link dpoLoss} and {@link spinLoss}, and
 * the DPO-Answer judge score.
 */
export function sequenceLogps(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  vocab: number,
  options?: SequenceLogpsOptions,
): SequenceLogps;
/** @deprecated use `sequenceLogps(logits, labels, rows, cols, vocab, options)`; removed in the next minor */
export function sequenceLogps(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  shape: LogitsShape,
  options?: SequenceLogpsOptions,
): SequenceLogps;
export function sequenceLogps(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  ...args: unknown[]
): SequenceLogps {
  const { shape, rest } = dims(args);
  const options = (rest[0] as SequenceLogpsOptions | undefined) ?? {};
  checkShape(logits, labels, shape);
  const { batch, seqLen, vocab } = shape;
  const { targets, counts } = alignLabels(labels, batch, seqLen, options);
  const tok = tokenLogProbs(logits, targets, batch * seqLen, vocab);
  const logps = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let t = 0; t < seqLen; t++) s += tok[b * seqLen + t]!;
    logps[b] = options.average ? s / counts[b]! : s;
  }
  return { logps, counts };
}

/**
 * Gradient of Σ_b gradOut[b]·logps[b] (from {@link sequenceLogps} with the same options) with
 * respect to the logits, `[rows, cols, vocab]`. Positions without a target get 0.
 */
export function sequenceLogpsBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  vocab: number,
  gradOut: ArrayLike<number>,
  options?: SequenceLogpsOptions & { out?: Float64Array },
): Float64Array;
/** @deprecated use `sequenceLogpsBackward(logits, labels, rows, cols, vocab, gradOut, options)`; removed in the next minor */
export function sequenceLogpsBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  shape: LogitsShape,
  gradOut: ArrayLike<number>,
  options?: SequenceLogpsOptions & { out?: Float64Array },
): Float64Array;
export function sequenceLogpsBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  ...args: unknown[]
): Float64Array {
  const { shape, rest } = dims(args);
  const gradOut = rest[0] as ArrayLike<number>;
  const options = (rest[1] as (SequenceLogpsOptions & { out?: Float64Array }) | undefined) ?? {};
  checkShape(logits, labels, shape);
  const { batch, seqLen, vocab } = shape;
  if (gradOut?.length !== batch) throw new ShapeMismatchError('gradOut', [batch], [gradOut?.length ?? 0]);
  const { targets, counts } = alignLabels(labels, batch, seqLen, options);
  const perToken = new Float64Array(batch * seqLen);
  for (let b = 0; b < batch; b++) {
    const g = options.average ? gradOut[b]! / counts[b]! : gradOut[b]!;
    perToken.fill(g, b * seqLen, (b + 1) * seqLen);
  }
  return tokenLogProbsBackward(logits, targets, batch * seqLen, vocab, perToken, { out: options.out });
}

/**
 * How {@link sftCrossEntropy} averages:
 * - `'token-mean'` (default): Σ over all valid targets of the batch / their count (HF
 *   `ForCausalLMLoss`, TRL `chunked_nll`, verl `sft_loss`), or / `numItemsInBatch` when given;
 * - `'sequence-mean'`: mean over sequences that have a target of each sequence's token mean;
 * - `'sum'`: Σ over valid targets.
 */
export type SftReduction = 'token-mean' | 'sequence-mean' | 'sum';

/**
 * `reference` of the SFT loss: `'transformers'` = huggingface/transformers `ForCausalLMLoss` /
 * `fixed_cross_entropy` (commit 0114da07); `'trl'` = huggingface/trl `SFTTrainer`'s `chunked_nll`
 * (trl/trainer/sft_trainer.py, commit 84e83143). They differ only on a batch without any target.
 */
export type SftReference = 'transformers' | 'trl';

/** Every {@link SftReference}. */
export const SFT_REFERENCES: readonly SftReference[] = ['transformers', 'trl'];

/** Options of {@link sftCrossEntropy}. */
export interface SftOptions extends LabelOptions {
  reduction?: SftReduction;
  /**
   * HF Trainer's `num_items_in_batch` (token count of the whole accumulation window): with it the
   * token-mean divides by this number instead of the local count.
   */
  numItemsInBatch?: number;
  /**
   * Which upstream to reproduce where they differ, i.e. when no target is valid:
   * `'transformers'` (default; HF `F.cross_entropy` mean gives 0/0 = NaN, gradient NaN) or `'trl'`
   * (TRL `chunked_nll` returns a graph-connected 0, gradient 0).
   */
  reference?: SftReference;
  /** @deprecated use `reference` (`'nan'` → `'transformers'`, `'zero'` → `'trl'`); removed in the next minor */
  emptyBatch?: 'nan' | 'zero';
}

/** The loss (and gradient fill) of a batch without targets under `reference` / `emptyBatch`. */
function emptyValue(options: SftOptions): number {
  const r = resolveAliasedOption('reference', options.reference, SFT_REFERENCES, 'transformers', {
    name: 'emptyBatch',
    value: options.emptyBatch,
    values: [
      ['nan', 'transformers'],
      ['zero', 'trl'],
    ],
  });
  return r === 'trl' ? 0 : Number.NaN;
}

/** Result of {@link sftCrossEntropy}. */
export interface SftResult {
  loss: number;
  /** Number of valid targets (`labels[..., 1:] != ignoreIndex`). */
  validCount: number;
}

function sftWeights(
  counts: Float64Array,
  targets: Int32Array,
  batch: number,
  seqLen: number,
  options: SftOptions,
): { weights: Float64Array; empty: boolean } {
  const reduction = options.reduction ?? 'token-mean';
  let total = 0;
  let nonEmpty = 0;
  for (let b = 0; b < batch; b++) {
    total += counts[b]!;
    if (counts[b]! > 0) nonEmpty++;
  }
  const weights = new Float64Array(batch * seqLen);
  if (reduction === 'token-mean' || reduction === 'sum') {
    let d = 1;
    if (reduction === 'token-mean') {
      if (options.numItemsInBatch !== undefined) {
        if (!(options.numItemsInBatch > 0)) {
          throw new InvalidArgumentError('numItemsInBatch', `must be > 0, got ${options.numItemsInBatch}`);
        }
        d = options.numItemsInBatch;
      } else d = total;
    }
    for (let i = 0; i < weights.length; i++) weights[i] = targets[i]! >= 0 ? 1 / d : 0;
  } else if (reduction === 'sequence-mean') {
    for (let b = 0; b < batch; b++) {
      const c = counts[b]!;
      if (c === 0) continue;
      const w = 1 / (c * nonEmpty);
      for (let t = 0; t < seqLen; t++) if (targets[b * seqLen + t]! >= 0) weights[b * seqLen + t] = w;
    }
  } else {
    throw new InvalidArgumentError('reduction', `unknown reduction "${reduction as string}"`);
  }
  const empty = total === 0 && (reduction !== 'token-mean' || options.numItemsInBatch === undefined);
  return { weights, empty: empty && reduction !== 'sum' };
}

/**
 * SFT token cross-entropy from causal-LM logits `[rows, cols, vocab]` and labels `[rows, cols]`
 * (ignore index −100 by default; labels shifted left by one as in HF `ForCausalLMLoss`). See
 * {@link SftReduction} for the averaging conventions and {@link SftOptions.reference} for the
 * empty batch.
 */
export function sftCrossEntropy(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  vocab: number,
  options?: SftOptions,
): SftResult;
/** @deprecated use `sftCrossEntropy(logits, labels, rows, cols, vocab, options)`; removed in the next minor */
export function sftCrossEntropy(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  shape: LogitsShape,
  options?: SftOptions,
): SftResult;
export function sftCrossEntropy(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  ...args: unknown[]
): SftResult {
  const { shape, rest } = dims(args);
  const options = (rest[0] as SftOptions | undefined) ?? {};
  const emptyLoss = emptyValue(options);
  checkShape(logits, labels, shape);
  const { batch, seqLen, vocab } = shape;
  const { targets, counts } = alignLabels(labels, batch, seqLen, options);
  const { weights, empty } = sftWeights(counts, targets, batch, seqLen, options);
  let validCount = 0;
  for (let b = 0; b < batch; b++) validCount += counts[b]!;
  if (empty) return { loss: emptyLoss, validCount };
  const tok = tokenLogProbs(logits, targets, batch * seqLen, vocab);
  let loss = 0;
  for (let i = 0; i < tok.length; i++) if (weights[i] !== 0) loss -= weights[i]! * tok[i]!;
  return { loss, validCount };
}

/**
 * Gradient of {@link sftCrossEntropy} (times `gradLoss`) with respect to the logits:
 * (p − onehot)·w per valid position, 0 elsewhere; all zeros for an empty batch (TRL's connected 0).
 */
export function sftCrossEntropyBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  cols: number,
  vocab: number,
  options?: SftOptions & { out?: Float64Array },
  gradLoss?: number,
): Float64Array;
/** @deprecated use `sftCrossEntropyBackward(logits, labels, rows, cols, vocab, options, gradLoss)`; removed in the next minor */
export function sftCrossEntropyBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  shape: LogitsShape,
  options?: SftOptions & { out?: Float64Array },
  gradLoss?: number,
): Float64Array;
export function sftCrossEntropyBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  ...args: unknown[]
): Float64Array {
  const { shape, rest } = dims(args);
  const options = (rest[0] as (SftOptions & { out?: Float64Array }) | undefined) ?? {};
  const gradLoss = (rest[1] as number | undefined) ?? 1;
  const emptyGrad = emptyValue(options);
  checkShape(logits, labels, shape);
  const { batch, seqLen, vocab } = shape;
  const { targets, counts } = alignLabels(labels, batch, seqLen, options);
  const { weights, empty } = sftWeights(counts, targets, batch, seqLen, options);
  if (empty) {
    const out = options.out ?? new Float64Array(logits.length);
    if (out.length !== logits.length)
      throw new ShapeMismatchError('out', [batch, seqLen, vocab], [out.length]);
    return out.fill(emptyGrad);
  }
  for (let i = 0; i < weights.length; i++) weights[i] = -weights[i]! * gradLoss;
  return tokenLogProbsBackward(logits, targets, batch * seqLen, vocab, weights, { out: options.out });
}
