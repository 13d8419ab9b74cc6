/**
 * The renamed options (docs/conventions.md, "One vocabulary for the numeric API"): every golden
 * case that depends on a reference switch, run through the current name and through the
 * deprecated alias, and a conflict between the two.
 */
import { InvalidArgumentError } from '@judgekit/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { expectClose, flat, golden, type Nested, num, shapeOf } from '../test/golden.js';
import {
  broadcastRowsToTokens,
  entropyBackward,
  entropyLoss,
  type EntropyLossResult,
  grpoStep,
  type GrpoStepOptions,
  type KlEstimator,
  type KlOptions,
  klGrad,
  klPenalty,
  klPenaltyBackward,
  klValue,
  type TrlGrpoLossResult,
  trlGrpoLoss,
  type VerlAggOptions,
  type VerlLossAggMode,
  verlAggLoss,
  verlAggLossWeights,
  verlGrpoAdvantage,
  type VerlGrpoAdvantageOptions,
  verlPolicyLossVanilla,
  verlRlooAdvantage,
  type VerlRlooOptions,
} from './index.js';

type Obj = Record<string, Nested>;
type Opts = Record<string, unknown>;

function verlInputs(name: string) {
  const c = golden(name);
  const [rows, cols] = shapeOf(c.inputs.token_level_rewards as Nested) as [number, number];
  return {
    tokenLevelRewards: flat(c.inputs.token_level_rewards as Nested),
    responseMask: flat(c.inputs.response_mask as Nested),
    index: c.inputs.index as string[],
    rows,
    cols,
  };
}

/** One renamed switch value checked against its golden output. */
interface Case {
  name: string;
  /** Options with the current name. */
  current: Opts;
  /** The same options with the deprecated alias. */
  alias: Opts;
  /** Current name and alias disagreeing. */
  conflict: Opts;
  run: (opts: Opts) => Float64Array | number;
  expected: () => Nested | Float64Array;
}

const cases: Case[] = [];

{
  const c = golden('verl_grpo_advantage');
  const inp = verlInputs(c.name);
  const eps = num(c.params.epsilon);
  const run = (o: Opts) => verlGrpoAdvantage(inp, { epsilon: eps, ...o }).advantages;
  cases.push(
    {
      name: 'verl_grpo_advantage loop',
      current: { reference: 'verl' },
      alias: { impl: 'loop' },
      conflict: { reference: 'verl', impl: 'vectorized' },
      run,
      expected: () => c.outputs.advantages_norm_std as Nested,
    },
    {
      name: 'verl_grpo_advantage vectorized',
      current: { reference: 'verl:vectorized' },
      alias: { impl: 'vectorized' },
      conflict: { reference: 'verl:vectorized', impl: 'loop' },
      run,
      expected: () => c.outputs.advantages_vectorized_norm_std as Nested,
    },
  );
  const n = golden('verl_grpo_advantage_near_equal');
  const nin = verlInputs(n.name);
  cases.push({
    name: 'verl_grpo_advantage_near_equal vectorized',
    current: { reference: 'verl:vectorized' },
    alias: { impl: 'vectorized' },
    conflict: { reference: 'verl', impl: 'vectorized' },
    run: (o) => verlGrpoAdvantage(nin, o).advantages,
    expected: () => n.outputs.advantages_vectorized as Nested,
  });
  const r = golden('verl_rloo_rfpp_advantage');
  const rin = verlInputs(r.name);
  for (const [ref, impl, key] of [
    ['verl', 'loop', 'rloo'],
    ['verl:vectorized', 'vectorized', 'rloo_vectorized'],
  ] as const) {
    cases.push({
      name: `verl_rloo ${impl}`,
      current: { reference: ref },
      alias: { impl },
      conflict: { reference: ref, impl: impl === 'loop' ? 'vectorized' : 'loop' },
      run: (o) => verlRlooAdvantage(rin, o).advantages,
      expected: () => r.outputs[key] as Nested,
    });
  }
}

