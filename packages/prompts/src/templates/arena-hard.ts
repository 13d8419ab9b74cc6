/**
 * Arena-Hard-Auto v0.1 pairwise judge (lmarena/arena-hard-auto, config/judge_config.yaml, commit
 * 7f1b7f5dd6ce53e1f8530220ceb452b7019a8056: `system_prompt` and `prompt_template`). Upstream sends
 * the system prompt and `prompt_template[0].format(question_1=…, answer_1=…, answer_2=…)` through
 * a chat API; in game 1 `answer_1` is the baseline (assistant A) and `answer_2` the judged model,
 * game 2 swaps them (gen_judgment.py `if game % 2 == 1: answer, baseline = baseline, answer`), which
 * is `render(…, { swap: true })` here. Upstream has no raw string: `raw` is given in the ChatML
 * layout for completion-only servers; it is not an upstream string. Placeholders map as
 * `question_1` → `{question}`, `answer_1` → `{answer1}`, `answer_2` → `{answer2}`.
 */

import type { TemplateDefinition } from '../template.js';

/** The Arena-Hard v0.1 judge system prompt, byte for byte. */
export const ARENA_HARD_V01_SYSTEM =
  "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user prompt displayed below. You will be given assistant A's answer and assistant B's answer. Your job is to evaluate which assistant's answer is better.\n\nBegin your evaluation by generating your own answer to the prompt. You must provide your answers before judging any answers.\n\nWhen evaluating the assistants' answers, compare both assistants' answers with your answer. You must identify and correct any mistakes or inaccurate information.\n\nThen consider if the assistant's answers are helpful, relevant, and concise. Helpful means the answer correctly responds to the prompt or follows the instructions. Note when user prompt has any ambiguity or more than one interpretation, it is more helpful and appropriate to ask for clarifications or more information from the user than providing an answer based on assumptions. Relevant means all parts of the response closely connect or are appropriate to what is being asked. Concise means the response is clear and not verbose or excessive.\n\nThen consider the creativity and novelty of the assistant's answers when needed. Finally, identify any missing important information in the assistants' answers that would be beneficial to include when responding to the user prompt.\n\nAfter providing your explanation, you must output only one of the following choices as your final verdict with a label:\n\n1. Assistant A is significantly better: [[A>>B]]\n2. Assistant A is slightly better: [[A>B]]\n3. Tie, relatively the same: [[A=B]]\n4. Assistant B is slightly better: [[B>A]]\n5. Assistant B is significantly better: [[B>>A]]\n\nExample output: \"My final verdict is tie: [[A=B]]\".";

/** `arena-hard/v0.1`: output `arena-hard` (`[[A>>B]]` … `[[B>>A]]`). */
export const arenaHardV01: TemplateDefinition = {
  id: 'arena-hard/v0.1',
  version: 1,
  format: 'pairwise',
  description:
    'Arena-Hard-Auto v0.1 pairwise judge, verdict [[A>>B]] / [[A>B]] / [[A=B]] / [[B>A]] / [[B>>A]].',
  source: {
    repo: 'lmarena/arena-hard-auto',
    path: 'config/judge_config.yaml',
    commit: '7f1b7f5dd6ce53e1f8530220ceb452b7019a8056',
    symbol: 'system_prompt, prompt_template',
  },
  system: '{arena_hard_system}',
  constants: { arena_hard_system: ARENA_HARD_V01_SYSTEM },
  user: "<|User Prompt|>\n{question}\n\n<|The Start of Assistant A's Answer|>\n{answer1}\n<|The End of Assistant A's Answer|>\n\n<|The Start of Assistant B's Answer|>\n{answer2}\n<|The End of Assistant B's Answer|>",
  raw: '<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n',
  outputFormat: 'arena-hard',
};
