/**
 * Prometheus 2 judge prompts (prometheus-eval/prometheus-eval,
 * libs/prometheus-eval/prometheus_eval/prompts.py, commit 485d2b4eaeebbebf991d76ab6698bdd94799e213).
 * `PrometheusEval` (judge.py) sends `[system, user]` and, for local models, lays them out with
 * FastChat's `mistral` conversation (`[INST] {system}\n{user} [/INST]`, LLAMA2 separator style;
 * the tokenizer adds BOS): that is `raw`. Placeholders map as `instruction` → `{question}`,
 * `response` → `{answer}`, `response_A`/`response_B` → `{answer1}`/`{answer2}`,
 * `reference_answer` → `{reference}`; `{rubric}` is a required variable (see
 * `formatPrometheusRubric`).
 *
 * Upstream quirk: `PrometheusEval.absolute_grade` / `relative_grade` overwrite the caller's
 * `reference_answers` with `None` (the `else` branch always runs), so the released library never
 * inserts a reference; judgekit inserts `sample.reference` when `options.reference` is true.
 */

import type { TemplateDefinition, TemplateSource } from '../template.js';

const SOURCE: TemplateSource = {
  repo: 'prometheus-eval/prometheus-eval',
  path: 'libs/prometheus-eval/prometheus_eval/prompts.py',
  commit: '485d2b4eaeebbebf991d76ab6698bdd94799e213',
};

const MISTRAL_RAW = '[INST] {system}\n{user} [/INST]';

/** `ABS_SYSTEM_PROMPT`. */
export const PROMETHEUS_ABS_SYSTEM =
  'You are a fair judge assistant tasked with providing clear, objective feedback based on specific criteria, ensuring each assessment reflects the absolute standards set for performance.';
/** `REL_SYSTEM_PROMPT`. */
export const PROMETHEUS_REL_SYSTEM =
  'You are a fair judge assistant assigned to deliver insightful feedback that compares individual performances, highlighting how each stands relative to others within the same cohort.';

const ABS_STEPS =
  '1. Write a detailed feedback that assess the quality of the response strictly based on the given score rubric, not evaluating in general.\n' +
  '2. After writing a feedback, write a score that is an integer between 1 and 5. You should refer to the score rubric.\n' +
  '3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (an integer number between 1 and 5)"\n' +
  '4. Please do not generate any other opening, closing, and explanations.\n\n';

/**
 * Absolute grading on a 1–5 rubric: `ABSOLUTE_PROMPT_WO_REF` (the library default), or
 * `ABSOLUTE_PROMPT` with `options.reference: true`. Needs `options.vars.rubric`.
 * Output `prometheus-absolute` (`… [RESULT] 4`).
 */
export const prometheusAbsolute: TemplateDefinition = {
  id: 'prometheus/absolute',
  version: 1,
  format: 'single',
  description: 'Prometheus absolute grading (1-5 rubric), with or without a reference answer.',
  source: { ...SOURCE, symbol: 'ABSOLUTE_PROMPT_WO_REF' },
  system: PROMETHEUS_ABS_SYSTEM,
  user:
    '###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, and a score rubric representing a evaluation criteria are given.\n' +
    ABS_STEPS +
    '###The instruction to evaluate:\n{question}\n\n###Response to evaluate:\n{answer}\n\n###Score Rubrics:\n{rubric}\n\n###Feedback: ',
  raw: MISTRAL_RAW,
  outputFormat: 'prometheus-absolute',
  vars: ['rubric'],
  variants: [
    {
      when: 'reference',
      user:
        '###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, a reference answer that gets a score of 5, and a score rubric representing a evaluation criteria are given.\n' +
        ABS_STEPS +
        '###The instruction to evaluate:\n{question}\n\n###Response to evaluate:\n{answer}\n\n###Reference Answer (Score 5):\n{reference}\n\n###Score Rubrics:\n{rubric}\n\n###Feedback: ',
      source: { ...SOURCE, symbol: 'ABSOLUTE_PROMPT' },
    },
  ],
};

const REL_STEPS =
  '1. Write a detailed feedback that assess the quality of two responses strictly based on the given score rubric, not evaluating in general.\n' +
  '2. After writing a feedback, choose a better response between Response A and Response B. You should refer to the score rubric.\n' +
  '3. The output format should look as follows: "(write a feedback for criteria) [RESULT] (A or B)"\n' +
  '4. Please do not generate any other opening, closing, and explanations.\n\n';

/**
 * Relative grading (A or B, no tie): `RELATIVE_PROMPT_WO_REF` (the library default), or
 * `RELATIVE_PROMPT` with `options.reference: true`. Needs `options.vars.rubric` (upstream's
 * `load_rubric` passes only the rubric's first line, the criteria, in relative mode).
 * Output `prometheus-relative` (`… [RESULT] A`).
 */
export const prometheusRelative: TemplateDefinition = {
  id: 'prometheus/relative',
  version: 1,
  format: 'pairwise',
  description: 'Prometheus relative grading (A or B), with or without a reference answer.',
  source: { ...SOURCE, symbol: 'RELATIVE_PROMPT_WO_REF' },
  system: PROMETHEUS_REL_SYSTEM,
  user:
    '###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, and a score rubric representing a evaluation criteria are given.\n' +
    REL_STEPS +
    '###Instruction:\n{question}\n\n###Response A:\n{answer1}\n\n###Response B:\n{answer2}\n\n###Score Rubric:\n{rubric}\n\n###Feedback: ',
  raw: MISTRAL_RAW,
  outputFormat: 'prometheus-relative',
  vars: ['rubric'],
  variants: [
    {
      when: 'reference',
      user:
        '###Task Description:\nAn instruction (might include an Input inside it), a response to evaluate, a reference answer, and a score rubric representing a evaluation criteria are given.\n' +
        REL_STEPS +
        '###Instruction:\n{question}\n\n###Response A:\n{answer1}\n\n###Response B:\n{answer2}\n\n###Reference Answer:\n{reference}\n\n###Score Rubric:\n{rubric}\n\n###Feedback: ',
      source: { ...SOURCE, symbol: 'RELATIVE_PROMPT' },
    },
  ],
};

/** A Prometheus score rubric: the criteria question and the description of each score 1–5. */
export interface PrometheusRubric {
  criteria: string;
  score1: string;
  score2: string;
  score3: string;
  score4: string;
  score5: string;
}

/**
 * Prometheus's `SCORE_RUBRIC_TEMPLATE` (prompts.py, commit 485d2b4):
 * `[{criteria}]\nScore 1: …\nScore 2: …\nScore 3: …\nScore 4: …\nScore 5: …`, then Python
 * `.strip()`ped as upstream does to the template. For relative grading upstream uses only the
 * first line (`relative: true`).
 */
export function formatPrometheusRubric(
  rubric: PrometheusRubric,
  options: { relative?: boolean } = {},
): string {
  const text =
    `[${rubric.criteria}]\nScore 1: ${rubric.score1}\nScore 2: ${rubric.score2}\nScore 3: ${rubric.score3}\n` +
    `Score 4: ${rubric.score4}\nScore 5: ${rubric.score5}`;
  return options.relative ? (text.split('\n')[0] as string) : text;
}
