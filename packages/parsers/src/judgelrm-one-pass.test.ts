import { describe, expect, it } from 'vitest';
import {
  extractAndValidateJudgeLrm,
  extractJudgeLrmSolution,
  type JudgeLrmFormatCheck,
  type JudgeLrmScoreParse,
  validateJudgeLrmStructure,
} from './index.js';

// Tag soup: every token the extraction and the structure check look at, plus numbers Python's
// int() / float() treat differently (signs, underscores, decimals, non-ASCII digits, whitespace).
const TOKENS = [
  '<think>',
  '</think>',
  '<answer>',
  '</answer>',
  '<answer>',
  '</answer>',
  'Assistant:',
  '<|im_start|>assistant',
  '8',
  '10',
  '11',
  ' 7 ',
  '-1',
  '+3',
  '8.5',
  '1_0',
  '٣',
  '\u2003',
  '\n',
  'x',
  'reasoning ',
  '<answer',
  'answer>',
  '',
];

function soup(seed: number, count: number): string[] {
  let x = seed >>> 0;
  const next = (k: number) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % k;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts: string[] = [];
    const n = 1 + next(14);
    for (let j = 0; j < n; j++) parts.push(TOKENS[next(TOKENS.length)]!);
    out.push(parts.join(''));
  }
  // Near-well-formed sequences: a header, a think block and two answers, each part randomly
  // dropped, doubled or moved, with numbers from the soup.
  const NUMBERS = ['8', '0', '10', '11', '-1', ' 7 ', '+3', '8.5', '1_0', '٣', 'x', ''];
  for (let i = 0; i < count; i++) {
    const parts = [
      ['<|im_start|>assistant\n', 'Assistant:', ''][next(3)]!,
      '<think>',
      'reasoning',
      '</think>',
      `<answer>${NUMBERS[next(NUMBERS.length)]}</answer>`,
      `<answer>${NUMBERS[next(NUMBERS.length)]}</answer>`,
    ];
    const edits = next(3);
    for (let e = 0; e < edits; e++) {
      const k = 1 + next(parts.length - 1);
      const op = next(3);
      if (op === 0) parts.splice(k, 1);
      else if (op === 1) parts.splice(k, 0, parts[k]!);
      else parts.splice(next(parts.length), 0, parts.splice(k, 1)[0]!);
    }
    out.push(parts.join(''));
  }
  // The common shapes, well formed and not.
  out.push(
    '<|im_start|>assistant\n<think>r</think><answer>8</answer><answer>6</answer>',
    'Assistant: <think>r</think><answer> 8 </answer><answer>6.0</answer>',
    '<think>r</think><answer>8</answer><answer>6</answer>',
    '<|im_start|>assistant<think>r</think><answer>8</answer><answer>6</answer><answer>1</answer>',
    '',
  );
  return out;
}

describe('extractAndValidateJudgeLrm (one pass)', () => {
  const parses: JudgeLrmScoreParse[] = ['int', 'float'];
  const checks: JudgeLrmFormatCheck[] = ['strict', 'qwen3', 'qwen3-lenient'];
  it('equals extractJudgeLrmSolution then validateJudgeLrmStructure for every option, on fuzzed inputs', () => {
    const inputs = soup(20261208, 3000);
    let compared = 0;
    const reasons = new Set<string>();
    for (const text of inputs)
      for (const parse of parses)
        for (const requireHeader of [true, false])
          for (const check of checks)
            for (const formatParse of parses) {
              const solution = extractJudgeLrmSolution(text, { parse, requireHeader });
              const structure = validateJudgeLrmStructure(solution.processed, { check, parse: formatParse });
              const fused = extractAndValidateJudgeLrm(text, { parse, requireHeader, check, formatParse });
              expect(fused).toEqual({ solution, structure });
              reasons.add(solution.reason ?? 'ok').add(structure.reason ?? 'ok');
              compared++;
            }
    expect(compared).toBe(inputs.length * 24);
    // The inputs reach every outcome of both functions (so the comparison covers each branch).
    expect([...reasons].sort()).toEqual(
      [
        'answer-match-count',
        'invalid-answer-number',
        'missing-response-header',
        'ok',
        'score-out-of-range',
        'tag-count',
        'tag-order',
        'too-few-answer-tags',
      ].sort(),
    );
  });

  it('defaults are judgelrm.py: int parse, header required, strict check', () => {
    const text = '<|im_start|>assistant\n<think>r</think><answer>8</answer><answer>6</answer>';
    expect(extractAndValidateJudgeLrm(text)).toEqual({
      solution: { scores: [8, 6], processed: '\n<think>r</think><answer>8</answer><answer>6</answer>' },
      structure: { score: 1 },
    });
    expect(
      extractAndValidateJudgeLrm('<think>r</think><answer>8</answer><answer>6</answer>').solution.reason,
    ).toBe('missing-response-header');
  });
});
