import { createRng, InvalidArgumentError } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trlGrpoAdvantage, verlGrpoAdvantage, verlRlooAdvantage } from './advantages.js';
import { trlAggLoss, VERL_LOSS_AGG_MODES, verlAggLoss, verlAggLossWeights } from './aggregation.js';
import { grpoStep } from './grpo-step.js';
import { klPenalty, klPenaltyBackward } from './kl.js';
import { entropyFromLogits, logProbsAndEntropy, tokenLogProbs, tokenLogProbsBackward } from './logits.js';
import { maskedVar, maskedWhiten } from './masked.js';
import { trlGrpoLoss, verlPolicyLossVanilla } from './policy-loss.js';

const one = (n: number) => new Float64Array(n).fill(1);

describe('edge cases: advantages (spec §13)', () => {
  const inputs = (scores: number[], index: (string | number)[]) => ({
    tokenLevelRewards: Float64Array.from(scores),
    responseMask: one(scores.length),
    index,
    rows: scores.length,
    cols: 1,
  });
  it('singleton group: verl GRPO s/(1+1e-6), Dr.GRPO s, RLOO loop s, RLOO vectorized 0', () => {
    const inp = inputs([0.7], ['x']);
    expect(verlGrpoAdvantage(inp).advantages[0]).toBeCloseTo(0.7 / (1 + 1e-6), 15);
    expect(verlGrpoAdvantage(inp, { impl: 'vectorized' }).advantages[0]).toBeCloseTo(0.7 / (1 + 1e-6), 15);
    expect(verlGrpoAdvantage(inp, { normAdvByStd: false }).advantages[0]).toBe(0.7);
    expect(verlRlooAdvantage(inp).advantages[0]).toBe(0.7);
    expect(verlRlooAdvantage(inp, { impl: 'vectorized' }).advantages[0]).toBe(0);
  });
  it('TRL G = 1 gives 0', () => {
    expect(Array.from(trlGrpoAdvantage([0.3, 0.9], { numGenerations: 1 }).advantages)).toEqual([0, 0]);
  });
  it('all-equal rewards give exactly 0 (verl loop / vectorized, TRL every scaling)', () => {
    const inp = inputs([0.5, 0.5, 0.5], [1, 1, 1]);
    for (const impl of ['loop', 'vectorized'] as const) {
      expect(Array.from(verlGrpoAdvantage(inp, { impl }).advantages)).toEqual([0, 0, 0]);
    }
    for (const scaleRewards of ['group', 'batch', 'none'] as const) {
      expect(
        Array.from(trlGrpoAdvantage([2, 2, 2, 2], { numGenerations: 4, scaleRewards }).advantages),
      ).toEqual([0, 0, 0, 0]);
    }
  });
  it('near-equal rewards: verl loop ≈ ±0.909, vectorized ≈ ±0.00999, TRL ≈ ±0.0909', () => {
    const s = [1, 1 + 1e-5, 1 - 1e-5];
    expect(verlGrpoAdvantage(inputs(s, [0, 0, 0])).advantages[1]).toBeCloseTo(0.909, 3);
    expect(verlGrpoAdvantage(inputs(s, [0, 0, 0]), { impl: 'vectorized' }).advantages[1]).toBeCloseTo(
      0.00999,
      5,
    );
    const t = trlGrpoAdvantage(s, { numGenerations: 3 }).advantages[1] as number;
    expect(t).toBeCloseTo(0.0909, 3);
  });
  it('verl groups need not be contiguous; TRL rejects a batch that is not a multiple of G', () => {
    const a = verlGrpoAdvantage(inputs([1, 0, 0, 1], ['a', 'b', 'a', 'b'])).advantages;
    expect(a[0]).toBeCloseTo(-(a[2] as number), 12);
    expect(() => trlGrpoAdvantage([1, 2, 3], { numGenerations: 2 })).toThrow(InvalidArgumentError);
  });
  it('TRL NaN rewards (all reward functions None) are ignored by the group stats and give 0', () => {
    const r = trlGrpoAdvantage([1, Number.NaN, 0, 0.5], { numGenerations: 4 });
    expect(r.advantages[1]).toBe(0);
    expect(r.meanRewards[0]).toBeCloseTo(0.5, 15);
  });
  it('vectorized GRPO in float32 stays within 1e-6 of float64 on ordinary rewards', () => {
    const rng = createRng('f32-adv');
    const scores = Array.from({ length: 16 }, () => rng.nextFloat());
    const ids = scores.map((_, i) => i % 4);
    const a64 = verlGrpoAdvantage(inputs(scores, ids), { impl: 'vectorized' }).advantages;
    const a32 = verlGrpoAdvantage(inputs(scores, ids), {
      impl: 'vectorized',
      precision: 'float32',
    }).advantages;
    for (let i = 0; i < 16; i++) expect(Math.abs((a32[i] as number) - (a64[i] as number))).toBeLessThan(1e-5);
  });
});

