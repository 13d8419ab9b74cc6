import { describe, expect, it } from 'vitest';
import { expectClose, finiteDiff, flat, goldenCase } from '../test/golden.js';
import {
  binaryCrossEntropyWithLogits,
  crossEntropyWithLogits,
  multipleNegativesRankingLoss,
  softPreferenceTarget,
} from './index.js';

describe('cross-encoder losses golden (sentence-transformers)', () => {
  const c = goldenCase('cross_encoder');
  const o = c.outputs as Record<string, unknown>;
  const x = flat(c.inputs.bce_logits);
  const y = flat(c.inputs.bce_labels);
  it('BCE', () => {
    const r = binaryCrossEntropyWithLogits(x, y);
    expectClose(r.loss, o.bce, 'bce');
    expectClose(r.grad, c.grads!.bce!.logits, 'grad');
  });
  it('BCE pos_weight = 2', () => {
    const r = binaryCrossEntropyWithLogits(x, y, { posWeight: 2 });
    expectClose(r.loss, o.bce_pos_weight_2, 'bce pw');
    expectClose(r.grad, c.grads!.bce_pos_weight_2!.logits, 'grad');
  });
  it('3-class CE', () => {
    const r = crossEntropyWithLogits(flat(c.inputs.ce_logits), flat(c.inputs.ce_labels), 5, 3);
    expectClose(r.loss, o.ce_3class, 'ce');
    expectClose(r.grad, c.grads!.ce_3class!.logits, 'grad');
  });
  it('MNRL 20·tanh', () => {
    const s = flat(c.inputs.mnrl_scores);
    const r = multipleNegativesRankingLoss(s, 4, 4, { scale: c.params.mnrl_scale as number });
    expectClose(r.loss, o.mnrl_tanh_scale20, 'mnrl');
    expectClose(r.grad, c.grads!.mnrl_tanh_scale20!.scores, 'grad');
  });
  it('finite differences (sum reduction, identity MNRL)', () => {
    const g = binaryCrossEntropyWithLogits(x, y, { posWeight: 3, reduction: 'sum' }).grad;
    const fd = finiteDiff(
      (z) => binaryCrossEntropyWithLogits(z, y, { posWeight: 3, reduction: 'sum' }).loss,
      Float64Array.from(x),
    );
    for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - fd[i]!)).toBeLessThan(1e-7);
    const s = flat(c.inputs.mnrl_scores);
    const gm = multipleNegativesRankingLoss(s, 4, 4, { activation: 'identity', scale: 2 }).grad;
    const fm = finiteDiff(
      (z) => multipleNegativesRankingLoss(z, 4, 4, { activation: 'identity', scale: 2 }).loss,
      Float64Array.from(s),
    );
    for (let i = 0; i < gm.length; i++) expect(Math.abs(gm[i]! - fm[i]!)).toBeLessThan(1e-7);
  });
  it('rejects bad labels and shapes', () => {
    expect(() => crossEntropyWithLogits(new Float64Array(6), [0, 3], 2, 3)).toThrow(/class index/);
    expect(() => binaryCrossEntropyWithLogits([1, 2], [1])).toThrow(/Shape mismatch/);
  });
  it('soft preference target of the JudgeLRM BT baseline', () => {
    expect(softPreferenceTarget(8, 6)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(softPreferenceTarget(3, 9, 0)).toBe(1);
  });
});
