import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectedScoreFromLogprobs,
  LOGPROB_ANSWER_TOKENS,
  type TokenLogprob,
  verdictDistributionFromLogprobs,
} from './logprob-scores.js';

const tok = (token: string, top: [string, number][] = []): TokenLogprob => ({
  token,
  logprob: Math.log(top.find(([t]) => t === token)?.[1] ?? 1),
  top_logprobs: top.map(([t, p]) => ({ token: t, logprob: Math.log(p) })),
});

describe('expectedScoreFromLogprobs (G-Eval)', () => {
  it('weights each score by its probability after the marker, merging " 7" and "7"', () => {
    const content = [
      tok('Good'),
      tok('.'),
      tok(' Rating'),
      tok(': [['),
      tok('7', [
        ['7', 0.5],
        [' 7', 0.1],
        ['8', 0.3],
        ['x', 0.1],
      ]),
      tok(']]'),
    ];
    const r = expectedScoreFromLogprobs(content, LOGPROB_ANSWER_TOKENS['mtbench-single'].values, {
      after: 'Rating: [[',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.position).toBe(4);
    expect(r.value.mass).toBeCloseTo(0.9, 12);
    expect(r.value.distribution['7']).toBeCloseTo(0.6 / 0.9, 12);
    expect(r.value.expected).toBeCloseTo((0.6 * 7 + 0.3 * 8) / 0.9, 12);
    expect(r.value.mode).toBe(7);
  });
  it('failures are results, not exceptions', () => {
    expect(expectedScoreFromLogprobs([], [1, 2])).toMatchObject({ ok: false, reason: 'no-tokens' });
    expect(expectedScoreFromLogprobs(null, [1, 2])).toMatchObject({ ok: false, reason: 'no-tokens' });
    expect(expectedScoreFromLogprobs([tok('hi')], [1], { after: '[[' })).toMatchObject({
      reason: 'no-marker',
    });
    expect(expectedScoreFromLogprobs([tok('[['), tok('3')], [3], { after: '[[' })).toMatchObject({
      reason: 'no-top-logprobs',
    });
    expect(expectedScoreFromLogprobs([tok('x', [['x', 1]])], [1, 2])).toMatchObject({
      reason: 'no-allowed-candidate',
    });
  });
  it('never throws and the expectation lies within the allowed range (property)', () => {
    const cand = fc.record({
      token: fc.oneof(fc.constantFrom('1', ' 2', '3', 'x', ''), fc.string()),
      logprob: fc.double(),
    });
    const token = fc.record({
      token: fc.string({ maxLength: 4 }),
      logprob: fc.double(),
      top_logprobs: fc.option(fc.array(cand, { maxLength: 6 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 8 }),
        fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
        (content, after) => {
          const r = expectedScoreFromLogprobs(content, [1, 2, 3], after === undefined ? {} : { after });
          if (r.ok) {
            expect(r.value.expected).toBeGreaterThanOrEqual(1 - 1e-9);
            expect(r.value.expected).toBeLessThanOrEqual(3 + 1e-9);
          }
          verdictDistributionFromLogprobs(content, { A: 'answer1', B: 'answer2' });
        },
      ),
    );
  });
});

describe('verdictDistributionFromLogprobs', () => {
  it('gives the distribution over verdicts at the answer token', () => {
    const content = [
      tok('Output'),
      tok(' ('),
      tok('b', [
        ['b', 0.7],
        ['a', 0.2],
        ['c', 0.1],
      ]),
      tok(')'),
    ];
    const r = verdictDistributionFromLogprobs(
      content,
      LOGPROB_ANSWER_TOKENS.llmbar.labels,
      LOGPROB_ANSWER_TOKENS.llmbar.options,
    );
    expect(r.ok && r.value.verdict).toBe('answer2');
    if (!r.ok) return;
    expect(r.value.distribution.answer2).toBeCloseTo(0.7 / 0.9, 12);
    expect(r.value.distribution.tie).toBe(0);
    expect(r.value.mass).toBeCloseTo(0.9, 12);
  });
});
