/**
 * @judgekit/prompts — every judge prompt format (JudgeLM, JudgeLRM, PandaLM, MT-Bench,
 * Prometheus) as versioned data, rendered byte for byte to chat messages and to the raw prompt
 * string the original models were trained on; swap of answer order; a registry for user templates;
 * and `formatJudgeOutput`, which writes a judge answer in each template's output format.
 *
 * @packageDocumentation
 */

export {
  formatJudgeOutput,
  isOutputFormatId,
  type JudgeOutputValue,
  type JudgeOutputValues,
  OUTPUT_FORMAT_IDS,
  OUTPUT_FORMATS,
  type OutputFormatId,
  type OutputFormatInfo,
} from './output-formats.js';
export {
  getOutputFormat,
  hasOutputFormat,
  listOutputFormats,
  type OutputFormatDefinition,
  type RegisteredOutputFormat,
  type RegisterOutputFormatOptions,
  registerOutputFormat,
  unregisterOutputFormat,
} from './output-format-registry.js';
export {
  defaultTemplateRegistry,
  getTemplate,
  listTemplates,
  type RegisterTemplateOptions,
  registerTemplate,
  TemplateRegistry,
} from './registry.js';
export {
  type JudgeSample,
  judgelmMultiInstruction,
  type MultiAnswerSample,
  type RenderedPrompt,
  type RenderOptions,
  render,
  renderRaw,
} from './render.js';
export {
  joinInstructionInput,
  pythonStrip,
  SPECIAL_TOKEN_PATTERN,
  stripSpecialTokens,
} from './special-tokens.js';
export {
  defineTemplate,
  type PromptTemplate,
  REQUIRED_PLACEHOLDERS,
  SAMPLE_PLACEHOLDERS,
  type TemplateDefinition,
  type TemplateFormat,
  type TemplateSource,
  type TemplateVariant,
} from './template.js';
export {
  compileTemplateString,
  type CompiledTemplateString,
  escapeTemplateText,
  type TemplatePart,
} from './template-string.js';
export { ARENA_HARD_V01_SYSTEM } from './templates/arena-hard.js';
export { BUILTIN_TEMPLATES } from './templates/index.js';
export { JUDGELM_INSTRUCTION, JUDGELM_SYSTEM, JUDGELM_VQA_INSTRUCTION } from './templates/judgelm.js';
export {
  JUDGELRM_INFERENCE_SYSTEM,
  JUDGELRM_SINGLE_SYSTEM,
  JUDGELRM_TRAIN_SYSTEM,
} from './templates/judgelrm.js';
export { LLMBAR_SYSTEM } from './templates/llmbar.js';
export {
  formatPrometheusRubric,
  PROMETHEUS_ABS_SYSTEM,
  PROMETHEUS_REL_SYSTEM,
  type PrometheusRubric,
} from './templates/prometheus.js';
/** Re-exported from `@judgekit/core`, where every package shares it. */
export type { ChatMessage } from '@judgekit/core';
