import { createRng, type Verdict } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bootstrapMean,
  bootstrapReplicates,
  cohenKappa,
  dropFailedLabels,
  evaluateJudge,
  fleissKappa,
  fleissKappaFromCounts,
  inconsistentToTie,
  majorityVote,
  pairwiseAccuracy,
  preferenceBiases,
  quantileSorted,
  reasoningRate,
  rewardBenchScores,
  rmBenchAccuracy,
  swapConsistency,
} from './index.js';

const A1 = 'answer1' as const;
const A2 = 'answer2' as const;
const T = 'tie' as const;

describe('classification metrics, hand-computed', () => {
  const labels: Verdict[] = [A1, A1, A2, A2, T, T];
  const preds: (Verdict | null)[] = [A1, A2, A2, T, T, null];

  it('counts a failure separately: always wrong, lowers recall, never a class', () => {
    const r = evaluateJudge({ predictions: preds, labels });
    expect(r.accuracy).toBeCloseTo(0.5, 12);
    expect(r.perClass.answer1).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2, predicted: 1 });
    expect(r.perClass.answer2).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 });
    expect(r.perClass.tie).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2, predicted: 2 });
    expect(r.macro.precision).toBeCloseTo(2 / 3, 12);
    expect(r.macro.recall).toBeCloseTo(0.5, 12);
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 1) / 3, 12);
    expect(r.cohenKappa).toBeCloseTo(8 / 26, 12);
    expect(r.confusion.failures).toEqual([0, 0, 1]);
    expect(r.confusion.counts).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(r.predictionFailures).toBe(1);
    expect(r.predictionFailureRate).toBeCloseTo(1 / 6, 12);
  });

  it("'as-tie' maps the failure to tie; 'drop' removes it", () => {
    const t = evaluateJudge({ predictions: preds, labels, failurePolicy: 'as-tie' });
    expect(t.accuracy).toBeCloseTo(4 / 6, 12);
    expect(t.perClass.tie.precision).toBeCloseTo(2 / 3, 12);
    expect(t.perClass.tie.recall).toBe(1);
    expect(t.perClass.tie.f1).toBeCloseTo(0.8, 12);
    const d = evaluateJudge({ predictions: preds, labels, failurePolicy: 'drop' });
    expect(d.n).toBe(5);
    expect(d.accuracy).toBeCloseTo(3 / 5, 12);
    expect(d.predictionFailures).toBe(1);
  });

  it('drops samples whose label failed to parse (JudgeLM)', () => {
    const r = evaluateJudge({ predictions: [A1, A2, T], labels: [A1, null, T] });
    expect(r.n).toBe(2);
    expect(r.droppedLabelFailures).toBe(1);
    expect(r.accuracy).toBe(1);
    const d = dropFailedLabels([A1, null, T], ['x', 'y', 'z']);
    expect(d).toEqual({ labels: [A1, T], aligned: [['x', 'z']], kept: [0, 2], dropped: 1 });
  });

  it('zero division and class selection follow sklearn', () => {
    const labels2: Verdict[] = [A1, A1];
    const preds2: Verdict[] = [A2, A2];
    // sklearn precision_score([1,1],[2,2],average='macro') = 0; zero_division=1 → 0.5.
    expect(evaluateJudge({ predictions: preds2, labels: labels2 }).macro.precision).toBe(0);
    const one = evaluateJudge({ predictions: preds2, labels: labels2, zeroDivision: 1 });
    expect(one.macro.precision).toBe(0.5);
    expect(one.macro.recall).toBe(0.5);
    expect(one.macro.f1).toBe(0);
    expect(one.classesAveraged).toEqual([A1, A2]);
    const nan = evaluateJudge({ predictions: preds2, labels: labels2, zeroDivision: 'nan' });
    expect(nan.perClass.answer1.precision).toBeNaN();
    expect(nan.macro.precision).toBe(0);
    const all = evaluateJudge({ predictions: preds2, labels: labels2, classes: 'all', zeroDivision: 1 });
    expect(all.classesAveraged).toEqual([A1, A2, T]);
    expect(all.macro.precision).toBeCloseTo(2 / 3, 12);
    expect(all.macro.f1).toBeCloseTo(1 / 3, 12);
  });

  it('rejects mismatched lengths and unknown verdicts', () => {
    expect(() => evaluateJudge({ predictions: [A1], labels: [A1, A2] })).toThrow(/Shape mismatch/);
    expect(() => evaluateJudge({ predictions: ['win' as Verdict], labels: [A1] })).toThrow(
      /Invalid argument/,
    );
  });
});

