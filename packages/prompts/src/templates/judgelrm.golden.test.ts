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
const single = {
  id: 's1',
  question: 'Name a prime number greater than 10.',
  answer: '11 is a prime number greater than 10.',
  reference: '13',
};

describe('judgelrm golden renders (byte-exact)', () => {
  it('judgelrm/pair-train', () => {
    const expected =
      '<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and<answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly  provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>\n<|im_end|>\n<|im_start|>user\n[Question]\nWhat is the capital of France? Answer in one sentence.\n\n[Assistant 1’s Answer]\nThe capital of France is Paris.</s>\n\n[Assistant 2’s Answer]\n  I believe it is Lyon, the café capital.\n\n<|im_end|>\n<|im_start|>assistant\n<think>';
    expect(render('judgelrm/pair-train', pair).raw).toBe(expected);
  });
  it('judgelrm/pair', () => {
    const expected =
      "<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>\n<|im_end|>\n<|im_start|>user\n[Question]\nWhat is the capital of France? Answer in one sentence.\n\n[Assistant 1's Answer]\nThe capital of France is Paris.\n\n[Assistant 2's Answer]\nI believe it is Lyon, the café capital.\n<|im_end|>\n<|im_start|>assistant\n<think>";
    expect(render('judgelrm/pair', pair).raw).toBe(expected);
  });
  it('judgelrm/pair+swap', () => {
    const expected =
      "<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>\n<|im_end|>\n<|im_start|>user\n[Question]\nWhat is the capital of France? Answer in one sentence.\n\n[Assistant 1's Answer]\nI believe it is Lyon, the café capital.\n\n[Assistant 2's Answer]\nThe capital of France is Paris.\n<|im_end|>\n<|im_start|>assistant\n<think>";
    expect(render('judgelrm/pair', pair, { swap: true }).raw).toBe(expected);
  });
  it('judgelrm/single', () => {
    const expected =
      "<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively. Now the user asks you to judge ONE AI assistant's response to the question. Provide a single score from 1-10 (higher=better). Criteria include helpfulness, relevance, accuracy, and level of detail. Avoid bias from order, length, or style. After thinking, provide ONLY the numeric score within <answer> </answer> tags.\n<|im_end|>\n<|im_start|>user\n[Question]\nName a prime number greater than 10.\n\n[Assistant's Answer]\n11 is a prime number greater than 10.\n<|im_end|>\n<|im_start|>assistant\n<think>";
    expect(render('judgelrm/single', single).raw).toBe(expected);
  });
});
