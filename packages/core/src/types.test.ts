import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isParseSuccess, mapParseResult, parseFailure, parseSuccess } from './parse-result.js';
import { addUsage, emptyUsage, swapSample, swapVerdict, VERDICT_CODES, verdictFromScores } from './types.js';

describe('verdicts', () => {
  it('follows JudgeLM translate_score_to_win_list with T = 0', () => {
    expect(verdictFromScores([8, 9])).toBe('answer2');
    expect(verdictFromScores([9, 8])).toBe('answer1');
    expect(verdictFromScores([7, 7])).toBe('tie');
    expect(verdictFromScores([-1, -1])).toBe('tie');
    expect(verdictFromScores([8, 8.5], 0.5)).toBe('tie');
    expect(verdictFromScores([8, 8.6], 0.5)).toBe('answer2');
    expect(VERDICT_CODES.judgelm[verdictFromScores([1, 2])]).toBe(-1);
    expect(VERDICT_CODES.pandalm.tie).toBe(0);
  });

  it('swapping scores swaps the verdict (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        return verdictFromScores([b, a]) === swapVerdict(verdictFromScores([a, b]));
      }),
    );
  });

  it('swapSample swaps answers, label and scores and is an involution', () => {
    const s = {
      id: 'q1',
      question: 'Q',
      answer1: 'A',
      answer2: 'B',
      label: 'answer1' as const,
      scores: [9, 3] as const,
    };
    const t = swapSample(s);
    expect(t).toMatchObject({ answer1: 'B', answer2: 'A', label: 'answer2', scores: [3, 9] });
    expect(swapSample(t)).toEqual(s);
  });
});

describe('usage', () => {
  it('adds counts and keeps optional ones', () => {
    const u = addUsage(emptyUsage(), {
      promptTokens: 10,
      completionTokens: 5,
      totalTokens: 15,
      cachedTokens: 4,
    });
    expect(addUsage(u, { promptTokens: 1, completionTokens: 2, totalTokens: 3 })).toEqual({
      promptTokens: 11,
      completionTokens: 7,
      totalTokens: 18,
      cachedTokens: 4,
    });
    expect('reasoningTokens' in u).toBe(false);
  });
});

describe('ParseResult', () => {
  it('keeps the raw text on both branches and maps only successes', () => {
    const ok = parseSuccess([8, 9] as const, '8 9\nbecause', ['lenient-separator']);
    const bad = parseFailure('no-scores-line', 'first line has 3 fields', '8, 9');
    expect(isParseSuccess(ok)).toBe(true);
    expect(isParseSuccess(bad)).toBe(false);
    expect(mapParseResult(ok, ([a, b]) => a - b)).toMatchObject({ ok: true, value: -1, raw: '8 9\nbecause' });
    expect(mapParseResult(bad, () => 1)).toBe(bad);
  });
});