describe('inter-rater statistics, hand-computed', () => {
  it("Cohen's kappa", () => {
    expect(cohenKappa([1, 1, 0, 0], [1, 0, 0, 0])).toBeCloseTo(0.5, 12);
    expect(cohenKappa([1, 0], [1, 0])).toBe(1);
    expect(cohenKappa([1, 1], [1, 1])).toBeNaN();
    expect(cohenKappa([1, null, 0, 0, 1], [1, 1, 0, 0, 0])).toBeCloseTo(0.5, 12);
  });
  it("Fleiss' kappa", () => {
    expect(fleissKappaFromCounts([2, 0, 1, 1], 2, 2)).toBeCloseTo(-1 / 3, 12);
    expect(
      fleissKappa([
        ['a', 'a'],
        ['a', 'b'],
      ]),
    ).toBeCloseTo(-1 / 3, 12);
    // Wikipedia's worked example (10 items, 14 raters, 5 categories): κ = 0.210.
    const wiki = [
      0, 0, 0, 0, 14, 0, 2, 6, 4, 2, 0, 0, 3, 5, 6, 0, 3, 9, 2, 0, 2, 2, 8, 1, 1, 7, 7, 0, 0, 0, 3, 2, 6, 3,
      0, 2, 5, 3, 2, 2, 6, 5, 2, 1, 0, 0, 2, 2, 3, 7,
    ];
    expect(fleissKappaFromCounts(wiki, 10, 5).toFixed(3)).toBe('0.210');
    expect(() => fleissKappaFromCounts([2, 0, 1, 0], 2, 2)).toThrow(/fixed number of raters/);
  });
});

describe('majority vote', () => {
  const r1: Verdict[] = [A1, A1, T, A2];
  const r2: Verdict[] = [A1, A2, A2, A2];
  const r3: Verdict[] = [A2, T, A1, A2];
  it('plurality with explicit split policies', () => {
    expect(majorityVote([r1, r2, r3])).toEqual({ labels: [A1, A1, T, A2], splits: 2, unanimous: 1 });
    expect(majorityVote([r1, r2, r3], { onSplit: 'min-code' }).labels).toEqual([A1, T, T, A2]);
    expect(majorityVote([r1, r2, r3], { onSplit: 'tie' }).labels).toEqual([A1, T, T, A2]);
    expect(majorityVote([r1, r2, r3], { onSplit: 'none' }).labels).toEqual([A1, null, null, A2]);
    expect(() => majorityVote([r1, r2, r3], { onSplit: 'error' })).toThrow(/tied vote/);
    expect(majorityVote([[null], [A2]]).labels).toEqual([A2]);
    expect(majorityVote([[null], [null]]).labels).toEqual([null]);
  });
});

