/** Finite-difference helpers for the gradient tests. */
import { expect } from 'vitest';

/** Central differences of a scalar function of `x` (copied, perturbed one element at a time). */
export function numericGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const y = Float64Array.from(x);
  for (let i = 0; i < x.length; i++) {
    const v = y[i] as number;
    y[i] = v + h;
    const fp = f(y);
    y[i] = v - h;
    const fm = f(y);
    y[i] = v;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Assert analytic ≈ numeric within atol + rtol·|numeric|. */
export function expectGradClose(
  what: string,
  analytic: ArrayLike<number>,
  numeric: ArrayLike<number>,
  atol = 1e-6,
  rtol = 1e-5,
): void {
  expect(analytic.length, `${what}: length`).toBe(numeric.length);
  for (let i = 0; i < numeric.length; i++) {
    const a = analytic[i] as number;
    const n = numeric[i] as number;
    if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n)))
      expect.fail(`${what}[${i}]: analytic ${a}, numeric ${n}`);
  }
}
