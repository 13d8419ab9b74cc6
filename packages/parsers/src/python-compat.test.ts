import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extractJudgeLrmSolution,
  isPyWhitespace,
  pyCount,
  pyFloat,
  pyInt,
  pyIntExact,
  pySplitWhitespace,
  pyStrip,
  validateJudgeLrmStructure,
} from './index.js';

describe('Python str / number semantics (public)', () => {
  it('int(): signs, underscores, Unicode digits, failures', () => {
    expect(pyInt(' +08 ')).toBe(8);
    expect(pyInt('1_0')).toBe(10);
    expect(pyInt('\uff18')).toBe(8); // full-width 8
    expect(pyInt('٣')).toBe(3);
    expect(pyInt('-0')).toBe(0);
    expect(Object.is(pyInt('-0'), -0)).toBe(false);
    expect(pyInt('8.0')).toBeNull();
    expect(pyInt('1__0')).toBeNull();
    expect(pyInt('8\ufeff')).toBeNull(); // U+FEFF is not Python whitespace
    expect(pyInt('\x7f8')).toBeNull();
    expect(pyInt('9'.repeat(4301))).toBeNull(); // CPython's int_max_str_digits
  });
  it('pyIntExact keeps integers beyond 2^53 as bigint; pyInt rounds them', () => {
    expect(pyIntExact('99999999999999999999')).toBe(99999999999999999999n);
    expect(pyIntExact('-100000000000000000001')).toBe(-100000000000000000001n);
    expect(pyIntExact('9007199254740991')).toBe(9007199254740991);
    expect(pyIntExact('0000000000000000000012')).toBe(12);
    expect(pyInt('100000000000000000001')).toBe(1e20);
  });
  it('pyInt is pyIntExact as a number', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt().map(String), fc.string()), (s) => {
        const exact = pyIntExact(s);
        expect(pyInt(s)).toBe(typeof exact === 'bigint' ? Number(exact) : exact);
      }),
    );
  });
  it('float(), strip(), split(), count()', () => {
    expect(pyFloat(' 1_0.5e1 ')).toBe(105);
    expect(pyFloat('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(pyFloat('8.')).toBe(8);
    expect(pyFloat('eight')).toBeNull();
    expect(pyStrip('\x1c 8\u3000\ufeff')).toBe('8\u3000\ufeff');
    expect(pySplitWhitespace('  8\u00a06\r\n7  ')).toEqual(['8', '6', '7']);
    expect(pySplitWhitespace(' \t ')).toEqual([]);
    expect(pyCount('aaaa', 'aa')).toBe(2);
    expect(isPyWhitespace(0x85)).toBe(true);
    expect(isPyWhitespace(0xfeff)).toBe(false);
  });
  it('split() joins back to strip() with whitespace runs collapsed', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '\u00a0', '\x1c', '\ufeff') }),
        (s) => {
          const parts = pySplitWhitespace(s);
          for (const p of parts) {
            expect(p.length).toBeGreaterThan(0);
            for (let i = 0; i < p.length; i++) expect(isPyWhitespace(p.charCodeAt(i))).toBe(false);
          }
          expect(parts.join('')).toBe([...s].filter((c) => !isPyWhitespace(c.charCodeAt(0))).join(''));
        },
      ),
    );
  });
});

describe('JudgeLRM reward extraction variants (Qwen3 files)', () => {
  it('extractJudgeLrmSolution: requireHeader and float parsing', () => {
    const t = '<think>x</think><answer>8.5</answer><answer>4</answer>';
    expect(extractJudgeLrmSolution(t).reason).toBe('missing-response-header');
    expect(extractJudgeLrmSolution(t, { requireHeader: false }).reason).toBe('invalid-answer-number');
    expect(extractJudgeLrmSolution(t, { requireHeader: false, parse: 'float' })).toEqual({
      scores: [8.5, 4],
      processed: t,
    });
    expect(
      extractJudgeLrmSolution('Assistant:<answer>nan</answer><answer>4</answer>', { parse: 'float' }).reason,
    ).toBe('score-out-of-range');
  });
  it('validateJudgeLrmStructure: strict, qwen3, qwen3-lenient', () => {
    const noThink = '<answer>8</answer><answer>3</answer>';
    expect(validateJudgeLrmStructure(noThink)).toEqual({ score: -1, reason: 'tag-count' });
    expect(validateJudgeLrmStructure(noThink, { check: 'qwen3' })).toEqual({ score: 1 });
    const closeOnly = `</think>${noThink}`;
    expect(validateJudgeLrmStructure(closeOnly, { check: 'qwen3' }).score).toBe(-1);
    expect(validateJudgeLrmStructure(closeOnly, { check: 'qwen3-lenient' }).score).toBe(1);
    const lateThink = '<think><answer>8</answer></think><answer>3</answer>';
    expect(validateJudgeLrmStructure(lateThink, { check: 'qwen3' })).toEqual({
      score: -1,
      reason: 'tag-order',
    });
    const decimal = '<answer>8.5</answer><answer>3</answer>';
    expect(validateJudgeLrmStructure(decimal, { check: 'qwen3' }).score).toBe(-0.5);
    expect(validateJudgeLrmStructure(decimal, { check: 'qwen3', parse: 'float' }).score).toBe(1);
    expect(validateJudgeLrmStructure('<answer><answer>8</answer></answer>', { check: 'qwen3' })).toEqual({
      score: -1,
      reason: 'answer-match-count',
    });
  });
});
