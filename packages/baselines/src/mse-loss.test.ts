/**
 * MSE regression objective (JudgeLRM CLS-RM baseline, judgelrm spec §6). No golden vectors exist
 * for it: the value is checked against the formula, the gradients by finite differences, and the
 * training loop on a synthetic noise-free linear problem.
 */
import { createRng, InvalidArgumentError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { finiteDiff } from '../test/golden.js';
import { headMeanSquaredError, mseLoss, RewardHead, trainRewardHead } from './index.js';

describe('mseLoss', () => {
  it('value is mean (or sum) of squared errors; gradient matches finite differences', () => {
    const rng = createRng('mse');
    const p = rng.fillNormal(new Float64Array(7), 5, 2);
    const y = Float64Array.from([1, 2, 3, 4, 5, 6, 10]);
    let sse = 0;
    for (let i = 0; i < 7; i++) sse += (p[i]! - y[i]!) ** 2;
    for (const reduction of ['mean', 'sum'] as const) {
      const r = mseLoss(p, y, { reduction });
      expect(r.loss).toBeCloseTo(reduction === 'mean' ? sse / 7 : sse, 12);
      const fd = finiteDiff((x) => mseLoss(x, y, { reduction }).loss, Float64Array.from(p));
      for (let i = 0; i < 7; i++) expect(Math.abs(r.grad[i]! - fd[i]!)).toBeLessThan(1e-7);
    }
    expect(mseLoss(y, y).loss).toBe(0);
  });

  it('rejects mismatched lengths and non-finite targets', () => {
    expect(() => mseLoss([1, 2], [1])).toThrow(/Shape/);
    expect(() => mseLoss([1, 2], [1, Number.NaN])).toThrow(InvalidArgumentError);
  });

  for (const hiddenDim of [0, 4]) {
    it(`gradient through the head matches finite differences (hidden ${hiddenDim})`, () => {
      const head = RewardHead.create({ inputDim: 5, hiddenDim }, 3);
      const x = createRng(4).fillNormal(new Float64Array(6 * 5));
      const y = createRng(5).fillNormal(new Float64Array(6), 5, 2);
      head.zeroGrad();
      const r = mseLoss(head.forward(x, 6), y);
      head.backward(x, 6, r.grad);
      const fd = finiteDiff(() => mseLoss(head.forward(x, 6), y).loss, head.params);
      for (let i = 0; i < fd.length; i++) expect(Math.abs(fd[i]! - head.grads[i]!)).toBeLessThan(1e-6);
    });
  }
});

describe('trainRewardHead objective: mse', () => {
  const d = 8;
  /** y = w·x + 5 (scores around the middle of a 1–10 scale), no noise. */
  function linear(n: number, seed: number) {
    const w = createRng('mse-direction').fillNormal(new Float64Array(d));
    const rng = createRng(seed);
    const features = rng.fillNormal(new Float64Array(n * d));
    const labels = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 5;
      for (let k = 0; k < d; k++) s += w[k]! * features[i * d + k]!;
      labels[i] = s;
    }
    return { features, labels };
  }
  const train = linear(1000, 1);
  const test = linear(500, 2);
  const opts = {
    seed: 11,
    epochs: 30,
    batchSize: 32,
    learningRate: 0.05,
    warmupRatio: 0.05,
    objective: 'mse' as const,
    head: { inputDim: d },
  };
  const variance = (y: Float64Array) => {
    const m = y.reduce((a, b) => a + b, 0) / y.length;
    return y.reduce((a, b) => a + (b - m) ** 2, 0) / y.length;
  };

  it('a linear head fits a linear target to low error, deterministically', () => {
    const a = trainRewardHead({ kind: 'labels', ...train }, opts);
    const b = trainRewardHead({ kind: 'labels', ...train }, opts);
    const before = headMeanSquaredError(
      RewardHead.create({ inputDim: d }, createRng(11)),
      test.features,
      test.labels,
    );
    const after = headMeanSquaredError(a.head, test.features, test.labels);
    expect(variance(test.labels)).toBeGreaterThan(1);
    expect(before).toBeGreaterThan(10);
    expect(after).toBeLessThan(1e-8);
    expect(headMeanSquaredError(a.head, train.features, train.labels)).toBeLessThan(1e-8);
    expect(Buffer.from(a.head.params.buffer).equals(Buffer.from(b.head.params.buffer))).toBe(true);
    expect(Buffer.from(a.losses.buffer).equals(Buffer.from(b.losses.buffer))).toBe(true);
    // the learned bias is the offset 5 (linear head layout: D weights then the bias)
    expect(a.head.params[d]!).toBeCloseTo(5, 2);
  });

  it('is not the BCE objective on the same data', () => {
    const lbl = { ...opts, epochs: 1 };
    const mse = trainRewardHead({ kind: 'labels', ...train }, lbl);
    const bce = trainRewardHead({ kind: 'labels', ...train }, { ...lbl, objective: 'bce' });
    expect(mse.losses[0]).not.toBe(bce.losses[0]);
  });

  it('rejects objectives that do not fit the data', () => {
    const pairs = { kind: 'pairs' as const, chosen: new Float64Array(8), rejected: new Float64Array(8) };
    expect(() => trainRewardHead(pairs, { head: { inputDim: 4 }, objective: 'mse' })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      trainRewardHead({ kind: 'labels', ...train }, { ...opts, objective: 'bradley-terry' }),
    ).toThrow(InvalidArgumentError);
  });
});
