import { createRng, sharedFloat32Array, sharedFloat64Array } from '@judgekit/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeGrpoWorkers,
  logProbsAndEntropy,
  logProbsAndEntropyAsync,
  logProbsAndEntropyBackward,
  logProbsAndEntropyBackwardAsync,
  MIN_PARALLEL_ELEMENTS,
  verlActorLossFused,
  verlActorLossFusedAsync,
} from './index.js';

afterAll(() => closeGrpoWorkers());

/** Bitwise equality of two float arrays (NaN == NaN, +0 != −0). */
function expectBitIdentical(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  let firstDiff = -1;
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) {
      firstDiff = i >> 3;
      break;
    }
  }
  expect(firstDiff, firstDiff < 0 ? '' : `element ${firstDiff}: ${a[firstDiff]} vs ${b[firstDiff]}`).toBe(-1);
}

const rng = createRng(5);
const ROWS = 37; // odd: unequal ranges for 2 and 3 threads
const VOCAB = 4099;
const fill = (a: Float32Array | Float64Array) => {
  for (let i = 0; i < a.length; i++) a[i] = (rng.nextFloat() - 0.5) * 20;
  return a;
};

describe('row-parallel kernels on worker threads', () => {
  expect(ROWS * VOCAB).toBeGreaterThan(MIN_PARALLEL_ELEMENTS);
  const labels = Int32Array.from({ length: ROWS }, (_, i) => (i % 5 === 4 ? -100 : rng.nextInt(VOCAB)));
  const f32 = fill(new Float32Array(ROWS * VOCAB)) as Float32Array;
  f32[3 * VOCAB + 7] = Number.NaN; // a NaN row (reference path) among fast-path rows
  f32[9 * VOCAB + 1] = Number.NEGATIVE_INFINITY;
  const f64 = fill(new Float64Array(ROWS * VOCAB)) as Float64Array;

  for (const [name, logits] of [
    ['float32', f32],
    ['float64', f64],
  ] as const) {
    it(`logProbsAndEntropyAsync (${name}) equals the sync result bit for bit on 1, 2 and 3 threads`, async () => {
      const want = logProbsAndEntropy(logits, labels, ROWS, VOCAB, { temperature: 0.7 });
      for (const threads of [1, 2, 3]) {
        const got = await logProbsAndEntropyAsync(logits, labels, ROWS, VOCAB, { temperature: 0.7, threads });
        expectBitIdentical(got.logProbs, want.logProbs);
        expectBitIdentical(got.entropy, want.entropy);
      }
    });
  }

  it('reads shared logits in place and fills shared and plain out buffers', async () => {
    const shared = sharedFloat32Array(f32.length);
    shared.set(f32);
    const want = logProbsAndEntropy(f32, labels, ROWS, VOCAB);
    const outLogProbs = sharedFloat64Array(ROWS);
    const outEntropy = new Float64Array(ROWS);
    const got = await logProbsAndEntropyAsync(shared, labels, ROWS, VOCAB, {
      threads: 2,
      outLogProbs,
      outEntropy,
    });
    expect(got.logProbs).toBe(outLogProbs);
    expect(got.entropy).toBe(outEntropy);
    expectBitIdentical(outLogProbs, want.logProbs);
    expectBitIdentical(outEntropy, want.entropy);
  });

  it('logProbsAndEntropyBackwardAsync equals the sync gradient bit for bit', async () => {
    const gl = Float64Array.from({ length: ROWS }, () => rng.nextNormal());
    const ge = Float64Array.from({ length: ROWS }, () => rng.nextNormal());
    const want = logProbsAndEntropyBackward(f32, labels, ROWS, VOCAB, gl, ge, { temperature: 1.3 });
    for (const threads of [2, 3]) {
      const got = await logProbsAndEntropyBackwardAsync(f32, labels, ROWS, VOCAB, gl, ge, {
        temperature: 1.3,
        threads,
      });
      expectBitIdentical(got, want);
    }
    const out = sharedFloat64Array(ROWS * VOCAB);
    await logProbsAndEntropyBackwardAsync(f32, labels, ROWS, VOCAB, gl, null, { threads: 2, out });
    expectBitIdentical(out, logProbsAndEntropyBackward(f32, labels, ROWS, VOCAB, gl, null));
  });

  it('verlActorLossFusedAsync: losses, metrics and gradients bit-identical, every aggregation mode', async () => {
    const rows = 45;
    const cols = 3001;
    const n = rows * cols;
    const old = rng.fillNormal(new Float64Array(n), -2, 1);
    const inputs = {
      oldLogProb: old,
      logProb: old.map((v) => v + 0.3 * rng.nextNormal()),
      refLogProb: old.map((v) => v + 0.3 * rng.nextNormal()),
      entropy: Float64Array.from({ length: n }, () => rng.nextFloat() * 3),
      advantages: Float64Array.from({ length: n }, (_, t) => Math.sin(Math.floor(t / cols) + 0.5)),
      responseMask: Float64Array.from({ length: n }, (_, t) => (t % cols < 2500 - (t % 7) ? 1 : 0)),
      rolloutIsWeights: Float64Array.from({ length: n }, () => 0.5 + rng.nextFloat()),
      rows,
      cols,
    };
    for (const lossAggMode of ['token-mean', 'seq-mean-token-sum', 'seq-mean-token-mean'] as const) {
      const options = { lossAggMode, klLossCoef: 0.01, entropyCoeff: 0.001 };
      const want = verlActorLossFused(inputs, options);
      for (const threads of [2, 3]) {
        const got = await verlActorLossFusedAsync(inputs, { ...options, threads });
        for (const k of [
          'loss',
          'pgLoss',
          'klLoss',
          'entropyLoss',
          'pgClipfrac',
          'ppoKl',
          'pgClipfracLower',
        ] as const) {
          expect(Object.is(got[k], want[k]), `${lossAggMode} ${threads} ${k}`).toBe(true);
        }
        expectBitIdentical(got.gradLogProb, want.gradLogProb);
        expectBitIdentical(got.gradRefLogProb!, want.gradRefLogProb!);
        expectBitIdentical(got.gradEntropy!, want.gradEntropy!);
      }
    }
  });

  it('small inputs stay on the calling thread and threads must be a positive integer', async () => {
    const small = new Float32Array(4 * 10).fill(1);
    const lab = [0, 1, 2, 3];
    const got = await logProbsAndEntropyAsync(small, lab, 4, 10, { threads: 4 });
    expectBitIdentical(got.logProbs, logProbsAndEntropy(small, lab, 4, 10).logProbs);
    await expect(logProbsAndEntropyAsync(small, lab, 4, 10, { threads: 0 })).rejects.toThrow(/threads/);
  });
});