{
  const c = golden('kl_estimators');
  const logp = flat(c.inputs.logprob as Nested);
  const ref = flat(c.inputs.ref_logprob as Nested);
  const variants: [string, KlEstimator, 'verl' | 'trl'][] = [
    ['verl_k3', 'k3', 'verl'],
    ['verl_k3+', 'k3+', 'verl'],
    ['trl_k3', 'k3', 'trl'],
  ];
  for (const [key, type, which] of variants) {
    const other = which === 'verl' ? 'trl' : 'verl';
    const grads = (c.grads as Record<string, Obj>)[key] as Obj;
    cases.push(
      {
        name: `kl ${key} value`,
        current: { reference: which },
        alias: { impl: which },
        conflict: { reference: which, impl: other },
        run: (o) => klPenalty(logp, ref, { type, ...o }),
        expected: () => c.outputs[key] as Nested,
      },
      {
        name: `kl ${key} grad`,
        current: { reference: which },
        alias: { impl: which },
        conflict: { reference: other, impl: which },
        run: (o) => klPenaltyBackward(logp, ref, { type, ...o }).logProb,
        expected: () => grads.logprob as Nested,
      },
    );
  }
}

{
  const c = golden('verl_agg_loss_modes');
  const [rows, cols] = shapeOf(c.inputs.log_prob as Nested) as [number, number];
  const mask = flat(c.inputs.response_mask as Nested);
  const pgMat = flat(c.inputs.pg_losses_matrix as Nested);
  const legacy = c.outputs.legacy_pre_nov2025 as Obj;
  for (const mode of Object.keys(legacy) as VerlLossAggMode[]) {
    cases.push({
      name: `verl_agg_loss legacy ${mode}`,
      current: { reference: 'verl@legacy' },
      alias: { version: 'legacy' },
      conflict: { reference: 'verl', version: 'legacy' },
      run: (o) => verlAggLoss(pgMat, mask, rows, cols, mode, o),
      expected: () => legacy[mode] as Nested,
    });
    cases.push({
      name: `verl_agg_loss head ${mode}`,
      current: { reference: 'verl' },
      alias: { version: 'head' },
      conflict: { reference: 'verl@legacy', version: 'head' },
      run: (o) => verlAggLoss(pgMat, mask, rows, cols, mode, o),
      expected: () => c.outputs[mode] as Nested,
    });
  }
  const e = golden('verl_agg_loss_edges');
  const [er, ec] = shapeOf(e.inputs.loss_mat as Nested) as [number, number];
  const loss = flat(e.inputs.loss_mat as Nested);
  const zero = flat(e.inputs.all_zero_mask as Nested);
  for (const mode of ['token-mean', 'seq-mean-token-sum'] as const) {
    cases.push({
      name: `verl_agg_loss_edges legacy ${mode}`,
      current: { reference: 'verl@legacy' },
      alias: { version: 'legacy' },
      conflict: { reference: 'verl', version: 'legacy' },
      run: (o) => verlAggLoss(loss, zero, er, ec, mode, o),
      expected: () => (e.outputs.legacy as Obj)[mode] as Nested,
    });
  }
}

