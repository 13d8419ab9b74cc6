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
export {
  type JudgeOutputFields,
  type JudgeOutputsFile,
  loadJudgeOutputsFile,
} from './judge-outputs-file.js';
export {
  JUDGEKIT_PLUGIN_API,
  type JudgekitPluginApi,
  type LoadedPlugin,
  loadJudgekitPlugin,
} from './judgekit-plugins.js';
export {
  type AutoevalsScore,
  GRADE_SCALES,
  type GradeErrorResult,
  type GradeItem,
  type GradeManyProgress,
  type GradeOptions,
  type GradeParseFailureResult,
  type GradeResult,
  type GradeScoreResult,
  grade,
  gradeMany,
  toAutoevalsScore,
} from './grade.js';
export {
  type BatchOptions,
  type JudgeItem,
  type JudgeManyOptions,
  type JudgeManyProgress,
  type JudgePanelOptions,
  judge,
  judgeMany,
} from './judge.js';
export type {
  CallParse,
  CallRecord,
  JudgeCallError,
  JudgeStatus,
  StructuredOutcome,
} from './judge-call.js';
export {
  getJudgeJsonForm,
  type JudgeJsonForm,
  listJudgeJsonForms,
  registerJudgeJsonForm,
} from './judge-json-forms.js';
export type { JudgeModel, JudgeRequest, JudgeResponse } from './judge-model.js';
export {
  checkProbabilityOptions,
  type JudgmentProbabilities,
  judgmentProbabilities,
  type ProbabilityFailure,
  type ProbabilityOptions,
  type ProbabilitySummary,
  probabilityFormats,
  type ScoreProbabilities,
  summarizeProbabilities,
  type VerdictProbabilities,
} from './judge-probabilities.js';
export { judgeRationale } from './judge-rationale.js';
export type {
  JudgeCall,
  JudgeErrorResult,
  JudgeOptions,
  JudgeParseFailureResult,
  JudgeResult,
  JudgeSettings,
  JudgeVerdictResult,
  SwapCombineRule,
} from './judge-single-model.js';
export {
  aggregateJury,
  type Juror,
  type JurorResult,
  type JuryAgreement,
  type JuryOptions,
  type JuryResult,
  type JuryRule,
  jury,
  juryAgreement,
} from './jury.js';
export {
  type DatasetJuror,
  type EvaluateJuryOnDatasetOptions,
  evaluateJuryOnDataset,
  type JurorEvaluation,
  type JuryEvaluationProgress,
  type JuryEvaluationResult,
  juryReportEntries,
  juryReportIntro,
  juryReportJson,
  jurorResultsFile,
  writeJuryEvaluationReport,
} from './evaluate-jury-on-dataset.js';
export {
  isErrorRecord,
  OUTCOME_CLASSES,
  type OutcomeConfusion,
  outcomeConfusion,
} from './report-outcomes.js';
export {
  type ErrorExample,
  type ErrorSummary,
  type EvaluationCounts,
  type EvaluationResult,
  type FailureExample,
  type JudgeOrder,
  type JudgeOutcome,
  type JudgeResultRecord,
  outcomeOf,
  type ParseFailureSummary,
  recordKey,
  type StoredParse,
  type SummarizeOptions,
  summarizeJudgeRecords,
} from './judge-records.js';
export {
  loadPandaLmReplayJudge,
  PANDALM_RECORDED_JUDGES,
  type PandaLmRecordedJudge,
} from './pandalm-replay-judge.js';
export {
  type ParseFailureCheck,
  type ParseFailureCheckOptions,
  checkParseFailureRate,
} from './parse-failure-check.js';
export {
  openResultsFileWriter,
  type ResultsFileWriter,
  type ResultsFileWriterOptions,
} from './results-file-writer.js';
export {
  checkRunFingerprint,
  datasetContentHash,
  fingerprintDifferences,
  type JuryFingerprint,
  type RunFingerprint,
  redactUrl,
} from './run-identity.js';
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
  createAiSdkJudgeModel,
  createFileCache,
  createOpenAIClientModel,
  createOpenAICompatibleModel,
  createReplayJudgeModel,
  createRoundRobinModel,
  type JudgeModelLike,
  type OpenAICompatibleModelOptions,
  type ReplayJudgeModelOptions,
  type ReplayOutput,
} from '@judgekit/models';
/** Prompt templates by id (re-exported from `@judgekit/prompts` for the CLI). */
export { getTemplate, listTemplates, type PromptTemplate } from '@judgekit/prompts';
/** The combine-rule registry (re-exported from `@judgekit/metrics` for the CLI). */
export { getCombineRule, listCombineRules } from '@judgekit/metrics';
export {
  type GroupRewardStats,
  parseRollouts,
  type Rollout,
  type RolloutScoringBackend,
  type RolloutStats,
  readRollouts,
  type ScoredRolloutFiles,
  type ScoredRolloutLine,
  type ScoredRollouts,
  type ScoreRolloutsOptions,
  scoredRolloutLines,
  scoredRolloutTensors,
  scoreRollouts,
  writeScoredRollouts,
} from './score-rollouts.js';
export {
  type ComputeBackendKind,
  type ScoreRolloutsOnBackendOptions,
  scoreRolloutsOnBackend,
  WEBGPU_LOSS_TOLERANCE,
} from './score-rollouts-backend.js';
export {
  dpoPairsFromRewards,
  dpoPairsFromVerdicts,
  type JudgeLmSftData,
  type JudgeLmSftOptions,
  type JudgeLmSftSource,
  loadJudgeLmSftSources,
  makeJudgeLmSftData,
  type PreferenceRow,
  type PreferenceStats,
  type PromptCompletion,
  readPromptCompletions,
  type RewardedCompletion,
  type SftRow,
  type SpinRow,
  spinRoundData,
  swapJudgeLmJudgment,
  type TrlSftFormat,
  type VerdictScoreConvention,
  writeJsonlRows,
} from './make-data.js';
export {
  createHashingFeaturizer,
  loadEmbeddingFeaturizer,
  loadPreferenceSamples,
  preferencePairsToSamples,
  type TextFeaturizer,
  type TrainedJudgeHead,
  type TrainJudgeHeadOptions,
  trainJudgeHead,
  writeJudgeHead,
} from './train-head.js';
export { createOnnxFeaturizer, judgeHeadTexts, type OnnxFeaturizerOptions } from './onnx-featurizer.js';
export {
  encodeJudgePolicy,
  type GrpoJudgePolicyConfig,
  type GrpoJudgePolicyOptions,
  type GrpoJudgePolicyResult,
  type GrpoStepStats,
  JUDGE_POLICY_TOKENS,
  judgeLrmGroundTruth,
  parseGrpoJudgePolicyConfig,
  renderStepPlot,
  trainGrpoJudgePolicy,
} from './grpo-policy-loop.js';
export {
  type GrpoJudgePolicyBackendOptions,
  type GrpoJudgePolicyBackendResult,
  trainGrpoJudgePolicyOnBackend,
} from './grpo-policy-loop-backend.js';
