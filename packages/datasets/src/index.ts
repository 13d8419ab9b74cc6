/**
 * @judgekit/datasets — loaders and schema validation for judge-evaluation data: generic JSONL /
 * JSON arrays, a resumable JSONL writer, PandaLM, LLMBar, RM-Bench, RewardBench-style pairs,
 * JudgeLM and prometheus-eval files. A bad file is a `DataFormatError` (from `@judgekit/core`)
 * naming the file, the line or record, and the field. Nothing here computes metrics.
 *
 * Every `load…(path)` (Node) has a `parse…(text, fileName)` twin that works on a string.
 *
 * @packageDocumentation
 */

export {
  atField,
  atIndex,
  describeValue,
  fieldPath,
  type JsonRecord,
  optionalId,
  optionalNumber,
  optionalNumberArray,
  optionalObject,
  optionalString,
  requireId,
  requireInteger,
  requireNumber,
  requireNumberArray,
  requireObject,
  requireRecord,
  requireString,
  requireStringArray,
} from './field-validators.js';
export {
  type JsonArrayItem,
  type JsonlLine,
  type LocatedValue,
  parseJsonArray,
  parseJsonl,
  parseJsonLine,
  parseJsonRecords,
  readJsonArray,
  readJsonl,
  readJsonRecords,
  readTextFile,
  stringifyJsonl,
} from './json-lines.js';
export {
  type AppendJsonlOptions,
  appendJsonl,
  parseJsonlResumable,
  type ResumableJsonl,
  readJsonlIfExists,
  type TruncatedLine,
} from './jsonl-writer.js';
export {
  type JudgeLmAnswer,
  type JudgeLmRecord,
  type JudgeLmSamples,
  type JudgeLmToSampleOptions,
  judgeLmRecordToSample,
  loadJudgeLmAnswers,
  loadJudgeLmSamples,
  pairJudgeLmAnswers,
  parseJudgeLmAnswers,
  parseJudgeLmSamples,
} from './judgelm.js';
export {
  type JudgeBenchDataset,
  type JudgeBenchSample,
  judgeBenchCategory,
  loadJudgeBench,
  parseJudgeBench,
} from './judgebench.js';
export { type LlmBarOptions, loadLlmBar, parseLlmBar } from './llmbar.js';
export {
  checkPandaLmAlignment,
  loadPandaLmBundle,
  loadPandaLmJudgeOutputs,
  loadPandaLmTestSet,
  type PandaLmAnnotators,
  type PandaLmBundle,
  type PandaLmJudgeOutput,
  type PandaLmMetadata,
  type PandaLmQuestionStyle,
  type PandaLmTestSetOptions,
  pandaLmLabelToVerdict,
  parsePandaLmJudgeOutputs,
  parsePandaLmTestSet,
  renderPandaLmJudgeText,
} from './pandalm.js';
export {
  loadPrometheusAbsolute,
  loadPrometheusPairs,
  PROMETHEUS_SECTION_MARKERS,
  type PrometheusAbsoluteRecord,
  type PrometheusPair,
  type PrometheusPromptParts,
  parsePrometheusAbsolute,
  parsePrometheusPairs,
  splitPrometheusPrompt,
} from './prometheus.js';
export { loadRewardBenchPairs, type PreferencePair, parseRewardBenchPairs } from './reward-bench.js';
export { loadRmBench, parseRmBench, type RmBenchRecord, type RmBenchStyles } from './rm-bench.js';
