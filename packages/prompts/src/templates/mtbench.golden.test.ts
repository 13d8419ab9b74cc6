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

describe('mtbench golden renders (byte-exact)', () => {
  it('mtbench/pair-v2', () => {
    const expected =
      '<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. You should choose the assistant that follows the user\'s instructions and answers the user\'s question better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. Begin your evaluation by comparing the two responses and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.<|im_end|>\n<|im_start|>user\n[User Question]\nWhat is the capital of France? Answer in one sentence.\n\n[The Start of Assistant A\'s Answer]\nThe capital of France is Paris.</s>\n[The End of Assistant A\'s Answer]\n\n[The Start of Assistant B\'s Answer]\n  I believe it is Lyon, the café capital.\n\n[The End of Assistant B\'s Answer]<|im_end|>\n<|im_start|>assistant\n';
    expect(render('mtbench/pair-v2', pair).raw).toBe(expected);
  });
  it('mtbench/pair-math-v1', () => {
    const expected =
      "<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer, assistant A's answer, and assistant B's answer. Your job is to evaluate which assistant's answer is better. Begin your evaluation by comparing both assistants' answers with the reference answer. Identify and correct any mistakes. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.<|im_end|>\n<|im_start|>user\n[User Question]\nWhat is the capital of France? Answer in one sentence.\n\n[The Start of Reference Answer]\nParis is the capital of France.\n[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\nThe capital of France is Paris.</s>\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n  I believe it is Lyon, the café capital.\n\n[The End of Assistant B's Answer]<|im_end|>\n<|im_start|>assistant\n";
    expect(render('mtbench/pair-math-v1', pair).raw).toBe(expected);
  });
  it('mtbench/single-v1', () => {
    const expected =
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n[Question]\nName a prime number greater than 10.\n\n[The Start of Assistant\'s Answer]\n11 is a prime number greater than 10.\n[The End of Assistant\'s Answer]<|im_end|>\n<|im_start|>assistant\n';
    expect(render('mtbench/single-v1', single).raw).toBe(expected);
  });
  it('mtbench/single-math-v1', () => {
    const expected =
      '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant\'s answer. Begin your evaluation by comparing the assistant\'s answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n[Question]\nName a prime number greater than 10.\n\n[The Start of Reference Answer]\n13\n[The End of Reference Answer]\n\n[The Start of Assistant\'s Answer]\n11 is a prime number greater than 10.\n[The End of Assistant\'s Answer]<|im_end|>\n<|im_start|>assistant\n';
    expect(render('mtbench/single-math-v1', single).raw).toBe(expected);
  });
});