describe('edge cases: masked stats', () => {
  it('masked_var / masked_whiten raise with ≤ 1 valid element', () => {
    expect(() => maskedVar([1, 2], [0, 0])).toThrow(InvalidArgumentError);
    expect(() => maskedWhiten([1, 2], [1, 0])).toThrow(InvalidArgumentError);
    expect(maskedVar([1, 2], [1, 0], { unbiased: false })).toBeCloseTo(0, 12);
  });
});

describe('edge cases: aggregation empty masks', () => {
  const loss = Float64Array.from([1, 2, 3, 4]);
  const zero = new Float64Array(4);
  it('verl HEAD token-mean and seq modes NaN, sum-norm 0; legacy token-mean 0; TRL 0', () => {
    expect(verlAggLoss(loss, zero, 2, 2, 'token-mean')).toBeNaN();
    expect(verlAggLoss(loss, zero, 2, 2, 'seq-mean-token-sum')).toBeNaN();
    expect(verlAggLoss(loss, zero, 2, 2, 'seq-mean-token-mean')).toBeNaN();
    expect(verlAggLoss(loss, zero, 2, 2, 'seq-mean-token-sum-norm')).toBe(0);
    expect(verlAggLoss(loss, zero, 2, 2, 'token-mean', { version: 'legacy' })).toBe(0);
    for (const lt of ['grpo', 'bnpo', 'dr_grpo', 'dapo'] as const)
      expect(trlAggLoss(loss, zero, 2, 2, lt)).toBe(0);
  });
  it('fully-masked row: verl seq modes skip it, TRL grpo counts it in B', () => {
    const m = Float64Array.from([1, 1, 0, 0]);
    expect(verlAggLoss(loss, m, 2, 2, 'seq-mean-token-sum')).toBe(3);
    expect(trlAggLoss(loss, m, 2, 2, 'grpo')).toBe(0.75);
  });
  it('token-mean weights sum to 1 on any non-empty mask (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (bits) => {
        fc.pre(bits.some(Boolean));
        const m = Float64Array.from(bits, (b) => (b ? 1 : 0));
        for (const mode of VERL_LOSS_AGG_MODES.slice(0, 3)) {
          const w = verlAggLossWeights(m, 2, 3, mode);
          if (mode === 'token-mean') expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        }
      }),
    );
  });
});

