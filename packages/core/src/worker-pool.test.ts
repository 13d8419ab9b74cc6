import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableThreads,
  isShared,
  resolveThreads,
  rowRanges,
  shareArray,
  shareNumbers,
  sharedFloat64Array,
  sharedOutput,
  WorkerFailedError,
  WorkerPool,
} from './index.js';

/** A worker speaking the pool's protocol directly (a data: URL cannot import @judgekit/core). */
const entry = {
  url: new URL(
    `data:text/javascript,${encodeURIComponent(`
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, op, args }) => {
  if (op === 'fill') { for (let i = args.r0; i < args.r1; i++) args.out[i] = i * 2; parentPort.postMessage({ id, result: args.r1 - args.r0 }); }
  else if (op === 'throw') parentPort.postMessage({ id, error: { name: 'RangeError', message: 'bad row' } });
  else process.exit(3);
});`)}`,
  ),
};

describe('rowRanges', () => {
  it('covers [0, rows) in order with contiguous ranges whose sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 64 }), (rows, parts) => {
        const r = rowRanges(rows, parts);
        expect(r.length).toBe(Math.min(rows, parts));
        let next = 0;
        for (const [s, e] of r) {
          expect(s).toBe(next);
          expect(e).toBeGreaterThan(s);
          next = e;
        }
        expect(next).toBe(rows);
        const sizes = r.map(([s, e]) => e - s);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('shared arrays', () => {
  it('shareArray keeps shared arrays, copies others (only the given ranges)', () => {
    const s = sharedFloat64Array(4);
    expect(shareArray(s)).toBe(s);
    const a = Float32Array.of(1, 2, 3, 4);
    const b = shareArray(a, [[2, 4]]);
    expect(isShared(b) && b instanceof Float32Array).toBe(true);
    expect(Array.from(b)).toEqual([0, 0, 3, 4]);
    expect(Array.from(shareNumbers([5, 6]))).toEqual([5, 6]);
  });
});

describe('resolveThreads and sharedOutput', () => {
  it('defaults to the available cores and refuses what is not a positive integer', async () => {
    expect(await resolveThreads(undefined)).toBe(await availableThreads());
    expect(await resolveThreads(3)).toBe(3);
    for (const bad of [0, -1, 1.5, Number.NaN]) await expect(resolveThreads(bad)).rejects.toThrow(/threads/);
  });

  it('writes back only the workers’ ranges of a non-shared output', () => {
    const out = new Float64Array([1, 2, 3, 4]);
    const [tmp, copyBack] = sharedOutput(out, [[2, 4]]);
    expect(isShared(tmp)).toBe(true);
    tmp.set([9, 9, 7, 8]);
    copyBack();
    expect([...out]).toEqual([1, 2, 7, 8]);
    const shared = sharedFloat64Array(2);
    expect(sharedOutput(shared, [[0, 2]])[0]).toBe(shared);
  });
});

describe('WorkerPool', () => {
  it('runs task i on worker i over shared memory and reports worker failures as WorkerFailedError', async () => {
    const pool = await WorkerPool.create(entry, 2);
    try {
      const out = sharedFloat64Array(10);
      const res = await pool.run([
        { op: 'fill', args: { r0: 0, r1: 4, out } },
        { op: 'fill', args: { r0: 4, r1: 10, out } },
      ]);
      expect(res).toEqual([4, 6]);
      expect(Array.from(out)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
      await expect(pool.run([{ op: 'throw', args: {} }])).rejects.toThrow(
        /`throw` failed: RangeError: bad row/,
      );
      await expect(
        pool.run([
          { op: 'a', args: {} },
          { op: 'b', args: {} },
          { op: 'c', args: {} },
        ]),
      ).rejects.toThrow(/3 tasks for a pool of 2/);
      const crash = pool.run([{ op: 'exit', args: {} }]);
      await expect(crash).rejects.toSatisfy(
        (e) => WorkerFailedError.isInstance(e) && /exited with code 3/.test(String(e)),
      );
      expect(pool.usable).toBe(false);
      await expect(pool.run([{ op: 'fill', args: { r0: 0, r1: 1, out } }])).rejects.toThrow(/broken/);
    } finally {
      await pool.close();
    }
  });
});