describe('swap consistency and position bias, hand-computed', () => {
  const seq = [A1, A1, T, A2, null];
  const rev = [A2, A1, T, A2, A1]; // as judged on the swapped presentation
  it('JudgeLM consistency and bias rates', () => {
    const s = swapConsistency(seq, rev);
    expect(s.n).toBe(5);
    expect(s.failures).toBe(1);
    expect(s.consistency).toBeCloseTo(0.4, 12);
    expect(s.preferFirstRate).toBeCloseTo(0.2, 12);
    expect(s.preferSecondRate).toBeCloseTo(0.2, 12);
    expect(s.deltaBias).toBe(0);
    expect(s.totalBias).toBeCloseTo(0.4, 12);
    expect(s.flipRate).toBeCloseTo(0.4, 12);
    expect(s.firstSlotRate).toBeCloseTo(4 / 7, 12);
    expect(s.secondSlotRate).toBeCloseTo(3 / 7, 12);
    expect(s.tieRate).toBeCloseTo(2 / 9, 12);
    const t = swapConsistency(seq, rev, { failurePolicy: 'as-tie' });
    expect(t.preferFirstRate).toBeCloseTo(0.4, 12);
    const d = swapConsistency(seq, rev, { failurePolicy: 'drop' });
    expect(d.n).toBe(4);
    expect(d.consistency).toBe(0.5);
    // Same data with the reversed run already mapped back to the original frame.
    const back = rev.map((v) => (v === A1 ? A2 : v === A2 ? A1 : v));
    expect(swapConsistency(seq, back, { reversedFrame: 'original' })).toEqual(s);
  });
  it('FastChat / PandaLM: inconsistent → tie', () => {
    expect(inconsistentToTie(seq, rev)).toEqual([A1, T, T, T, null]);
  });
});

describe('AlpacaEval diagnostics', () => {
  it('prefer-first and prefer-longer', () => {
    const b = preferenceBiases({
      verdicts: [A1, A2, T, null],
      lengths1: [100, 10, 100, 5],
      lengths2: [10, 100, 10, 5],
    });
    expect(b.parsed).toBe(3);
    expect(b.probPreferFirst).toBeCloseTo(0.5, 12);
    // The tie counts as preferring output 2 (the shorter one here), as upstream.
    expect(b.probPreferLonger).toBeCloseTo(2 / 3, 12);
    expect(b.pairsWithLengthGap).toBe(3);
    const small = preferenceBiases({ verdicts: [A1], lengths1: [40], lengths2: [10] });
    expect(small.pairsWithLengthGap).toBe(0);
    expect(small.probPreferLonger).toBeNaN();
  });
});

describe('reward-model scoring', () => {
  it('pairwise accuracy: ties are wrong (RewardBench) or half', () => {
    expect(pairwiseAccuracy([1, 2, 3], [0, 2, 4])).toBeCloseTo(1 / 3, 12);
    expect(pairwiseAccuracy([1, 2, 3], [0, 2, 4], 'half')).toBeCloseTo(1.5 / 3, 12);
  });
  it('RM-Bench 3 × 3 matrix', () => {
    const r = rmBenchAccuracy([1, 2, 3], [0, 2, 4]);
    expect(r.matrix).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
    ]);
    expect(r.hard).toBe(0);
    expect(r.normal).toBeCloseTo(1 / 3, 12);
    expect(r.easy).toBe(1);
  });
  it('RewardBench section weighting', () => {
    const s = rewardBenchScores({ 'alpacaeval-easy': 1, 'alpacaeval-hard': 0.5 });
    expect(s.sections.Chat).toBeCloseTo(147.5 / 195, 12);
    expect(s.sections.Safety).toBe(0);
    expect(s.overall).toBeCloseTo(147.5 / 195, 12);
    const w = rewardBenchScores(
      { a: 1, b: 0 },
      {
        exampleCounts: { a: 1, b: 1 },
        sections: { S: ['a'], 'Prior Sets': ['b'] },
        sectionWeights: { 'Prior Sets': 0.5 },
      },
    );
    expect(w.overall).toBeCloseTo(1 / 1.5, 12);
  });
});

describe('reasoning rate', () => {
  it('share with rating ≥ 5, overall and per category', () => {
    const r = reasoningRate({ ratings: [7, 3, null, 5], categories: ['x', 'x', 'y', 'y'] });
    expect(r.overall).toEqual({ rated: 3, needsReasoning: 2, rate: 2 / 3, meanRating: 5, missing: 1 });
    expect(r.byCategory.x!.rate).toBe(0.5);
    expect(r.byCategory.y).toEqual({ rated: 1, needsReasoning: 1, rate: 1, meanRating: 5, missing: 1 });
    expect(r.needsReasoning).toEqual([true, false, null, true]);
  });
});

