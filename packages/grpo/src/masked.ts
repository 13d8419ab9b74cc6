/**
 * verl masked reductions (spec §1.3). Source: volcengine/verl, verl/utils/torch_functional.py
 * (commit 67a127b4): `masked_sum`, `masked_mean`, `masked_var`, `masked_whiten`.
 *
 * Masks are any numeric array of the same length as the values (0/1 as Float64Array, Uint8Array,
 * …). As in verl, a masked slot contributes exactly 0 even when the value there is NaN or ±inf
 * (`torch.where(mask.bool(), values, 0) * mask`).
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/** A 0/1 (or weight) mask, same length as the values it masks. */
export type Mask = ArrayLike<number>;

/** verl's additive epsilon in `masked_mean` and `masked_whiten`. */
export const VERL_MASKED_EPS = 1e-8;

function sameLength(values: ArrayLike<number>, mask: Mask): void {
  if (values.length !== mask.length) throw new ShapeMismatchError('mask', [values.length], [mask.length]);
}

/** Σ_i where(m_i ≠ 0, v_i, 0)·m_i (verl `masked_sum` over the whole tensor). */
export function maskedSum(values: ArrayLike<number>, mask: Mask): number {
  sameLength(values, mask);
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    const m = mask[i] as number;
    if (m !== 0) s += (values[i] as number) * m;
  }
  return s;
}

/** Σ_i m_i. */
export function maskCount(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] as number;
  return n;
}

/**
 * verl `masked_mean` over the whole tensor: masked_sum / (Σm + 1e-8). An empty mask gives 0.
 */
export function maskedMean(values: ArrayLike<number>, mask: Mask): number {
  return maskedSum(values, mask) / (maskCount(mask) + VERL_MASKED_EPS);
}

/**
 * verl `masked_mean(values, mask, axis=-1)` on a row-major `[rows, cols]` tensor:
 * per row masked_sum / (Σ_t m + 1e-8). An empty row gives 0.
 *
 * @returns Float64Array `[rows]` (or `out`).
 */
export function maskedRowMean(
  values: ArrayLike<number>,
  mask: Mask,
  rows: number,
  cols: number,
  out?: Float64Array,
): Float64Array {
  sameLength(values, mask);
  if (values.length !== rows * cols) throw new ShapeMismatchError('values', [rows, cols], [values.length]);
  const res = out ?? new Float64Array(rows);
  if (res.length !== rows) throw new ShapeMismatchError('out', [rows], [res.length]);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    let n = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) {
      const m = mask[t] as number;
      n += m;
      if (m !== 0) s += (values[t] as number) * m;
    }
    res[i] = s / (n + VERL_MASKED_EPS);
  }
  return res;
}

/** Options of {@link maskedVar}. */
export interface MaskedVarOptions {
  /** Bessel correction n/(n−1) (verl default `unbiased=True`). */
  unbiased?: boolean;
}

/**
 * verl `masked_var`: masked_mean((v − mean)², m) · n/(n−1) (unbiased) over the whole tensor.
 * Throws `InvalidArgumentError` when unbiased and n = Σm is 0 or 1 (verl raises ValueError).
 */
export function maskedVar(values: ArrayLike<number>, mask: Mask, options?: MaskedVarOptions): number {
  const mean = maskedMean(values, mask);
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const m = mask[i] as number;
    n += m;
    if (m !== 0) {
      const d = (values[i] as number) - mean;
      s += d * d * m;
    }
  }
  let v = s / (n + VERL_MASKED_EPS);
  if (options?.unbiased ?? true) {
    if (n === 0)
      throw new InvalidArgumentError(
        'mask',
        'masked_var: at least one element must be unmasked (verl raises ValueError)',
      );
    if (n === 1) {
      throw new InvalidArgumentError(
        'mask',
        'masked_var: the unbiased variance needs at least two unmasked elements (verl raises ValueError)',
      );
    }
    v *= n / (n - 1);
  }
  return v;
}

/** Options of {@link maskedWhiten}. */
export interface MaskedWhitenOptions {
  /** Subtract the mean (default true). With false the mean is added back after scaling. */
  shiftMean?: boolean;
  /** Output buffer of the same length as the values. */
  out?: Float64Array;
}

/**
 * verl `masked_whiten`: (v − mean)·rsqrt(var + 1e-8), mean and unbiased var over all masked
 * elements of the whole tensor. Applied to **every** position, masked ones included (multiply by
 * the mask afterwards). Throws when fewer than two elements are unmasked (as verl's `masked_var`).
 */
export function maskedWhiten(
  values: ArrayLike<number>,
  mask: Mask,
  options?: MaskedWhitenOptions,
): Float64Array {
  sameLength(values, mask);
  const mean = maskedMean(values, mask);
  const v = maskedVar(values, mask, { unbiased: true });
  const scale = 1 / Math.sqrt(v + VERL_MASKED_EPS);
  const out = options?.out ?? new Float64Array(values.length);
  if (out.length !== values.length) throw new ShapeMismatchError('out', [values.length], [out.length]);
  const add = (options?.shiftMean ?? true) ? 0 : mean;
  for (let i = 0; i < values.length; i++) out[i] = ((values[i] as number) - mean) * scale + add;
  return out;
}
