import { createRng, type Rng } from '@judgekit/core';
import { describe, it } from 'vitest';
import { expectGradClose, numericGrad } from '../test/fd.js';
import { verlActorLoss } from './actor-loss.js';
import {
  TRL_LOSS_TYPES,
  trlAggLoss,
  trlAggLossWeights,
  VERL_LOSS_AGG_MODES,
  verlAggLoss,
  verlAggLossWeights,
} from './aggregation.js';
import { grpoStep } from './grpo-step.js';
import { type KlEstimator, klPenalty, klPenaltyBackward } from './kl.js';
import {
  entropyBackward,
  entropyFromLogits,
  logProbsAndEntropy,
  logProbsAndEntropyBackward,
  tokenLogProbs,
  tokenLogProbsBackward,
} from './logits.js';
import { trlGrpoLoss, verlPolicyLossGspo, verlPolicyLossVanilla } from './policy-loss.js';

const B = 4;
const T = 6;

function normal(rng: Rng, n: number, std = 1, mean = 0): Float64Array {
  return rng.fillNormal(new Float64Array(n), mean, std);
}

function randomMask(rng: Rng, rows: number, cols: number, emptyRow = -1): Float64Array {
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const len = i === emptyRow ? 0 : 1 + rng.nextInt(cols);
    for (let t = 0; t < len; t++) m[i * cols + t] = 1;
  }
  return m;
}

/** Random PPO inputs whose ratios stay away from the clip kinks (|r − bound| > 1e-3). */
function ppoInputs(seed: number, emptyRow = -1) {
  const rng = createRng(seed);
  const n = B * T;
  const old = normal(rng, n, 1, -2);
  const logp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0;
    do x = 0.4 * rng.nextNormal();
    while ([0.8, 1.2, 1.28, 3].some((b) => Math.abs(Math.exp(x) - b) < 1e-3));
    logp[i] = (old[i] as number) + x;
  }
  const adv = normal(rng, n);
  return {
    oldLogProb: old,
    logProb: logp,
    advantages: adv,
    responseMask: randomMask(rng, B, T, emptyRow),
    rows: B,
    cols: T,
  };
}

describe('finite differences: logits', () => {
  const rows = 5;
  const vocab = 7;
  for (const temperature of [1, 0.7, 1.5]) {
    it(`log-prob / entropy backward, temperature ${temperature}`, () => {
      const rng = createRng(`logits-${temperature}`);
      const logits = normal(rng, rows * vocab, 2);
      const labels = Array.from({ length: rows }, () => rng.nextInt(vocab));
      labels[2] = -100; // ignored row
      const gLp = normal(rng, rows);
      const gH = normal(rng, rows);
      const fLp = (z: Float64Array) =>
        tokenLogProbs(z, labels, rows, vocab, { temperature }).reduce(
          (s, v, i) => s + v * (gLp[i] as number),
          0,
        );
      const fH = (z: Float64Array) =>
        entropyFromLogits(z, rows, vocab, { temperature }).reduce((s, v, i) => s + v * (gH[i] as number), 0);
      expectGradClose(
        'logp',
        tokenLogProbsBackward(logits, labels, rows, vocab, gLp, { temperature }),
        numericGrad(fLp, logits),
      );
      expectGradClose(
        'entropy',
        entropyBackward(logits, rows, vocab, gH, { temperature }),
        numericGrad(fH, logits),
      );
      const fBoth = (z: Float64Array) => {
        const r = logProbsAndEntropy(z, labels, rows, vocab, { temperature });
        let s = 0;
        for (let i = 0; i < rows; i++)
          s += (r.logProbs[i] as number) * (gLp[i] as number) + (r.entropy[i] as number) * (gH[i] as number);
        return s;
      };
      expectGradClose(
        'fused',
        logProbsAndEntropyBackward(logits, labels, rows, vocab, gLp, gH, { temperature }),
        numericGrad(fBoth, logits),
      );
    });
  }
});

