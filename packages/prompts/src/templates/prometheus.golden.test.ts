// Golden tests: each expected string below is the upstream rendering of the fixed sample, produced
// by the upstream Python code path re-stated in bench/upstream_prompts.py (upstream strings copied
// verbatim, str.format / f-strings as upstream calls them) and pinned here byte for byte.
import { describe, expect, it } from 'vitest';
import { render } from '../render.js';
import { formatPrometheusRubric } from './prometheus.js';
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
const rubricDef = {
  criteria: 'Is the answer factually correct?',
  score1: 'Completely wrong.',
  score2: 'Mostly wrong.',
  score3: 'Partly correct.',
  score4: 'Mostly correct.',
  score5: 'Fully correct.',
};
const rubric = formatPrometheusRubric(rubricDef);
const relRubric = formatPrometheusRubric(rubricDef, { relative: true });

it('formatPrometheusRubric matches SCORE_RUBRIC_TEMPLATE', () => {
  expect(rubric).toBe(
    '[Is the answer factually correct?]\nScore 1: Completely wrong.\nScore 2: Mostly wrong.\nScore 3: Partly correct.\nScore 4: Mostly correct.\nScore 5: Fully correct.',
  );
  expect(relRubric).toBe('[Is the answer factually correct?]');
});

describe('prometheus golden renders (byte-exact)', () => {
  it('prometheus/absolute', () => {
    const expected =
      '[INST] You are a fair judge assistant tasked with providing clear, objective feedback based on specific criteria, ensuring each assessment reflects the absolute standards set for performance.\n###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, and a score rubric representing a evaluation criteria are given.\n1. Write a detailed feedback that assess the quality of the response strictly based on the given score rubric, not evaluating in general.\n2. After writing a feedback, write a score that is an integer between 1 and 5. You should refer to the score rubric.\n3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (an integer number between 1 and 5)"\n4. Please do not generate any other opening, closing, and explanations.\n\n###The instruction to evaluate:\nName a prime number greater than 10.\n\n###Response to evaluate:\n11 is a prime number greater than 10.\n\n###Score Rubrics:\n[Is the answer factually correct?]\nScore 1: Completely wrong.\nScore 2: Mostly wrong.\nScore 3: Partly correct.\nScore 4: Mostly correct.\nScore 5: Fully correct.\n\n###Feedback:  [/INST]';
    expect(render('prometheus/absolute', single, { vars: { rubric } }).raw).toBe(expected);
  });
  it('prometheus/absolute+ref', () => {
    const expected =
      '[INST] You are a fair judge assistant tasked with providing clear, objective feedback based on specific criteria, ensuring each assessment reflects the absolute standards set for performance.\n###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, a reference answer that gets a score of 5, and a score rubric representing a evaluation criteria are given.\n1. Write a detailed feedback that assess the quality of the response strictly based on the given score rubric, not evaluating in general.\n2. After writing a feedback, write a score that is an integer between 1 and 5. You should refer to the score rubric.\n3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (an integer number between 1 and 5)"\n4. Please do not generate any other opening, closing, and explanations.\n\n###The instruction to evaluate:\nName a prime number greater than 10.\n\n###Response to evaluate:\n11 is a prime number greater than 10.\n\n###Reference Answer (Score 5):\n13\n\n###Score Rubrics:\n[Is the answer factually correct?]\nScore 1: Completely wrong.\nScore 2: Mostly wrong.\nScore 3: Partly correct.\nScore 4: Mostly correct.\nScore 5: Fully correct.\n\n###Feedback:  [/INST]';
    expect(render('prometheus/absolute', single, { vars: { rubric }, reference: true }).raw).toBe(expected);
  });
  it('prometheus/relative', () => {
    const expected =
      '[INST] You are a fair judge assistant assigned to deliver insightful feedback that compares individual performances, highlighting how each stands relative to others within the same cohort.\n###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, and a score rubric representing a evaluation criteria are given.\n1. Write a detailed feedback that assess the quality of two responses strictly based on the given score rubric, not evaluating in general.\n2. After writing a feedback, choose a better response between Response A and Response B. You should refer to the score rubric.\n3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (A or B)"\n4. Please do not generate any other opening, closing, and explanations.\n\n###Instruction:\nWhat is the capital of France? Answer in one sentence.\n\n###Response A:\nThe capital of France is Paris.</s>\n\n###Response B:\n  I believe it is Lyon, the café capital.\n\n\n###Score Rubric:\n[Is the answer factually correct?]\n\n###Feedback:  [/INST]';
    expect(render('prometheus/relative', pair, { vars: { rubric: relRubric } }).raw).toBe(expected);
  });
  it('prometheus/relative+ref', () => {
    const expected =
      '[INST] You are a fair judge assistant assigned to deliver insightful feedback that compares individual performances, highlighting how each stands relative to others within the same cohort.\n###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, a reference answer, and a score rubric representing a evaluation criteria are given.\n1. Write a detailed feedback that assess the quality of two responses strictly based on the given score rubric, not evaluating in general.\n2. After writing a feedback, choose a better response between Response A and Response B. You should refer to the score rubric.\n3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (A or B)"\n4. Please do not generate any other opening, closing, and explanations.\n\n###Instruction:\nWhat is the capital of France? Answer in one sentence.\n\n###Response A:\nThe capital of France is Paris.</s>\n\n###Response B:\n  I believe it is Lyon, the café capital.\n\n\n###Reference Answer:\nParis is the capital of France.\n\n###Score Rubric:\n[Is the answer factually correct?]\n\n###Feedback:  [/INST]';
    expect(render('prometheus/relative', pair, { vars: { rubric: relRubric }, reference: true }).raw).toBe(
      expected,
    );
  });
});
