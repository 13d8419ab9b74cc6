/**
 * Test helpers: load the loss-math reference vectors (fixtures/golden/loss-math.json) and compare
 * with the spec's tolerance |a − b| ≤ 1e-6 + 1e-6·|b|, non-finite values matched exactly.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A nested array of numbers (or the spec's non-finite string encodings). */
export type Nested = number | string | boolean | null | Nested[] | { [k: string]: Nested };

/** One golden case. */
export interface GoldenCase {
  name: string;
  fn: string;
  source: string;
  params: Record<string, Nested>;
  inputs: Record<string, Nested>;
  outputs: Record<string, Nested>;
  grads: Record<string, Record<string, Nested>> | null;
  notes: string;
}

const file = new URL('../../../fixtures/golden/loss-math.json', import.meta.url);

/** All cases by name. */
export const GOLDEN: Map<string, GoldenCase> = new Map(
  (JSON.parse(readFileSync(file, 'utf8')) as { cases: GoldenCase[] }).cases.map((c) => [c.name, c]),
);

/** A case by name (throws if absent). */
export function golden(name: string): GoldenCase {
  const c = GOLDEN.get(name);
  if (c === undefined) throw new Error(`no golden case ${name}`);
  return c;
}

function decode(v: Nested): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

/** Flatten a nested numeric array (row-major) into a Float64Array. */
export function flat(v: Nested): Float64Array {
  const out: number[] = [];
  const walk = (x: Nested): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else out.push(decode(x));
  };
  walk(v);
  return Float64Array.from(out);
}

/** Shape of a nested array. */
export function shapeOf(v: Nested): number[] {
  const s: number[] = [];
  let x = v;
  while (Array.isArray(x)) {
    s.push(x.length);
    x = x[0] as Nested;
  }
  return s;
}

/** Scalar value. */
export function num(v: Nested | undefined): number {
  if (v === undefined) throw new Error('missing value');
  return decode(v);
}

/** Whether `actual` matches `expected` within the spec tolerance. */
export function close(actual: number, expected: number, atol = 1e-6, rtol = 1e-6): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Assert every element matches (spec tolerance by default), reporting the first mismatch. */
export function expectClose(
  what: string,
  actual: ArrayLike<number> | number,
  expected: Nested | ArrayLike<number>,
  atol = 1e-6,
  rtol = 1e-6,
): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e =
    typeof expected === 'object' && expected !== null && !Array.isArray(expected) && 'length' in expected
      ? Array.from(expected as ArrayLike<number>)
      : Array.from(flat(expected as Nested));
  expect(a.length, `${what}: length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    if (!close(a[i] as number, e[i] as number, atol, rtol)) {
      expect.fail(`${what}[${i}]: got ${a[i]}, expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