describe('finite differences: KL estimators', () => {
  const types: [KlEstimator, 'verl' | 'trl'][] = [
    ['k1', 'verl'],
    ['abs', 'verl'],
    ['k2', 'verl'],
    ['k3', 'verl'],
    ['k3', 'trl'],
  ];
  it.each(types)('%s (%s)', (type, impl) => {
    const rng = createRng(`kl-${type}-${impl}`);
    const logp = normal(rng, 30, 1, -2);
    const ref = normal(rng, 30, 1, -2);
    const w = normal(rng, 30);
    const f = (x: Float64Array) =>
      klPenalty(x, ref, { type, impl }).reduce((s, v, i) => s + v * (w[i] as number), 0);
    const fr = (x: Float64Array) =>
      klPenalty(logp, x, { type, impl }).reduce((s, v, i) => s + v * (w[i] as number), 0);
    const g = klPenaltyBackward(logp, ref, { type, impl, gradOut: w });
    expectGradClose('logp', g.logProb, numericGrad(f, logp));
    expectGradClose('ref', g.refLogProb, numericGrad(fr, ref));
  });
});

describe('finite differences: aggregation', () => {
  it('verl modes (HEAD and legacy) and TRL loss types', () => {
    const rng = createRng('agg');
    const loss = normal(rng, B * T);
    const mask = randomMask(rng, B, T);
    for (const mode of VERL_LOSS_AGG_MODES) {
      for (const version of ['head', 'legacy'] as const) {
        const f = (x: Float64Array) => verlAggLoss(x, mask, B, T, mode, { version });
        expectGradClose(
          `${mode}/${version}`,
          verlAggLossWeights(mask, B, T, mode, { version }),
          numericGrad(f, loss),
        );
      }
    }
    for (const lt of TRL_LOSS_TYPES) {
      const o = {
        maxCompletionLength: 9,
        numProcesses: 2,
        gradientAccumulationSteps: 3,
        numItemsInBatch: 40,
      };
      const f = (x: Float64Array) => trlAggLoss(x, mask, B, T, lt, o);
      expectGradClose(lt, trlAggLossWeights(mask, B, T, lt, o), numericGrad(f, loss));
    }
  });
});