describe('renamed options: golden cases through the current name and the deprecated alias', () => {
  it.each(cases)('$name', (k) => {
    const want = k.expected();
    expectClose(`${k.name} (current)`, k.run(k.current), want);
    expectClose(`${k.name} (alias)`, k.run(k.alias), want);
    expectClose(`${k.name} (both, agreeing)`, k.run({ ...k.alias, ...k.current }), want);
    let err: unknown;
    try {
      k.run(k.conflict);
    } catch (x) {
      err = x;
    }
    expect(InvalidArgumentError.isInstance(err), `${k.name}: conflict must throw`).toBe(true);
    expect((err as Error).message).toMatch(/conflicts with the deprecated/);
  });

  it('rejects an unknown reference', () => {
    const inp = verlInputs('verl_grpo_advantage');
    expect(() => verlGrpoAdvantage(inp, { reference: 'trl' as never })).toThrow(/unknown value 'trl'/);
    expect(() => klPenalty([0], [0], { reference: 'verl@head' as never })).toThrow(InvalidArgumentError);
  });

  it('passes reference through the verl policy loss to agg_loss', () => {
    const c = golden('verl_agg_loss_modes');
    const [rows, cols] = shapeOf(c.inputs.log_prob as Nested) as [number, number];
    const inp = {
      oldLogProb: flat(c.inputs.old_log_prob as Nested),
      logProb: flat(c.inputs.log_prob as Nested),
      advantages: flat(c.inputs.advantages as Nested),
      responseMask: flat(c.inputs.response_mask as Nested),
      rows,
      cols,
    };
    for (const mode of ['seq-mean-token-sum', 'seq-mean-token-mean'] as const) {
      const a = verlPolicyLossVanilla(inp, { lossAggMode: mode, reference: 'verl@legacy' });
      const b = verlPolicyLossVanilla(inp, { lossAggMode: mode, version: 'legacy' });
      expect(a.pgLoss).toBe(b.pgLoss);
      expect(Array.from(a.gradLogProb as Float64Array)).toEqual(Array.from(b.gradLogProb as Float64Array));
      const legacy = verlAggLoss(a.pgLosses, inp.responseMask, rows, cols, mode, { version: 'legacy' });
      expect(a.pgLoss).toBe(legacy);
      expect(a.pgLoss).not.toBe(verlAggLoss(a.pgLosses, inp.responseMask, rows, cols, mode));
    }
  });

  it('grpoStep: reference and the deprecated impl give the same step; neither or both differing throw', () => {
    const inputs = {
      rewards: [1, 0, 0.5, 0.2],
      logProbs: [-1, -2, -0.5, -1.5, -0.7, -0.2, -3, -1],
      mask: [1, 1, 1, 0, 1, 1, 1, 1],
      groupIds: [0, 0, 1, 1],
      rows: 4,
      cols: 2,
    };
    for (const which of ['verl', 'trl'] as const) {
      const a = grpoStep(inputs, { reference: which });
      const b = grpoStep(inputs, { impl: which });
      expect(a.loss).toBe(b.loss);
      expect(Array.from(a.gradLogProbs)).toEqual(Array.from(b.gradLogProbs));
    }
    expect(() => grpoStep(inputs, {})).toThrow(/`reference`: is required/);
    expect(() => grpoStep(inputs, { reference: 'verl', impl: 'trl' })).toThrow(/conflicts/);
  });
});

describe('new helpers', () => {
  it('broadcastRowsToTokens turns TRL per-row advantages into the verl per-token input (golden)', () => {
    const c = golden('trl_delta_vs_verl_dual_clip');
    const [rows, cols] = shapeOf(c.inputs.per_token_logps as Nested) as [number, number];
    const mask = flat(c.inputs.mask as Nested);
    const adv = flat(c.inputs.advantages as Nested);
    const advTok = broadcastRowsToTokens(adv, mask, rows, cols);
    for (let i = 0; i < rows; i++)
      for (let t = 0; t < cols; t++)
        expect(advTok[i * cols + t]).toBe((adv[i] as number) * (mask[i * cols + t] as number));
    const verl = verlPolicyLossVanilla(
      {
        oldLogProb: flat(c.inputs.old_per_token_logps as Nested),
        logProb: flat(c.inputs.per_token_logps as Nested),
        advantages: advTok,
        responseMask: mask,
        rows,
        cols,
      },
      {
        clipRatioLow: num(c.params.epsilon_low),
        clipRatioHigh: num(c.params.epsilon_high),
        clipRatioC: num(c.params.clip_ratio_c),
      },
    );
    expectClose('verl_token_mean_c3', verl.pgLoss, c.outputs.verl_token_mean_c3 as Nested);
    const out = new Float64Array(rows * cols);
    expect(broadcastRowsToTokens(Array.from(adv), mask, rows, cols, { out })).toBe(out);
    expect(() => broadcastRowsToTokens(adv, mask, rows + 1, cols)).toThrow(/perRow/);
    expect(() => broadcastRowsToTokens(adv, mask, rows, cols, { out: new Float64Array(1) })).toThrow(/out/);
  });

  it('entropyLoss gives the token-mean entropy and its logits gradient in one call (golden)', () => {
    const c = golden('entropy_and_logprobs');
    const [b, t, v] = shapeOf(c.inputs.logits as Nested) as [number, number, number];
    const logits = flat(c.inputs.logits as Nested);
    const mask = flat(c.inputs.mask as Nested);
    const temperature = num(c.params.temperature);
    const r = entropyLoss(logits, mask, b, t, v, { temperature });
    expectClose('entropy_token_mean', r.entropyLoss, c.outputs.entropy_token_mean as Nested);
    expectClose('entropy', r.entropy, c.outputs.entropy_verl as Nested);
    expectClose(
      'grad.entropy_token_mean',
      r.gradLogits,
      ((c.grads as Record<string, Obj>).entropy_token_mean as Obj).logits as Nested,
    );
    // a plain array and reusable buffers give the same numbers
    const out = { entropy: new Float64Array(b * t), gradLogits: new Float64Array(b * t * v) };
    const p = entropyLoss(Array.from(logits), Array.from(mask), b, t, v, { temperature, out });
    expect(p.entropy).toBe(out.entropy);
    expect(p.gradLogits).toBe(out.gradLogits);
    expect(p.entropyLoss).toBe(r.entropyLoss);
    expect(Array.from(p.gradLogits)).toEqual(Array.from(r.gradLogits));
    // other aggregation modes use agg_loss's weights
    const s = entropyLoss(logits, mask, b, t, v, { temperature, lossAggMode: 'seq-mean-token-mean' });
    expect(s.entropyLoss).toBeCloseTo(verlAggLoss(r.entropy, mask, b, t, 'seq-mean-token-mean'), 14);
    const w = verlAggLossWeights(mask, b, t, 'seq-mean-token-mean');
    expect(Array.from(s.gradLogits)).toEqual(
      Array.from(entropyBackward(logits, b * t, v, w, { temperature })),
    );
  });

  it('trlGrpoLoss sequence level: TRL [rows, 1] per-token loss is perTokenLoss[i * cols] (golden)', () => {
    const c = golden('trl_grpo_sequence_level');
    const [rows, cols] = shapeOf(c.inputs.per_token_logps as Nested) as [number, number];
    const r = trlGrpoLoss(
      {
        perTokenLogps: flat(c.inputs.per_token_logps as Nested),
        oldPerTokenLogps: flat(c.inputs.old_per_token_logps as Nested),
        advantages: flat(c.inputs.advantages as Nested),
        mask: flat(c.inputs.mask as Nested),
        rows,
        cols,
      },
      {
        lossType: c.params.loss_type as 'grpo',
        beta: num(c.params.beta),
        epsilon: num(c.params.epsilon_low),
        epsilonHigh: num(c.params.epsilon_high),
        importanceSamplingLevel: 'sequence',
      },
    );
    for (let i = 0; i < rows; i++)
      for (let t = 0; t < cols; t++) expect(r.perTokenLoss[i * cols + t]).toBe(r.perTokenLoss[i * cols]);
  });
});

