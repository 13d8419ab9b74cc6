import { InvalidArgumentError } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJudgeOutput, isOutputFormatId, OUTPUT_FORMAT_IDS, OUTPUT_FORMATS } from './output-formats.js';
import { listTemplates } from './registry.js';

describe('formatJudgeOutput (pinned layouts)', () => {
  it.each([
    [formatJudgeOutput('judgelm-scores', { scores: [8, 9] }), '8 9'],
    [
      formatJudgeOutput('judgelm-scores', { scores: [2, 8], explanation: "Assistant 1's response is off." }),
      "2 8\nAssistant 1's response is off.",
    ],
    [formatJudgeOutput('judgelm-scores', { scores: [1, 5], explanation: 'E', blankLine: true }), '1 5\n\nE'],
    [formatJudgeOutput('judgelm-scores', { scores: [8.5, 7] }), '8.5 7'],
    [formatJudgeOutput('judgelm-multi-scores', { scores: [1, 2, 3, 4], explanation: 'E' }), '1 2 3 4\nE'],
    [formatJudgeOutput('judgelm-single', { score: 7 }), ' 7'],
    [formatJudgeOutput('judgelm-single', { score: 7, explanation: 'ok' }), ' 7\nok'],
    [
      formatJudgeOutput('judgelrm-answer-tags', {
        scores: [8, 4],
        reasoning: ' A1 is correct, A2 is wrong.',
      }),
      ' A1 is correct, A2 is wrong.</think><answer>8</answer><answer>4</answer>',
    ],
    [
      formatJudgeOutput('judgelrm-answer-tags', { scores: [8, 4], endToken: '<|im_end|>' }),
      '</think><answer>8</answer><answer>4</answer><|im_end|>',
    ],
    [formatJudgeOutput('judgelrm-single', { score: 6, reasoning: 'r' }), 'r</think><answer>6</answer>'],
    [formatJudgeOutput('pandalm', { verdict: 'answer1' }), '1'],
    [
      formatJudgeOutput('pandalm', { verdict: 'tie', reason: 'same', reference: 'ref' }),
      'Tie\n\n### Reason: same\n\n### Reference: ref\n',
    ],
    [
      formatJudgeOutput('pandalm', { verdict: 'answer2', reason: 'r' }),
      '2\n\n### Reason: r\n\n### Reference: \n',
    ],
    [formatJudgeOutput('mtbench-pair', { verdict: 'answer1' }), '[[A]]'],
    [formatJudgeOutput('mtbench-pair', { verdict: 'tie', explanation: 'Equal.' }), 'Equal.\n\n[[C]]'],
    [formatJudgeOutput('mtbench-pair', { verdict: 'answer2' }), '[[B]]'],
    [formatJudgeOutput('mtbench-single', { rating: 5, explanation: 'Good.' }), 'Good.\n\nRating: [[5]]'],
    [formatJudgeOutput('prometheus-absolute', { score: 4, feedback: 'Clear.' }), 'Clear. [RESULT] 4'],
    [formatJudgeOutput('prometheus-relative', { verdict: 'answer1' }), '[RESULT] A'],
    [
      formatJudgeOutput('prometheus-relative', { verdict: 'answer2', feedback: 'B wins.' }),
      'B wins. [RESULT] B',
    ],
  ])('%j', (got, expected) => {
    expect(got).toBe(expected);
  });

  it('rejects programmer errors', () => {
    expect(() => formatJudgeOutput('judgelm-scores', { scores: [1, Number.NaN] })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      formatJudgeOutput('judgelm-scores', { scores: [1, 2, 3] as unknown as [number, number] }),
    ).toThrow(InvalidArgumentError);
    expect(() => formatJudgeOutput('judgelm-multi-scores', { scores: [1] })).toThrow(InvalidArgumentError);
    expect(() => formatJudgeOutput('prometheus-relative', { verdict: 'tie' as 'answer1' })).toThrow(/no tie/);
    expect(() => formatJudgeOutput('pandalm', { verdict: 'x' as 'tie' })).toThrow(InvalidArgumentError);
    expect(() => formatJudgeOutput('nope' as 'pandalm', { verdict: 'tie' })).toThrow(/unknown output format/);
  });

  it('every template names a known output format, and every format has a descriptor', () => {
    for (const t of listTemplates()) expect(isOutputFormatId(t.outputFormat)).toBe(true);
    for (const id of OUTPUT_FORMAT_IDS) expect(OUTPUT_FORMATS[id].id).toBe(id);
    expect(isOutputFormatId('judgelm')).toBe(false);
    // Templates with a prefill agree with their format's prefill.
    for (const t of listTemplates()) {
      const p = OUTPUT_FORMATS[t.outputFormat as keyof typeof OUTPUT_FORMATS].prefill;
      if (p !== undefined) expect(t.assistantPrefill).toBe(p);
    }
  });

  it('JudgeLM scores line is the scores joined by one space (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.string(),
        (a, b, e) => {
          const out = formatJudgeOutput('judgelm-scores', { scores: [a, b], explanation: e });
          expect(out.split('\n')[0]).toBe(`${a} ${b}`);
          expect(out.slice(`${a} ${b}\n`.length)).toBe(e);
        },
      ),
    );
  });
});
