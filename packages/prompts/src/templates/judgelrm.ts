/**
 * JudgeLRM judge prompts (NuoJohnChen/JudgeLRM). Qwen chat layout (`<|im_start|>role\n…<|im_end|>\n`),
 * assistant turn prefilled with `<think>`. The system and user texts end with `\n` because the
 * upstream strings put a newline before each `<|im_end|>`; with the Qwen chat template (which
 * writes `<|im_start|>{role}\n{content}<|im_end|>\n`), `messages` therefore reproduce `raw` exactly.
 */

import type { TemplateDefinition } from '../template.js';

const QWEN_RAW =
  '<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n{prefill}';

/**
 * The RL *training* system text (src/examples/data_preprocess/judgelrm.py, `make_prefix`,
 * `template_type='qwen-instruct'`, commit 1b20721). Quirks kept on purpose: `and<answer>` (no
 * space) and `clearly  provide` (two spaces).
 */
export const JUDGELRM_TRAIN_SYSTEM =
  'You are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and<answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly  provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>';

/**
 * The *inference* system text (pandalm/utils/judgelrm_inference.py and siblings, commit e60f305):
 * the training text with `and <answer>` and `clearly provide` (one space).
 */
export const JUDGELRM_INFERENCE_SYSTEM =
  'You are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here, explaining each step of your evaluation for both assistants </think><answer> answer here </answer>. Now the user asks you to judge the performance of two AI assistants in response to the question. Score assistants 1-10 (higher=better). Criteria includes helpfulness, relevance, accuracy, and level of detail. Avoid order, length, style or other bias. After thinking, when you finally reach a conclusion, clearly provide your evaluation scores within <answer> </answer> tags, i.e. for example,<answer>3</answer><answer>5</answer>';

/** The single-answer system text (pandalm/utils/judgelrm_single_inference.py, commit e60f305). */
export const JUDGELRM_SINGLE_SYSTEM =
  "You are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively. Now the user asks you to judge ONE AI assistant's response to the question. Provide a single score from 1-10 (higher=better). Criteria include helpfulness, relevance, accuracy, and level of detail. Avoid bias from order, length, or style. After thinking, provide ONLY the numeric score within <answer> </answer> tags.";

/**
 * The GRPO training prompt (NuoJohnChen/JudgeLRM, src/examples/data_preprocess/judgelrm.py,
 * `make_prefix`, commit 1b2072134eb39169e885e829d199b9558d1af031). Upstream stores the whole `raw`
 * string as the content of one user message and feeds it verbatim (no chat template). The answer
 * labels use U+2019 (`Assistant 1’s Answer`). Raw JudgeLM fields, no stripping.
 * Output: `judgelrm-answer-tags`.
 */
export const judgelrmPairTrain: TemplateDefinition = {
  id: 'judgelrm/pair-train',
  version: 1,
  format: 'pairwise',
  description: 'JudgeLRM GRPO training prompt (curly apostrophes, "and<answer>", "clearly  provide").',
  source: {
    repo: 'NuoJohnChen/JudgeLRM',
    path: 'src/examples/data_preprocess/judgelrm.py',
    commit: '1b2072134eb39169e885e829d199b9558d1af031',
    symbol: 'make_prefix',
  },
  system: `${JUDGELRM_TRAIN_SYSTEM}\n`,
  user: '[Question]\n{question}\n\n[Assistant 1\u2019s Answer]\n{answer1}\n\n[Assistant 2\u2019s Answer]\n{answer2}\n',
  raw: QWEN_RAW,
  outputFormat: 'judgelrm-answer-tags',
  assistantPrefill: '<think>',
};

/**
 * The inference prompt (NuoJohnChen/JudgeLRM, pandalm/utils/judgelrm_inference.py,
 * `build_judgelrm_prompt`, commit e60f305e48664749f774f6cefcb9a565ef0121d4), also used by the
 * Qwen3 models (JudgeLRM-4B/8B, `judgelrm_qwen3_inference.py`) and by the JudgeLM-benchmark path
 * (`gen_model_judgement.py --judge-format judgelrm`). It differs from the training prompt in 4
 * places: `and <answer>`, `clearly provide`, and ASCII apostrophes in both answer labels.
 * Responses are stripped of special tokens by default (as `build_judgelrm_prompt` does); for
 * PandaLM records pass `question = joinInstructionInput(instruction, input)`.
 */
export const judgelrmPair: TemplateDefinition = {
  id: 'judgelrm/pair',
  version: 1,
  format: 'pairwise',
  description: 'JudgeLRM inference prompt (Qwen2.5 and Qwen3 models).',
  source: {
    repo: 'NuoJohnChen/JudgeLRM',
    path: 'pandalm/utils/judgelrm_inference.py',
    commit: 'e60f305e48664749f774f6cefcb9a565ef0121d4',
    symbol: 'build_judgelrm_prompt',
  },
  system: `${JUDGELRM_INFERENCE_SYSTEM}\n`,
  user: "[Question]\n{question}\n\n[Assistant 1's Answer]\n{answer1}\n\n[Assistant 2's Answer]\n{answer2}\n",
  raw: QWEN_RAW,
  outputFormat: 'judgelrm-answer-tags',
  assistantPrefill: '<think>',
  stripSpecialTokens: true,
};

/**
 * The single-answer prompt of the "-single" rows (NuoJohnChen/JudgeLRM,
 * pandalm/utils/judgelrm_single_inference.py, `build_single_score_prompt`, commit
 * e60f305e48664749f774f6cefcb9a565ef0121d4). Each answer is scored separately; the verdict is the
 * comparison of the two scores. Output: `judgelrm-single` (the last `<answer>` number).
 */
export const judgelrmSingle: TemplateDefinition = {
  id: 'judgelrm/single',
  version: 1,
  format: 'single',
  description: 'JudgeLRM single-answer scoring prompt.',
  source: {
    repo: 'NuoJohnChen/JudgeLRM',
    path: 'pandalm/utils/judgelrm_single_inference.py',
    commit: 'e60f305e48664749f774f6cefcb9a565ef0121d4',
    symbol: 'build_single_score_prompt',
  },
  system: `${JUDGELRM_SINGLE_SYSTEM}\n`,
  user: "[Question]\n{question}\n\n[Assistant's Answer]\n{answer}\n",
  raw: QWEN_RAW,
  outputFormat: 'judgelrm-single',
  assistantPrefill: '<think>',
  stripSpecialTokens: true,
};
