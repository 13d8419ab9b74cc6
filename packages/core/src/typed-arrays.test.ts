import { describe, expect, it } from 'vitest';
import { ShapeMismatchError } from './errors.js';
import {
  allClose,
  assertSameShape,
  fromRows,
  maxAbsDiff,
  numel,
  row,
  tensor,
  toRows,
  zeros,
} from './typed-arrays.js';

describe('typed-array helpers', () => {
  it('checks shapes', () => {
    expect(numel([2, 3, 4])).toBe(24);
    expect(numel([])).toBe(1);
    expect(() => numel([2, -1])).toThrow(/non-negative/);
    expect(tensor(new Float64Array(6), [2, 3]).shape).toEqual([2, 3]);
    expect(() => tensor(new Float64Array(5), [2, 3])).toThrow(ShapeMismatchError);
    expect(() => assertSameShape('mask', [2, 3], [3, 2])).toThrow(
      'Shape mismatch for mask: expected [2, 3], got [3, 2]',
    );
    expect(zeros([3]).data).toEqual(new Float64Array(3));
  });

  it('converts nested rows both ways and views rows without copying', () => {
    const t = fromRows([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(toRows(t)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const r = row(t.data, 3, 1);
    r[0] = 40;
    expect(t.data[3]).toBe(40);
    expect(() => fromRows([[1, 2], [3]])).toThrow(/row 1/);
  });

  it('compares with NumPy allclose semantics', () => {
    expect(allClose([1, 2], [1 + 1e-7, 2])).toBe(true);
    expect(allClose([1000], [1000.0005])).toBe(true);
    expect(allClose([1], [1.01])).toBe(false);
    expect(allClose([Number.NaN], [Number.NaN])).toBe(true);
    expect(allClose([Number.NaN], [0])).toBe(false);
    expect(allClose([Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY])).toBe(true);
    expect(allClose([1, 2], [1])).toBe(false);
    expect(maxAbsDiff([1, 2, 3], [1, 2.5, 3])).toBe(0.5);
  });
});
