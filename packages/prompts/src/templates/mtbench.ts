/**
 * MT-Bench LLM-as-a-judge prompts (lm-sys/FastChat, fastchat/llm_judge/data/judge_prompts.jsonl,
 * commit 0e6e7fdc78bf64aceea1508694ce4e6472810b8b). FastChat sends `system_prompt` as the system
 * message and `prompt_template.format(...)` as the user message through a chat API (GPT-4), so
 * `messages` are the upstream form. Upstream has no raw string: `raw` is given in the ChatML
 * layout (`<|im_start|>role\n…<|im_end|>\n`) for completion-only servers; it is not an upstream
 * string. Placeholders map as `answer_a` → `{answer1}`, `answer_b` → `{answer2}`,
 * `ref_answer_1` → `{reference}`.
 *
 * Multi-turn records (`*-multi-turn`, FastChat `make_judge_pairwise/single(multi_turn=True)`):
 * the judged turn is the second, so it fills the ordinary sample fields and the first turn comes
 * from `vars` (`options.vars` or, as for every template variable, `sample.metadata`):
 *
 * | FastChat placeholder | pairwise sample / var | single sample / var |
 * | --- | --- | --- |
 * | `question_1` | var `question_1` | var `question_1` |
 * | `question_2` | `sample.question` | `sample.question` |
 * | `answer_a_1` / `answer_1` | var `answer1_1` | var `answer_1` |
 * | `answer_b_1` | var `answer2_1` | — |
 * | `answer_a_2` / `answer_2` | `sample.answer1` | `sample.answer` |
 * | `answer_b_2` | `sample.answer2` | — |
 * | `ref_answer_1` (math) | var `ref_answer_1` | var `ref_answer_1` |
 * | `ref_answer_2` (math) | `sample.reference` | `sample.reference` |
 *
 * `swap: true` on the pairwise ones exchanges both turns of A and B (`answer1_1` ↔ `answer2_1`
 * via the template's `swapVars`), as FastChat's `game_key` swap of `answer_a` / `answer_b` does.
 */

import type { TemplateDefinition, TemplateSource } from '../template.js';

const SOURCE: TemplateSource = {
  repo: 'lm-sys/FastChat',
  path: 'fastchat/llm_judge/data/judge_prompts.jsonl',
  commit: '0e6e7fdc78bf64aceea1508694ce4e6472810b8b',
};

const CHATML =
  '<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n';

const PAIR_VERDICT =
  'After providing your explanation, output your final verdict by strictly following this format: "[[A]]" if assistant A is better, "[[B]]" if assistant B is better, and "[[C]]" for a tie.';

/** `pair-v2`: general pairwise comparison. Output `mtbench-pair` (`[[A]]`/`[[B]]`/`[[C]]`). */
export const mtbenchPair: TemplateDefinition = {
  id: 'mtbench/pair-v2',
  version: 1,
  format: 'pairwise',
  description: 'MT-Bench pairwise judge (pair-v2), verdict [[A]] / [[B]] / [[C]].',
  source: { ...SOURCE, symbol: 'pair-v2' },
  system:
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. You should choose the assistant that follows the user's instructions and answers the user's question better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. Begin your evaluation by comparing the two responses and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. " +
    PAIR_VERDICT,
  user: "[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n{answer1}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer2}\n[The End of Assistant B's Answer]",
  raw: CHATML,
  outputFormat: 'mtbench-pair',
};

/** `pair-math-v1`: reference-guided pairwise comparison (math, reasoning, coding). Needs `sample.reference`. */
export const mtbenchPairMath: TemplateDefinition = {
  id: 'mtbench/pair-math-v1',
  version: 1,
  format: 'pairwise',
  description: 'MT-Bench reference-guided pairwise judge (pair-math-v1).',
  source: { ...SOURCE, symbol: 'pair-math-v1' },
  system:
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer, assistant A's answer, and assistant B's answer. Your job is to evaluate which assistant's answer is better. Begin your evaluation by comparing both assistants' answers with the reference answer. Identify and correct any mistakes. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. " +
    PAIR_VERDICT,
  user: "[User Question]\n{question}\n\n[The Start of Reference Answer]\n{reference}\n[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\n{answer1}\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\n{answer2}\n[The End of Assistant B's Answer]",
  raw: CHATML,
  outputFormat: 'mtbench-pair',
};

