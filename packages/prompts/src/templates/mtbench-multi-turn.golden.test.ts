// Golden tests for the MT-Bench multi-turn judge prompts: each expected string is the upstream
// rendering of the fixed sample (bench/sample.json `multi_turn`), produced by the FastChat
// multi-turn code path re-stated in bench/upstream_prompts.py (`mtbench_multi_turn`, the
// judge_prompts.jsonl records copied verbatim, `str.format` as upstream calls it) and pinned here
// byte for byte.
import { describe, expect, it } from 'vitest';
import { render } from '../render.js';

// FastChat: question["turns"], answer_a/answer_b["choices"][0]["turns"], ref_answer["choices"][0]["turns"].
const mt = {
  questions: ['Solve 2x + 3 = 11.', 'Now solve 2x + 3 = {x} for x = 11, and explain the steps.'],
  answersA: ['x = 4.', 'Subtract 3 and divide by 2: x = 4.</s>'],
  answersB: ['  x = 7\n', 'I already did: x is 4, the café answer.'],
  references: ['x = 4', '2x = 8, so x = 4.'],
} as const;

/** Second turn in the sample fields, first turn in `vars` (the documented mapping). */
const pair = { id: 'mt1', question: mt.questions[1], answer1: mt.answersA[1], answer2: mt.answersB[1] };
const pairVars = { question_1: mt.questions[0], answer1_1: mt.answersA[0], answer2_1: mt.answersB[0] };
const single = { id: 'mt1', question: mt.questions[1], answer: mt.answersA[1] };
const singleVars = { question_1: mt.questions[0], answer_1: mt.answersA[0] };

describe('mtbench multi-turn golden renders (byte-exact)', () => {
  it('mtbench/pair-v2-multi-turn', () => {
    const expected =
      '<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. You should choose the assistant that follows the user\'s instructions and answers the user\'s questions better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. You should focus on who provides a better answer to the second user question. Begin your evaluation by comparing the responses of the two assistants and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.<|im_end|>\n<|im_start|>user\n<|The Start of Assistant A\'s Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant A:\nx = 4.\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant A:\nSubtract 3 and divide by 2: x = 4.</s>\n\n<|The End of Assistant A\'s Conversation with User|>\n\n\n<|The Start of Assistant B\'s Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant B:\n  x = 7\n\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant B:\nI already did: x is 4, the café answer.\n\n<|The End of Assistant B\'s Conversation with User|><|im_end|>\n<|im_start|>assistant\n';
    expect(render('mtbench/pair-v2-multi-turn', pair, { vars: pairVars }).raw).toBe(expected);
    // The same values from sample.metadata.
    expect(render('mtbench/pair-v2-multi-turn', { ...pair, metadata: pairVars }).raw).toBe(expected);
  });
  it('mtbench/pair-v2-multi-turn, swapped (both turns of A and B exchanged)', () => {
    const expected =
      '<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. You should choose the assistant that follows the user\'s instructions and answers the user\'s questions better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. You should focus on who provides a better answer to the second user question. Begin your evaluation by comparing the responses of the two assistants and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.<|im_end|>\n<|im_start|>user\n<|The Start of Assistant A\'s Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant A:\n  x = 7\n\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant A:\nI already did: x is 4, the café answer.\n\n<|The End of Assistant A\'s Conversation with User|>\n\n\n<|The Start of Assistant B\'s Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant B:\nx = 4.\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant B:\nSubtract 3 and divide by 2: x = 4.</s>\n\n<|The End of Assistant B\'s Conversation with User|><|im_end|>\n<|im_start|>assistant\n';
    const r = render('mtbench/pair-v2-multi-turn', pair, { vars: pairVars, swap: true });
    expect(r.raw).toBe(expected);
    expect(r.swapped).toBe(true);
  });
  it('mtbench/pair-math-v1-multi-turn', () => {
    const expected =
      "<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. Your evaluation should consider correctness and helpfulness. You will be given reference answers, the assistant A's answers, the assistant B's answers. Your job is to determine which assistant provides correct and helpful answers to the second user question. Begin your evaluation by comparing both assistants' answers with the reference answers. Identify and correct any mistakes. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. After providing your explanation, output your final verdict by strictly following this format: \"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better, and \"[[C]]\" for a tie.<|im_end|>\n<|im_start|>user\n<|The Start of Reference Answer|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Reference answer:\nx = 4\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Reference answer:\n2x = 8, so x = 4.\n\n<|The End of Reference Answer|>\n\n\n<|The Start of Assistant A's Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant A:\nx = 4.\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant A:\nSubtract 3 and divide by 2: x = 4.</s>\n\n<|The End of Assistant A's Conversation with User|>\n\n\n<|The Start of Assistant B's Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant B:\n  x = 7\n\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant B:\nI already did: x is 4, the café answer.\n\n<|The End of Assistant B's Conversation with User|><|im_end|>\n<|im_start|>assistant\n";
    const sample = { ...pair, reference: mt.references[1] };
    const vars = { ...pairVars, ref_answer_1: mt.references[0] };
    expect(render('mtbench/pair-math-v1-multi-turn', sample, { vars }).raw).toBe(expected);
  });
  it('mtbench/single-v1-multi-turn', () => {
    const expected =
      '<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. You evaluation should focus on the assistant\'s answer to the second user question. Begin your evaluation by providing a short explanation. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".\n\n<|im_end|>\n<|im_start|>user\n<|The Start of Assistant A\'s Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant A:\nx = 4.\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant A:\nSubtract 3 and divide by 2: x = 4.</s>\n\n<|The End of Assistant A\'s Conversation with User|><|im_end|>\n<|im_start|>assistant\n';
    expect(render('mtbench/single-v1-multi-turn', single, { vars: singleVars }).raw).toBe(expected);
  });
  it('mtbench/single-math-v1-multi-turn', () => {
    const expected =
      "<|im_start|>system\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. You evaluation should focus on the assistant's answer to the second question. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: \"[[rating]]\", for example: \"Rating: [[5]]\".\n\n<|im_end|>\n<|im_start|>user\n<|The Start of Reference Answer|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Reference answer:\nx = 4\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Reference answer:\n2x = 8, so x = 4.\n\n<|The End of Reference Answer|>\n\n\n<|The Start of Assistant A's Conversation with User|>\n\n### User:\nSolve 2x + 3 = 11.\n\n### Assistant A:\nx = 4.\n\n### User:\nNow solve 2x + 3 = {x} for x = 11, and explain the steps.\n\n### Assistant A:\nSubtract 3 and divide by 2: x = 4.</s>\n\n<|The End of Assistant A's Conversation with User|><|im_end|>\n<|im_start|>assistant\n";
    const sample = { ...single, reference: mt.references[1] };
    const vars = { ...singleVars, ref_answer_1: mt.references[0] };
    expect(render('mtbench/single-math-v1-multi-turn', sample, { vars }).raw).toBe(expected);
  });
});