describe('bootstrap', () => {
  it("method 'resample' uses the same index stream as Rng.sampleIndices", () => {
    const codes = new Uint8Array([0, 1, 2, 3, 4, 5, 6]);
    const reps = bootstrapReplicates(codes, 7, 7, (h, out) => out.set(h), {
      resamples: 3,
      seed: 42,
      method: 'resample',
    });
    const rng = createRng(42);
    for (let r = 0; r < 3; r++) {
      const h = new Float64Array(7);
      for (const i of rng.sampleIndices(7, 7)) h[i]! += 1;
      expect(Array.from(reps.subarray(r * 7, r * 7 + 7))).toEqual(Array.from(h));
    }
  });
  it('equals Rng.sampleIndices for any size, powers of two and n = 1 included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1, max: 400 }),
          fc.integer({ min: 0, max: 10 }).map((k) => 2 ** k),
        ),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 4 }),
        (n, seed, resamples) => {
          const bins = 5;
          const codes = new Uint8Array(n).map((_, i) => (i * 7 + 3) % bins);
          const reps = bootstrapReplicates(codes, bins, bins, (h, out) => out.set(h), {
            resamples,
            seed,
            method: 'resample',
          });
          const rng = createRng(seed);
          const want = new Float64Array(resamples * bins);
          for (let r = 0; r < resamples; r++)
            for (const i of rng.sampleIndices(n, n)) want[r * bins + codes[i]!]! += 1;
          expect(Array.from(reps)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 200 },
    );
  });
  it('numpy-linear percentiles and a degenerate interval for constant data', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 12);
    const ci = bootstrapMean(new Uint8Array(50).fill(1), [0, 1], { resamples: 50 });
    expect([ci.estimate, ci.lower, ci.upper, ci.standardError]).toEqual([1, 1, 1, 0]);
    const half = bootstrapMean(
      new Uint8Array(1000).map((_, i) => i % 2),
      [0, 1],
      { resamples: 400, seed: 3 },
    );
    expect(half.estimate).toBe(0.5);
    expect(half.lower).toBeGreaterThan(0.45);
    expect(half.upper).toBeLessThan(0.55);
    // Binomial standard error sqrt(0.25/1000) ≈ 0.0158.
    expect(half.standardError).toBeGreaterThan(0.012);
    expect(half.standardError).toBeLessThan(0.02);
  });
});

const verdict = fc.constantFrom<Verdict>(A1, A2, T);
const maybeVerdict = fc.option(verdict, { nil: null });
const swap = (v: Verdict | null): Verdict | null => (v === A1 ? A2 : v === A2 ? A1 : v);
const close = (a: number, b: number): void => {
  if (Number.isNaN(b)) expect(a).toBeNaN();
  else expect(a).toBeCloseTo(b, 12);
};

