import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, finiteDiff, flat, goldenCase } from '../test/golden.js';
import { dpoLossWithGradReference } from './dpo-loss.js';
import {
  BcoRunningMean,
  DPO_LOSS_TYPES,
  type DpoInputs,
  type DpoLossType,
  dpoLoss,
  dpoLossBackward,
  dpoLossWithGrad,
} from './index.js';

function inputsOf(c: ReturnType<typeof goldenCase>): DpoInputs {
  const i = c.inputs;
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

const GRAD_KEYS = [
  ['chosenLogps', 'chosen_logps'],
  ['rejectedLogps', 'rejected_logps'],
  ['refChosenLogps', 'ref_chosen_logps'],
  ['refRejectedLogps', 'ref_rejected_logps'],
] as const;

describe('dpoLoss golden (TRL v0.28 dpo_loss)', () => {
  for (const name of ['dpo_classic_moderate', 'dpo_classic_extreme', 'dpo_reference_free']) {
    const c = goldenCase(name);
    const inputs = inputsOf(c);
    for (const variant of Object.keys(c.outputs)) {
      it(`${name} ${variant}`, () => {
        const [type, ls] = variant.split('@ls=') as [DpoLossType, string];
        const opts = {
          lossType: type,
          beta: c.params.beta as number,
          labelSmoothing: Number(ls),
          referenceFree: c.params.reference_free === true,
        };
        const exp = c.outputs[variant] as Record<string, unknown>;
        const r = dpoLoss(inputs, opts);
        expectClose(r.loss, exp.loss, 'loss');
        expectClose(r.losses, exp.losses, 'losses');
        expectClose(r.chosenRewards, exp.chosen_rewards, 'chosen_rewards');
        expectClose(r.rejectedRewards, exp.rejected_rewards, 'rejected_rewards');
        const g = dpoLossBackward(inputs, opts);
        const eg = c.grads![variant]!;
        for (const [ours, theirs] of GRAD_KEYS) expectClose(g[ours], eg[theirs], theirs);
        const both = dpoLossWithGrad(inputs, opts);
        expect(both.loss).toBe(r.loss);
        expect(Array.from(both.grads.chosenLogps)).toEqual(Array.from(g.chosenLogps));
      });
    }
  }
});

describe('dpoLoss golden (TRL HEAD _compute_loss)', () => {
  const c = goldenCase('dpo_head_variants');
  const inputs = inputsOf(c);
  for (const variant of Object.keys(c.outputs)) {
    it(variant, () => {
      const opts = { lossType: variant as DpoLossType, beta: 0.1, variant: 'head' as const };
      const exp = c.outputs[variant] as Record<string, unknown>;
      const r = dpoLoss(inputs, opts);
      expectClose(r.loss, exp.loss, 'loss');
      expectClose(r.losses, exp.losses, 'losses');
      const g = dpoLossBackward(inputs, opts);
      for (const [ours, theirs] of GRAD_KEYS) expectClose(g[ours], c.grads![variant]![theirs], theirs);
    });
  }
});

describe('dpoLoss options and edges', () => {
  const base = inputsOf(goldenCase('dpo_classic_moderate'));
  it('HEAD rejects reference_free, smoothing in sigmoid and exo with ε = 0', () => {
    expect(() => dpoLoss(base, { variant: 'head', referenceFree: true })).toThrow(/referenceFree/);
    expect(() => dpoLoss(base, { variant: 'head', labelSmoothing: 0.1 })).toThrow(/label smoothing/);
    expect(() => dpoLoss(base, { variant: 'head', lossType: 'exo_pair' })).toThrow(/exo_pair/);
    expect(() => dpoLoss(base, { lossType: 'nope' as DpoLossType })).toThrow(/Unknown/);
    expect(() => dpoLoss(base, { lossType: 'sigmoid_norm' })).toThrow(/chosenLengths/);
  });
  it('v0.28 exo with ε = 0 equals ε = 1e-3', () => {
    const a = dpoLoss(base, { lossType: 'exo_pair' });
    const b = dpoLoss(base, { lossType: 'exo_pair', labelSmoothing: 1e-3 });
    expect(a.loss).toBe(b.loss);
  });
  it('v0.28 ipo with length 0 gives a non-finite loss, HEAD clamps', () => {
    const withLen = { ...base, chosenLengths: [1, 2, 3, 0, 5, 6], rejectedLengths: [1, 1, 1, 1, 1, 1] };
    expect(Number.isFinite(dpoLoss(withLen, { lossType: 'ipo' }).loss)).toBe(false);
    expect(Number.isFinite(dpoLoss(withLen, { lossType: 'ipo', variant: 'head' }).loss)).toBe(true);
  });
  it('bco running mean reproduces the fresh state and then averages batch means', () => {
    const rm = new BcoRunningMean();
    const m1 = BcoRunningMean.batchMean(base, 0.1);
    expect(rm.update(m1)).toBeCloseTo(m1, 12);
    const fresh = dpoLoss(base, { lossType: 'bco_pair' });
    const explicit = dpoLoss(base, { lossType: 'bco_pair', bcoDelta: m1 });
    expect(explicit.loss).toBeCloseTo(fresh.loss, 12);
    expect(rm.update(1)).toBeCloseTo((m1 + 1) / 2, 12);
  });

  for (const lossType of DPO_LOSS_TYPES) {
    it(`finite differences: ${lossType}`, () => {
      fc.assert(
        fc.property(
          fc.noBias(
            fc.array(
              fc.integer({ min: -30000, max: 30000 }).map((v) => v / 1000),
              { minLength: 12, maxLength: 12 },
            ),
          ),
          fc.boolean(),
          (vals, refFree) => {
            const arrs = [0, 1, 2, 3].map((k) => Float64Array.from(vals.slice(k * 3, k * 3 + 3)));
            const inp: DpoInputs = {
              chosenLogps: arrs[0]!,
              rejectedLogps: arrs[1]!,
              refChosenLogps: arrs[2]!,
              refRejectedLogps: arrs[3]!,
              chosenLengths: [3, 7, 1],
              rejectedLengths: [2, 5, 9],
            };
            const opts = {
              lossType,
              beta: 0.3,
              labelSmoothing:
                lossType === 'exo_pair' || lossType === 'robust' || lossType === 'sigmoid' ? 0.1 : 0,
              referenceFree: refFree,
              variant: lossType === 'ipo' ? ('head' as const) : ('v0.28' as const),
            };
            if (opts.variant === 'head') opts.referenceFree = false;
            // keep away from kinks: sort ties (aot*) and the hinge corner βΔ = 1
            const [pc, pr, rc, rr] = arrs as [Float64Array, Float64Array, Float64Array, Float64Array];
            const keys = [0, 1, 2].map((i) => [
              pc[i]! - pr[i]!,
              rc[i]! - rr[i]!,
              pc[i]! - rc[i]!,
              pr[i]! - rr[i]!,
            ]);
            for (let k = 0; k < 4; k++)
              for (let i = 0; i < 3; i++)
                for (let j = i + 1; j < 3; j++) fc.pre(Math.abs(keys[i]![k]! - keys[j]![k]!) > 1e-3);
            for (let i = 0; i < 3; i++) {
              fc.pre(Math.abs(0.3 * (keys[i]![0]! - keys[i]![1]!) - 1) > 1e-3);
              fc.pre(Math.abs(0.3 * keys[i]![0]! - 1) > 1e-3);
            }
            // bco's δ is detached upstream: pin it so finite differences see the same function.
            const o2 = { ...opts, bcoDelta: 0.05 };
            const g = dpoLossBackward(inp, o2);
            for (const [key] of GRAD_KEYS) {
              const x = Float64Array.from(inp[key] as Float64Array);
              const fd = finiteDiff((y) => dpoLoss({ ...inp, [key]: y }, o2).loss, x, 1e-5);
              for (let i = 0; i < 3; i++) {
                // skip kinks (hinge at x = 1, sort ties)
                expect(Math.abs(fd[i]! - g[key][i]!)).toBeLessThan(1e-4 + 1e-4 * Math.abs(fd[i]!));
              }
            }
          },
        ),
        { numRuns: 40, seed: 7 },
      );
    });
  }
});

describe('fused sigmoid path equals the generic reference kernel bit for bit', () => {
  const value = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: -400, max: 400, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-300, -1e308, 1e308, Infinity, -Infinity) },
  );
  const sameBits = (ours: ArrayLike<number>, ref: ArrayLike<number>, what: string) => {
    expect(ours.length, what).toBe(ref.length);
    for (let i = 0; i < ref.length; i++) {
      if (!Object.is(ours[i], ref[i])) expect.fail(`${what}[${i}]: ${ours[i]} !== ${ref[i]}`);
    }
  };
  it('losses, mean, rewards and gradients for sigmoid / sigmoid_norm, all option combinations', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 9 })
          .chain((n) =>
            fc.tuple(
              fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 4, maxLength: 4 }),
              fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2 * n, maxLength: 2 * n }),
            ),
          ),
        fc.constantFrom<DpoLossType>('sigmoid', 'sigmoid_norm'),
        fc.constantFrom('v0.28' as const, 'head' as const),
        fc.double({ min: 1e-3, max: 5, noNaN: true }),
        fc.constantFrom(0, 0.1, 0.37),
        fc.boolean(),
        fc.boolean(),
        ([arrs, lens], lossType, variant, beta, ls, refFree, withOut) => {
          const n = arrs[0]!.length;
          const inputs: DpoInputs = {
            chosenLogps: Float64Array.from(arrs[0]!),
            rejectedLogps: Float64Array.from(arrs[1]!),
            refChosenLogps: Float64Array.from(arrs[2]!),
            refRejectedLogps: Float64Array.from(arrs[3]!),
            chosenLengths: lens.slice(0, n),
            rejectedLengths: lens.slice(n),
          };
          const head = variant === 'head';
          const opts = {
            lossType,
            variant,
            beta,
            labelSmoothing: head ? 0 : ls,
            referenceFree: head ? false : refFree,
          };
          const buf = () => new Float64Array(n);
          const out = withOut
            ? {
                losses: buf(),
                chosenRewards: buf(),
                rejectedRewards: buf(),
                grads: {
                  chosenLogps: buf(),
                  rejectedLogps: buf(),
                  refChosenLogps: buf(),
                  refRejectedLogps: buf(),
                },
              }
            : undefined;
          const fused = dpoLossWithGrad(inputs, opts, out);
          const ref = dpoLossWithGradReference(inputs, opts);
          if (out) expect(fused.losses).toBe(out.losses);
          expect(Object.is(fused.loss, ref.loss), `loss ${fused.loss} vs ${ref.loss}`).toBe(true);
          sameBits(fused.losses, ref.losses, 'losses');
          sameBits(fused.chosenRewards, ref.chosenRewards, 'chosenRewards');
          sameBits(fused.rejectedRewards, ref.rejectedRewards, 'rejectedRewards');
          for (const [key] of GRAD_KEYS) sameBits(fused.grads[key], ref.grads[key], key);
          // dpoLoss / dpoLossBackward take the same fused path and agree with it.
          const fwd = dpoLoss(inputs, opts);
          sameBits(fwd.losses, ref.losses, 'dpoLoss losses');
          sameBits(fwd.chosenRewards, ref.chosenRewards, 'dpoLoss chosenRewards');
          const bwd = dpoLossBackward(inputs, opts);
          for (const [key] of GRAD_KEYS) sameBits(bwd[key], ref.grads[key], `dpoLossBackward ${key}`);
        },
      ),
      { numRuns: 400, seed: 11 },
    );
  });
  it('rejects output buffers of the wrong length', () => {
    const inputs = inputsOf(goldenCase('dpo_classic_moderate'));
    expect(() => dpoLossWithGrad(inputs, {}, { losses: new Float64Array(1) })).toThrow(/Shape mismatch/);
  });
});
