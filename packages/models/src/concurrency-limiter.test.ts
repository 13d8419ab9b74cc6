import { AbortedError } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from './concurrency-limiter.js';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe('createConcurrencyLimiter', () => {
  it('never runs more than n tasks and runs every task (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 25 }),
        async (n, waits) => {
          const limiter = createConcurrencyLimiter(n);
          let active = 0;
          let peak = 0;
          const out = await Promise.all(
            waits.map((w, i) =>
              limiter.run(async () => {
                active++;
                peak = Math.max(peak, active);
                for (let k = 0; k <= w; k++) await tick();
                active--;
                return i;
              }),
            ),
          );
          expect(out).toEqual(waits.map((_, i) => i));
          expect(peak).toBeLessThanOrEqual(n);
          if (waits.length >= n) expect(peak).toBe(n);
          expect(limiter.active).toBe(0);
          expect(limiter.pending).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('starts waiters in FIFO order and releases a slot when a task throws', async () => {
    const limiter = createConcurrencyLimiter(1);
    const order: number[] = [];
    const failing = limiter.run(async () => {
      await tick();
      throw new Error('boom');
    });
    const rest = [1, 2, 3].map((i) => limiter.run(async () => void order.push(i)));
    expect(limiter.pending).toBe(3);
    await expect(failing).rejects.toThrow('boom');
    await Promise.all(rest);
    expect(order).toEqual([1, 2, 3]);
  });

  it('rejects an aborted waiter with AbortedError and never starts it', async () => {
    const limiter = createConcurrencyLimiter(1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<void>((r) => (release = r)));
    const controller = new AbortController();
    let started = false;
    const second = limiter.run(async () => {
      started = true;
    }, controller.signal);
    controller.abort();
    await expect(second).rejects.toSatisfy((e) => AbortedError.isInstance(e));
    expect(limiter.pending).toBe(0);
    release();
    await first;
    expect(started).toBe(false);
    await expect(limiter.run(async () => 1, AbortSignal.abort())).rejects.toSatisfy((e) =>
      AbortedError.isInstance(e),
    );
  });

  it('rejects invalid sizes', () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(/integer >= 1/);
    expect(() => createConcurrencyLimiter(1.5)).toThrow(/integer >= 1/);
    expect(createConcurrencyLimiter(Number.POSITIVE_INFINITY).limit).toBe(Number.POSITIVE_INFINITY);
  });
});
