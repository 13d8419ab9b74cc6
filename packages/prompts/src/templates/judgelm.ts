/**
 * JudgeLM judge prompts (baaivision/JudgeLM, judgelm/llm_judge/common.py, commit
 * 00c45169de47641f62223f57cc15b608bc3cc69d; the strings are unchanged since ce12b12).
 *
 * Assembly, identical in every JudgeLM script: `system + "\n" + prompt_template.format(...) +
 * appendix`, with no chat wrapper (the tokenizer adds BOS). judgekit puts that whole string in one
 * user message, which is how JudgeLM's own server passes it through (its `one_shot` conversation
 * returns a first message containing `### Response:` verbatim); `raw` is the same string.
 */

import type { TemplateDefinition, TemplateSource } from '../template.js';

const SOURCE: TemplateSource = {
  repo: 'baaivision/JudgeLM',
  path: 'judgelm/llm_judge/common.py',
  commit: '00c45169de47641f62223f57cc15b608bc3cc69d',
};

/** JudgeLM's `system` line. */
export const JUDGELM_SYSTEM =
  'You are a helpful and precise assistant for checking the quality of the answer.';

/** JudgeLM's instruction block (`Conversation.prompt`), the `{prompt}` of its template. */
export const JUDGELM_INSTRUCTION =
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\n' +
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\n' +
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.';

/** JudgeLM's VQA / MM-Vet instruction (`conv_judge_vqa_single_answer.prompt`). */
export const JUDGELM_VQA_INSTRUCTION =
  "We would like to request your feedback on the performance of two AI assistants' answers in comparing with the reference answer and determine if they match meaningfully. Please rate the helpfulness, relevance, accuracy, level of details of the Assistants' answers. To accomplish the task, you must : 1. Focus on the meaningful match between the reference answer and the Assistants' answers.\n" +
  ' 2. Consider synonyms or paraphrases as valid matches.\n' +
  " 3. Evaluate the correctness of the Assistants' answers compared to the reference answer.\n" +
  " 4. If there are multiple reference answers, the Assistants' answer is considered correct as long as it is close to any of the answers.\n" +
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.';

const Q = '[Question]\n{question}\n\n';
const REF = '[Reference Answer]\n{reference}\n\n';
const A1 = "[The Start of Assistant 1's Answer]\n{answer1}\n\n[The End of Assistant 1's Answer]\n\n";
const A2 = "[The Start of Assistant 2's Answer]\n{answer2}\n\n[The End of Assistant 2's Answer]\n\n";
const TAIL = '[System]\n{prompt}\n\n### Response:';
const HEAD = `${JUDGELM_SYSTEM}\n`;

/**
 * Pairwise, `conv_judge_pair`; with `options.reference: true`, `conv_judge_pair_w_reference`
 * (a `[Reference Answer]` block after the question; the instruction is unchanged).
 * Output: `judgelm-scores` (`"8 9\n<explanation>"`).
 */
export const judgelmPair: TemplateDefinition = {
  id: 'judgelm/pair',
  version: 1,
  format: 'pairwise',
  description: 'JudgeLM pairwise grading (conv_judge_pair / conv_judge_pair_w_reference).',
  source: { ...SOURCE, symbol: 'conv_judge_pair' },
  user: HEAD + Q + A1 + A2 + TAIL,
  raw: '{user}',
  outputFormat: 'judgelm-scores',
  constants: { prompt: JUDGELM_INSTRUCTION },
  variants: [
    {
      when: 'reference',
      user: HEAD + Q + REF + A1 + A2 + TAIL,
      source: { ...SOURCE, symbol: 'conv_judge_pair_w_reference' },
    },
  ],
};

const SINGLE_A1 = "[The Start of Assistant 1's Answer]\n{reference}\n\n[The End of Assistant 1's Answer]\n\n";
const SINGLE_A2 = "[The Start of Assistant 2's Answer]\n{answer}\n\n[The End of Assistant 2's Answer]\n\n";

