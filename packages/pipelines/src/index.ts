/**
 * @judgekit/pipelines — compositions of judgekit packages: evaluate a judge model on a pairwise
 * dataset with resumable JSONL results, progress and cancellation; score pre-computed judge
 * outputs; summarise results into metrics with bootstrap intervals, swap consistency and parse
 * failures by reason; render Markdown / JSON / SVG reports; a terminal progress bar.
 *
 * @packageDocumentation
 */

export {
  type EvaluateOnDatasetOptions,
  type EvaluationProgress,
  evaluateJudgeOnDataset,
} from './evaluate-judge-on-dataset.js';
export {
  type EvaluationReportOptions,
  type NamedEvaluation,
  type RenderedEvaluationReport,
  renderEvaluationReport,
} from './evaluation-report.js';
export { type EvaluationHtmlOptions, renderEvaluationHtml } from './evaluation-report-html.js';
export {
  type EvaluationRunInfo,
  evaluationRunFiles,
  type LoadPairwiseDatasetOptions,
  loadPairwiseDataset,
  PAIRWISE_DATASET_FORMATS,
  type PairwiseDataset,
  type PairwiseDatasetFormat,
  type SummarizeResultsFileOptions,
  summarizeResultsFile,
  writeEvaluationReport,
  writeRunInfo,
} from './evaluation-run-files.js';
export type { JudgeModel, JudgeRequest, JudgeResponse } from './judge-model.js';
export {
  isErrorRecord,
  OUTCOME_CLASSES,
  type OutcomeConfusion,
  outcomeConfusion,
} from './report-outcomes.js';
export {
  type EvaluationCounts,
  type EvaluationResult,
  type FailureExample,
  type JudgeOrder,
  type JudgeResultRecord,
  type ParseFailureSummary,
  recordKey,
  type StoredParse,
  type SummarizeOptions,
  summarizeJudgeRecords,
} from './judge-records.js';
export { type BuildRecordInput, buildJudgeRecord, parserFor, promptHash } from './judge-text-record.js';
export {
  createProgressBar,
  type ProgressBar,
  type ProgressBarOptions,
  type ProgressStream,
} from './progress-bar.js';
export {
  type JudgeOutputText,
  type ScoredJudgeOutputs,
  type ScoreJudgeOutputsOptions,
  scoreJudgeOutputs,
} from './score-judge-outputs.js';
/**
 * The `@judgekit/models` backends the CLI and pipeline users build a `JudgeModel` from
 * (re-exported so that `judgekit` needs only this package).
 */
export {
  createFileCache,
  createOpenAICompatibleModel,
  type OpenAICompatibleModelOptions,
} from '@judgekit/models';
/** Prompt templates by id (re-exported from `@judgekit/prompts` for the CLI). */
export { getTemplate, listTemplates, type PromptTemplate } from '@judgekit/prompts';
