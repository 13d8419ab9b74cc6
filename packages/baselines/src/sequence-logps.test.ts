import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, finiteDiff, flat, goldenCase, num } from '../test/golden.js';
import {
  alignLabels,
  sequenceLogps,
  sequenceLogpsBackward,
  sftCrossEntropy,
  sftCrossEntropyBackward,
} from './index.js';

const shape = { batch: 3, seqLen: 6, vocab: 5 };

describe('sequenceLogps golden (SPIN _get_batch_logps)', () => {
  const c = goldenCase('sequence_logps');
  const logits = flat(c.inputs.logits);
  const labels = flat(c.inputs.labels);
  it('sum', () => {
    const r = sequenceLogps(logits, labels, shape);
    expectClose(r.logps, (c.outputs as Record<string, unknown>).sum, 'sum');
    expect(Array.from(r.counts)).toEqual([4, 3, 5]);
    const g = sequenceLogpsBackward(logits, labels, shape, [1, 1, 1]);
    expectClose(g, c.grads!.sum!.logits, 'grad sum');
  });
  it('average', () => {
    const r = sequenceLogps(logits, labels, shape, { average: true });
    expectClose(r.logps, (c.outputs as Record<string, unknown>).average, 'average');
    const g = sequenceLogpsBackward(logits, labels, shape, [1, 1, 1], { average: true });
    expectClose(g, c.grads!.average!.logits, 'grad average');
  });
});

describe('sftCrossEntropy golden (HF ForCausalLMLoss, TRL chunked_nll)', () => {
  const c = goldenCase('sft_cross_entropy');
  const o = c.outputs as Record<string, unknown>;
  const logits = flat(c.inputs.logits);
  const labels = flat(c.inputs.labels);
  const ignored = flat(c.inputs.all_ignored_labels);
  it('hf_mean / trl_chunked_nll_mean', () => {
    const r = sftCrossEntropy(logits, labels, shape);
    expectClose(r.loss, o.hf_mean, 'hf_mean');
    expectClose(r.loss, o.trl_chunked_nll_mean, 'trl');
    expect(r.validCount).toBe(o.valid_target_count);
    expectClose(sftCrossEntropyBackward(logits, labels, shape), c.grads!.hf_mean!.logits, 'grad');
    expectClose(
      sftCrossEntropyBackward(logits, labels, shape),
      c.grads!.trl_chunked_nll_mean!.logits,
      'grad trl',
    );
  });
  it('num_items_in_batch = 20', () => {
    const opts = { numItemsInBatch: 20 };
    expectClose(sftCrossEntropy(logits, labels, shape, opts).loss, o['hf_num_items_in_batch=20'], 'loss');
    expectClose(
      sftCrossEntropyBackward(logits, labels, shape, opts),
      c.grads!['hf_num_items_in_batch=20']!.logits,
      'grad',
    );
  });
  it('all ignored: HF NaN, TRL 0', () => {
    expectClose(sftCrossEntropy(logits, ignored, shape).loss, o.hf_all_ignored, 'hf');
    expectClose(
      sftCrossEntropy(logits, ignored, shape, { emptyBatch: 'zero' }).loss,
      num(o.trl_chunked_nll_all_ignored),
      'trl',
    );
    expect(
      sftCrossEntropyBackward(logits, ignored, shape, { emptyBatch: 'zero' }).every((x) => x === 0),
    ).toBe(true);
  });
  it('sequence-mean and sum conventions match finite differences', () => {
    for (const reduction of ['sequence-mean', 'sum', 'token-mean'] as const) {
      const g = sftCrossEntropyBackward(logits, labels, shape, { reduction });
      const fd = finiteDiff(
        (x) => sftCrossEntropy(x, labels, shape, { reduction }).loss,
        Float64Array.from(logits),
      );
      for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - fd[i]!)).toBeLessThan(1e-7);
    }
    // sequence-mean = mean of per-sequence token means
    const avg = sequenceLogps(logits, labels, shape, { average: true }).logps;
    const seqMean = -(avg[0]! + avg[1]! + avg[2]!) / 3;
    expect(sftCrossEntropy(logits, labels, shape, { reduction: 'sequence-mean' }).loss).toBeCloseTo(
      seqMean,
      12,
    );
  });
  it('custom ignore index and unshifted labels', () => {
    const l2 = labels.map((x) => (x === -100 ? -1 : x));
    expect(sftCrossEntropy(logits, l2, shape, { ignoreIndex: -1 }).loss).toBe(
      sftCrossEntropy(logits, labels, shape).loss,
    );
    const { targets } = alignLabels([7, 8, 9], 1, 3, { shift: false });
    expect(Array.from(targets)).toEqual([7, 8, 9]);
    expect(() => alignLabels([1, -5], 1, 2)).toThrow(/ignore index/);
  });
  it('random logits: backward = finite differences (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -4000, max: 4000 }), { minLength: 2 * 4 * 3, maxLength: 2 * 4 * 3 }),
        (v) => {
          const lg = Float64Array.from(v, (x) => x / 1000);
          const lb = [0, 1, -100, 2, -100, 2, 0, 1];
          const s = { batch: 2, seqLen: 4, vocab: 3 };
          const g = sftCrossEntropyBackward(lg, lb, s);
          const fd = finiteDiff((x) => sftCrossEntropy(x, lb, s).loss, Float64Array.from(lg));
          for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]! - fd[i]!)).toBeLessThan(1e-7);
        },
      ),
      { numRuns: 30, seed: 11 },
    );
  });
});
