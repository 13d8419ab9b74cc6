/** Test-only helpers: load the golden loss-math vectors and compare with the spec's tolerance. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** One golden case (loss-math.json). */
export interface GoldenCase {
  name: string;
  fn: string;
  source: string;
  params: Record<string, unknown>;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  grads: Record<string, Record<string, unknown>> | null;
  notes: string;
}

const file = new URL('../../../fixtures/golden/loss-math.json', import.meta.url);
const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: GoldenCase[] };

/** The case of that name (throws when missing). */
export function goldenCase(name: string): GoldenCase {
  const c = data.cases.find((x) => x.name === name);
  if (!c) throw new Error(`golden case ${name} missing`);
  return c;
}

function decode(v: unknown): number {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v as number;
}

/** Flatten a nested numeric JSON array (with non-finite strings) to float64. */
export function flat(v: unknown): Float64Array {
  const out: number[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else out.push(decode(x));
  };
  walk(v);
  return Float64Array.from(out);
}

/** Scalar from the golden file. */
export function num(v: unknown): number {
  return decode(v);
}

/** |a − b| ≤ 1e-6 + 1e-6|b| elementwise; non-finite expected values must match exactly. */
export function expectClose(actual: ArrayLike<number> | number, expected: unknown, what = ''): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof actual === 'number' ? [num(expected)] : Array.from(flat(expected));
  expect(a.length, `${what} length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (!Number.isFinite(y)) {
      expect(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)), `${what}[${i}]: ${x} vs ${y}`).toBe(
        true,
      );
    } else {
      expect(Math.abs(x - y) <= 1e-6 + 1e-6 * Math.abs(y), `${what}[${i}]: ${x} vs ${y}`).toBe(true);
    }
  }
}

/** Central finite-difference gradient of a scalar function of one array. */
export function finiteDiff(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const old = x[i]!;
    x[i] = old + h;
    const fp = f(x);
    x[i] = old - h;
    const fm = f(x);
    x[i] = old;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}