const SINGLE_RATING =
  'After providing your explanation, you must rate the response on a scale of 1 to 10 by strictly following this format: "[[rating]]", for example: "Rating: [[5]]".';

/** `single-v1`: single-answer rating on 1–10. Output `mtbench-single` (`Rating: [[x]]`). */
export const mtbenchSingle: TemplateDefinition = {
  id: 'mtbench/single-v1',
  version: 1,
  format: 'single',
  description: 'MT-Bench single-answer judge (single-v1), rating [[1-10]].',
  source: { ...SOURCE, symbol: 'single-v1' },
  system: 'You are a helpful assistant.',
  user:
    '[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. Begin your evaluation by providing a short explanation. Be as objective as possible. ' +
    `${SINGLE_RATING}\n\n[Question]\n{question}\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]`,
  raw: CHATML,
  outputFormat: 'mtbench-single',
};

/** `single-math-v1`: reference-guided single-answer rating. Needs `sample.reference`. */
export const mtbenchSingleMath: TemplateDefinition = {
  id: 'mtbench/single-math-v1',
  version: 1,
  format: 'single',
  description: 'MT-Bench reference-guided single-answer judge (single-math-v1).',
  source: { ...SOURCE, symbol: 'single-math-v1' },
  system: 'You are a helpful assistant.',
  user:
    "[Instruction]\nPlease act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. " +
    `${SINGLE_RATING}\n\n[Question]\n{question}\n\n[The Start of Reference Answer]\n{reference}\n[The End of Reference Answer]\n\n[The Start of Assistant's Answer]\n{answer}\n[The End of Assistant's Answer]`,
  raw: CHATML,
  outputFormat: 'mtbench-single',
};

const PAIR_MULTI_TURN_CONVERSATIONS =
  "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer1_1}\n\n### User:\n{question}\n\n### Assistant A:\n{answer1}\n\n<|The End of Assistant A's Conversation with User|>\n\n\n<|The Start of Assistant B's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant B:\n{answer2_1}\n\n### User:\n{question}\n\n### Assistant B:\n{answer2}\n\n<|The End of Assistant B's Conversation with User|>";

const MULTI_TURN_REFERENCE =
  '<|The Start of Reference Answer|>\n\n### User:\n{question_1}\n\n### Reference answer:\n{ref_answer_1}\n\n### User:\n{question}\n\n### Reference answer:\n{reference}\n\n<|The End of Reference Answer|>\n\n\n';

const SINGLE_MULTI_TURN_CONVERSATION =
  "<|The Start of Assistant A's Conversation with User|>\n\n### User:\n{question_1}\n\n### Assistant A:\n{answer_1}\n\n### User:\n{question}\n\n### Assistant A:\n{answer}\n\n<|The End of Assistant A's Conversation with User|>";

/**
 * `pair-v2-multi-turn`: pairwise comparison of two-turn conversations, judging the second turn.
 * Sample: `question` = second question, `answer1` / `answer2` = A's / B's second answers; vars
 * `question_1`, `answer1_1`, `answer2_1` (first turn; see the module doc). Output `mtbench-pair`.
 */
export const mtbenchPairMultiTurn: TemplateDefinition = {
  id: 'mtbench/pair-v2-multi-turn',
  version: 1,
  format: 'pairwise',
  description:
    'MT-Bench multi-turn pairwise judge (pair-v2-multi-turn), second turn, verdict [[A]] / [[B]] / [[C]].',
  source: { ...SOURCE, symbol: 'pair-v2-multi-turn' },
  system:
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. You should choose the assistant that follows the user's instructions and answers the user's questions better. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. You should focus on who provides a better answer to the second user question. Begin your evaluation by comparing the responses of the two assistants and provide a short explanation. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. " +
    PAIR_VERDICT,
  user: PAIR_MULTI_TURN_CONVERSATIONS,
  raw: CHATML,
  outputFormat: 'mtbench-pair',
  vars: ['question_1', 'answer1_1', 'answer2_1'],
  swapVars: [['answer1_1', 'answer2_1']],
};