describe('edge cases: extreme ratios', () => {
  const base = (logp: number, old: number, a: number) => ({
    oldLogProb: [old],
    logProb: [logp],
    advantages: [a],
    responseMask: [1],
    rows: 1,
    cols: 1,
  });
  it('verl: |logp − old| > 20 is clamped to e^{±20} with zero gradient', () => {
    const r = verlPolicyLossVanilla(base(25, 0, -1));
    expect(r.ratio[0]).toBe(Math.exp(20));
    expect(r.pgLoss).toBe(3); // dual clip −A·c
    expect(r.gradLogProb?.[0]).toBe(0);
    const s = verlPolicyLossVanilla(base(-25, 0, -1));
    expect(s.ratio[0]).toBe(Math.exp(-20));
    expect(s.gradLogProb?.[0]).toBe(0);
  });
  it('verl: A < 0 and r > 3 → ℓ = −3A, gradient 0; TRL without delta is unbounded', () => {
    const r = verlPolicyLossVanilla(base(Math.log(5), 0, -0.5));
    expect(r.pgLoss).toBeCloseTo(1.5, 15);
    expect(r.gradLogProb?.[0]).toBe(0);
    const t = trlGrpoLoss({
      perTokenLogps: [Math.log(5)],
      oldPerTokenLogps: [0],
      advantages: [-0.5],
      mask: [1],
      rows: 1,
      cols: 1,
    });
    expect(t.loss).toBeCloseTo(2.5, 12);
    expect(t.gradPerTokenLogps?.[0]).toBeCloseTo(2.5, 12);
    const d = trlGrpoLoss(
      {
        perTokenLogps: [Math.log(5)],
        oldPerTokenLogps: [0],
        advantages: [-0.5],
        mask: [1],
        rows: 1,
        cols: 1,
      },
      { delta: 3 },
    );
    expect(d.loss).toBeCloseTo(1.5, 12);
    expect(d.gradPerTokenLogps?.[0]).toBe(0);
  });
  it('ties at the dual-clip bound split the gradient 50/50 (torch.minimum)', () => {
    const r = verlPolicyLossVanilla(base(Math.log(3), 0, -1));
    // r = 3 = c (to rounding): either exactly tied (half gradient) or one side of the kink
    const g = r.gradLogProb?.[0] as number;
    expect([0, 1.5, 3].some((v) => Math.abs(g - (v * (r.ratio[0] as number)) / 3) < 1e-12)).toBe(true);
  });
  it('TRL delta ≡ verl dual clip on random inputs without the ±20 clamp (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
        (x, a) => {
          const old = new Float64Array(6);
          const adv = Float64Array.from({ length: 6 }, (_, k) => a[Math.floor(k / 3)] as number);
          const t = trlGrpoLoss(
            { perTokenLogps: x, oldPerTokenLogps: old, advantages: a, mask: one(6), rows: 2, cols: 3 },
            { lossType: 'bnpo', epsilonHigh: 0.28, delta: 3 },
          );
          const v = verlPolicyLossVanilla(
            { oldLogProb: old, logProb: x, advantages: adv, responseMask: one(6), rows: 2, cols: 3 },
            { clipRatioLow: 0.2, clipRatioHigh: 0.28 },
          );
          expect(t.loss).toBeCloseTo(v.pgLoss, 12);
          for (let i = 0; i < 6; i++)
            expect(t.gradPerTokenLogps?.[i]).toBeCloseTo(v.gradLogProb?.[i] as number, 12);
        },
      ),
    );
  });
  it('k3: verl clamps to 10 with zero gradient, TRL is unbounded; k3 ≥ 0 (property)', () => {
    expect(klPenalty([0], [30])[0]).toBe(10);
    expect(klPenaltyBackward([0], [30]).logProb[0]).toBe(0);
    expect(klPenalty([0], [30], { impl: 'trl' })[0]).toBeGreaterThan(1e12);
    expect(klPenaltyBackward([0], [1], { type: 'k3+' }).logProb[0]).toBe(-1); // k2's gradient d
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (l, r) => {
          expect(klPenalty([l], [r])[0]).toBeGreaterThanOrEqual(-1e-12);
          expect(klPenalty([l], [r], { impl: 'trl' })[0]).toBeGreaterThanOrEqual(-1e-12);
        },
      ),
    );
  });
});

