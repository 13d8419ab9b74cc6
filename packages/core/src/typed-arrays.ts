/**
 * Small shape-checked helpers for typed arrays. Numeric code in judgekit passes flat typed arrays
 * with explicit shapes (row-major), e.g. log-probs of shape `[batch, tokens]`.
 */

import { InvalidArgumentError, ShapeMismatchError } from './errors.js';

/** Any typed array judgekit's numeric code accepts. */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Int8Array;

/** A shape: dimension sizes, outermost first. */
export type Shape = readonly number[];

/** A flat typed array together with its row-major shape. */
export interface Tensor<T extends NumericArray = Float64Array> {
  readonly data: T;
  readonly shape: Shape;
}

/** Number of elements of a shape (1 for the scalar shape `[]`). */
export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new InvalidArgumentError(
        'shape',
        `dimensions must be non-negative integers, got [${shape.join(', ')}]`,
      );
    n *= d;
  }
  return n;
}

/** Wrap data with a shape, checking that the element counts agree. */
export function tensor<T extends NumericArray>(data: T, shape: Shape): Tensor<T> {
  const n = numel(shape);
  if (data.length !== n) throw new ShapeMismatchError('tensor data', [n], [data.length]);
  return { data, shape: [...shape] };
}

/** A zero-filled float64 tensor. */
export function zeros(shape: Shape): Tensor<Float64Array> {
  return { data: new Float64Array(numel(shape)), shape: [...shape] };
}

/** Throw a `ShapeMismatchError` unless `array.length === expected`. */
export function assertLength(what: string, array: ArrayLike<unknown>, expected: number): void {
  if (array.length !== expected) throw new ShapeMismatchError(what, [expected], [array.length]);
}

/** Throw unless two shapes are equal. */
export function assertSameShape(what: string, expected: Shape, actual: Shape): void {
  if (expected.length !== actual.length || expected.some((d, i) => d !== actual[i])) {
    throw new ShapeMismatchError(what, expected, actual);
  }
}

/** Row `i` of a row-major `[rows, cols]` array, as a view (no copy). */
export function row<T extends NumericArray>(data: T, cols: number, i: number): T {
  return data.subarray(i * cols, (i + 1) * cols) as T;
}

/** Copy numbers (plain array or typed array) into a new `Float64Array`. */
export function toFloat64(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values as ArrayLike<number>);
}

/** Flatten a rectangular nested array (`number[][]`) into a float64 tensor, checking it is rectangular. */
export function fromRows(rows: readonly (readonly number[])[]): Tensor<Float64Array> {
  const cols = rows.length === 0 ? 0 : rows[0]!.length;
  const out = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => {
    if (r.length !== cols) throw new ShapeMismatchError(`row ${i}`, [cols], [r.length]);
    out.set(r, i * cols);
  });
  return { data: out, shape: [rows.length, cols] };
}

/** Split a `[rows, cols]` tensor back into nested arrays (for JSON output and tests). */
export function toRows(t: Tensor<NumericArray>): number[][] {
  if (t.shape.length !== 2) throw new ShapeMismatchError('toRows input rank', [2], [t.shape.length]);
  const [rows, cols] = t.shape as [number, number];
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(t.data.subarray(i * cols, (i + 1) * cols)));
  return out;
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assertLength('maxAbsDiff second argument', b, a.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > m || Number.isNaN(d)) m = d;
  }
  return m;
}

/**
 * True when every element satisfies `|a - b| <= atol + rtol * |b|` (NumPy's `allclose` rule, with
 * `b` the reference). NaN equals NaN and equal infinities are close.
 */
export function allClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-6, atol = 1e-6): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (x === y) continue;
    if (Math.abs(x - y) > atol + rtol * Math.abs(y)) return false;
  }
  return true;
}