/**
 * `pair-math-v1-multi-turn`: reference-guided multi-turn pairwise comparison. As
 * {@link mtbenchPairMultiTurn} plus `sample.reference` (second-turn reference) and var
 * `ref_answer_1` (first-turn reference).
 */
export const mtbenchPairMathMultiTurn: TemplateDefinition = {
  id: 'mtbench/pair-math-v1-multi-turn',
  version: 1,
  format: 'pairwise',
  description: 'MT-Bench reference-guided multi-turn pairwise judge (pair-math-v1-multi-turn).',
  source: { ...SOURCE, symbol: 'pair-math-v1-multi-turn' },
  system:
    "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user questions. Your evaluation should consider correctness and helpfulness. You will be given reference answers, the assistant A's answers, the assistant B's answers. Your job is to determine which assistant provides correct and helpful answers to the second user question. Begin your evaluation by comparing both assistants' answers with the reference answers. Identify and correct any mistakes. Avoid any positional biases and ensure that the order in which the responses were presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names of the assistants. Be as objective as possible. " +
    PAIR_VERDICT,
  user: MULTI_TURN_REFERENCE + PAIR_MULTI_TURN_CONVERSATIONS,
  raw: CHATML,
  outputFormat: 'mtbench-pair',
  vars: ['question_1', 'answer1_1', 'answer2_1', 'ref_answer_1'],
  swapVars: [['answer1_1', 'answer2_1']],
};

/**
 * `single-v1-multi-turn`: single-answer rating of a two-turn conversation, judging the second
 * turn. Sample: `question` = second question, `answer` = second answer; vars `question_1`,
 * `answer_1`. The upstream system prompt ends with `\n\n` (kept). Output `mtbench-single`.
 */
export const mtbenchSingleMultiTurn: TemplateDefinition = {
  id: 'mtbench/single-v1-multi-turn',
  version: 1,
  format: 'single',
  description:
    'MT-Bench multi-turn single-answer judge (single-v1-multi-turn), rating [[1-10]] of the second turn.',
  source: { ...SOURCE, symbol: 'single-v1-multi-turn' },
  system:
    "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question displayed below. Your evaluation should consider factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of the response. You evaluation should focus on the assistant's answer to the second user question. Begin your evaluation by providing a short explanation. Be as objective as possible. " +
    `${SINGLE_RATING}\n\n`,
  user: SINGLE_MULTI_TURN_CONVERSATION,
  raw: CHATML,
  outputFormat: 'mtbench-single',
  vars: ['question_1', 'answer_1'],
};

/**
 * `single-math-v1-multi-turn`: reference-guided multi-turn single-answer rating. As
 * {@link mtbenchSingleMultiTurn} plus `sample.reference` (second-turn reference) and var
 * `ref_answer_1` (first-turn reference).
 */
export const mtbenchSingleMathMultiTurn: TemplateDefinition = {
  id: 'mtbench/single-math-v1-multi-turn',
  version: 1,
  format: 'single',
  description: 'MT-Bench reference-guided multi-turn single-answer judge (single-math-v1-multi-turn).',
  source: { ...SOURCE, symbol: 'single-math-v1-multi-turn' },
  system:
    "Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant to the user question. Your evaluation should consider correctness and helpfulness. You will be given a reference answer and the assistant's answer. You evaluation should focus on the assistant's answer to the second question. Begin your evaluation by comparing the assistant's answer with the reference answer. Identify and correct any mistakes. Be as objective as possible. " +
    `${SINGLE_RATING}\n\n`,
  user: MULTI_TURN_REFERENCE + SINGLE_MULTI_TURN_CONVERSATION,
  raw: CHATML,
  outputFormat: 'mtbench-single',
  vars: ['question_1', 'answer_1', 'ref_answer_1'],
};