describe('properties', () => {
  it('failure policies equal evaluating the explicitly filtered / remapped arrays, intervals included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(maybeVerdict, maybeVerdict), { minLength: 1, maxLength: 80 }),
        fc.constantFrom('count-separately' as const, 'as-tie' as const, 'drop' as const),
        fc.boolean(),
        (rows, failurePolicy, encoded) => {
          const kept = rows
            .filter(([l, p]) => l !== null && (failurePolicy !== 'drop' || p !== null))
            .map(([l, p]) => [l, failurePolicy === 'as-tie' && p === null ? T : p] as const);
          const code = (v: Verdict | null): number => (v === null ? 3 : v === A1 ? 0 : v === A2 ? 1 : 2);
          const enc = (vs: (Verdict | null)[]) => (encoded ? Uint8Array.from(vs, code) : vs);
          const bootstrap = { resamples: 30, seed: rows.length };
          const r = evaluateJudge({
            labels: enc(rows.map((x) => x[0])),
            predictions: enc(rows.map((x) => x[1])),
            failurePolicy,
            bootstrap,
          });
          const e = evaluateJudge({
            labels: kept.map((x) => x[0]),
            predictions: kept.map((x) => x[1]),
            bootstrap,
          });
          expect(r.n).toBe(e.n);
          expect(r.droppedLabelFailures).toBe(rows.filter(([l]) => l === null).length);
          expect(r.confusion).toEqual(e.confusion);
          expect(JSON.stringify([r.accuracy, r.macro, r.perClass, r.cohenKappa, r.ci])).toBe(
            JSON.stringify([e.accuracy, e.macro, e.perClass, e.cohenKappa, e.ci]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
  const pairs = fc
    .array(fc.tuple(verdict, maybeVerdict), { minLength: 1, maxLength: 60 })
    .chain((rows) =>
      fc.tuple(
        fc.constant(rows),
        fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
      ),
    );

  it('every metric is invariant to sample order', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.constantFrom('count-separately', 'as-tie', 'drop') as fc.Arbitrary<'as-tie'>,
        ([a, b], policy) => {
          const ra = evaluateJudge({
            labels: a.map((x) => x[0]),
            predictions: a.map((x) => x[1]),
            failurePolicy: policy,
          });
          const rb = evaluateJudge({
            labels: b.map((x) => x[0]),
            predictions: b.map((x) => x[1]),
            failurePolicy: policy,
          });
          expect(rb).toEqual(ra);
          const sa = swapConsistency(
            a.map((x) => x[0]),
            a.map((x) => x[1]),
          );
          const sb = swapConsistency(
            b.map((x) => x[0]),
            b.map((x) => x[1]),
          );
          expect(sb).toEqual(sa);
        },
      ),
    );
  });

  it('swapping answer1 ↔ answer2 everywhere keeps the headline metrics and swaps per-class rows', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(verdict, maybeVerdict), { minLength: 1, maxLength: 60 }), (rows) => {
        const labels = rows.map((x) => x[0]);
        const preds = rows.map((x) => x[1]);
        const r = evaluateJudge({ labels, predictions: preds });
        const s = evaluateJudge({ labels: labels.map(swap), predictions: preds.map(swap) });
        expect(s.accuracy).toBe(r.accuracy);
        close(s.macro.precision, r.macro.precision);
        close(s.macro.recall, r.macro.recall);
        close(s.macro.f1, r.macro.f1);
        close(s.cohenKappa, r.cohenKappa);
        expect(s.perClass.answer1).toEqual(r.perClass.answer2);
        expect(s.perClass.answer2).toEqual(r.perClass.answer1);
        expect(s.perClass.tie).toEqual(r.perClass.tie);
      }),
    );
  });

  it('a judge that answers consistently by content has consistency 1 and no bias', () => {
    fc.assert(
      fc.property(fc.array(verdict, { minLength: 1, maxLength: 50 }), (v) => {
        const s = swapConsistency(v, v.map(swap));
        expect(s.consistency).toBe(1);
        expect(s.totalBias).toBe(0);
        expect(inconsistentToTie(v, v.map(swap))).toEqual(v);
      }),
    );
  });

  it('a judge that always picks slot 1 is fully biased to the first slot', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const s = swapConsistency(new Array(n).fill(A1), new Array(n).fill(A1));
        expect(s.preferFirstRate).toBe(1);
        expect(s.firstSlotRate).toBe(1);
        expect(s.flipRate).toBe(1);
        expect(s.consistency).toBe(0);
      }),
    );
  });

  it('metrics lie in their ranges and agree with a direct count', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(verdict, maybeVerdict), { minLength: 1, maxLength: 60 }), (rows) => {
        const r = evaluateJudge({ labels: rows.map((x) => x[0]), predictions: rows.map((x) => x[1]) });
        const hits = rows.filter((x) => x[0] === x[1]).length;
        expect(r.accuracy).toBeCloseTo(hits / rows.length, 12);
        for (const v of [r.macro.precision, r.macro.recall, r.macro.f1]) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(r.confusion.total).toBe(rows.length);
      }),
    );
  });
});