describe('edge cases: logits', () => {
  it('|logit| ~ 1e3 stays finite and exact', () => {
    const z = Float64Array.from([1000, 0, -1000, 999]);
    const lp = tokenLogProbs(z, [3], 1, 4)[0] as number;
    expect(lp).toBeCloseTo(-1 - Math.log1p(Math.exp(-1)), 12);
    const h = entropyFromLogits(z, 1, 4)[0] as number;
    expect(Number.isFinite(h)).toBe(true);
    const g = tokenLogProbsBackward(z, [3], 1, 4, [1]);
    expect(g.every(Number.isFinite)).toBe(true);
  });
  it('a −inf logit gives NaN entropy (both upstreams)', () => {
    expect(entropyFromLogits(Float64Array.from([0, Number.NEGATIVE_INFINITY]), 1, 2)[0]).toBeNaN();
  });
  it('negative labels (ignore index) give 0 and zero gradient; out-of-range labels throw', () => {
    expect(tokenLogProbs(Float64Array.from([1, 2]), [-100], 1, 2)[0]).toBe(0);
    expect(Array.from(tokenLogProbsBackward(Float64Array.from([1, 2]), [-100], 1, 2, [1]))).toEqual([0, 0]);
    expect(() => tokenLogProbs(Float64Array.from([1, 2]), [2], 1, 2)).toThrow(InvalidArgumentError);
  });
  it('softmax sums to 1 and 0 ≤ H ≤ log V (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 5, maxLength: 5 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (zs, temperature) => {
          const z = Float64Array.from(zs);
          const lp = tokenLogProbs(
            Float64Array.from([...zs, ...zs, ...zs, ...zs, ...zs]),
            [0, 1, 2, 3, 4],
            5,
            5,
            { temperature },
          );
          expect(lp.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 10);
          const h = entropyFromLogits(z, 1, 5, { temperature })[0] as number;
          expect(h).toBeGreaterThanOrEqual(-1e-12);
          expect(h).toBeLessThanOrEqual(Math.log(5) + 1e-12);
        },
      ),
    );
  });
  it('float32 logits: within the documented tolerance (1e-5 abs + 1e-5 rel) of the float64 reference', () => {
    const rng = createRng('f32');
    const rows = 64;
    const vocab = 1000;
    const z64 = rng.fillNormal(new Float64Array(rows * vocab), 0, 3);
    const z32 = Float32Array.from(z64);
    const labels = Array.from({ length: rows }, () => rng.nextInt(vocab));
    const a = logProbsAndEntropy(z64, labels, rows, vocab, { temperature: 0.7 });
    const b = logProbsAndEntropy(z32, labels, rows, vocab, { temperature: 0.7 });
    for (let i = 0; i < rows; i++) {
      expect(Math.abs((b.logProbs[i] as number) - (a.logProbs[i] as number))).toBeLessThan(
        1e-5 + 1e-5 * Math.abs(a.logProbs[i] as number),
      );
      expect(Math.abs((b.entropy[i] as number) - (a.entropy[i] as number))).toBeLessThan(
        1e-5 + 1e-5 * Math.abs(a.entropy[i] as number),
      );
    }
  });
});

