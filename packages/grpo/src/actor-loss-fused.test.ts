import { createRng } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type VerlActorLossOptions, verlActorLoss } from './actor-loss.js';
import { verlActorLossFused } from './actor-loss-fused.js';
import { VERL_LOSS_AGG_MODES } from './aggregation.js';

function close(a: number | null, b: number | null): void {
  if (a === null || b === null) {
    expect(a).toBe(b);
    return;
  }
  if (Number.isNaN(b)) expect(a).toBeNaN();
  else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b)));
}

function closeArr(a: Float64Array | null, b: Float64Array | null): void {
  if (a === null || b === null) {
    expect(a).toBe(b);
    return;
  }
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) close(a[i] as number, b[i] as number);
}

function makeInputs(seed: string, rows: number, cols: number, spread: number) {
  const rng = createRng(seed);
  const n = rows * cols;
  const oldLogProb = rng.fillNormal(new Float64Array(n), -2, 1);
  const logProb = Float64Array.from(oldLogProb, (v) => v + spread * rng.nextNormal());
  const refLogProb = Float64Array.from(oldLogProb, (v) => v + spread * rng.nextNormal());
  const advantages = new Float64Array(n);
  for (let i = 0; i < rows; i++) advantages.fill(rng.nextNormal(), i * cols, (i + 1) * cols);
  const responseMask = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.8 ? 1 : 0));
  responseMask.fill(0, 0, cols); // an empty row
  const entropy = Float64Array.from({ length: n }, () => 3 * rng.nextFloat());
  const rolloutIsWeights = Float64Array.from({ length: n }, () => 0.5 + rng.nextFloat());
  return { oldLogProb, logProb, refLogProb, advantages, responseMask, entropy, rolloutIsWeights, rows, cols };
}

function compare(inputs: Parameters<typeof verlActorLoss>[0], options: VerlActorLossOptions): void {
  const a = verlActorLoss(inputs, options);
  const b = verlActorLossFused(inputs, options);
  for (const k of [
    'loss',
    'pgLoss',
    'klLoss',
    'entropyLoss',
    'pgClipfrac',
    'ppoKl',
    'pgClipfracLower',
  ] as const)
    close(b[k], a[k]);
  closeArr(b.gradLogProb, a.gradLogProb);
  closeArr(b.gradRefLogProb, a.gradRefLogProb);
  closeArr(b.gradEntropy, a.gradEntropy);
}

describe('verlActorLossFused matches verlActorLoss (the golden-tested reference) to 1e-12', () => {
  it('every agg mode × version, KL on/off, entropy bonus, rollout IS weights, clamps binding', () => {
    for (const spread of [0.3, 15]) {
      const inp = makeInputs(`fused-${spread}`, 6, 37, spread);
      for (const lossAggMode of VERL_LOSS_AGG_MODES) {
        for (const version of ['head', 'legacy'] as const) {
          compare(inp, { lossAggMode, version, klLossCoef: 0.05 });
          compare(inp, { lossAggMode, version, useKlLoss: false, entropyCoeff: 0.01 });
          compare({ ...inp, refLogProb: undefined }, { lossAggMode, version, clipRatioHigh: 0.28 });
          compare(inp, { lossAggMode, version, klLossType: 'k3', entropyCoeff: 0.02, clipRatioC: 2 });
          const { rolloutIsWeights: _w, ...noIsw } = inp;
          compare(noIsw, { lossAggMode, version, klLossCoef: 1, dpSize: 2 });
        }
      }
    }
  });
  it('other KL estimators are delegated to the reference', () => {
    const inp = makeInputs('fused-k2', 3, 11, 0.5);
    compare(inp, { klLossType: 'k2' });
    compare(inp, { klLossType: 'abs', lossAggMode: 'seq-mean-token-mean' });
  });
  it('writes into the given out buffers', () => {
    const inp = makeInputs('fused-out', 4, 8, 0.3);
    const gradLogProb = new Float64Array(32);
    const gradRefLogProb = new Float64Array(32);
    const r = verlActorLossFused(inp, { out: { gradLogProb, gradRefLogProb } });
    expect(r.gradLogProb).toBe(gradLogProb);
    expect(r.gradRefLogProb).toBe(gradRefLogProb);
    expect(() => verlActorLossFused(inp, { out: { gradLogProb: new Float64Array(3) } })).toThrow();
  });
  it('property: random tokens (ties, ±20 clamps, dual clip) agree', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.oneof(
              fc.double({ min: -30, max: 30, noNaN: true }),
              fc.constantFrom(0, Math.log(0.8), Math.log(1.2)),
            ),
            k: fc.double({ min: -30, max: 30, noNaN: true }),
            a: fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constant(0)),
            m: fc.constantFrom(0, 1),
          }),
          { minLength: 4, maxLength: 4 },
        ),
        fc.constantFrom(...VERL_LOSS_AGG_MODES),
        (toks, lossAggMode) => {
          const inputs = {
            rows: 2,
            cols: 2,
            oldLogProb: toks.map(() => -1),
            logProb: toks.map((t) => -1 + t.x),
            refLogProb: toks.map((t) => -1 + t.x + t.k),
            advantages: toks.map((t) => t.a),
            responseMask: toks.map((t) => t.m),
          };
          compare(inputs, { lossAggMode, klLossCoef: 0.1 });
        },
      ),
    );
  });
});
