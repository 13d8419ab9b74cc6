/**
 * The renamed options and shapes of @judgekit/baselines (docs/conventions.md, "One vocabulary for
 * the numeric API"): golden cases through the current names and through the deprecated aliases,
 * conflicts as typed errors, and type tests of the main signatures.
 */
import { InvalidArgumentError } from '@judgekit/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { expectClose, flat, goldenCase, num } from '../test/golden.js';
import {
  type BradleyTerryResult,
  bradleyTerryLoss,
  crossEntropyWithLogits,
  DPO_REFERENCES,
  type DpoInputs,
  type DpoLossType,
  type DpoOptions,
  type DpoResult,
  dpoLoss,
  dpoLossBackward,
  dpoLossWithGrad,
  type LossWithGrad,
  SFT_REFERENCES,
  type SequenceLogps,
  type SftOptions,
  type SftResult,
  sequenceLogps,
  sequenceLogpsBackward,
  sftCrossEntropy,
  sftCrossEntropyBackward,
} from './index.js';

const GRAD_KEYS = [
  ['chosenLogps', 'chosen_logps'],
  ['rejectedLogps', 'rejected_logps'],
  ['refChosenLogps', 'ref_chosen_logps'],
  ['refRejectedLogps', 'ref_rejected_logps'],
] as const;

function dpoInputs(name: string): DpoInputs {
  const i = goldenCase(name).inputs;
  const out: DpoInputs = {
    chosenLogps: flat(i.chosen_logps),
    rejectedLogps: flat(i.rejected_logps),
    refChosenLogps: flat(i.ref_chosen_logps),
    refRejectedLogps: flat(i.ref_rejected_logps),
  };
  if (i.chosen_len !== undefined) {
    out.chosenLengths = flat(i.chosen_len);
    out.rejectedLengths = flat(i.rejected_len);
  }
  return out;
}

