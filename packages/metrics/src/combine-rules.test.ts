/**
 * Two-order rules against TypeScript restatements of the upstream scoring code:
 * - JudgeBench: ScalerLab/JudgeBench utils/metrics.py `compute_final_metrics` (reverse_order=True)
 *   @ 12a499c5c29f06940d259b49250fca627d2a0ee5.
 * - LLMBar: princeton-nlp/LLMBar LLMEvaluator/evaluate.py statistics (`correct_average`,
 *   `correct_both`) @ caa7bee794bfed74baed038b99229fa3f0c4c511.
 * - FastChat: lm-sys/FastChat fastchat/llm_judge/show_result.py `display_result_pairwise` @ 02d4581b.
 */
import { RegistryConflictError, swapVerdict, type Verdict } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combineOrders,
  evaluateTwoOrders,
  getCombineRule,
  listCombineRules,
  registerCombineRule,
  unregisterCombineRule,
} from './combine-rules.js';
import { evaluateJudge } from './evaluate-judge.js';
import { swapConsistency } from './position-bias.js';

type Decision = 'A>B' | 'B>A' | 'A=B' | null;
const toDecision = (v: Verdict | null): Decision =>
  v === 'answer1' ? 'A>B' : v === 'answer2' ? 'B>A' : v === 'tie' ? 'A=B' : null;
const flip = (d: Decision): Decision => (d === 'A>B' ? 'B>A' : d === 'B>A' ? 'A>B' : d);

/** utils/metrics.py compute_final_metrics, reverse_order=True: returns 100·n_correct/n_pairs. */
function judgeBenchUpstream(pairs: { label: Decision; judgments: [Decision, Decision] }[]): number {
  let nCorrect = 0;
  for (const pair of pairs) {
    const label = pair.label;
    const decision1 = pair.judgments[0];
    const decision2 = flip(pair.judgments[1]);
    let counter = 0;
    for (const decision of [decision1, decision2]) {
      if (decision === label) counter += 1;
      else if (decision === flip(label)) counter -= 1;
    }
    if (counter > 0) nCorrect += 1;
  }
  return (100 * nCorrect) / pairs.length;
}

/** evaluate.py statistics: winners '1' / '2' / None per order (swap=True already reversed). */
function llmBarUpstream(rows: { label: 1 | 2; f: '1' | '2' | null; t: '1' | '2' | null }[]) {
  let correctFalse = 0;
  let correctTrue = 0;
  let correctBoth = 0;
  for (const r of rows) {
    const label = String(r.label);
    correctFalse += r.f === label ? 1 : 0;
    correctTrue += r.t === label ? 1 : 0;
    correctBoth += r.f === label && r.t === label ? 1 : 0;
  }
  return {
    average: (correctFalse + correctTrue) / 2 / rows.length,
    both: correctBoth / rows.length,
    correctFalse,
    correctTrue,
  };
}

const verdictOrNull = fc.constantFrom<Verdict | null>('answer1', 'answer2', 'tie', null);
const decisive = fc.constantFrom<Verdict>('answer1', 'answer2');

describe('judgebench rule', () => {
  it('constructed cases: a decisive game plus a tie (or a failure) still wins; opposite games tie', () => {
    const r = getCombineRule('judgebench');
    if (r.kind !== 'per-sample') throw new Error('kind');
    expect(r.combine('answer1', 'tie')).toBe('answer1');
    expect(r.combine('tie', 'answer2')).toBe('answer2');
    expect(r.combine('answer1', null)).toBe('answer1');
    expect(r.combine('answer1', 'answer2')).toBe('tie');
    expect(r.combine(null, null)).toBeNull();
    // FastChat reads the same pairs differently.
    expect(combineOrders(['answer1', 'answer1'], ['tie', null], 'fastchat')).toEqual(['tie', null]);
  });
  it('equals compute_final_metrics on random runs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(decisive, verdictOrNull, verdictOrNull), { minLength: 1, maxLength: 60 }),
        (rows) => {
          const upstream = judgeBenchUpstream(
            rows.map(([l, a, bOriginalFrame]) => ({
              label: toDecision(l),
              // The second game is stored as judged on (B, A): flip the original-frame verdict.
              judgments: [toDecision(a), toDecision(swapVerdict(bOriginalFrame))],
            })),
          );
          const ours = evaluateTwoOrders({
            original: rows.map((r) => r[1]),
            swapped: rows.map((r) => r[2]),
            labels: rows.map((r) => r[0]),
            rule: 'judgebench',
          });
          expect(100 * ours.accuracy).toBeCloseTo(upstream, 10);
          expect(ours.correct).toBe(Math.round((upstream * rows.length) / 100));
          expect(ours.rule.name).toBe('judgebench');
        },
      ),
    );
  });
});