describe('grpoStep', () => {
  const rows = 4;
  const cols = 3;
  const mask = Float64Array.from([1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1]);
  const logProbs = Float64Array.from({ length: 12 }, (_, i) => -1 - 0.1 * i);
  it('verl on-policy: loss = −token-mean(A), gradient −A·m/N', () => {
    const r = grpoStep(
      { rows, cols, mask, rewards: [1, 0, 1, 1], groupIds: ['a', 'a', 'b', 'b'], logProbs },
      { impl: 'verl' },
    );
    const n = 9;
    let expected = 0;
    for (let i = 0; i < 12; i++) expected += -(r.advantages[i] as number) * (mask[i] as number);
    expect(r.loss).toBeCloseTo(expected / n, 12);
    for (let i = 0; i < 12; i++)
      expect(r.gradLogProbs[i]).toBeCloseTo((-(r.advantages[i] as number) * (mask[i] as number)) / n, 12);
    expect(r.advantages[0]).toBeCloseTo(0.5 / (Math.SQRT1_2 + 1e-6), 9);
  });
  it('TRL derives num_generations from contiguous groupIds and rejects interleaved ones', () => {
    const r = grpoStep(
      { rows, cols, mask, rewards: [1, 0, 1, 1], groupIds: ['a', 'a', 'b', 'b'], logProbs },
      { impl: 'trl' },
    );
    expect(r.advantages[0]).toBeCloseTo(0.5 / (Math.SQRT1_2 + 1e-4), 9);
    expect(r.advantages[6]).toBe(0);
    expect(() =>
      grpoStep(
        { rows, cols, mask, rewards: [1, 0, 1, 1], groupIds: ['a', 'b', 'a', 'b'], logProbs },
        { impl: 'trl' },
      ),
    ).toThrow(InvalidArgumentError);
  });
  it('scalar rewards land on the last valid token for verl (RF++ returns)', () => {
    const r = grpoStep(
      { rows: 1, cols: 3, mask: [1, 1, 0], rewards: [2], logProbs: [-1, -1, -1] },
      { impl: 'verl', verl: { advEstimator: 'reinforce_plus_plus', gamma: 0.5 } },
    );
    expect(Number.isFinite(r.loss)).toBe(true);
  });
});

describe('float32 fast path (online softmax, table exp)', () => {
  const check = (z32: Float32Array, rows: number, vocab: number, labels: number[], temperature: number) => {
    const z64 = Float64Array.from(z32); // the same values: only the kernel differs
    const a = logProbsAndEntropy(z64, labels, rows, vocab, { temperature });
    const b = logProbsAndEntropy(z32, labels, rows, vocab, { temperature });
    const lp = tokenLogProbs(z32, labels, rows, vocab, { temperature });
    const h = entropyFromLogits(z32, rows, vocab, { temperature });
    for (let i = 0; i < rows; i++) {
      for (const [x, y] of [
        [b.logProbs[i], a.logProbs[i]],
        [lp[i], a.logProbs[i]],
        [b.entropy[i], a.entropy[i]],
        [h[i], a.entropy[i]],
      ] as [number, number][]) {
        if (Number.isNaN(y)) expect(x).toBeNaN();
        else if (!Number.isFinite(y)) expect(x).toBe(y);
        else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(y)));
      }
    }
  };
  it('matches the float64 reference on the same values to 1e-10 (odd vocab, rising maxima, wide range)', () => {
    const rng = createRng('f32-fast');
    for (const [rows, vocab, scale] of [
      [16, 1001, 3],
      [8, 4096, 40],
      [4, 7, 300],
      [3, 1, 1],
    ] as const) {
      const z = new Float32Array(rows * vocab);
      for (let i = 0; i < z.length; i++) z[i] = rng.nextNormal() * scale + (i % vocab) * 0.01; // maxima keep rising
      const labels = Array.from({ length: rows }, (_, i) => (i === 0 ? -100 : rng.nextInt(vocab)));
      check(z, rows, vocab, labels, 0.7);
      check(z, rows, vocab, labels, 1);
    }
  });
  it('property: random float32 rows agree with the float64 path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (zs, temperature) => {
          const z = Float32Array.from(zs);
          check(z, 1, z.length, [z.length - 1], temperature);
        },
      ),
    );
  });
  it('special values fall back to the reference semantics (−inf, +inf, NaN)', () => {
    const z = Float32Array.from([
      Number.NEGATIVE_INFINITY,
      1,
      2,
      3,
      1,
      Number.NEGATIVE_INFINITY,
      2,
      0,
      1,
      Number.POSITIVE_INFINITY,
      2,
      0,
      1,
      2,
      Number.NaN,
      0,
      -1e30,
      0,
      1,
      -1e30,
    ]);
    check(z, 5, 4, [1, 2, 0, 3, 2], 1);
  });
});