describe('finite differences: policy losses', () => {
  for (const seed of [1, 2, 3]) {
    it(`verl vanilla, every mode (seed ${seed})`, () => {
      const inp = ppoInputs(seed, seed === 2 ? 1 : -1);
      for (const mode of VERL_LOSS_AGG_MODES) {
        const opts = { clipRatioLow: 0.2, clipRatioHigh: 0.28, lossAggMode: mode };
        const r = verlPolicyLossVanilla(inp, opts);
        const f = (x: Float64Array) =>
          verlPolicyLossVanilla({ ...inp, logProb: x }, { ...opts, computeGrad: false }).pgLoss;
        expectGradClose(mode, r.gradLogProb as Float64Array, numericGrad(f, inp.logProb));
      }
    });

    it(`verl GSPO with row-constant advantages (seed ${seed})`, () => {
      // The stop-gradient surrogate equals the derivative of the value only when A is constant
      // over each row (the outcome-advantage case GSPO is used with).
      const p = ppoInputs(seed);
      const adv = Float64Array.from(p.advantages, (_, k) => p.advantages[Math.floor(k / T) * T] as number);
      const inp = { ...p, advantages: adv };
      const opts = { clipRatioLow: 0.05, clipRatioHigh: 0.05 };
      const r = verlPolicyLossGspo(inp, opts);
      const f = (x: Float64Array) =>
        verlPolicyLossGspo({ ...inp, logProb: x }, { ...opts, computeGrad: false }).pgLoss;
      expectGradClose('gspo', r.gradLogProb as Float64Array, numericGrad(f, inp.logProb), 1e-6, 1e-5);
    });

    it(`TRL GRPO loss, every loss type, token and sequence level, β and delta (seed ${seed})`, () => {
      const p = ppoInputs(seed, 2);
      const rng = createRng(seed + 100);
      const ref = normal(rng, B * T, 1, -2);
      const adv = normal(rng, B);
      for (const lossType of TRL_LOSS_TYPES) {
        for (const level of ['token', 'sequence'] as const) {
          for (const extra of [{}, { beta: 0.04 }, { delta: 1.5 }]) {
            const opts = {
              lossType,
              importanceSamplingLevel: level,
              epsilon: 0.2,
              epsilonHigh: 0.28,
              maxCompletionLength: 8,
              ...extra,
            };
            const inp = {
              perTokenLogps: p.logProb,
              oldPerTokenLogps: p.oldLogProb,
              refPerTokenLogps: ref,
              advantages: adv,
              mask: p.responseMask,
              rows: B,
              cols: T,
            };
            const r = trlGrpoLoss(inp, opts);
            const f = (x: Float64Array) =>
              trlGrpoLoss({ ...inp, perTokenLogps: x }, { ...opts, computeGrad: false }).loss;
            const fr = (x: Float64Array) =>
              trlGrpoLoss({ ...inp, refPerTokenLogps: x }, { ...opts, computeGrad: false }).loss;
            const tag = `${lossType}/${level}/${JSON.stringify(extra)}`;
            expectGradClose(tag, r.gradPerTokenLogps as Float64Array, numericGrad(f, p.logProb));
            expectGradClose(`${tag}/ref`, r.gradRefPerTokenLogps as Float64Array, numericGrad(fr, ref));
          }
        }
      }
    });

    it(`verl actor loss with k3 KL and entropy (seed ${seed})`, () => {
      const inp = ppoInputs(seed);
      const rng = createRng(seed + 200);
      const ref = normal(rng, B * T, 0.3, -2);
      const ent = normal(rng, B * T, 0.5, 1);
      for (const mode of VERL_LOSS_AGG_MODES) {
        const opts = { lossAggMode: mode, klLossCoef: 0.3, entropyCoeff: 0.01 };
        const full = { ...inp, refLogProb: ref, entropy: ent };
        const r = verlActorLoss(full, opts);
        expectGradClose(
          `${mode}/logp`,
          r.gradLogProb,
          numericGrad((x) => verlActorLoss({ ...full, logProb: x }, opts).loss, inp.logProb),
        );
        expectGradClose(
          `${mode}/ref`,
          r.gradRefLogProb as Float64Array,
          numericGrad((x) => verlActorLoss({ ...full, refLogProb: x }, opts).loss, ref),
        );
        expectGradClose(
          `${mode}/entropy`,
          r.gradEntropy as Float64Array,
          numericGrad((x) => verlActorLoss({ ...full, entropy: x }, opts).loss, ent),
        );
      }
    });
  }
});

describe('finite differences: grpoStep end to end from logits', () => {
  const rows = 4;
  const cols = 3;
  const vocab = 5;
  const rng = createRng('grpo-step');
  const logits = normal(rng, rows * cols * vocab, 1.5);
  const labels = Array.from({ length: rows * cols }, () => rng.nextInt(vocab));
  const mask = Float64Array.from([1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1]);
  const old = new Float64Array(rows * cols);
  tokenLogProbs(logits, labels, rows * cols, vocab, { temperature: 0.8 }).forEach((v, i) => {
    old[i] = v + 0.3 * rng.nextNormal();
  });
  const ref = Float64Array.from(old, (v) => v - 0.2);
  const rewards = [1, 0, 0.5, 1];
  const groupIds = ['a', 'a', 'b', 'b'];
  for (const impl of ['verl', 'trl'] as const) {
    it(impl, () => {
      const options =
        impl === 'verl'
          ? { impl, verl: { entropyCoeff: 0.01, klLossCoef: 0.1 } }
          : { impl, trl: { beta: 0.04, entropyCoef: 0.01, lossType: 'grpo' as const } };
      const run = (z: Float64Array) =>
        grpoStep(
          {
            rows,
            cols,
            mask,
            rewards,
            groupIds,
            oldLogProbs: old,
            refLogProbs: ref,
            logits: { logits: z, labels, vocab, temperature: 0.8 },
          },
          options,
        );
      const r = run(logits);
      expectGradClose(
        'logits',
        r.gradLogits as Float64Array,
        numericGrad((z) => run(z).loss, logits),
      );
    });
  }
});