describe('llmbar and both-agree rules', () => {
  it('equal correct_average and correct_both on random runs (property)', () => {
    const winner = fc.constantFrom<'1' | '2' | null>('1', '2', null);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<1 | 2>(1, 2), winner, winner), { minLength: 1, maxLength: 60 }),
        (rows) => {
          const up = llmBarUpstream(rows.map(([label, f, t]) => ({ label, f, t })));
          const v = (w: '1' | '2' | null): Verdict | null =>
            w === '1' ? 'answer1' : w === '2' ? 'answer2' : null;
          const input = {
            original: rows.map((r) => v(r[1])),
            swapped: rows.map((r) => v(r[2])),
            labels: rows.map((r) => v(String(r[0]) as '1' | '2')),
          };
          const mean = evaluateTwoOrders({ ...input, rule: 'llmbar' });
          expect(mean.accuracy).toBeCloseTo(up.average, 12);
          expect([mean.correct, mean.outOf]).toEqual([up.correctFalse + up.correctTrue, 2 * rows.length]);
          expect(mean.perOrder.original.correct).toBe(up.correctFalse);
          expect(mean.combined).toBeUndefined();
          const both = evaluateTwoOrders({ ...input, rule: 'both-agree' });
          expect(both.accuracy).toBeCloseTo(up.both, 12);
        },
      ),
    );
  });
  it('a per-order rule gives no per-pair verdict', () => {
    expect(() => combineOrders(['answer1'], ['answer1'], 'llmbar')).toThrow(/per-order/);
  });
  it('bootstrap interval brackets the estimate and is seeded', () => {
    const labels: Verdict[] = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'answer1' : 'answer2'));
    const original = labels.map((l, i) => (i % 5 === 0 ? swapVerdict(l) : l));
    const swapped = labels.map((l, i) => (i % 3 === 0 ? swapVerdict(l) : l));
    const a = evaluateTwoOrders({
      original,
      swapped,
      labels,
      rule: 'llmbar',
      bootstrap: { resamples: 200, seed: 1 },
    });
    const b = evaluateTwoOrders({
      original,
      swapped,
      labels,
      rule: 'llmbar',
      bootstrap: { resamples: 200, seed: 1 },
    });
    expect(a.ci).toEqual(b.ci);
    expect(a.ci!.lower).toBeLessThanOrEqual(a.accuracy);
    expect(a.ci!.upper).toBeGreaterThanOrEqual(a.accuracy);
  });
});

describe('fastchat rule', () => {
  it('agreeing orders keep their verdict, disagreeing ones tie, a failure gives none', () => {
    expect(
      combineOrders(
        ['answer1', 'answer2', 'answer1', 'tie', null, 'answer2'],
        ['answer1', 'answer2', 'answer2', 'answer1', 'answer1', 'tie'],
        'fastchat',
      ),
    ).toEqual(['answer1', 'answer2', 'tie', 'tie', null, 'tie']);
  });
});

describe('registerCombineRule', () => {
  it('adds a user rule; built-in names are a RegistryConflictError', () => {
    expect(() => registerCombineRule({ name: 'fastchat', description: 'x', combine: () => null })).toThrow(
      RegistryConflictError,
    );
    registerCombineRule({
      name: 'first-order-only',
      description: 'Use the original order; ignore the swapped one.',
      combine: (a) => a,
    });
    expect(listCombineRules().map((r) => r.name)).toEqual([
      'fastchat',
      'judgebench',
      'llmbar',
      'both-agree',
      'first-order-only',
    ]);
    const r = evaluateTwoOrders({
      original: ['answer1', 'answer2'],
      swapped: ['answer2', 'answer2'],
      labels: ['answer1', 'answer1'],
      rule: 'first-order-only',
    });
    expect([r.correct, r.n]).toEqual([1, 2]);
    expect(() => getCombineRule('nope')).toThrow(/known rules: fastchat, judgebench/);
    expect(unregisterCombineRule('first-order-only')).toBe(true);
  });
  it('a user rule returning junk is an error, not a verdict', () => {
    registerCombineRule(
      { name: 'junk', description: 'x', combine: () => 'maybe' as Verdict },
      { override: true },
    );
    expect(() => combineOrders(['answer1'], ['answer1'], 'junk')).toThrow(/returned "maybe"/);
    unregisterCombineRule('junk');
  });
});

describe('evaluateJudge groupBy and raw counts', () => {
  it('reports correct beside accuracy, overall and per group', () => {
    const report = evaluateJudge({
      predictions: ['answer1', 'answer2', null, 'answer1', 'tie'],
      labels: ['answer1', 'answer1', 'answer2', 'answer1', 'tie'],
      groupBy: ['math', 'math', 'code', 'code', null],
      bootstrap: { resamples: 100, seed: 0 },
    });
    expect([report.correct, report.n, report.accuracy]).toEqual([3, 5, 0.6]);
    expect(Object.keys(report.groups!)).toEqual(['code', 'math']);
    expect([report.groups!.math!.correct, report.groups!.math!.n]).toEqual([1, 2]);
    expect([
      report.groups!.code!.correct,
      report.groups!.code!.n,
      report.groups!.code!.predictionFailures,
    ]).toEqual([1, 2, 1]);
    expect(report.groups!.code!.ci?.accuracy).toBeDefined();
    expect(() => evaluateJudge({ predictions: ['tie'], labels: ['tie'], groupBy: [] })).toThrow(/groupBy/);
  });
  it('two-order reports group too', () => {
    const r = evaluateTwoOrders({
      original: ['answer1', 'answer2', 'answer1'],
      swapped: ['tie', 'answer2', 'answer2'],
      labels: ['answer1', 'answer1', 'answer1'],
      groupBy: ['a', 'b', 'a'],
      rule: 'judgebench',
    });
    expect([r.correct, r.groups!.a!.correct, r.groups!.a!.n, r.groups!.b!.correct]).toEqual([1, 1, 2, 0]);
  });
});

describe('swapConsistency raw counts', () => {
  it('gives the counts behind every rate', () => {
    const s = swapConsistency(['answer1', 'answer1', 'tie', null], ['answer2', 'answer1', 'tie', 'answer1']);
    // As judged: pair 0 consistent (reversed answer2 = original answer1), pair 1 flipped, pair 2 both tie.
    expect(s.counts).toMatchObject({ consistent: 2, flips: 1, ties: 2, parsed: 7 });
    expect(s.consistency).toBe(s.counts.consistent / s.n);
    expect(s.tieRate).toBe(s.counts.ties / s.counts.parsed);
  });
});