describe('types of the main signatures', () => {
  it('reference options and their deprecated aliases', () => {
    expectTypeOf<VerlGrpoAdvantageOptions['reference']>().toEqualTypeOf<
      'verl' | 'verl:vectorized' | undefined
    >();
    expectTypeOf<VerlRlooOptions['reference']>().toEqualTypeOf<'verl' | 'verl:vectorized' | undefined>();
    expectTypeOf<KlOptions['reference']>().toEqualTypeOf<'verl' | 'trl' | undefined>();
    expectTypeOf<VerlAggOptions['reference']>().toEqualTypeOf<'verl' | 'verl@legacy' | undefined>();
    expectTypeOf<GrpoStepOptions['reference']>().toEqualTypeOf<'verl' | 'trl' | undefined>();
    expectTypeOf<VerlGrpoAdvantageOptions['impl']>().toEqualTypeOf<'loop' | 'vectorized' | undefined>();
  });

  it('array inputs are ArrayLike, outputs typed arrays; shapes positional', () => {
    expectTypeOf(broadcastRowsToTokens).parameters.toEqualTypeOf<
      [ArrayLike<number>, ArrayLike<number>, number, number, { out?: Float64Array }?]
    >();
    expectTypeOf(broadcastRowsToTokens).returns.toEqualTypeOf<Float64Array>();
    expectTypeOf(entropyLoss).parameter(0).toEqualTypeOf<ArrayLike<number>>();
    expectTypeOf(entropyLoss).returns.toEqualTypeOf<EntropyLossResult>();
    expectTypeOf(verlAggLoss).parameters.toMatchTypeOf<
      [ArrayLike<number>, ArrayLike<number>, number, number, VerlLossAggMode?, VerlAggOptions?]
    >();
    expectTypeOf(klValue).parameter(3).toEqualTypeOf<'verl' | 'trl' | undefined>();
    expectTypeOf(klGrad).returns.toEqualTypeOf<number>();
    expectTypeOf(trlGrpoLoss).returns.toEqualTypeOf<TrlGrpoLossResult>();
  });
});