function conflictError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('DPO: reference (current) and variant (deprecated) on the golden cases', () => {
  const head = goldenCase('dpo_head_variants');
  const headIn = dpoInputs(head.name);
  const classic = goldenCase('dpo_classic_moderate');
  const classicIn = dpoInputs(classic.name);
  const table: [
    string,
    DpoOptions,
    DpoOptions,
    DpoOptions,
    DpoInputs,
    () => [unknown, Record<string, unknown>],
  ][] = [];
  for (const t of Object.keys(head.outputs)) {
    table.push([
      `head ${t}`,
      { reference: 'trl@head' },
      { variant: 'head' },
      { reference: 'trl@head', variant: 'v0.28' },
      headIn,
      () => [head.outputs[t], head.grads![t]!],
    ]);
  }
  for (const v of Object.keys(classic.outputs).filter((k) => k.endsWith('@ls=0'))) {
    table.push([
      `v0.28 ${v}`,
      { reference: 'trl@0.28' },
      { variant: 'v0.28' },
      { reference: 'trl@0.28', variant: 'head' },
      classicIn,
      () => [classic.outputs[v], classic.grads![v]!],
    ]);
  }
  it.each(table)('%s', (name, current, alias, conflict, inputs, expected) => {
    const lossType = name.split(' ')[1]!.split('@')[0] as DpoLossType;
    const beta = name.startsWith('head') ? 0.1 : (classic.params.beta as number);
    const [exp, grads] = expected();
    for (const o of [current, alias, { ...current, ...alias }]) {
      const opts = { lossType, beta, ...o };
      const r = dpoLoss(inputs, opts);
      expectClose(r.loss, (exp as Record<string, unknown>).loss, `${name} loss`);
      expectClose(r.losses, (exp as Record<string, unknown>).losses, `${name} losses`);
      const g = dpoLossBackward(inputs, opts);
      for (const [ours, theirs] of GRAD_KEYS) expectClose(g[ours], grads[theirs], theirs);
      expect(dpoLossWithGrad(inputs, opts).loss).toBe(r.loss);
    }
    const err = conflictError(() => dpoLoss(inputs, { lossType, beta, ...conflict }));
    expect(InvalidArgumentError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/reference: .* conflicts with the deprecated `variant/);
  });
  it('unknown values keep their errors', () => {
    expect(() => dpoLoss(classicIn, { variant: 'v9' as 'head' })).toThrow(/Unknown DPO variant/);
    expect(() => dpoLoss(classicIn, { reference: 'trl@9' as 'trl@head' })).toThrow(InvalidArgumentError);
    expect(DPO_REFERENCES).toEqual(['trl@0.28', 'trl@head']);
  });
});

describe('sequenceLogps / SFT: positional rows, cols, vocab and the deprecated shape object', () => {
  const shape = { batch: 3, seqLen: 6, vocab: 5 };
  const seq = goldenCase('sequence_logps');
  const sl = flat(seq.inputs.logits);
  const sy = flat(seq.inputs.labels);
  it('sequenceLogps golden, both forms, plain arrays too', () => {
    const out = seq.outputs as Record<string, unknown>;
    for (const average of [false, true]) {
      const key = average ? 'average' : 'sum';
      const a = sequenceLogps(sl, sy, 3, 6, 5, { average });
      const b = sequenceLogps(sl, sy, shape, { average });
      const p = sequenceLogps(Array.from(sl), Array.from(sy), 3, 6, 5, { average });
      expectClose(a.logps, out[key], key);
      expect(Array.from(b.logps)).toEqual(Array.from(a.logps));
      expect(Array.from(p.logps)).toEqual(Array.from(a.logps));
      const ga = sequenceLogpsBackward(sl, sy, 3, 6, 5, [1, 1, 1], { average });
      expectClose(ga, seq.grads![key]!.logits, `grad ${key}`);
      expect(Array.from(sequenceLogpsBackward(sl, sy, shape, [1, 1, 1], { average }))).toEqual(
        Array.from(ga),
      );
    }
    expect(sequenceLogps(sl, sy, 3, 6, 5).logps).toBeInstanceOf(Float64Array);
  });
  it('sftCrossEntropy golden, both forms; reference vs emptyBatch', () => {
    const c = goldenCase('sft_cross_entropy');
    const o = c.outputs as Record<string, unknown>;
    const logits = flat(c.inputs.logits);
    const labels = flat(c.inputs.labels);
    const ignored = flat(c.inputs.all_ignored_labels);
    expectClose(sftCrossEntropy(logits, labels, 3, 6, 5).loss, o.hf_mean, 'hf_mean');
    expectClose(sftCrossEntropy(logits, labels, shape).loss, o.hf_mean, 'hf_mean (shape)');
    expectClose(sftCrossEntropyBackward(logits, labels, 3, 6, 5), c.grads!.hf_mean!.logits, 'grad');
    expectClose(
      sftCrossEntropyBackward(logits, labels, 3, 6, 5, { numItemsInBatch: 20 }),
      c.grads!['hf_num_items_in_batch=20']!.logits,
      'grad n=20',
    );
    const table: [string, SftOptions, unknown][] = [
      ['reference transformers', { reference: 'transformers' }, o.hf_all_ignored],
      ['emptyBatch nan', { emptyBatch: 'nan' }, o.hf_all_ignored],
      ['reference trl', { reference: 'trl' }, num(o.trl_chunked_nll_all_ignored)],
      ['emptyBatch zero', { emptyBatch: 'zero' }, num(o.trl_chunked_nll_all_ignored)],
      ['both agreeing', { reference: 'trl', emptyBatch: 'zero' }, num(o.trl_chunked_nll_all_ignored)],
    ];
    for (const [what, opts, want] of table) {
      expectClose(sftCrossEntropy(logits, ignored, 3, 6, 5, opts).loss, want, what);
      expectClose(sftCrossEntropy(logits, ignored, shape, opts).loss, want, `${what} (shape)`);
      const g = sftCrossEntropyBackward(logits, ignored, 3, 6, 5, opts);
      const nan = Number.isNaN(sftCrossEntropy(logits, ignored, 3, 6, 5, opts).loss);
      expect(nan, what).toBe(what.includes('transformers') || what.includes('nan'));
      expect(g.every((x) => (nan ? Number.isNaN(x) : x === 0))).toBe(true);
    }
    const err = conflictError(() =>
      sftCrossEntropy(logits, ignored, 3, 6, 5, { reference: 'trl', emptyBatch: 'nan' }),
    );
    expect(InvalidArgumentError.isInstance(err)).toBe(true);
    expect(() =>
      sftCrossEntropyBackward(logits, labels, 3, 6, 5, { reference: 'transformers', emptyBatch: 'zero' }),
    ).toThrow(/conflicts with the deprecated `emptyBatch: 'zero'`/);
    expect(SFT_REFERENCES).toEqual(['transformers', 'trl']);
  });
  it('a wrong dimension argument is a typed error', () => {
    expect(() => sequenceLogps(sl, sy, 3, undefined as unknown as number, 5)).toThrow(InvalidArgumentError);
    expect(() => sequenceLogps(sl, sy, 3, 6, 4)).toThrow(/logits/);
  });
});

describe('Bradley–Terry result meanRewardMargin (deprecated margin)', () => {
  it('golden', () => {
    const c = goldenCase('bradley_terry');
    const rc = flat(c.inputs.rewards_chosen);
    const rr = flat(c.inputs.rewards_rejected);
    const margin = flat(c.inputs.margin);
    for (const [name, m] of [
      ['plain', undefined],
      ['margin', margin],
    ] as const) {
      const r = bradleyTerryLoss({ rewardsChosen: rc, rewardsRejected: rr, ...(m ? { margin: m } : {}) });
      const exp = c.outputs[name] as Record<string, unknown>;
      expectClose(r.meanRewardMargin, exp.margin, 'meanRewardMargin');
      expect(r.margin).toBe(r.meanRewardMargin);
    }
  });
});

describe('crossEntropyWithLogits accepts any numeric array-like', () => {
  it('golden through a plain array', () => {
    const c = goldenCase('cross_encoder');
    const r = crossEntropyWithLogits(
      Array.from(flat(c.inputs.ce_logits)),
      Array.from(flat(c.inputs.ce_labels)),
      5,
      3,
    );
    expectClose(r.loss, (c.outputs as Record<string, unknown>).ce_3class, 'ce');
    expectClose(r.grad, c.grads!.ce_3class!.logits, 'grad');
    expect(r.grad).toBeInstanceOf(Float64Array);
  });
});

describe('types of the main signatures', () => {
  it('reference options', () => {
    expectTypeOf<DpoOptions['reference']>().toEqualTypeOf<'trl@0.28' | 'trl@head' | undefined>();
    expectTypeOf<SftOptions['reference']>().toEqualTypeOf<'transformers' | 'trl' | undefined>();
    expectTypeOf<BradleyTerryResult['meanRewardMargin']>().toEqualTypeOf<number>();
  });
  it('positional shapes, ArrayLike inputs, typed outputs', () => {
    expectTypeOf(sequenceLogps).toBeCallableWith(new Float32Array(6), [0, 1], 1, 2, 3);
    expectTypeOf(sequenceLogps).toBeCallableWith([0, 1, 2], [0], 1, 1, 3, { average: true });
    expectTypeOf(sequenceLogps).returns.toEqualTypeOf<SequenceLogps>();
    expectTypeOf(sftCrossEntropy).toBeCallableWith([0, 1, 2], [0], 1, 1, 3, { reference: 'trl' });
    expectTypeOf(sftCrossEntropy).returns.toEqualTypeOf<SftResult>();
    expectTypeOf(sftCrossEntropyBackward).returns.toEqualTypeOf<Float64Array>();
    expectTypeOf(crossEntropyWithLogits).parameter(0).toEqualTypeOf<ArrayLike<number>>();
    expectTypeOf(crossEntropyWithLogits).returns.toEqualTypeOf<LossWithGrad>();
    expectTypeOf(dpoLoss).returns.toEqualTypeOf<DpoResult>();
    expectTypeOf(bradleyTerryLoss).returns.toEqualTypeOf<BradleyTerryResult>();
  });
});
