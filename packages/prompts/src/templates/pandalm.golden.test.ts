// Golden tests: each expected string below is the upstream rendering of the fixed sample, produced
// by the upstream Python code path re-stated in bench/upstream_prompts.py (upstream strings copied
// verbatim, str.format / f-strings as upstream calls them) and pinned here byte for byte.
import { describe, expect, it } from 'vitest';
import { render } from '../render.js';
const pair = {
  id: 'q1',
  question: 'What is the capital of France? Answer in one sentence.',
  answer1: 'The capital of France is Paris.</s>',
  answer2: '  I believe it is Lyon, the café capital.\n',
  reference: 'Paris is the capital of France.',
};

describe('pandalm golden renders (byte-exact)', () => {
  it('pandalm/pair', () => {
    const expected =
      'Below are two responses for a given task. The task is defined by the Instruction. Evaluate the responses and generate a reference answer for the task.\n\n### Instruction:\nWhat is the capital of France? Answer in one sentence.\n\n### Response 1:\nThe capital of France is Paris.\n\n### Response 2:\nI believe it is Lyon, the café capital.\n\n### Evaluation:\n';
    expect(render('pandalm/pair', pair).raw).toBe(expected);
  });
  it('pandalm/pair+input', () => {
    const expected =
      'Below are two responses for a given task. The task is defined by the Instruction with an Input that provides further context. Evaluate the responses and generate a reference answer for the task.\n\n### Instruction:\nWhat is the capital of France? Answer in one sentence.\n\n### Input:\nUse a full sentence.\n\n### Response 1:\nThe capital of France is Paris.\n\n### Response 2:\nI believe it is Lyon, the café capital.\n\n### Evaluation:\n';
    expect(render('pandalm/pair', pair, { vars: { input: 'Use a full sentence.' } }).raw).toBe(expected);
  });
});
