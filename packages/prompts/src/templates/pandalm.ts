/**
 * PandaLM judge prompt (WeOpenML/PandaLM, pandalm/utils/pandalm_inference.py,
 * `build_pandalm_prompt`, commit 3871806e72b4832f815ecafd24d3503c73403f48; identical in
 * `pandalm/run-gradio.py::build_prompt`). No chat wrapper: the prompt is the raw string.
 */

import type { TemplateDefinition } from '../template.js';

const SOURCE = {
  repo: 'WeOpenML/PandaLM',
  path: 'pandalm/utils/pandalm_inference.py',
  commit: '3871806e72b4832f815ecafd24d3503c73403f48',
  symbol: 'build_pandalm_prompt',
};

const RSP = '### Response 1:\n{answer1}\n\n### Response 2:\n{answer2}';

/**
 * PandaLM pairwise prompt. `{question}` is PandaLM's `instruction`; when the `input` variable
 * (`options.vars.input` or `sample.metadata.input`) is a non-empty string, the "with an Input"
 * form is used, as upstream's `if input:`. Responses are stripped of special tokens by default,
 * as in batch inference (the gradio app does not strip: pass `stripSpecialTokens: false`).
 * Ends in `### Evaluation:\n`. (PandaLM's `core/datasets.py` with `use_raw_data=True` trains on
 * this string plus one more `\n`; whether the released model used that is unconfirmed.)
 * Output: `pandalm` (`1` / `2` / `Tie`, then `### Reason:` and `### Reference:`).
 */
export const pandalmPair: TemplateDefinition = {
  id: 'pandalm/pair',
  version: 1,
  format: 'pairwise',
  description: 'PandaLM pairwise prompt (with or without an Input).',
  source: SOURCE,
  user:
    'Below are two responses for a given task. The task is defined by the Instruction. Evaluate the responses and generate a reference answer for the task.\n\n' +
    `### Instruction:\n{question}\n\n${RSP}\n\n### Evaluation:\n`,
  raw: '{user}',
  outputFormat: 'pandalm',
  stripSpecialTokens: true,
  variants: [
    {
      when: 'input',
      user:
        'Below are two responses for a given task. The task is defined by the Instruction with an Input that provides further context. Evaluate the responses and generate a reference answer for the task.\n\n' +
        `### Instruction:\n{question}\n\n### Input:\n{input}\n\n${RSP}\n\n### Evaluation:\n`,
    },
  ],
};
