import { verdictFromScores } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  debiasedLogit,
  scorePairFromRewards,
  verdictFromLogit,
  verdictFromMargin,
  verdictFromRewards,
  verdictsFromRewards,
} from './index.js';

describe('reward → verdict', () => {
  it('maps margins with a tie threshold', () => {
    expect(verdictFromRewards(1, 0.5)).toBe('answer1');
    expect(verdictFromRewards(0.5, 1)).toBe('answer2');
    expect(verdictFromRewards(1, 1)).toBe('tie');
    expect(verdictFromRewards(1, 0.9, { tieThreshold: 0.2 })).toBe('tie');
    expect(verdictFromRewards(1, 1, { onTie: 'answer2' })).toBe('answer2');
    expect(verdictFromMargin(Number.NaN)).toBe('tie');
    expect(verdictsFromRewards([1, 0, 2], [0, 1, 2])).toEqual(['answer1', 'answer2', 'tie']);
    expect(() => verdictFromMargin(1, { tieThreshold: -1 })).toThrow(/tieThreshold/);
  });
  it('Cross-BT logit and debiasing', () => {
    expect(verdictFromLogit(0)).toBe('tie');
    expect(verdictFromLogit(-0.1)).toBe('answer2');
    expect(debiasedLogit(1.5, -0.5)).toBe(1);
  });
  it('score pairs agree with verdictFromScores for every mapping (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.constantFrom(0, 0.1, 1),
        fc.constantFrom('sigmoid' as const, 'linear' as const),
        fc.constantFrom('tie' as const, 'answer2' as const),
        (r1, r2, tieThreshold, mapping, onTie) => {
          const opts = { tieThreshold, mapping, onTie, low: -5, high: 5, temperature: 2 };
          const s = scorePairFromRewards(r1, r2, opts);
          expect(s[0]).toBeGreaterThanOrEqual(1);
          expect(s[1]).toBeLessThanOrEqual(10 + 1e-6);
          expect(verdictFromScores(s)).toBe(verdictFromRewards(r1, r2, opts));
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
  it('sigmoid mapping values', () => {
    expect(scorePairFromRewards(0, 0)).toEqual([5.5, 5.5]);
    const [a, b] = scorePairFromRewards(2, 0, { temperature: 2 });
    expect(a).toBeCloseTo(1 + 9 / (1 + Math.exp(-1)), 12);
    expect(a + b).toBeCloseTo(11, 12);
    expect(scorePairFromRewards(0, 10, { mapping: 'linear', low: 0, high: 10 })).toEqual([1, 10]);
    expect(() => scorePairFromRewards(0, 1, { mapping: 'linear' })).toThrow(/low < high/);
  });
});