/**
 * Single-answer grading, `conv_judge_single`: the pairwise template with the reference (gold)
 * answer as Assistant 1, the graded answer as Assistant 2, and the appendix `### Response:10`,
 * whose `10` is the assistant prefill pinning the reference at 10/10. The model continues with
 * ` <score>\n<explanation>` (`judgelm-single`). `sample.reference` is required.
 *
 * The base form matches JudgeLM's web UI "Single Answer Judge" and `gen_model_judgement_single.py`
 * without `--reference-file`; with `options.reference: true` it is `conv_judge_single_w_reference`,
 * where the reference appears twice (in `[Reference Answer]` and as Assistant 1).
 */
export const judgelmSingle: TemplateDefinition = {
  id: 'judgelm/single',
  version: 1,
  format: 'single',
  description:
    'JudgeLM single-answer grading: reference as Assistant 1, forced "10" prefix (conv_judge_single).',
  source: { ...SOURCE, symbol: 'conv_judge_single' },
  user: HEAD + Q + SINGLE_A1 + SINGLE_A2 + TAIL,
  raw: '{user}{prefill}',
  outputFormat: 'judgelm-single',
  assistantPrefill: '10',
  constants: { prompt: JUDGELM_INSTRUCTION },
  variants: [
    {
      when: 'reference',
      user: HEAD + Q + REF + SINGLE_A1 + SINGLE_A2 + TAIL,
      source: { ...SOURCE, symbol: 'conv_judge_single_w_reference' },
    },
  ],
};

/**
 * Multi-answer grading (N ≥ 2, up to 19), `conv_judge_multi` / `conv_judge_multi_w_reference`:
 * answers 3..N are appended before `[System]` with `answer_format`, and the instruction is
 * rewritten by `Conversation.copy(N)` (`two` → number word, `for Assistant 1, 2, 3 and 4`).
 * Output: `judgelm-multi-scores` (N scores on line 1).
 */
export const judgelmMulti: TemplateDefinition = {
  id: 'judgelm/multi',
  version: 1,
  format: 'multi',
  description: 'JudgeLM multi-answer grading (conv_judge_multi / conv_judge_multi_w_reference).',
  source: { ...SOURCE, symbol: 'conv_judge_multi' },
  user: `${HEAD + Q + A1 + A2}{answers_more}${TAIL}`,
  raw: '{user}',
  outputFormat: 'judgelm-multi-scores',
  constants: { prompt: JUDGELM_INSTRUCTION },
  answerFormat:
    "[The Start of Assistant {answer_id}'s Answer]\n{answer}\n\n[The End of Assistant {answer_id}'s Answer]\n\n",
  multiRewrite: 'judgelm-copy',
  maxAnswers: 19,
  variants: [
    {
      when: 'reference',
      user: `${HEAD + Q + REF + A1 + A2}{answers_more}${TAIL}`,
      source: { ...SOURCE, symbol: 'conv_judge_multi_w_reference' },
    },
  ],
};

/**
 * VQA / MM-Vet grading, `conv_judge_vqa_single_answer` (baaivision/JudgeLM,
 * judgelm/llm_judge/common.py, read at commit 0da7c2210d5d84b207d45d83c9c562136e2a5403): the
 * pairwise-with-reference template, the VQA instruction, appendix `### Response:10`.
 * `sample.reference` fills both `[Reference Answer]` and Assistant 1. (Upstream's
 * `gen_model_judgement_mmvet.py` replaces `<AND>` by ` and ` and, when the ground truth holds
 * `<OR>`, shows one unseeded random alternative as Assistant 1 while `[Reference Answer]` keeps the
 * raw string; that case is not reproducible and is not modelled here.)
 */
export const judgelmVqaSingle: TemplateDefinition = {
  id: 'judgelm/vqa-single',
  version: 1,
  format: 'single',
  description: 'JudgeLM VQA / MM-Vet single-answer grading (conv_judge_vqa_single_answer).',
  source: {
    repo: 'baaivision/JudgeLM',
    path: 'judgelm/llm_judge/common.py',
    commit: '0da7c2210d5d84b207d45d83c9c562136e2a5403',
    symbol: 'conv_judge_vqa_single_answer',
  },
  user: HEAD + Q + REF + SINGLE_A1 + SINGLE_A2 + TAIL,
  raw: '{user}{prefill}',
  outputFormat: 'judgelm-single',
  assistantPrefill: '10',
  constants: { prompt: JUDGELM_VQA_INSTRUCTION },
};
